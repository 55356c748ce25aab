// SPDX-License-Identifier: MIT
// Deferred work (lib/work.h): a FIFO of struct work, run by the kernel
// thread "work".
//
// Locking: work_lock (irqsave: interrupt handlers queue) guards the list
// and every item's `queued` and `next`. An item is taken off the list
// before its fn runs, so fn may queue it again. Each queued item is one
// unit of work_sem, on which the thread sleeps.
#include <hal/cpu.h>
#include <kernel/thread.h>
#include <lib/wait.h>
#include <lib/spinlock.h>
#include <lib/work.h>

static struct semaphore work_sem = {WAITQ_INIT, 0};
static bool work_thread_up;

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
	if (__atomic_load_n(&work_thread_up, __ATOMIC_ACQUIRE))
		sem_up(&work_sem); // extra units only cost an empty pass
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

static void work_thread(void *arg)
{
	for (;;) {
		sem_down(&work_sem);
		(void)work_run();
	}
}

err_t work_start(void)
{
	struct thread *t;
	err_t e = thread_create(&t, "work", work_thread, NULL, NULL);

	if (e)
		return e;
	thread_detach(t);
	__atomic_store_n(&work_thread_up, true, __ATOMIC_RELEASE);
	sem_up(&work_sem); // whatever was queued before it started
	return 0;
}
