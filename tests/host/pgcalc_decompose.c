// SPDX-License-Identifier: MIT
// pgcalc: known decompositions for every scheme, validity of the upper and
// lower halves, and compose(decompose(va)) == va for random addresses.
#include <tests/ktest.h>
#include <tools/pgcalc/pgcalc.h>

static void expect_levels(struct ktest *t, enum pgcalc_scheme s, uint64_t va,
                          const unsigned *idx, unsigned n, uint64_t offset)
{
	struct pgcalc_result r;

	KT_ASSERT(pgcalc_decompose(s, va, &r));
	KT_EXPECT_EQ(r.nlevels, n);
	for (unsigned i = 0; i < n && i < r.nlevels; i++)
		if (!KT_EXPECT_EQ(r.level[i].index, idx[i]))
			ktest_log(t, "%s level %s", r.scheme, r.level[i].name);
	KT_EXPECT_EQ_U(r.offset, offset);
}

#define EXPECT_LEVELS(s, va, off, ...)                                         \
	expect_levels(t, s, va, (const unsigned[]){__VA_ARGS__},               \
	              sizeof((unsigned[]){__VA_ARGS__}) / sizeof(unsigned),    \
	              off)

KTEST(pgcalc, x86_known)
{
	struct pgcalc_result r;

	EXPECT_LEVELS(PGCALC_X86_4LEVEL, 0xffff800000201abcULL, 0xabc, 256, 0,
	              1, 1);
	EXPECT_LEVELS(PGCALC_X86_4LEVEL, 0x00007fffffffffffULL, 0xfff, 255, 511,
	              511, 511);
	EXPECT_LEVELS(PGCALC_X86_5LEVEL, 0xff00000000000000ULL, 0, 256, 0, 0, 0,
	              0);
	EXPECT_LEVELS(PGCALC_X86_5LEVEL, 0x0001020304050607ULL, 0x607, 1, 4, 12,
	              32, 80);
	pgcalc_decompose(PGCALC_X86_4LEVEL, 0x0000800000000000ULL, &r);
	KT_EXPECT(!r.valid);
	pgcalc_decompose(PGCALC_X86_5LEVEL, 0x0000800000000000ULL, &r);
	KT_EXPECT(r.valid);
	KT_EXPECT_STR(r.level[0].name, "PML5");
	KT_EXPECT_STR(r.level[4].name, "PT");
}

KTEST(pgcalc, aarch64_known)
{
	struct pgcalc_result r;

	EXPECT_LEVELS(PGCALC_A64_4K_48, 0x0000008040201abcULL, 0xabc, 1, 1, 1,
	              1);
	// 16K/48: L0 is bit 47; L1 46..36, L2 35..25, L3 24..14.
	EXPECT_LEVELS(PGCALC_A64_16K_48,
	              0x0000800000000000ULL | (5ULL << 36) | (6ULL << 25) |
	                  (7ULL << 14) | 0x3fff,
	              0x3fff, 1, 5, 6, 7);
	// 64K/48: L1 47..42 (6 bits), L2 41..29, L3 28..16.
	EXPECT_LEVELS(PGCALC_A64_64K_48,
	              (63ULL << 42) | (8191ULL << 29) | (2ULL << 16) | 0x1234,
	              0x1234, 63, 8191, 2);
	// 52-bit: 4K adds level -1 (bits 51..48); 64K's L1 grows to 10 bits.
	EXPECT_LEVELS(PGCALC_A64_4K_52, (0xfULL << 48) | (3ULL << 39), 0, 15, 3,
	              0, 0, 0);
	EXPECT_LEVELS(PGCALC_A64_64K_52, 1023ULL << 42, 0, 1023, 0, 0);
	EXPECT_LEVELS(PGCALC_A64_16K_52, 31ULL << 47, 0, 31, 0, 0, 0);
	pgcalc_decompose(PGCALC_A64_4K_48, 0xffff000000000000ULL, &r);
	KT_EXPECT(r.valid);
	KT_EXPECT_STR(r.level[0].name, "L0");
	pgcalc_decompose(PGCALC_A64_4K_52, 0xffff000000000000ULL, &r);
	KT_EXPECT(r.valid);
	KT_EXPECT_STR(r.level[0].name, "L-1");
	pgcalc_decompose(PGCALC_A64_4K_48, 0x00ff000000000000ULL, &r);
	KT_EXPECT(!r.valid);
	KT_EXPECT(!pgcalc_decompose(PGCALC_NR_SCHEMES, 0, &r));
}

KTEST(pgcalc, compose_roundtrip)
{
	uint64_t x = 0x2545f4914f6cdd1dULL;

	for (unsigned i = 0; i < 20000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		for (int s = 0; s < PGCALC_NR_SCHEMES; s++) {
			struct pgcalc_result r;
			uint64_t mask;

			pgcalc_decompose((enum pgcalc_scheme)s, x, &r);
			mask = (1ULL << r.va_bits) - 1;
			if (!KT_EXPECT_EQ_U(pgcalc_compose(&r), x & mask))
				return;
		}
	}
}
