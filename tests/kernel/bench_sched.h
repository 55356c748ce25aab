// SPDX-License-Identifier: MIT
// Helpers shared by the scheduler benchmarks (tests/kernel/bench_sched*.c).
#pragma once

#include <tests/kernel/sched_util.h>

// CPUs for one-CPU and two-CPU figures: 1 and 2 when they exist (CPU 0
// keeps the main thread, which only waits), else 0.
unsigned bench_cpu_a(void);
unsigned bench_cpu_b(void);

// A fair thread of nice 0 on `cpu` (~0u: anywhere).
__must_check err_t bench_spawn(struct thread **t, const char *name,
                               void (*fn)(void *), void *arg, unsigned cpu);

// Sorts v and returns its middle element.
uint64_t bench_median(uint64_t *v, unsigned n);
