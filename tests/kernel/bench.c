// SPDX-License-Identifier: MIT
// The benchmark registry behind tests/kernel/bench.h: walks the
// bench_cases section (kernel.ld keeps it) and prints one line per figure.
// Locking: none; benchmarks run one at a time from the main thread.
#include <stdarg.h>
#include <string.h>
#include <kernel/smp.h>
#include <lib/format.h>
#include <lib/printk.h>
#include <tests/kernel/bench.h>

extern const struct bench_case __start_bench_cases[] __attribute__((weak));
extern const struct bench_case __stop_bench_cases[] __attribute__((weak));

static const struct bench_case *bench_cur;

static bool bench_matches(const struct bench_case *c, const char *prefix)
{
	char full[96];

	if (!prefix || !*prefix)
		return true;
	ksnprintf(full, sizeof(full), "%s.%s", c->suite, c->name);
	return strncmp(full, prefix, strlen(prefix)) == 0;
}

void bench_report(const char *sub, uint64_t value, const char *unit,
                  const char *fmt, ...)
{
	char details[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(details, sizeof(details), fmt, ap);
	va_end(ap);
	printk("bench: %s.%s%s%s %lu %s %s cpus=%u\n", bench_cur->suite,
	       bench_cur->name, sub ? "." : "", sub ? sub : "",
	       (unsigned long)value, unit, details, smp_online_count());
}

void bench_skip(const char *reason)
{
	printk("bench: %s.%s skipped %s\n", bench_cur->suite, bench_cur->name,
	       reason);
}

unsigned bench_run(const char *prefix)
{
	const struct bench_case *c;
	unsigned n = 0;

	for (c = __start_bench_cases; c < __stop_bench_cases; c++) {
		if (!bench_matches(c, prefix))
			continue;
		bench_cur = c;
		c->fn();
		n++;
	}
	if (!n)
		printk("bench: no benchmark matches \"%s\"\n",
		       prefix ? prefix : "");
	printk("bench: done %u\n", n);
	return n;
}

void bench_sort(uint64_t *v, unsigned n)
{
	// Insertion sort: a few thousand samples at most.
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;

		for (; j && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

uint64_t bench_percentile(const uint64_t *sorted, unsigned n, unsigned pct)
{
	unsigned i;

	if (!n)
		return 0;
	i = (unsigned)(((uint64_t)n * pct + 99) / 100);
	return sorted[i ? i - 1 : 0];
}
