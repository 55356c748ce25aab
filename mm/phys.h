// SPDX-License-Identifier: MIT
// Reaching physical memory through the loader's direct map. Valid from the
// first line of kernel_main(); the base never changes afterwards.
#pragma once

#include <lib/types.h>

extern uint64_t phys_direct_map_base;
extern uint64_t phys_direct_map_size; // bytes of physical space mapped

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)(phys_direct_map_base + pa);
}

static inline paddr_t virt_to_phys_direct(const void *va)
{
	return (paddr_t)(uintptr_t)va - phys_direct_map_base;
}
