// SPDX-License-Identifier: MIT
// The preemption count's primitives (lib/preempt.h) on this CPU's struct
// cpu. Callers have interrupts off; nothing else writes another CPU's count.
#include <kernel/percpu.h>
#include <lib/preempt.h>

void preempt_inc_irqoff(void)
{
	this_cpu()->preempt++;
	__asm__ volatile("" ::: "memory");
}

bool preempt_dec_irqoff(void)
{
	struct cpu *c = this_cpu();

	__asm__ volatile("" ::: "memory");
	return --c->preempt == 0 && c->need_resched;
}

unsigned preempt_count(void)
{
	return this_cpu()->preempt;
}
