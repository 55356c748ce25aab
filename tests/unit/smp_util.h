// SPDX-License-Identifier: MIT
// Helpers for the SMP tests (tests/unit/smp_*.c, lock_*.c, timer_*.c):
// skipping where there is no SMP (host, one CPU) and running a function on
// every online CPU at once with a bounded wait.
#pragma once

#include <hal/cpu.h>
#include <hal/timer.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <tests/ktest.h>

// Bound for every wait in these tests: a lost IPI fails, never hangs.
// Generous: TCG runs every vCPU on the host's few cores, shared with other
// QEMUs, and a descheduled vCPU can stall the others for a while.
#define SMP_TEST_TIMEOUT_NS (30ull * 1000000000ull)

// True inside a kernel whose smp_init() ran (not on the host).
static inline bool smp_test_kernel(void)
{
	return smp_started();
}

struct smp_test_all {
	void (*fn)(void *arg);
	void *arg;
	volatile uint32_t done;
};

static inline void smp_test_all_one(void *p)
{
	struct smp_test_all *a = p;

	a->fn(a->arg);
	__atomic_fetch_add(&a->done, 1, __ATOMIC_RELEASE);
}

// Runs fn(arg) on every online CPU concurrently (here too, interrupts on);
// returns false if not all finished within the timeout. Even then it waits
// (four times as long again) for the stragglers, so that one slow test
// does not leave CPUs busy in the next one.
static inline bool smp_test_run_all(void (*fn)(void *), void *arg)
{
	struct smp_test_all a = {fn, arg, 0};
	unsigned n = smp_online_count();
	uint64_t start = hal_time_ns();

	smp_call_others(smp_test_all_one, &a, false);
	smp_test_all_one(&a);
	while (__atomic_load_n(&a.done, __ATOMIC_ACQUIRE) < n) {
		if (hal_time_ns() - start > 5 * SMP_TEST_TIMEOUT_NS)
			return false;
		smp_poll_calls(); // in case interrupts are off here
	}
	return hal_time_ns() - start <= SMP_TEST_TIMEOUT_NS;
}

// Waits (serving cross-CPU calls) until *v >= want or the timeout passed.
static inline bool smp_test_wait_for(volatile uint32_t *v, uint32_t want)
{
	uint64_t end = hal_time_ns() + SMP_TEST_TIMEOUT_NS;

	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < want) {
		if (hal_time_ns() > end)
			return false;
		smp_poll_calls();
		hal_cpu_relax();
	}
	return true;
}
