// SPDX-License-Identifier: MIT
// The test harness behind tests/ktest.h. Walks the ktest_cases section (the
// linker provides __start_/__stop_ symbols on the host; the kernel linker
// scripts define them), runs cases in link order and prints KTAP.
// Not thread-safe: one run at a time.
#include <string.h>
#include <lib/printk.h>
#include <tests/ktest.h>

// Weak: a program with no test cases has no such section.
extern const struct ktest_case __start_ktest_cases[] __attribute__((weak));
extern const struct ktest_case __stop_ktest_cases[] __attribute__((weak));

// filter: prefixes separated by commas ("sched,sync" for ninja scale).
static bool matches(const struct ktest_case *c, const char *filter)
{
	char full[128];

	if (!filter || !*filter)
		return true;
	ksnprintf(full, sizeof(full), "%s.%s", c->suite, c->name);
	while (*filter) {
		const char *comma = strchr(filter, ',');
		size_t len = comma ? (size_t)(comma - filter) : strlen(filter);

		if (len && strncmp(full, filter, len) == 0)
			return true;
		filter += len + (comma ? 1 : 0);
	}
	return false;
}

bool ktest_check(struct ktest *t, bool cond, const char *file, int line,
                 const char *expr)
{
	if (!cond) {
		t->failures++;
		printk("    # %s:%d: expected %s\n", file, line, expr);
	}
	return cond;
}

bool ktest_check_eq(struct ktest *t, int64_t a, int64_t b, const char *file,
                    int line, const char *ea, const char *eb)
{
	if (a != b) {
		t->failures++;
		printk("    # %s:%d: expected %s == %s, got %ld (0x%lx) vs %ld "
		       "(0x%lx)\n",
		       file, line, ea, eb, (long)a, (unsigned long)a, (long)b,
		       (unsigned long)b);
	}
	return a == b;
}

bool ktest_check_eq_u(struct ktest *t, uint64_t a, uint64_t b, const char *file,
                      int line, const char *ea, const char *eb)
{
	if (a != b) {
		t->failures++;
		printk("    # %s:%d: expected %s == %s, got %lu (0x%lx) vs %lu "
		       "(0x%lx)\n",
		       file, line, ea, eb, (unsigned long)a, (unsigned long)a,
		       (unsigned long)b, (unsigned long)b);
	}
	return a == b;
}

bool ktest_check_str(struct ktest *t, const char *a, const char *b,
                     const char *file, int line, const char *ea, const char *eb)
{
	bool ok = a && b && strcmp(a, b) == 0;

	if (!ok) {
		t->failures++;
		printk("    # %s:%d: expected %s == %s, got \"%s\" vs \"%s\"\n",
		       file, line, ea, eb, a ? a : "(null)", b ? b : "(null)");
	}
	return ok;
}

void ktest_log(struct ktest *t __unused, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("    # %s\n", buf);
}

void ktest_list_suites(void)
{
	const struct ktest_case *c, *d;

	for (c = __start_ktest_cases; c < __stop_ktest_cases; c++) {
		for (d = __start_ktest_cases; d < c; d++)
			if (strcmp(d->suite, c->suite) == 0)
				break;
		if (d == c) // first case of its suite
			printk("#   %s.\n", c->suite);
	}
}

void ktest_run(const char *filter, struct ktest_summary *sum)
{
	const struct ktest_case *c;
	int total = 0, n = 0;

	memset(sum, 0, sizeof(*sum));
	for (c = __start_ktest_cases; c < __stop_ktest_cases; c++)
		total += matches(c, filter);
	printk("KTAP version 1\n1..%d\n", total);
	if (total == 0) {
		// Zero cases run is not a pass: say so and name what exists.
		printk("# no test case matches \"%s\"; the suites are:\n",
		       filter ? filter : "");
		ktest_list_suites();
		sum->failed = 1;
		return;
	}
	for (c = __start_ktest_cases; c < __stop_ktest_cases; c++) {
		struct ktest t = {.suite = c->suite, .name = c->name};

		if (!matches(c, filter))
			continue;
		n++;
		c->fn(&t);
		if (t.failures) {
			sum->failed++;
			printk("not ok %d %s.%s\n", n, c->suite, c->name);
		} else if (t.skip_reason) {
			sum->skipped++;
			printk("ok %d %s.%s # SKIP %s\n", n, c->suite, c->name,
			       t.skip_reason);
		} else {
			sum->passed++;
			printk("ok %d %s.%s\n", n, c->suite, c->name);
		}
	}
	printk("# %d passed, %d failed, %d skipped\n", sum->passed, sum->failed,
	       sum->skipped);
}
