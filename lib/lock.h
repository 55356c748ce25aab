// SPDX-License-Identifier: MIT
// Locks beyond the plain spinlock (lib/spinlock.h, included here): ticket
// locks, FIFO-fair; each waiter takes a number and spins until it is served,
// with backoff proportional to its place in the queue. (irq_push()/irq_pop()
// need the per-CPU data: kernel/percpu.h.)
#pragma once

#include <hal/cpu.h>
#include <lib/spinlock.h>
#include <lib/types.h>

typedef struct {
	volatile uint32_t next;    // next ticket to hand out
	volatile uint32_t serving; // ticket now holding the lock
} ticketlock_t;

#define TICKETLOCK_INIT                                                        \
	{                                                                      \
		0, 0                                                           \
	}

static inline void ticket_lock_init(ticketlock_t *l)
{
	l->next = l->serving = 0;
}

static inline void ticket_lock(ticketlock_t *l)
{
	preempt_disable();
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	for (;;) {
		uint32_t now = __atomic_load_n(&l->serving, __ATOMIC_ACQUIRE);

		if (now == me)
			return;
		// Our distance in the queue estimates how long to wait.
		for (uint32_t i = 0; i < (me - now) * 32u; i++)
			hal_cpu_relax();
	}
}

static inline bool ticket_trylock(ticketlock_t *l)
{
	uint32_t now = __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
	uint32_t expect = now;

	preempt_disable();
	if (__atomic_compare_exchange_n(&l->next, &expect, now + 1, false,
	                                __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return true;
	preempt_enable();
	return false;
}

static inline void ticket_unlock(ticketlock_t *l)
{
	// Only the holder writes serving: a plain increment is enough.
	__atomic_store_n(&l->serving, l->serving + 1, __ATOMIC_RELEASE);
	preempt_enable();
}

static inline bool ticket_is_locked(ticketlock_t *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
}

static inline irqflags_t ticket_lock_irqsave(ticketlock_t *l)
{
	irqflags_t f = hal_irq_save();
	ticket_lock(l);
	return f;
}

static inline void ticket_unlock_irqrestore(ticketlock_t *l, irqflags_t f)
{
	ticket_unlock(l);
	hal_irq_restore(f);
}
