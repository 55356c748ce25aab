// SPDX-License-Identifier: MIT
// Deferred work (lib/work.h): a FIFO of struct work, run by the boot
// CPU's idle loop.
//
// Locking: work_lock (irqsave: interrupt handlers queue) guards the list
// and every item's `queued` and `next`. An item is taken off the list
// before its fn runs, so fn may queue it again. Work queued on another CPU
// wakes the boot CPU with IPI_RESCHED (its handler does nothing; the
// interrupt alone ends the wait).
#include <hal/cpu.h>
#include <hal/irq.h>
#include <lib/spinlock.h>
#include <lib/work.h>

static spinlock_t work_lock = SPINLOCK_INIT;
static struct work *work_head, **work_tail = &work_head;

void work_queue(struct work *w)
{
	irqflags_t f = spin_lock_irqsave(&work_lock);

	if (!w->queued) {
		w->queued = true;
		w->next = NULL;
		*work_tail = w;
		work_tail = &w->next;
	}
	spin_unlock_irqrestore(&work_lock, f);
	if (hal_cpu_id() != 0) // wake the boot CPU if it waits
		hal_ipi_send(0, IPI_RESCHED);
}

static struct work *work_take(void)
{
	irqflags_t f = spin_lock_irqsave(&work_lock);
	struct work *w = work_head;

	if (w) {
		work_head = w->next;
		if (!work_head)
			work_tail = &work_head;
		w->queued = false;
	}
	spin_unlock_irqrestore(&work_lock, f);
	return w;
}

unsigned work_run(void)
{
	struct work *w;
	unsigned n = 0;

	while ((w = work_take())) {
		w->fn(w);
		n++;
	}
	return n;
}

__noreturn void work_idle_loop(void)
{
	for (;;) {
		hal_irq_disable();
		if (!__atomic_load_n(&work_head, __ATOMIC_RELAXED))
			hal_cpu_idle(); // returns with interrupts on
		else
			hal_irq_enable();
		(void)work_run();
	}
}
