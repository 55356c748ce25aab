// SPDX-License-Identifier: MIT
// The per-CPU preemption count (docs/sched.md, "Preemption count"). While
// it is non-zero the CPU does not switch threads; spinlocks hold it. When
// the last holder lets go with a reschedule pending and interrupts on, the
// scheduler runs. The count is per CPU, not per thread: every thread
// switch happens at count 1 (the run-queue lock) on both sides.
//
// The plain variants change the count with interrupts off for the one
// instruction sequence: otherwise an interrupt between finding this CPU and
// writing its count could move the thread to another CPU mid-update.
#pragma once

#include <hal/cpu.h>
#include <kernel/percpu.h>

void sched_preempt(void); // kernel/sched/sched.h

// Interrupts already off.
static inline void preempt_inc_irqoff(void)
{
	this_cpu()->preempt++;
	__asm__ volatile("" ::: "memory");
}

// Interrupts already off; true when the count reached 0 with a reschedule
// pending (the caller calls sched_preempt() once interrupts are back on).
static inline bool preempt_dec_irqoff(void)
{
	struct cpu *c = this_cpu();

	__asm__ volatile("" ::: "memory");
	return --c->preempt == 0 && c->need_resched;
}

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

static inline unsigned preempt_count(void)
{
	return this_cpu()->preempt;
}
