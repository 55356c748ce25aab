// SPDX-License-Identifier: MIT
// In-kernel benchmarks (`bench=PREFIX` on the command line; docs/sched.md,
// "Benchmarks"). Like KTEST, each BENCH registers itself in a linker
// section; bench_run() runs those whose "suite.name" starts with the
// prefix. A benchmark reports figures, one line each:
//
//   bench: sched.switch_yield 187 ns/switch n=4000 cpus=4
//
// (name, value, unit, then key=value details). Time is hal_time_ns(): under
// QEMU's `-icount shift=0` one nanosecond is one guest instruction, which
// is what tools/bench-sched runs them under. Benchmarks never fail a run:
// a figure that cannot be taken is a line "bench: NAME skipped REASON".
#pragma once

#include <lib/types.h>

struct bench_case {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define BENCH(suite_, name_)                                                   \
	static void bench_fn_##suite_##_##name_(void);                         \
	__attribute__((used, section("bench_cases"),                           \
	               aligned(8))) static const struct bench_case             \
	    bench_case_##suite_##_##name_ = {#suite_, #name_,                  \
	                                     bench_fn_##suite_##_##name_};     \
	static void bench_fn_##suite_##_##name_(void)

// One figure of the running benchmark: "bench: SUITE.NAME[.sub] VALUE UNIT
// details". sub may be NULL.
void bench_report(const char *sub, uint64_t value, const char *unit,
                  const char *fmt, ...) __printf_like(4, 5);
void bench_skip(const char *reason);

// Runs every benchmark matching prefix (NULL or "": all); returns how many
// ran. Ends with the line "bench: done N".
unsigned bench_run(const char *prefix);

// Sorting and percentiles of samples (ns).
void bench_sort(uint64_t *v, unsigned n);
uint64_t bench_percentile(const uint64_t *sorted, unsigned n, unsigned pct);
