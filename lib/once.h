// SPDX-License-Identifier: MIT
// Once-initialisation: once_call(&o, fn) runs fn exactly once however many
// CPUs call it at the same time; every caller returns only after fn has
// finished, and sees everything fn wrote. fn must not call once_call() on
// the same once_t (it would wait for itself).
#pragma once

#include <hal/cpu.h>
#include <lib/types.h>

typedef struct {
	volatile uint32_t state; // ONCE_NEW -> ONCE_RUNNING -> ONCE_DONE
} once_t;

#define ONCE_NEW 0u
#define ONCE_RUNNING 1u
#define ONCE_DONE 2u
#define ONCE_INIT                                                              \
	{                                                                      \
		ONCE_NEW                                                       \
	}

static inline bool once_done(once_t *o)
{
	return __atomic_load_n(&o->state, __ATOMIC_ACQUIRE) == ONCE_DONE;
}

static inline void once_call(once_t *o, void (*fn)(void))
{
	uint32_t expect = ONCE_NEW;

	if (once_done(o))
		return;
	if (__atomic_compare_exchange_n(&o->state, &expect, ONCE_RUNNING, false,
	                                __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		fn();
		__atomic_store_n(&o->state, ONCE_DONE, __ATOMIC_RELEASE);
		return;
	}
	while (!once_done(o))
		hal_cpu_relax();
}
