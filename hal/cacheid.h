// SPDX-License-Identifier: MIT
// HAL: the CPU's own description of its caches, for neutral code
// (topology/cacheid.c). On AArch64 that is CLIDR_EL1 (which levels exist
// and of which kind) and, per level and kind, CCSIDR_EL1 as selected by
// CSSELR_EL1 (line size, ways, sets). x86 describes its caches through
// CPUID instead (hal/cpuid.h): there hal_cacheid_present() is false.
//
// hal_cacheid_read() answers for the calling CPU. It writes CSSELR_EL1, so
// the caller keeps interrupts off (no handler may select another cache
// between the write and the read) and stays on one CPU.
#pragma once

#include <lib/types.h>

#define HAL_CACHEID_LEVELS 7

struct hal_cacheid {
	uint64_t clidr; // CLIDR_EL1: Ctype<n> in bits [3n-1:3n-3]
	// CCSIDR_EL1 per level (index = level - 1) and kind (0: data or
	// unified, 1: instruction); 0 where CLIDR names no such cache.
	uint64_t ccsidr[HAL_CACHEID_LEVELS][2];
	// FEAT_CCIDX (ID_AA64MMFR2_EL1.CCIDX != 0): CCSIDR_EL1 has the 64-bit
	// layout (ways [23:3], sets [55:32]) instead of the 32-bit one
	// (ways [12:3], sets [27:13]).
	bool ccidx;
};

// True if this architecture has cache identification registers.
static inline bool hal_cacheid_present(void);
// Fills *c for the calling CPU; false if there are no such registers.
static inline bool hal_cacheid_read(struct hal_cacheid *c);

#include <arch/cacheid.h>
