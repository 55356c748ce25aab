// SPDX-License-Identifier: MIT
// x86_64 implementation of hal/cacheid.h: caches are described by CPUID
// leaves (hal/cpuid.h, topology/cpuid.c), not by registers of this kind.
#pragma once

static inline bool hal_cacheid_present(void)
{
	return false;
}

static inline bool hal_cacheid_read(struct hal_cacheid *c)
{
	(void)c;
	return false;
}
