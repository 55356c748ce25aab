// SPDX-License-Identifier: MIT
// Helpers for the scheduler tests (tests/kernel/sched_*.c): threads pinned
// to one CPU, bounded waits.
#pragma once

#include <hal/cpu.h>
#include <hal/timer.h>
#include <kernel/percpu.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/timer.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <lib/wait.h>
#include <tests/ktest.h>

#define SCHED_TEST_TIMEOUT_NS (60ull * 1000000000ull)

static inline unsigned sched_test_cpus(void)
{
	return smp_online_count();
}

// Creates a thread on `cpu` only (cpu ~0u: anywhere) with nice/weight.
static inline err_t sched_test_spawn(struct thread **t, const char *name,
                                     void (*fn)(void *), void *arg,
                                     unsigned cpu, unsigned weight,
                                     unsigned rt_prio)
{
	struct thread_params p;

	thread_params_default(&p);
	if (cpu != ~0u)
		cpumask_set(&p.affinity, cpu);
	p.weight = weight;
	p.rt_prio = rt_prio;
	return thread_create(t, name, fn, arg, &p);
}

// Sleeps in steps until *v >= want or the timeout passed.
static inline bool sched_test_wait_for(volatile uint64_t *v, uint64_t want)
{
	uint64_t end = hal_time_ns() + SCHED_TEST_TIMEOUT_NS;

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want) {
		if (hal_time_ns() > end)
			return false;
		sleep_ns(1000000);
	}
	return true;
}
