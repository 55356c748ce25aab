// SPDX-License-Identifier: MIT
// Deferred work: interrupt handlers hand slow jobs (running AML for an ACPI
// event, say) to thread context: the kernel thread "work", started by
// work_start() once boot is done, runs queued items in order and sleeps
// when there are none.
//
//   static void sci_work(struct work *w) { ... }
//   static struct work sci = WORK_INIT(sci_work);
//   ... in the interrupt handler: work_queue(&sci);
//
// An upward interface (docs/layers.md): declared here so acpi/ and the
// other lower floors can queue work; implemented on the top floor
// (kernel/work.c).
#pragma once

#include <lib/types.h>

struct work {
	void (*fn)(struct work *w);
	struct work *next;
	bool queued;
};

#define WORK_INIT(f)                                                           \
	{                                                                      \
		.fn = (f)                                                      \
	}

// Queues w to run once in the work thread, in order. Any CPU, any context
// (interrupt handlers included); a no-op while w is still queued. w may
// queue itself again from fn.
void work_queue(struct work *w);

// Runs everything queued so far (and what that queues); returns how many
// ran. Thread context (the work thread; tests before it starts).
unsigned work_run(void);

// Starts the work thread (once, after boot; needs the scheduler).
__must_check err_t work_start(void);
