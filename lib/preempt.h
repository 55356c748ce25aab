// SPDX-License-Identifier: MIT
// The per-CPU preemption count (docs/sched.md, "Preemption count"): the
// interface lib/ sees. While it is non-zero the CPU does not switch threads;
// spinlocks and ticket locks hold it. When the last holder lets go with a
// reschedule pending and interrupts on, the scheduler runs. The count is per
// CPU, not per thread: every thread switch happens at count 1 (the run-queue
// lock) on both sides.
//
// The count lives in the top floor's per-CPU data (struct cpu,
// kernel/percpu.h). Every lock operation touches it, so the two primitives
// are inline: they find the count and the reschedule flag at fixed offsets
// from hal_this_cpu(), the way the HAL finds `self` and `id` there
// (kernel/percpu.c checks both offsets). Both are called with interrupts
// off, so the thread cannot move to another CPU between finding its CPU
// and writing the count. The rest (preempt_count, sched_preempt) is the
// top floor's, as with panic and work (docs/layers.md, "Calling upward").
#pragma once

#include <hal/cpu.h>
#include <lib/types.h>

#define PREEMPT_COUNT_OFFSET 12u   // unsigned: struct cpu's `preempt`
#define PREEMPT_RESCHED_OFFSET 16u // volatile bool: `need_resched`

// Interrupts off. Raises this CPU's count.
static inline void preempt_inc_irqoff(void)
{
	char *c = (char *)hal_this_cpu();

	++*(unsigned *)(c + PREEMPT_COUNT_OFFSET);
	__asm__ volatile("" ::: "memory");
}

// Interrupts off. Lowers it; true when it reached 0 with a reschedule
// pending (the caller calls sched_preempt() once interrupts are back on).
static inline bool preempt_dec_irqoff(void)
{
	char *c = (char *)hal_this_cpu();

	__asm__ volatile("" ::: "memory");
	return --*(unsigned *)(c + PREEMPT_COUNT_OFFSET) == 0 &&
	       *(volatile bool *)(c + PREEMPT_RESCHED_OFFSET);
}

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
