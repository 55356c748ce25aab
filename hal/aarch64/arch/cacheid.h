// SPDX-License-Identifier: MIT
// AArch64 implementation of hal/cacheid.h: CLIDR_EL1, and CCSIDR_EL1 for
// each cache CLIDR names, selected through CSSELR_EL1 (Level [3:1], InD
// [0]); the ISB makes the selection visible to the CCSIDR_EL1 read.
#pragma once

static inline uint64_t a64_ccsidr(unsigned level, unsigned ind)
{
	uint64_t v, sel = (uint64_t)(level - 1) << 1 | ind;

	__asm__ volatile("msr csselr_el1, %1; isb; mrs %0, ccsidr_el1"
	                 : "=r"(v)
	                 : "r"(sel)
	                 : "memory");
	return v;
}

static inline bool hal_cacheid_present(void)
{
	return true;
}

static inline bool hal_cacheid_read(struct hal_cacheid *c)
{
	uint64_t mmfr2;

	__asm__ volatile("mrs %0, clidr_el1" : "=r"(c->clidr));
	__asm__ volatile("mrs %0, id_aa64mmfr2_el1" : "=r"(mmfr2));
	c->ccidx = ((mmfr2 >> 20) & 0xf) != 0;
	for (unsigned l = 1; l <= HAL_CACHEID_LEVELS; l++) {
		unsigned ctype = (unsigned)(c->clidr >> (3 * (l - 1))) & 7;

		// 1: instruction only, 2: data only, 3: separate, 4: unified.
		c->ccsidr[l - 1][0] = ctype >= 2 ? a64_ccsidr(l, 0) : 0;
		c->ccsidr[l - 1][1] =
		    ctype == 1 || ctype == 3 ? a64_ccsidr(l, 1) : 0;
	}
	return true;
}
