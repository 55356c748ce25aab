// SPDX-License-Identifier: MIT
// Kernel stacks: KSTACK_SIZE bytes, mapped in the kernel's stack area with
// an unmapped guard page below each, so an overflow faults with a report
// instead of corrupting memory.
#pragma once

#include <lib/types.h>

#define KSTACK_SIZE (16 * 1024)

// Returns the top (highest address, 16-byte aligned) of a new stack, or NULL
// when memory or stack slots are exhausted. Needs vm_kernel_init().
void *kstack_alloc(void);
// The same with its pages from NUMA node `node` first (thread home nodes).
void *kstack_alloc_node(unsigned node);
void kstack_free(void *top);

// The guard page under the stack whose top is top (tests touch it).
static inline void *kstack_guard(void *top)
{
	return (char *)top - KSTACK_SIZE - 4096;
}
