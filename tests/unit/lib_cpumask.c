// SPDX-License-Identifier: MIT
// lib/cpumask.h: set operations and iteration across word boundaries up to
// MAX_CPUS, checked against a plain bool array as the witness.
#include <lib/cpumask.h>
#include <tests/ktest.h>

KTEST(lib_cpumask, fill_weight_and_iterate)
{
	struct cpumask m;
	unsigned sizes[] = {0, 1, 63, 64, 65, 200, MAX_CPUS};
	for (unsigned s = 0; s < ARRAY_SIZE(sizes); s++) {
		cpumask_fill(&m, sizes[s]);
		KT_EXPECT_EQ(cpumask_weight(&m), sizes[s]);
		unsigned cpu, seen = 0;
		CPUMASK_FOR_EACH(cpu, &m)
		{
			KT_EXPECT_EQ(cpu, seen);
			seen++;
		}
		KT_EXPECT_EQ(seen, sizes[s]);
		KT_EXPECT_EQ(cpumask_empty(&m), sizes[s] == 0);
	}
}

KTEST(lib_cpumask, set_ops_match_a_bool_array)
{
	static bool a[MAX_CPUS], b[MAX_CPUS];
	struct cpumask ma, mb, and, or, andnot;
	cpumask_clear_all(&ma);
	cpumask_clear_all(&mb);
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		a[i] = (i * 7 + 3) % 5 == 0 || i == 63 || i == 64;
		b[i] = (i * 11 + 1) % 3 == 0 || i == MAX_CPUS - 1;
		if (a[i])
			cpumask_set(&ma, i);
		if (b[i])
			cpumask_set(&mb, i);
	}
	cpumask_and(&and, &ma, &mb);
	cpumask_or(& or, &ma, &mb);
	cpumask_andnot(&andnot, &ma, &mb);
	unsigned na = 0, nand = 0;
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		KT_EXPECT_EQ(cpumask_test(&ma, i), a[i]);
		KT_EXPECT_EQ(cpumask_test(&and, i), a[i] && b[i]);
		KT_EXPECT_EQ(cpumask_test(& or, i), a[i] || b[i]);
		KT_EXPECT_EQ(cpumask_test(&andnot, i), a[i] && !b[i]);
		if (a[i])
			KT_EXPECT_EQ(cpumask_nth(&ma, na++), i);
		nand += a[i] && b[i];
	}
	KT_EXPECT_EQ(cpumask_weight(&ma), na);
	KT_EXPECT_EQ(cpumask_nth(&ma, na), MAX_CPUS);
	KT_EXPECT_EQ(cpumask_weight(&and), nand);
	KT_EXPECT(cpumask_subset(&and, &ma));
	KT_EXPECT(!cpumask_subset(&ma, &and) || nand == na);
	KT_EXPECT_EQ(cpumask_intersects(&andnot, &mb), false);
	KT_EXPECT(cpumask_equal(&ma, &ma));
	cpumask_clear(&ma, 63);
	KT_EXPECT(!cpumask_test(&ma, 63));
	KT_EXPECT_EQ(cpumask_next(&ma, 63), 64u);
	KT_EXPECT_EQ(cpumask_test(&ma, MAX_CPUS), false);
}
