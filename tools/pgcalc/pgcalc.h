// SPDX-License-Identifier: MIT
// Paging calculator logic: splits a virtual address into the table index
// of every level and the page offset, for x86_64 4- and 5-level paging and
// AArch64 with 4 KiB, 16 KiB and 64 KiB granules (48- and 52-bit VAs),
// using Cairn's own definitions in hal/<arch>/arch/pt_defs.h. Pure
// functions, header-only so tests/host/pgcalc_*.c can include it.
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <hal/aarch64/arch/pt_defs.h>
#include <hal/x86_64/arch/pt_defs.h>

enum pgcalc_scheme {
	PGCALC_X86_4LEVEL,
	PGCALC_X86_5LEVEL,
	PGCALC_A64_4K_48,
	PGCALC_A64_4K_52,
	PGCALC_A64_16K_48,
	PGCALC_A64_16K_52,
	PGCALC_A64_64K_48,
	PGCALC_A64_64K_52,
	PGCALC_NR_SCHEMES,
};

struct pgcalc_level {
	char name[8]; // "PML4", "L0", ...
	unsigned index;
	unsigned shift; // lowest VA bit of the index
	unsigned bits;  // index width
};

struct pgcalc_result {
	const char *scheme; // human-readable scheme name
	unsigned va_bits;
	unsigned nlevels;
	struct pgcalc_level level[5]; // top level first
	uint64_t offset;
	unsigned offset_bits;
	bool valid;        // canonical (x86) / in a TTBR range (AArch64)
	const char *range; // which half, or why not valid
};

static const struct {
	const char *name;
	bool x86;
	unsigned g; // granule shift (AArch64) / page shift (x86)
	unsigned va_bits;
} pgcalc_schemes[PGCALC_NR_SCHEMES] = {
    [PGCALC_X86_4LEVEL] = {"x86_64 4-level", true, X86_PAGE_SHIFT,
                           X86_VA_BITS_4LEVEL},
    [PGCALC_X86_5LEVEL] = {"x86_64 5-level", true, X86_PAGE_SHIFT,
                           X86_VA_BITS_5LEVEL},
    [PGCALC_A64_4K_48] = {"aarch64 4K/48", false, A64_GRANULE_4K, 48},
    [PGCALC_A64_4K_52] = {"aarch64 4K/52 (LPA2)", false, A64_GRANULE_4K, 52},
    [PGCALC_A64_16K_48] = {"aarch64 16K/48", false, A64_GRANULE_16K, 48},
    [PGCALC_A64_16K_52] = {"aarch64 16K/52 (LPA2)", false, A64_GRANULE_16K, 52},
    [PGCALC_A64_64K_48] = {"aarch64 64K/48", false, A64_GRANULE_64K, 48},
    [PGCALC_A64_64K_52] = {"aarch64 64K/52 (LVA)", false, A64_GRANULE_64K, 52},
};

static inline void pgcalc_name(char *dst, const char *src)
{
	unsigned i = 0;

	for (; src[i] && i < 7; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static inline void pgcalc_x86(uint64_t va, unsigned bits,
                              struct pgcalc_result *r)
{
	static const char *const names[] = {"",     "PT",   "PD",
	                                    "PDPT", "PML4", "PML5"};
	unsigned top = bits == X86_VA_BITS_5LEVEL ? 5 : 4;

	r->nlevels = top;
	for (unsigned l = top, i = 0; l >= 1; l--, i++) {
		pgcalc_name(r->level[i].name, names[l]);
		r->level[i].index = X86_PT_INDEX(va, l);
		r->level[i].shift = X86_PT_SHIFT(l);
		r->level[i].bits = X86_PT_INDEX_BITS;
	}
	r->offset_bits = X86_PAGE_SHIFT;
	r->valid = X86_VA_IS_CANONICAL(va, bits);
	r->range = !r->valid  ? "not canonical"
	           : va >> 63 ? "canonical, upper (kernel) half"
	                      : "canonical, lower (user) half";
}

static inline void pgcalc_a64(uint64_t va, unsigned g, unsigned bits,
                              struct pgcalc_result *r)
{
	static const char *const names[] = {"L-1", "L0", "L1", "L2", "L3"};
	int start = A64_PT_START_LEVEL((int)g, (int)bits);
	uint64_t upper = va >> bits; // bits 63..va_bits

	r->nlevels = (unsigned)(4 - start);
	for (int l = start, i = 0; l <= 3; l++, i++) {
		pgcalc_name(r->level[i].name, names[l + 1]);
		r->level[i].index = A64_PT_INDEX(va, (int)g, (int)bits, l);
		r->level[i].shift = (unsigned)A64_PT_SHIFT((int)g, l);
		r->level[i].bits =
		    (unsigned)A64_PT_LEVEL_BITS((int)g, (int)bits, l);
	}
	r->offset_bits = g;
	r->valid = upper == 0 || upper == (~0ULL >> bits);
	r->range = upper == 0 ? "TTBR0 (lower, user) range"
	           : r->valid ? "TTBR1 (upper, kernel) range"
	                      : "translation fault: bits 63..VA not all 0 or 1";
}

// Fills *r for va under scheme s. False for an unknown scheme. An address
// outside the translatable ranges is still decomposed; r->valid says so.
static inline bool pgcalc_decompose(enum pgcalc_scheme s, uint64_t va,
                                    struct pgcalc_result *r)
{
	if ((unsigned)s >= PGCALC_NR_SCHEMES)
		return false;
	r->scheme = pgcalc_schemes[s].name;
	r->va_bits = pgcalc_schemes[s].va_bits;
	if (pgcalc_schemes[s].x86)
		pgcalc_x86(va, r->va_bits, r);
	else
		pgcalc_a64(va, pgcalc_schemes[s].g, r->va_bits, r);
	r->offset = va & ((1ULL << r->offset_bits) - 1);
	return true;
}

// Inverse, for tests: the VA bits below va_bits rebuilt from the result.
static inline uint64_t pgcalc_compose(const struct pgcalc_result *r)
{
	uint64_t va = r->offset;

	for (unsigned i = 0; i < r->nlevels; i++)
		va |= (uint64_t)r->level[i].index << r->level[i].shift;
	return va;
}
