// SPDX-License-Identifier: MIT
// Host test runner: runs every KTEST linked into this binary (tests/unit and
// tests/host) and ends with the line "N passed, N failed, N skipped".
// Usage: tests [filter-prefix]   e.g. tests buddy.
#include <stdio.h>
#include <lib/printk.h>
#include <tests/ktest.h>

void host_console_to_stdout(void);

int main(int argc, char **argv)
{
	struct ktest_summary sum;

	setvbuf(stdout, NULL, _IOLBF, 0);
	host_console_to_stdout();
	ktest_run(argc > 1 ? argv[1] : NULL, &sum);
	printf("%d passed, %d failed, %d skipped\n", sum.passed, sum.failed,
	       sum.skipped);
	return sum.failed ? 1 : 0;
}
