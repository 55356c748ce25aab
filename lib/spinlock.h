// SPDX-License-Identifier: MIT
// Test-and-set spinlocks with exponential backoff. spin_lock() does not
// touch interrupts; the _irqsave variants disable them (nesting) and must be
// used for locks also taken from interrupt handlers. Not fair: use a ticket
// lock (lib/lock.h) where many CPUs contend and order matters.
#pragma once

#include <hal/cpu.h>
#include <lib/preempt.h>
#include <lib/types.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		0                                                              \
	}

// Longest pause between two looks at a contended lock (pause instructions).
#define SPIN_BACKOFF_MAX 1024u

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline bool spin_trylock_raw(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

// Raw lock and unlock leave the preemption count alone (the scheduler's own
// switch path); everyone else uses spin_lock / spin_unlock below.
// Waiters read (not write) the lock word, and wait twice as long after each
// failed attempt, so a contended line is not hammered by every CPU at once.
static inline void spin_lock_raw(spinlock_t *l)
{
	unsigned delay = 1;

	while (!spin_trylock_raw(l)) {
		do {
			for (unsigned i = 0; i < delay; i++)
				hal_cpu_relax();
			if (delay < SPIN_BACKOFF_MAX)
				delay <<= 1;
		} while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED));
	}
}

static inline void spin_unlock_raw(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
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
static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	irqflags_t f = hal_irq_save();

	preempt_inc_irqoff();
	while (!spin_trylock_raw(l)) {
		hal_irq_restore(f);
		while (spin_is_locked(l))
			hal_cpu_relax();
		hal_irq_save();
	}
	return f;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t f)
{
	bool resched;

	spin_unlock_raw(l);
	resched = preempt_dec_irqoff();
	hal_irq_restore(f);
	if (resched && f)
		sched_preempt();
}
