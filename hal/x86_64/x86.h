// SPDX-License-Identifier: MIT
// x86_64 HAL internals shared between the files of hal/x86_64/.
#pragma once

#include <kernel/types.h>

void x86_traps_init(void);
void x86_serial_init(void);
void x86_mmu_early_init(void);

// Where the next backtrace starts: set by the trap handler so a panic from
// an exception walks the interrupted code's stack, not the handler's.
extern uint64_t x86_backtrace_from, x86_backtrace_first_pc;

static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

#define X86_READ_CR(n)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v_));             \
		v_;                                                            \
	})
