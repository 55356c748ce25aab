// SPDX-License-Identifier: MIT
// HAL: the CPU identification instruction (x86 CPUID) for neutral code
// (topology/cpuid.c). Architectures without one say so: hal_cpuid_present()
// is false and hal_cpuid() returns false.
//
// hal_cpuid() runs on the calling CPU and answers for that CPU; callable
// with interrupts off and from any context. Leaves above the maximum basic
// (0) or extended (0x80000000) leaf return false without touching regs.
#pragma once

#include <lib/types.h>

struct hal_cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

// True if this CPU has CPUID at all.
static inline bool hal_cpuid_present(void);
// Leaf `leaf`, sub-leaf `sub` into *r; false if the leaf does not exist.
static inline bool hal_cpuid(uint32_t leaf, uint32_t sub,
                             struct hal_cpuid_regs *r);

#include <arch/cpuid.h>
