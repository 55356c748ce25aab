// SPDX-License-Identifier: MIT
// Kernel heap: kmalloc/kfree. Sizes up to KMALLOC_MAX_SLAB are served by
// slab caches of fixed size classes (8, 16, 32, 64, 96, 128, 192, 256, 512,
// 1024, 2048 bytes); larger sizes take whole buddy blocks (page aligned,
// rounded up to a power-of-two number of pages). Objects are aligned to
// min(size class, 16) bytes.
//
// All allocations prefer node 0 (the buddy allocator falls back by
// distance). Locks: those of the slab caches and the buddy allocator; the
// heap itself has no state after kmem_init().
#pragma once

#include <lib/types.h>
#include <mm/buddy.h>

#define KMALLOC_MAX_SLAB 2048

// Sets up the heap on top of pages (which needs its virt_to_phys hook).
// Calling it again starts a new, empty heap (host tests do; the kernel calls
// it once).
__must_check err_t kmem_init(struct buddy *pages);

// NULL for size 0, or when memory is exhausted.
void *kmalloc(size_t size);
void *kzalloc(size_t size);

// p from kmalloc/kzalloc (or any slab cache); NULL is ignored. Panics
// naming the pointer on a pointer the heap did not hand out or a double
// free.
void kfree(void *p);

// Usable size of a live allocation (its size class, or the block size).
size_t ksize(const void *p);
