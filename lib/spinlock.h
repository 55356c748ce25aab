// SPDX-License-Identifier: MIT
// Test-and-set spinlocks with exponential backoff. spin_lock() does not
// touch interrupts; the _irqsave variants disable them (nesting) and must be
// used for locks also taken from interrupt handlers. Not fair: use a ticket
// lock (lib/lock.h) where many CPUs contend and order matters.
//
// Lock debugging (docs/locking.md): while `lockdebug_on` is set (command
// line `lockdebug`, or a test), every acquisition records its owner (CPU
// and thread) in the lock, a lock with an order class is checked against
// the classes this CPU already holds (the documented order), and
// SPIN_ASSERT_HELD reports a *_locked function called without its lock.
// Off, each lock and unlock tests the flag once (a never-taken branch).
// The checks live in kernel/lockdebug.c (an upward interface, like
// lib/preempt.h).
#pragma once

#include <hal/cpu.h>
#include <lib/preempt.h>
#include <lib/types.h>

typedef struct {
	volatile uint32_t locked;
	uint16_t lclass;    // lock-order class (LOCK_CLASS_*), 0: none
	uint16_t sub;       // order inside a class (run queues: CPU number)
	uint32_t owner_cpu; // lock debugging: holder's CPU + 1, 0: unknown
	uint32_t owner_tid; // lock debugging: holder's thread id
} spinlock_t;

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		0, 0, 0, 0, 0                                                  \
	}
#define SPINLOCK_INIT_CLASS(c)                                                 \
	{                                                                      \
		0, (c), 0, 0, 0                                                \
	}

// Lock-order classes, outermost first (docs/locking.md): a lock may be
// taken while holding only locks of lower classes; two run-queue locks
// only in ascending CPU order (sub).
enum lock_class {
	LOCK_CLASS_NONE = 0,
	LOCK_CLASS_COND = 5,   // a condition variable's wait queue
	LOCK_CLASS_WAITQ = 10, // a wait queue / mutex / semaphore (key w)
	LOCK_CLASS_JOIN = 15,  // kernel/thread.c join_lock
	LOCK_CLASS_WAKE = 20,  // a thread's wake_lock (key k)
	LOCK_CLASS_RQ = 30,    // a run queue (key r), sub = CPU
	LOCK_CLASS_TIMER = 40, // a CPU's timer queue (key t)
	LOCK_CLASS_LEAF = 50,  // leaves: the scheduler statistics' registry
};

extern bool lockdebug_on;
void lockdebug_acquired(spinlock_t *l);
void lockdebug_releasing(spinlock_t *l);
void lockdebug_assert_held(spinlock_t *l, const char *fn);

// The calling function expects l held by this CPU.
#define SPIN_ASSERT_HELD(l) SPIN_ASSERT_HELD_CHK(l, true)
// The same in a path that tested lockdebug_on once for itself (chk false:
// it was off; a constant, so the test goes). See spin_lock_raw_chk.
#define SPIN_ASSERT_HELD_CHK(l, chk)                                           \
	do {                                                                   \
		if ((chk) && unlikely(lockdebug_on))                           \
			lockdebug_assert_held((l), __func__);                  \
	} while (0)

static inline void spin_lock_set_class(spinlock_t *l, enum lock_class c,
                                       unsigned sub)
{
	l->lclass = (uint16_t)c;
	l->sub = (uint16_t)sub;
}

// Longest pause between two looks at a contended lock (pause instructions).
#define SPIN_BACKOFF_MAX 1024u

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
	l->owner_cpu = l->owner_tid = 0;
}

static inline bool spin_trylock_raw(spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	if (unlikely(lockdebug_on))
		lockdebug_acquired(l);
	return true;
}

// Raw lock and unlock leave the preemption count alone (the scheduler's own
// switch path); everyone else uses spin_lock / spin_unlock below.
// Waiters read (not write) the lock word, and wait twice as long after each
// failed attempt, so a contended line is not hammered by every CPU at once.
// The lock-debugging test comes once, after the loop: an uncontended
// lock is one exchange, one branch and that test.
//
// The _chk forms are for a hot path that tests lockdebug_on once at its
// start and runs a copy of itself with chk a constant: false when the
// flag was off, so its locks make no test of their own. The flag only
// ever turns on, and lockdebug ignores the release of a lock it never saw
// taken, so such a path may take a lock unrecorded and release it either
// way; it must not release with chk false a lock taken before its own
// test (that one may be recorded, and must be seen released).
static inline __attribute__((always_inline)) void
spin_lock_raw_chk(spinlock_t *l, bool chk)
{
	unsigned delay = 1;

	while (unlikely(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))) {
		do {
			for (unsigned i = 0; i < delay; i++)
				hal_cpu_relax();
			if (delay < SPIN_BACKOFF_MAX)
				delay <<= 1;
		} while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED));
	}
	if (chk && unlikely(lockdebug_on))
		lockdebug_acquired(l);
}

static inline __attribute__((always_inline)) void
spin_unlock_raw_chk(spinlock_t *l, bool chk)
{
	if (chk && unlikely(lockdebug_on))
		lockdebug_releasing(l);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock_raw(spinlock_t *l)
{
	spin_lock_raw_chk(l, true);
}

static inline void spin_unlock_raw(spinlock_t *l)
{
	spin_unlock_raw_chk(l, true);
}

// Holding a spinlock holds off preemption (lib/preempt.h).
static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	spin_lock_raw(l);
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (spin_trylock_raw(l))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *l)
{
	spin_unlock_raw(l);
	preempt_enable();
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

// While the lock is busy, the caller's own interrupt state is back in
// force: a CPU waiting here with interrupts enabled before the call still
// takes IPIs, so a holder that waits for every CPU (a TLB shootdown, say)
// cannot deadlock with it. Interrupts are off again for each attempt and
// once the lock is held.
static inline __attribute__((always_inline)) irqflags_t
spin_lock_irqsave_chk(spinlock_t *l, bool chk)
{
	irqflags_t f = hal_irq_save();

	preempt_inc_irqoff();
	while (unlikely(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))) {
		hal_irq_restore(f);
		while (spin_is_locked(l))
			hal_cpu_relax();
		hal_irq_save();
	}
	if (chk && unlikely(lockdebug_on))
		lockdebug_acquired(l);
	return f;
}

static inline __attribute__((always_inline)) void
spin_unlock_irqrestore_chk(spinlock_t *l, irqflags_t f, bool chk)
{
	bool resched;

	spin_unlock_raw_chk(l, chk);
	resched = preempt_dec_irqoff();
	hal_irq_restore(f);
	if (resched && f)
		sched_preempt();
}

static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	return spin_lock_irqsave_chk(l, true);
}

static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t f)
{
	spin_unlock_irqrestore_chk(l, f, true);
}
