// SPDX-License-Identifier: MIT
// Spinlocks. spin_lock() does not touch interrupts; the _irqsave variants
// disable them (nesting) and must be used for locks also taken from
// interrupt handlers. Fairness/backoff variants arrive with SMP work.
#pragma once

#include <hal/cpu.h>
#include <kernel/types.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		0                                                              \
	}

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			hal_cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

static inline irqflags_t spin_lock_irqsave(spinlock_t *l)
{
	irqflags_t f = hal_irq_save();
	spin_lock(l);
	return f;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, irqflags_t f)
{
	spin_unlock(l);
	hal_irq_restore(f);
}
