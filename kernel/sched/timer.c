// SPDX-License-Identifier: MIT
// Per-CPU timer queues (kernel/sched/timer.h) and sleep_ns().
//
// Locking: each CPU's queue has a leaf spinlock q, taken with interrupts
// off. A timer's fn runs with no lock held; `running` names the timer whose
// fn is running so ktimer_cancel can wait for it.
#include <hal/cpu.h>
#include <hal/timer.h>
#include <kernel/lockdebug.h>
#include <kernel/percpu.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/timer.h>
#include <lib/spinlock.h>
#include <kernel/thread.h>

struct tqueue {
	spinlock_t lock;
	struct ktimer *head;             // sorted by deadline
	struct ktimer *volatile running; // fn in progress
};

static struct tqueue tqueues[MAX_CPUS];

static void tq_unlink_locked(struct tqueue *q, struct ktimer *t)
{
	struct ktimer **pp = &q->head;

	SPIN_ASSERT_HELD(&q->lock);
	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->armed = false;
}

static void ktimer_irq(void)
{
	struct tqueue *q = &tqueues[hal_cpu_id()];

	for (;;) {
		struct ktimer *t;

		spin_lock(&q->lock);
		t = q->head;
		if (!t || t->deadline > hal_time_ns()) {
			if (t)
				hal_timer_oneshot(t->deadline);
			spin_unlock(&q->lock);
			return;
		}
		q->head = t->next;
		t->armed = false;
		q->running = t;
		spin_unlock(&q->lock);
		t->fn(t);
		__atomic_store_n(&q->running, NULL, __ATOMIC_RELEASE);
	}
}

void ktimer_init_cpu(void)
{
	irqflags_t f = hal_irq_save();
	struct tqueue *q = &tqueues[hal_cpu_id()];

	hal_timer_set_handler(ktimer_irq);
	spin_lock_set_class(&q->lock, LOCK_CLASS_TIMER, 0);
	spin_lock(&q->lock);
	if (q->head) // whoever borrowed the HAL timer replaced the deadline
		hal_timer_oneshot(q->head->deadline);
	spin_unlock(&q->lock);
	hal_irq_restore(f);
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	irqflags_t f = hal_irq_save();
	struct tqueue *q = &tqueues[hal_cpu_id()];
	struct ktimer **pp;

	if (t->armed && t->cpu != hal_cpu_id())
		(void)ktimer_cancel(t);
	spin_lock(&q->lock);
	if (t->armed) // on this CPU's queue (only this CPU fires it): move
		tq_unlink_locked(q, t);
	t->deadline = deadline_ns;
	t->cpu = hal_cpu_id();
	t->armed = true;
	for (pp = &q->head; *pp && (*pp)->deadline <= deadline_ns;)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	if (q->head == t)
		hal_timer_oneshot(deadline_ns);
	spin_unlock(&q->lock);
	hal_irq_restore(f);
}

bool ktimer_cancel(struct ktimer *t)
{
	irqflags_t f = hal_irq_save();
	struct tqueue *q = &tqueues[t->cpu];
	bool was;

	spin_lock(&q->lock);
	was = t->armed;
	if (was)
		tq_unlink_locked(q, t);
	spin_unlock(&q->lock);
	hal_irq_restore(f);
	// An emptied queue leaves the HAL timer armed: it fires once, finds
	// nothing due and stays quiet.
	while (__atomic_load_n(&q->running, __ATOMIC_ACQUIRE) == t)
		hal_cpu_relax();
	return was;
}

struct sleeper {
	struct ktimer timer;
	struct thread *thread;
};

static void sleeper_fire(struct ktimer *t)
{
	(void)sched_wake(container_of(t, struct sleeper, timer)->thread);
}

void sleep_until_ns(uint64_t deadline_ns)
{
	struct sleeper s = {.timer.fn = sleeper_fire};

	lockdebug_might_sleep("sleep_ns");
	if (!sched_started() || !this_cpu()->thread) {
		while (hal_time_ns() < deadline_ns)
			hal_cpu_relax();
		return;
	}
	s.thread = thread_current();
	while (hal_time_ns() < deadline_ns) {
		irqflags_t f = hal_irq_save();

		s.thread->state = THREAD_BLOCKED;
		ktimer_arm(&s.timer, deadline_ns);
		schedule();
		hal_irq_restore(f);
	}
	(void)ktimer_cancel(&s.timer);
}

void sleep_ns(uint64_t ns)
{
	sleep_until_ns(hal_time_ns() + ns);
}
