// SPDX-License-Identifier: MIT
// Lock debugging (docs/locking.md), each check made to fire on purpose and
// checked through the report count (reports print, they do not stop the
// run): owners recorded, a *_locked assertion on a free lock and on a
// lock another CPU holds, the lock order (classes and run-queue ascent),
// sleeping with a spinlock held or interrupts off. The first case turns
// lock debugging on for the rest of the run.
#include <kernel/lockdebug.h>
#include <lib/spinlock.h>
#include "sched_util.h"

static uint64_t reports_since(uint64_t before)
{
	return lockdebug_reports() - before;
}

KTEST(lockdebug, owner_recorded)
{
	spinlock_t l = SPINLOCK_INIT;
	irqflags_t f;
	unsigned cpu;

	lockdebug_enable();
	f = spin_lock_irqsave(&l);
	cpu = hal_cpu_id();
	KT_EXPECT_EQ_U(l.owner_cpu, cpu + 1);
	KT_EXPECT_EQ_U(l.owner_tid, thread_current()->id);
	spin_unlock_irqrestore(&l, f);
	KT_EXPECT_EQ_U(l.owner_cpu, 0);
}

KTEST(lockdebug, assert_held_reports_free_lock)
{
	spinlock_t l = SPINLOCK_INIT;
	uint64_t before;
	irqflags_t f;

	lockdebug_enable();
	before = lockdebug_reports();
	f = spin_lock_irqsave(&l);
	SPIN_ASSERT_HELD(&l); // held: quiet
	spin_unlock_irqrestore(&l, f);
	KT_EXPECT_EQ_U(reports_since(before), 0);
	SPIN_ASSERT_HELD(&l); // free: one report
	KT_EXPECT_EQ_U(reports_since(before), 1);
}

struct holder {
	spinlock_t *l;
	volatile uint64_t held, release;
};

static void hold_fn(void *p)
{
	struct holder *h = p;
	irqflags_t f = spin_lock_irqsave(h->l);

	__atomic_store_n(&h->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&h->release, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
	spin_unlock_irqrestore(h->l, f);
}

KTEST(lockdebug, assert_held_reports_other_owner)
{
	static spinlock_t l = SPINLOCK_INIT;
	static struct holder h;
	struct thread *th;
	uint64_t before;

	if (sched_test_cpus() < 2)
		KT_SKIP("needs two CPUs");
	lockdebug_enable();
	h = (struct holder){.l = &l};
	KT_ASSERT(!sched_test_spawn(&th, "ld-hold", hold_fn, &h,
	                            sched_test_cpus() - 1, 0, 0));
	KT_EXPECT(sched_test_wait_for(&h.held, 1));
	before = lockdebug_reports();
	if (hal_cpu_id() != sched_test_cpus() - 1)
		SPIN_ASSERT_HELD(&l); // held, by the other CPU
	KT_EXPECT_EQ_U(reports_since(before), 1);
	__atomic_store_n(&h.release, 1, __ATOMIC_RELEASE);
	(void)thread_join(th);
}

KTEST(lockdebug, order_violations_reported)
{
	spinlock_t rq1 = SPINLOCK_INIT, rq2 = SPINLOCK_INIT;
	spinlock_t wq = SPINLOCK_INIT, tq = SPINLOCK_INIT;
	uint64_t before;
	irqflags_t f;

	lockdebug_enable();
	spin_lock_set_class(&rq1, LOCK_CLASS_RQ, 1);
	spin_lock_set_class(&rq2, LOCK_CLASS_RQ, 2);
	spin_lock_set_class(&wq, LOCK_CLASS_WAITQ, 0);
	spin_lock_set_class(&tq, LOCK_CLASS_TIMER, 0);
	f = hal_irq_save();
	before = lockdebug_reports();
	// The documented order: wait queue, run queues ascending, timer.
	spin_lock_raw(&wq);
	spin_lock_raw(&rq1);
	spin_lock_raw(&rq2);
	spin_lock_raw(&tq);
	spin_unlock_raw(&tq);
	spin_unlock_raw(&rq2);
	spin_unlock_raw(&rq1);
	spin_unlock_raw(&wq);
	KT_EXPECT_EQ_U(reports_since(before), 0);
	// A wait queue inside a run queue: one report.
	spin_lock_raw(&rq1);
	spin_lock_raw(&wq);
	spin_unlock_raw(&wq);
	spin_unlock_raw(&rq1);
	KT_EXPECT_EQ_U(reports_since(before), 1);
	// Run queues descending: one more.
	spin_lock_raw(&rq2);
	spin_lock_raw(&rq1);
	spin_unlock_raw(&rq1);
	spin_unlock_raw(&rq2);
	KT_EXPECT_EQ_U(reports_since(before), 2);
	// Released out of order, then the right order again: quiet.
	spin_lock_raw(&rq1);
	spin_lock_raw(&tq);
	spin_unlock_raw(&rq1);
	spin_unlock_raw(&tq);
	spin_lock_raw(&wq);
	spin_unlock_raw(&wq);
	KT_EXPECT_EQ_U(reports_since(before), 2);
	hal_irq_restore(f);
}

KTEST(lockdebug, sleeping_while_atomic_reported)
{
	static struct mutex m = MUTEX_INIT;
	spinlock_t l = SPINLOCK_INIT;
	uint64_t before;

	lockdebug_enable();
	before = lockdebug_reports();
	mutex_lock(&m); // allowed: quiet
	mutex_unlock(&m);
	sleep_ns(100000);
	KT_EXPECT_EQ_U(reports_since(before), 0);
	irq_push(); // interrupts off: one report (not a sleep: it is free)
	mutex_lock(&m);
	mutex_unlock(&m);
	irq_pop();
	KT_EXPECT_EQ_U(reports_since(before), 1);
	spin_lock(&l); // a spinlock held: reported, and schedule() refuses
	sleep_ns(100000);
	spin_unlock(&l);
	KT_EXPECT_EQ_U(reports_since(before), 2);
}
