// SPDX-License-Identifier: MIT
// The per-CPU preemption count (docs/sched.md, "Preemption count"): the
// interface lib/ sees. While it is non-zero the CPU does not switch threads;
// spinlocks and ticket locks hold it. When the last holder lets go with a
// reschedule pending and interrupts on, the scheduler runs. The count is per
// CPU, not per thread: every thread switch happens at count 1 (the run-queue
// lock) on both sides.
//
// The count lives in the top floor's per-CPU data, so, like panic and work
// (docs/layers.md, "Calling upward"), the two primitives are declared here
// and implemented in kernel/preempt.c. Both are called with interrupts off,
// so the thread cannot move to another CPU between finding its CPU and
// writing the count.
#pragma once

#include <hal/cpu.h>
#include <lib/types.h>

// Interrupts off. Raises this CPU's count.
void preempt_inc_irqoff(void);
// Interrupts off. Lowers it; true when it reached 0 with a reschedule
// pending (the caller calls sched_preempt() once interrupts are back on).
bool preempt_dec_irqoff(void);
// This CPU's count (interrupts off, or a racy look for a report).
unsigned preempt_count(void);
// Reschedules now if this CPU needs it (kernel/sched/core.c).
void sched_preempt(void);

static inline void preempt_disable(void)
{
	irqflags_t f = hal_irq_save();

	preempt_inc_irqoff();
	hal_irq_restore(f);
}

static inline void preempt_enable(void)
{
	irqflags_t f = hal_irq_save();
	bool resched = preempt_dec_irqoff();

	hal_irq_restore(f);
	if (resched && f)
		sched_preempt();
}
