// SPDX-License-Identifier: MIT
// Memory-management constants shared by mm/ and its users: the base page
// size of the physical allocator.
#pragma once

#include <lib/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

static inline uint64_t pa_to_pfn(paddr_t pa)
{
	return pa >> PAGE_SHIFT;
}
static inline paddr_t pfn_to_pa(uint64_t pfn)
{
	return pfn << PAGE_SHIFT;
}
