// SPDX-License-Identifier: MIT
// x86_64 implementation of hal/cpuid.h: the CPUID instruction.
#pragma once

static inline void x86_cpuid_raw(uint32_t leaf, uint32_t sub,
                                 struct hal_cpuid_regs *r)
{
	__asm__ volatile("cpuid"
	                 : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx),
	                   "=d"(r->edx)
	                 : "a"(leaf), "c"(sub));
}

static inline bool hal_cpuid_present(void)
{
	return true; // every x86_64 CPU has CPUID
}

static inline bool hal_cpuid(uint32_t leaf, uint32_t sub,
                             struct hal_cpuid_regs *r)
{
	struct hal_cpuid_regs max;

	x86_cpuid_raw(leaf & 0x80000000u, 0, &max);
	if (leaf > max.eax)
		return false;
	x86_cpuid_raw(leaf, sub, r);
	return true;
}
