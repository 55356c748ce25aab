// SPDX-License-Identifier: MIT
// Host test runner: runs every KTEST linked into this binary (tests/unit and
// tests/host) and ends with the line "N passed, N failed, N skipped".
// Usage: tests [filter-prefix]   e.g. tests mm_buddy.
// A filter that matches nothing fails and lists the suites; so does an
// option (tests takes none: "--help" is not a filter).
#include <stdio.h>
#include <lib/printk.h>
#include <tests/ktest.h>

void host_console_to_stdout(void);

int main(int argc, char **argv)
{
	struct ktest_summary sum;

	setvbuf(stdout, NULL, _IOLBF, 0);
	host_console_to_stdout();
	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		printf(
		    "usage: %s [SUITE.[CASE-PREFIX]]   runs every case whose "
		    "suite.name starts with the prefix; the suites are:\n",
		    argv[0]);
		ktest_list_suites();
		return 2;
	}
	ktest_run(argc > 1 ? argv[1] : NULL, &sum);
	printf("%d passed, %d failed, %d skipped\n", sum.passed, sum.failed,
	       sum.skipped);
	return sum.failed ? 1 : 0;
}
