// SPDX-License-Identifier: MIT
// kmalloc/kfree: size classes served by slab caches, large sizes by whole
// buddy blocks (see mm/heap.h).
//
// kfree() tells the two apart through the buddy allocator: it finds the
// block holding p; a large allocation starts at the block's first byte,
// while a slab object never does (the slab header is there).
//
// Locks: none of its own. heap_pages and the caches are written only by
// kmem_init(), before anyone allocates; the caches lock themselves.
#include <string.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <mm/heap.h>
#include <mm/slab.h>

static const uint32_t kmalloc_sizes[] = {8,   16,  32,  64,   96,  128,
                                         192, 256, 512, 1024, 2048};
static const char *const kmalloc_names[] = {
    "kmalloc-8",   "kmalloc-16",  "kmalloc-32",  "kmalloc-64",
    "kmalloc-96",  "kmalloc-128", "kmalloc-192", "kmalloc-256",
    "kmalloc-512", "kmalloc-1k",  "kmalloc-2k"};

static struct kmem_cache kmalloc_caches[ARRAY_SIZE(kmalloc_sizes)];
static struct kmem_cache cache_cache; // holds kmem_cache_create()'s caches
static struct buddy *heap_pages;

_Static_assert(ARRAY_SIZE(kmalloc_sizes) == ARRAY_SIZE(kmalloc_names),
               "one name per size class");

err_t kmem_init(struct buddy *pages)
{
	err_t err;

	heap_pages = pages;
	err = kmem_cache_init(&cache_cache, pages, "kmem_cache",
	                      sizeof(struct kmem_cache), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(kmalloc_sizes) && !err; i++)
		err = kmem_cache_init(&kmalloc_caches[i], pages,
		                      kmalloc_names[i], kmalloc_sizes[i],
		                      MIN(kmalloc_sizes[i], 16u));
	if (err)
		heap_pages = NULL;
	return err;
}

static struct kmem_cache *kmalloc_cache_for(size_t size)
{
	unsigned i = 0;

	while (kmalloc_sizes[i] < size)
		i++;
	return &kmalloc_caches[i];
}

// Order of the smallest block holding size bytes.
static unsigned kmalloc_large_order(size_t size)
{
	uint64_t pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned order = 0;

	while ((1ULL << order) < pages)
		order++;
	return order;
}

void *kmalloc(size_t size)
{
	unsigned order;
	paddr_t pa;

	ASSERT(heap_pages);
	if (!size)
		return NULL;
	if (size <= KMALLOC_MAX_SLAB)
		return kmem_cache_alloc(kmalloc_cache_for(size));
	order = kmalloc_large_order(size);
	if (order > BUDDY_MAX_ORDER || buddy_alloc(heap_pages, order, 0, &pa))
		return NULL;
	return buddy_virt(heap_pages, pa);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

// The allocated buddy block holding p; panics if there is none.
static void kmalloc_block(const void *p, struct buddy_block *blk)
{
	paddr_t pa = heap_pages->cfg.virt_to_phys(p);

	if (!buddy_find_block(heap_pages, pa, blk) ||
	    blk->kind != BUDDY_BLOCK_ALLOC)
		panic("kfree: %p (0x%lx) is not a heap allocation (double "
		      "free?)",
		      p, pa);
}

void kfree(void *p)
{
	struct buddy_block blk;

	if (!p)
		return;
	kmalloc_block(p, &blk);
	if (buddy_virt(heap_pages, blk.head) == p) {
		buddy_free(heap_pages, blk.head, blk.order);
		return;
	}
	kmem_cache_free(kmem_cache_of(heap_pages, p), p);
}

size_t ksize(const void *p)
{
	struct buddy_block blk;

	kmalloc_block(p, &blk);
	if (buddy_virt(heap_pages, blk.head) == p)
		return PAGE_SIZE << blk.order;
	return kmem_cache_of(heap_pages, p)->obj_size;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size,
                                     size_t align)
{
	struct kmem_cache *c;

	ASSERT(heap_pages);
	c = kmem_cache_alloc(&cache_cache);
	if (c && kmem_cache_init(c, heap_pages, name, size, align)) {
		kmem_cache_free(&cache_cache, c);
		c = NULL;
	}
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	kmem_cache_fini(c);
	kmem_cache_free(&cache_cache, c);
}
