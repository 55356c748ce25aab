// SPDX-License-Identifier: MIT
// AArch64 implementation of hal/cpuid.h: there is no CPUID instruction (the
// topology comes from ACPI PPTT or the device tree).
#pragma once

static inline bool hal_cpuid_present(void)
{
	return false;
}

static inline bool hal_cpuid(uint32_t leaf, uint32_t sub,
                             struct hal_cpuid_regs *r)
{
	(void)leaf;
	(void)sub;
	(void)r;
	return false;
}
