// SPDX-License-Identifier: MIT
// Wait queues and the sleeping locks built on them (lib/wait.h).
//
// Locking: each object's wait queue lock (q.lock, irqsave) guards its
// state and its waiters; it is taken before a thread's wake_lock and any
// run-queue lock (sched_wake). cond_wait holds the condvar's lock while it
// releases the mutex: condvar before mutex, never the other way.
#include <hal/cpu.h>
#include <hal/timer.h>
#include <lib/panic.h>
#include <kernel/lockdebug.h>
#include <kernel/percpu.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/timer.h>
#include <kernel/thread.h>
#include <lib/wait.h>

// The queue operations are inline in the semaphore's and the mutex's
// paths (a call and a frame less per sleep and per wake-up, and a
// deadline of 0 known at compile time); the lib/wait.h functions are
// the same code out of line. sem_down and sem_up test lock debugging
// once and run a copy made with the answer as the constant chk
// (lib/spinlock.h, spin_lock_raw_chk).
#define WAIT_INLINE static inline __attribute__((always_inline))

WAIT_INLINE void waitq_add_inline(struct waitq *q, struct waiter *w, bool chk)
{
	SPIN_ASSERT_HELD_CHK(&q->lock, chk);
	w->thread = this_cpu()->thread;
	w->next = NULL;
	w->done = false;
	if (q->tail)
		q->tail->next = w;
	else
		q->head = w;
	q->tail = w;
}

void waitq_add_locked(struct waitq *q, struct waiter *w)
{
	waitq_add_inline(q, w, true);
}

static void waitq_unlink_locked(struct waitq *q, struct waiter *w)
{
	struct waiter **pp = &q->head, *prev = NULL;

	while (*pp && *pp != w) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = w->next;
	if (q->tail == w)
		q->tail = prev;
}

struct wait_timer {
	struct ktimer timer;
	struct thread *thread;
};

static void wait_timer_fire(struct ktimer *t)
{
	(void)sched_wake(container_of(t, struct wait_timer, timer)->thread);
}

WAIT_INLINE bool sleep_unlock_inline(struct waitq *q, struct waiter *w,
                                     uint64_t deadline_ns, irqflags_t f,
                                     bool chk)
{
	struct wait_timer wt; // set up only with a deadline: the hot path
	bool done;            // (no deadline) does not touch it

	SPIN_ASSERT_HELD_CHK(&q->lock, chk);
	if (deadline_ns)
		wt = (struct wait_timer){.timer.fn = wait_timer_fire,
		                         .thread = w->thread};
	while (!w->done) {
		if (deadline_ns && hal_time_ns() >= deadline_ns) {
			waitq_unlink_locked(q, w);
			break;
		}
		w->thread->state = THREAD_BLOCKED;
		if (deadline_ns)
			ktimer_arm(&wt.timer, deadline_ns);
		// Interrupts stay off, so no switch before q->lock is
		// released, which sched_sleep_unlock does once it holds the
		// run-queue lock.
		if (chk)
			sched_sleep_unlock(&q->lock);
		else // kernel/sched/unit.c: inline, from core.c
			sched_sleep_unlock_fast(&q->lock);
		// Set once, by a waker that no longer touches w (release in
		// waitq_wake_one_locked): true needs no second look locked.
		if (__atomic_load_n(&w->done, __ATOMIC_ACQUIRE))
			goto woken;
		preempt_inc_irqoff();
		spin_lock_raw(&q->lock);
	}
	done = w->done;
	if (deadline_ns)
		(void)ktimer_cancel(&wt.timer);
	spin_unlock_irqrestore(&q->lock, f);
	return done;
woken:
	if (deadline_ns)
		(void)ktimer_cancel(&wt.timer);
	// Interrupts have been off since schedule() returned, so nothing on
	// this CPU asked for a reschedule; a remote request is an IPI, taken
	// as they come back on.
	hal_irq_restore(f);
	return true;
}

bool waitq_sleep_unlock(struct waitq *q, struct waiter *w, uint64_t deadline_ns,
                        irqflags_t f)
{
	return sleep_unlock_inline(q, w, deadline_ns, f, true);
}

WAIT_INLINE bool wake_one_inline(struct waitq *q, struct thread **out, bool chk)
{
	struct waiter *w = q->head;
	struct thread *t;

	SPIN_ASSERT_HELD_CHK(&q->lock, chk);
	if (!w)
		return false;
	q->head = w->next;
	if (!q->head)
		q->tail = NULL;
	t = w->thread;
	// w may vanish from here: its thread may see done without q->lock.
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	// q->lock: interrupts off, count held
	if (chk)
		(void)sched_wake_irqoff(t);
	else // kernel/sched/unit.c: inline, from core.c
		(void)sched_wake_irqoff_fast(t);
	if (out)
		*out = t;
	return true;
}

bool waitq_wake_one_locked(struct waitq *q, struct thread **out)
{
	return wake_one_inline(q, out, true);
}

unsigned waitq_wake_all_locked(struct waitq *q)
{
	unsigned n = 0;

	while (waitq_wake_one_locked(q, NULL))
		n++;
	return n;
}

bool wait_can_sleep(void)
{
	return sched_started() && thread_current() != NULL;
}

static uint64_t deadline_after(uint64_t timeout_ns)
{
	uint64_t d = hal_time_ns() + timeout_ns;

	return d ? d : 1;
}

// ---- Mutex ---------------------------------------------------------------

void mutex_init(struct mutex *m)
{
	*m = (struct mutex)MUTEX_INIT;
}

WAIT_INLINE bool mutex_acquire(struct mutex *m, uint64_t deadline_ns)
{
	irqflags_t f;
	struct thread *me;
	struct waiter w;
	bool got = true;

	if (deadline_ns != 1)
		lockdebug_might_sleep("mutex_lock");
	f = spin_lock_irqsave(&m->q.lock);
	me = this_cpu()->thread;

	if (m->owner == me && me)
		panic("mutex %p: %s locks it again", m, me->name);
	if (!m->owner) {
		m->owner = me;
	} else if (deadline_ns == 1) { // trylock
		got = false;
	} else {
		waitq_add_inline(&m->q, &w, true);
		return sleep_unlock_inline(&m->q, &w, deadline_ns, f, true);
	}
	spin_unlock_irqrestore(&m->q.lock, f);
	return got;
}

void mutex_lock(struct mutex *m)
{
	(void)mutex_acquire(m, 0);
}

bool mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns)
{
	return mutex_acquire(m, deadline_after(timeout_ns + 1));
}

bool mutex_trylock(struct mutex *m)
{
	return mutex_acquire(m, 1);
}

void mutex_unlock(struct mutex *m)
{
	irqflags_t f = spin_lock_irqsave(&m->q.lock);

	if (m->owner != this_cpu()->thread)
		panic("mutex %p unlocked by %s, not its owner", m,
		      this_cpu()->thread ? this_cpu()->thread->name : "boot");
	// Hand-off: the first waiter owns it before it even runs (before
	// it is woken: it may run at once and not take m->q.lock).
	m->owner = m->q.head ? m->q.head->thread : NULL;
	(void)wake_one_inline(&m->q, NULL, true);
	spin_unlock_irqrestore(&m->q.lock, f);
}

bool mutex_held(struct mutex *m)
{
	return __atomic_load_n(&m->owner, __ATOMIC_RELAXED) == thread_current();
}

// ---- Semaphore ------------------------------------------------------------

void sem_init(struct semaphore *s, unsigned long count)
{
	waitq_init(&s->q);
	s->count = count;
}

WAIT_INLINE bool sem_acquire(struct semaphore *s, uint64_t deadline_ns,
                             bool chk)
{
	irqflags_t f;
	struct waiter w;
	bool got = true;

	if (chk && deadline_ns != 1)
		lockdebug_might_sleep("sem_down");
	f = spin_lock_irqsave_chk(&s->q.lock, chk);

	if (s->count) {
		s->count--;
	} else if (deadline_ns == 1) {
		got = false;
	} else {
		waitq_add_inline(&s->q, &w, chk);
		// The sleep releases the lock with a test (sched_sleep_unlock).
		return sleep_unlock_inline(&s->q, &w, deadline_ns, f, chk);
	}
	spin_unlock_irqrestore_chk(&s->q.lock, f, chk);
	return got;
}

void sem_down(struct semaphore *s)
{
	if (unlikely(lockdebug_on))
		(void)sem_acquire(s, 0, true);
	else
		(void)sem_acquire(s, 0, false);
}

bool sem_down_timeout(struct semaphore *s, uint64_t timeout_ns)
{
	return sem_acquire(s, deadline_after(timeout_ns + 1), true);
}

bool sem_trydown(struct semaphore *s)
{
	return sem_acquire(s, 1, true);
}

WAIT_INLINE void sem_up_chk(struct semaphore *s, bool chk)
{
	irqflags_t f = spin_lock_irqsave_chk(&s->q.lock, chk);

	if (!wake_one_inline(&s->q, NULL, chk)) // else: the unit is its
		s->count++;
	spin_unlock_irqrestore_chk(&s->q.lock, f, chk);
}

void sem_up(struct semaphore *s)
{
	if (unlikely(lockdebug_on))
		sem_up_chk(s, true);
	else
		sem_up_chk(s, false);
}

// ---- Condition variable ---------------------------------------------------

void cond_init(struct condvar *c)
{
	waitq_init(&c->q);
	// Held while the mutex's lock is taken (mutex_unlock): outermost.
	spin_lock_set_class(&c->q.lock, LOCK_CLASS_COND, 0);
}

bool cond_wait_timeout(struct condvar *c, struct mutex *m, uint64_t timeout_ns)
{
	irqflags_t f;
	struct waiter w;
	bool woken;

	lockdebug_might_sleep("cond_wait");
	f = spin_lock_irqsave(&c->q.lock);

	waitq_add_locked(&c->q, &w); // queued before m is free: no lost signal
	mutex_unlock(m);
	woken = waitq_sleep_unlock(
	    &c->q, &w, timeout_ns ? deadline_after(timeout_ns + 1) : 0, f);
	mutex_lock(m);
	return woken;
}

void cond_wait(struct condvar *c, struct mutex *m)
{
	(void)cond_wait_timeout(c, m, 0);
}

void cond_signal(struct condvar *c)
{
	irqflags_t f = spin_lock_irqsave(&c->q.lock);

	(void)waitq_wake_one_locked(&c->q, NULL);
	spin_unlock_irqrestore(&c->q.lock, f);
}

void cond_broadcast(struct condvar *c)
{
	irqflags_t f = spin_lock_irqsave(&c->q.lock);

	(void)waitq_wake_all_locked(&c->q);
	spin_unlock_irqrestore(&c->q.lock, f);
}

// ---- Completion -----------------------------------------------------------

void completion_init(struct completion *c)
{
	waitq_init(&c->q);
	c->done = 0;
}

static bool completion_wait(struct completion *c, uint64_t deadline_ns)
{
	irqflags_t f;
	struct waiter w;
	bool got = true;

	lockdebug_might_sleep("wait_for_completion");
	f = spin_lock_irqsave(&c->q.lock);

	if (c->done) {
		if (c->done != ~0ul)
			c->done--;
	} else {
		waitq_add_locked(&c->q, &w);
		return waitq_sleep_unlock(&c->q, &w, deadline_ns, f);
	}
	spin_unlock_irqrestore(&c->q.lock, f);
	return got;
}

void wait_for_completion(struct completion *c)
{
	(void)completion_wait(c, 0);
}

bool wait_for_completion_timeout(struct completion *c, uint64_t timeout_ns)
{
	return completion_wait(c, deadline_after(timeout_ns + 1));
}

void complete(struct completion *c)
{
	irqflags_t f = spin_lock_irqsave(&c->q.lock);

	if (!waitq_wake_one_locked(&c->q, NULL) && c->done != ~0ul)
		c->done++;
	spin_unlock_irqrestore(&c->q.lock, f);
}

void complete_all(struct completion *c)
{
	irqflags_t f = spin_lock_irqsave(&c->q.lock);

	c->done = ~0ul;
	(void)waitq_wake_all_locked(&c->q);
	spin_unlock_irqrestore(&c->q.lock, f);
}
