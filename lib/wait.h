// SPDX-License-Identifier: MIT
// Sleeping synchronisation (docs/sched.md): wait queues, a mutex with an
// owner, counting semaphores, condition variables and completions. All of
// them hand what they guard directly to the thread they wake (the mutex's
// ownership, a semaphore's unit, a completion's count), so a woken thread
// never finds it taken again and waiters are served in FIFO order.
//
// Sleeping functions: thread context, no spinlock held, interrupts on.
// Waking functions (up, unlock, signal, complete): any context but
// interrupt handlers may only use semaphores and completions.
//
// The interface is in lib/ so every floor can sleep (the AML interpreter's
// host, acpi/aml_boot.c, does); the implementation is the top floor's
// (kernel/wait.c, kernel/sched/timer.c: docs/layers.md, "Calling upward").
#pragma once

#include <lib/spinlock.h>
#include <lib/types.h>

struct thread;

// A sleeping thread's entry on a wait queue (on its stack).
struct waiter {
	struct thread *thread;
	struct waiter *next;
	bool done; // set (release), under the queue's lock, by its waker
};

struct waitq {
	spinlock_t lock;
	struct waiter *head, *tail;
};
#define WAITQ_INIT                                                             \
	{                                                                      \
		SPINLOCK_INIT_CLASS(LOCK_CLASS_WAITQ), NULL, NULL              \
	}

static inline void waitq_init(struct waitq *q)
{
	*q = (struct waitq)WAITQ_INIT;
}

// With q->lock held, taken by spin_lock_irqsave (flags f): queue w for the
// running thread, then sleep until a waker set w->done or the deadline
// (hal_time_ns(), 0 for none) passed; returns with q->lock released (as
// spin_unlock_irqrestore(&q->lock, f) does) and w off the queue; true if
// woken, false on timeout. A woken thread does not take q->lock again.
void waitq_add_locked(struct waitq *q, struct waiter *w);
bool waitq_sleep_unlock(struct waitq *q, struct waiter *w, uint64_t deadline_ns,
                        irqflags_t f);
// With q->lock held (taken by spin_lock_irqsave: the wake-up relies on
// interrupts being off): wakes the first waiter (true) or nobody (false);
// the thread woken, if out is not NULL.
bool waitq_wake_one_locked(struct waitq *q, struct thread **out);
unsigned waitq_wake_all_locked(struct waitq *q);

struct mutex {
	struct waitq q;
	struct thread *owner; // q.lock
};
#define MUTEX_INIT                                                             \
	{                                                                      \
		WAITQ_INIT, NULL                                               \
	}
void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
// false if not acquired within timeout_ns.
bool mutex_lock_timeout(struct mutex *m, uint64_t timeout_ns);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m); // by the owner only (else panics)
bool mutex_held(struct mutex *m);   // by the running thread

struct semaphore {
	struct waitq q;
	unsigned long count; // q.lock
};
void sem_init(struct semaphore *s, unsigned long count);
void sem_down(struct semaphore *s);
bool sem_down_timeout(struct semaphore *s, uint64_t timeout_ns);
bool sem_trydown(struct semaphore *s);
void sem_up(struct semaphore *s);

struct condvar {
	struct waitq q;
};
void cond_init(struct condvar *c);
// Releases m, sleeps until signalled, takes m again. Spurious returns are
// possible only through cond_wait_timeout's timeout; recheck the predicate.
void cond_wait(struct condvar *c, struct mutex *m);
bool cond_wait_timeout(struct condvar *c, struct mutex *m, uint64_t timeout_ns);
void cond_signal(struct condvar *c);
void cond_broadcast(struct condvar *c);

struct completion {
	struct waitq q;
	unsigned long done; // q.lock; ~0ul after complete_all
};
void completion_init(struct completion *c);
void wait_for_completion(struct completion *c);
bool wait_for_completion_timeout(struct completion *c, uint64_t timeout_ns);
void complete(struct completion *c);
void complete_all(struct completion *c);

// True once the running context is a thread that may sleep on these (the
// scheduler runs); false before, and in host programs.
bool wait_can_sleep(void);

// Sleeps at least ns nanoseconds (never wakes early). Thread context; before
// the scheduler runs it spins.
void sleep_ns(uint64_t ns);
void sleep_until_ns(uint64_t deadline_ns);
