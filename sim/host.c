// SPDX-License-Identifier: MIT
// The upward calls of docs/layers.md that neutral code linked into the
// simulator makes, implemented for one host thread: the simulator links
// lib/ mm/ acpi/ topology/ workload/ and the policy and domain files of
// kernel/sched/, but none of the kernel's top floor (no threads, no
// per-CPU data, no real scheduler core).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <lib/panic.h>
#include <lib/preempt.h>
#include <lib/spinlock.h>

// A broken invariant in the linked neutral code is a bug: stop at once.
__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cairn-sim: panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

// The spinlocks of the neutral code count preemption like the kernel's, in
// the host HAL's per-thread struct cpu (lib/preempt.h); nothing is ever
// pending here, so the last unlock never reschedules.
void sched_preempt(void) {}

// Lock debugging (kernel/lockdebug.c) is a kernel facility; the simulator
// runs on one host thread and keeps it off.
bool lockdebug_on;
void lockdebug_acquired(spinlock_t *l)
{
	(void)l;
}
void lockdebug_releasing(spinlock_t *l)
{
	(void)l;
}
