// SPDX-License-Identifier: MIT
// Deferred work: interrupt handlers hand slow jobs (running AML for an ACPI
// event, say) to thread context. There is no scheduler yet, so "thread
// context" is the boot CPU's idle loop: once boot is done the boot CPU
// runs queued work, interrupts on, and otherwise waits for an interrupt.
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

// Queues w to run once on the boot CPU, in order. Any CPU, any context
// (interrupt handlers included); a no-op while w is still queued. w may
// queue itself again from fn.
void work_queue(struct work *w);

// Runs everything queued so far (and what that queues); returns how many
// ran. Thread context, boot CPU.
unsigned work_run(void);

// The boot CPU's loop once boot is done: work_run(), else wait for an
// interrupt (no wake-up is lost in between).
__noreturn void work_idle_loop(void);
