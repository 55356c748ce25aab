// SPDX-License-Identifier: MIT
// Slab caches: fixed-size objects carved from buddy blocks.
//
// A slab is one buddy block of 2^order pages; a header (struct slab) sits
// at its start, objects follow. Each slab keeps a bitmap of allocated
// objects, so a double free is caught exactly. kmem_cache_free() finds the
// slab of an object through the buddy allocator (virt_to_phys hook, then
// buddy_find_block()), so slabs need no virtual alignment and objects carry
// no header. Slab memory comes from the cache's preferred node (0 unless
// set), with the buddy allocator's fallback.
//
// Locks key: c = cache->lock (the lists, counters and every bitmap of the
// cache's slabs). The buddy allocator is called without c held.
#pragma once

#include <lib/spinlock.h>
#include <lib/types.h>
#include <mm/buddy.h>

#define SLAB_MAX_ORDER 3  // slabs are 1..8 pages
#define SLAB_MAX_OBJS 512 // objects per slab (bitmap size)
#define SLAB_MIN_ALIGN 8

struct slab;

struct kmem_cache {
	spinlock_t lock;
	struct slab *partial; // c: slabs with free and used objects
	struct slab *full;    // c: slabs with no free object
	struct slab *empty;   // c: at most one slab with no used object
	uint64_t nr_slabs;    // c
	uint64_t nr_inuse;    // c: allocated objects
	// Read-only after kmem_cache_init():
	struct buddy *pages;
	const char *name;
	uint32_t obj_size; // size rounded up to align
	uint32_t align;
	uint32_t order; // slab = 2^order pages
	uint32_t objs_per_slab;
	uint32_t first_obj; // offset of object 0 from the slab start
	unsigned node;
};

// Sets up a cache in caller-provided storage. size > 0; align a power of
// two (0 = SLAB_MIN_ALIGN). E_INVAL if the object cannot fit a slab of
// 2^SLAB_MAX_ORDER pages or pages lacks the virt_to_phys hook.
__must_check err_t kmem_cache_init(struct kmem_cache *c, struct buddy *pages,
                                   const char *name, size_t size, size_t align);

// Releases every slab. Panics if objects are still allocated.
void kmem_cache_fini(struct kmem_cache *c);

// kmem_cache_init() / _fini() with the cache itself allocated from the
// kernel heap (mm/heap.h; kmem_init() must have run). NULL on failure.
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
                                     size_t align);
void kmem_cache_destroy(struct kmem_cache *c);

// NULL when the page allocator is out of memory. May be called with
// interrupts off.
void *kmem_cache_alloc(struct kmem_cache *c);

// Panics naming the pointer if obj is not an allocated object of c.
void kmem_cache_free(struct kmem_cache *c, void *obj);

// The cache an object belongs to (panics if obj is not a slab object);
// used by kfree().
struct kmem_cache *kmem_cache_of(struct buddy *pages, const void *obj);
