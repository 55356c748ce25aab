// SPDX-License-Identifier: MIT
// Slab caches on top of the buddy allocator (see mm/slab.h).
//
// Locks: cache->lock (c) guards the cache's three slab lists, its counters,
// and the header of every slab on them (links, inuse, bitmap). Slab pages
// are allocated and freed with c dropped, so the buddy locks never nest
// inside c.
//
// Invariants (under c): a slab is on exactly one list: full when inuse ==
// objs_per_slab, empty (the single cached one) when inuse == 0, partial
// otherwise; inuse equals the number of set bitmap bits.
#include <string.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <lib/printk.h>
#include <mm/slab.h>

#define SLAB_MAGIC 0x51ab51abu

struct slab {
	struct slab *next, *prev; // c
	struct kmem_cache *cache;
	uint32_t magic;
	uint32_t inuse; // c
	paddr_t pa;
	uint64_t used[SLAB_MAX_OBJS / 64]; // c: bit i = object i allocated
};

// --- set-up ------------------------------------------------------------------

// Smallest slab order whose waste is at most 1/8 of the slab; failing
// that, the order holding the most objects.
static bool kmem_cache_pick_order(struct kmem_cache *c)
{
	uint32_t best = 0;

	for (uint32_t order = 0; order <= SLAB_MAX_ORDER; order++) {
		uint64_t bytes = PAGE_SIZE << order;
		uint64_t n = (bytes - c->first_obj) / c->obj_size;

		if (n > SLAB_MAX_OBJS)
			n = SLAB_MAX_OBJS;
		if (n > best) {
			best = (uint32_t)n;
			c->order = order;
			c->objs_per_slab = best;
		}
		if (n && (bytes - n * c->obj_size) * 8 <= bytes)
			return true;
	}
	return best > 0;
}

err_t kmem_cache_init(struct kmem_cache *c, struct buddy *pages,
                      const char *name, size_t size, size_t align)
{
	if (!align)
		align = SLAB_MIN_ALIGN;
	if (!size || (align & (align - 1)) || align > PAGE_SIZE ||
	    size > (PAGE_SIZE << SLAB_MAX_ORDER) || !pages->cfg.virt_to_phys)
		return E_INVAL;
	memset(c, 0, sizeof(*c));
	spin_lock_init(&c->lock);
	c->pages = pages;
	c->name = name;
	c->align = (uint32_t)MAX(align, (size_t)SLAB_MIN_ALIGN);
	c->obj_size = (uint32_t)ALIGN_UP(size, (size_t)c->align);
	c->first_obj =
	    (uint32_t)ALIGN_UP(sizeof(struct slab), (size_t)c->align);
	if (!kmem_cache_pick_order(c)) {
		pr_err("slab: cache %s: %zu-byte objects do not fit a slab\n",
		       name, size);
		return E_INVAL;
	}
	return 0;
}

// --- slab lists (caller holds c->lock) ---------------------------------------

static void slab_list_add(struct slab **list, struct slab *s)
{
	s->prev = NULL;
	s->next = *list;
	if (s->next)
		s->next->prev = s;
	*list = s;
}

static void slab_list_del(struct slab **list, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*list = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

// --- slab pages --------------------------------------------------------------

static struct slab *slab_new(struct kmem_cache *c)
{
	struct slab *s;
	paddr_t pa;

	if (buddy_alloc(c->pages, c->order, c->node, &pa))
		return NULL;
	s = buddy_virt(c->pages, pa);
	memset(s, 0, sizeof(*s));
	s->cache = c;
	s->magic = SLAB_MAGIC;
	s->pa = pa;
	return s;
}

static void slab_release(struct kmem_cache *c, struct slab *s)
{
	s->magic = 0;
	buddy_free(c->pages, s->pa, c->order);
}

// First clear bit of s->used; caller knows one exists.
static uint32_t slab_take_index(struct slab *s)
{
	for (uint32_t w = 0;; w++) {
		uint64_t freebits = ~s->used[w];

		if (freebits) {
			uint32_t bit = (uint32_t)__builtin_ctzll(freebits);

			s->used[w] |= 1ULL << bit;
			return w * 64 + bit;
		}
	}
}

// --- alloc / free ------------------------------------------------------------

// A slab with a free object, moved to partial if it came from empty.
// Caller holds c->lock; may drop and retake it to allocate pages.
static struct slab *kmem_cache_slab_locked(struct kmem_cache *c, irqflags_t *f)
{
	struct slab *s;

	if (c->partial)
		return c->partial;
	s = c->empty;
	if (!s) {
		spin_unlock_irqrestore(&c->lock, *f);
		s = slab_new(c);
		*f = spin_lock_irqsave(&c->lock);
		if (!s)
			return c->partial; // someone may have freed meanwhile
		c->nr_slabs++;
	} else {
		c->empty = NULL;
	}
	slab_list_add(&c->partial, s);
	return s;
}

void *kmem_cache_alloc(struct kmem_cache *c)
{
	irqflags_t f = spin_lock_irqsave(&c->lock);
	struct slab *s = kmem_cache_slab_locked(c, &f);
	uint32_t idx;

	if (!s) {
		spin_unlock_irqrestore(&c->lock, f);
		return NULL;
	}
	idx = slab_take_index(s);
	if (++s->inuse == c->objs_per_slab) {
		slab_list_del(&c->partial, s);
		slab_list_add(&c->full, s);
	}
	c->nr_inuse++;
	spin_unlock_irqrestore(&c->lock, f);
	return (char *)s + c->first_obj + (size_t)idx * c->obj_size;
}

static struct slab *slab_of(struct buddy *pages, const void *obj)
{
	paddr_t pa = pages->cfg.virt_to_phys(obj);
	struct buddy_block blk;
	struct slab *s;

	if (!buddy_find_block(pages, pa, &blk) || blk.kind != BUDDY_BLOCK_ALLOC)
		panic("slab: free of %p (0x%lx): not in an allocated block",
		      obj, pa);
	s = buddy_virt(pages, blk.head);
	if (s->magic != SLAB_MAGIC || s->pa != blk.head || (void *)s == obj)
		panic("slab: free of %p (0x%lx): not a slab object", obj, pa);
	return s;
}

struct kmem_cache *kmem_cache_of(struct buddy *pages, const void *obj)
{
	return slab_of(pages, obj)->cache;
}

// Index of obj in s, or panic if obj is not an object boundary.
static uint32_t slab_index(struct kmem_cache *c, struct slab *s,
                           const void *obj)
{
	size_t off = (size_t)((const char *)obj - (const char *)s);

	if (off < c->first_obj || (off - c->first_obj) % c->obj_size ||
	    (off - c->first_obj) / c->obj_size >= c->objs_per_slab)
		panic(
		    "slab: free of %p: not the start of an object of cache %s",
		    obj, c->name);
	return (uint32_t)((off - c->first_obj) / c->obj_size);
}

// Updates lists after s lost an object; returns a slab to release, if any.
// Caller holds c->lock.
static struct slab *slab_after_free(struct kmem_cache *c, struct slab *s)
{
	struct slab *victim = NULL;

	if (s->inuse + 1 == c->objs_per_slab) {
		slab_list_del(&c->full, s);
		slab_list_add(&c->partial, s);
	}
	if (s->inuse)
		return NULL;
	slab_list_del(&c->partial, s);
	if (c->empty) {
		victim = c->empty;
		c->nr_slabs--;
	}
	c->empty = s;
	return victim;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct slab *s = slab_of(c->pages, obj);
	struct slab *victim;
	uint32_t idx;
	irqflags_t f;

	if (s->cache != c)
		panic(
		    "slab: free of %p to cache %s: object belongs to cache %s",
		    obj, c->name, s->cache->name);
	idx = slab_index(c, s, obj);
	f = spin_lock_irqsave(&c->lock);
	if (!(s->used[idx / 64] & (1ULL << (idx % 64)))) {
		spin_unlock_irqrestore(&c->lock, f);
		panic("slab: double free of %p in cache %s", obj, c->name);
	}
	s->used[idx / 64] &= ~(1ULL << (idx % 64));
	s->inuse--;
	c->nr_inuse--;
	victim = slab_after_free(c, s);
	spin_unlock_irqrestore(&c->lock, f);
	if (victim)
		slab_release(c, victim);
}

static void slab_release_list(struct kmem_cache *c, struct slab *s)
{
	while (s) {
		struct slab *next = s->next;

		slab_release(c, s);
		s = next;
	}
}

void kmem_cache_fini(struct kmem_cache *c)
{
	if (c->nr_inuse)
		panic("slab: cache %s destroyed with %lu objects in use",
		      c->name, c->nr_inuse);
	if (c->empty)
		slab_release(c, c->empty);
	slab_release_list(c, c->partial);
	slab_release_list(c, c->full);
	c->empty = c->partial = c->full = NULL;
	c->nr_slabs = 0;
}
