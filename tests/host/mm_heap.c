// SPDX-License-Identifier: MIT
// kmalloc/kfree and slab caches on the host: size classes, large blocks,
// a randomized run checking that live allocations never overlap (each is
// filled with a pattern verified on free), heap-allocated caches, and the
// misuse panics (double free, interior pointer, wrong cache, foreign page).
#include <lib/err.h>
#include <mm/heap.h>
#include <mm/slab.h>
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>

#define HP_BASE 0x400000000UL
#define HP_PAGES 8192 // 32 MiB

static struct buddy hb;

static bool hp_setup(struct ktest *t)
{
	struct buddy_config cfg = mm_arena_config(32, 8);

	mm_arena_open(HP_BASE, HP_PAGES * PAGE_SIZE);
	return KT_EXPECT_EQ(buddy_init(&hb, &cfg), 0) &&
	       KT_EXPECT_EQ(
		   buddy_add_range(&hb, 0, HP_BASE, HP_PAGES * PAGE_SIZE), 0) &&
	       KT_EXPECT_EQ(kmem_init(&hb), 0);
}

static uint64_t hp_free_pages(void)
{
	struct buddy_stats st;

	buddy_get_stats(&hb, 0, &st);
	return st.free_pages + st.pcp_pages;
}

KTEST(mm_heap, size_classes_and_large)
{
	static const size_t sizes[] = {1,    8,     9,       16,     17,   100,
	                               192,  193,   1000,    2048,   2049, 4096,
	                               4097, 20000, 1 << 20, 4 << 20};
	void *p[ARRAY_SIZE(sizes)];

	if (!hp_setup(t))
		return;
	KT_EXPECT(kmalloc(0) == NULL);
	KT_EXPECT(kmalloc((4 << 20) + 1) == NULL);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT(p[i] != NULL);
		memset(p[i], (int)i, sizes[i]);
		KT_EXPECT(ksize(p[i]) >= sizes[i]);
		KT_EXPECT(((uintptr_t)p[i] & (MIN(ksize(p[i]), 16) - 1)) == 0);
		if (sizes[i] > KMALLOC_MAX_SLAB)
			KT_EXPECT(((uintptr_t)p[i] & (PAGE_SIZE - 1)) == 0);
	}
	KT_EXPECT_EQ(ksize(p[2]), 16);
	KT_EXPECT_EQ(ksize(p[6]), 192);
	KT_EXPECT_EQ(ksize(p[7]), 256);
	KT_EXPECT_EQ(ksize(p[11]), 4096);
	KT_EXPECT_EQ(ksize(p[12]), 8192);
	KT_EXPECT_EQ(ksize(p[13]), 32768);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		KT_EXPECT_EQ(((uint8_t *)p[i])[sizes[i] - 1], (uint8_t)i);
		kfree(p[i]);
	}
	kfree(NULL);
	uint8_t *z = kzalloc(300);
	KT_ASSERT(z != NULL);
	for (unsigned i = 0; i < 300; i++)
		KT_ASSERT(z[i] == 0);
	kfree(z);
	KT_EXPECT_EQ(buddy_check(&hb), 0);
	mm_arena_close();
}

#define HP_LIVE 4096

// Byte j of the allocation numbered tag: a hash of both, so that no two
// live allocations share a pattern at any distance (an address-derived
// byte repeats every 2048 bytes and would miss such overlaps).
static uint8_t pattern(uint32_t tag, size_t j)
{
	return (uint8_t)((((uint64_t)tag << 32 | j) * 0x9e3779b97f4a7c15ull) >>
	                 56);
}

static void fill(uint8_t *p, size_t n, uint32_t tag)
{
	for (size_t j = 0; j < n; j++)
		p[j] = pattern(tag, j);
}

// Every byte still holds its allocation's pattern.
static bool filled(const uint8_t *p, size_t n, uint32_t tag)
{
	for (size_t j = 0; j < n; j++)
		if (p[j] != pattern(tag, j))
			return false;
	return true;
}

KTEST(mm_heap, random_no_overlap)
{
	static uint8_t *live[HP_LIVE];
	static size_t len[HP_LIVE];
	static uint32_t tag[HP_LIVE];
	uint64_t rng = 88172645463325252ULL, before;
	unsigned n = 0, bad = 0, allocs = 0, failed = 0;

	if (!hp_setup(t))
		return;
	before = hp_free_pages();
	for (unsigned op = 0; op < 400000; op++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		if (n < HP_LIVE && (n == 0 || rng % 100 < 55)) {
			size_t sz = rng % 16 == 0 ? 1 + (rng >> 8) % 20000
			                          : 1 + (rng >> 8) % 600;
			uint8_t *p = kmalloc(sz);

			if (!p) {
				failed++;
				continue;
			}
			allocs++;
			fill(p, sz, allocs);
			live[n] = p;
			tag[n] = allocs;
			len[n++] = sz;
		} else {
			unsigned i = (unsigned)((rng >> 24) % n);

			bad += !filled(live[i], len[i], tag[i]);
			kfree(live[i]);
			live[i] = live[--n];
			len[i] = len[n];
			tag[i] = tag[n];
		}
	}
	KT_EXPECT_EQ(bad, 0);
	ktest_log(t, "%u allocations, %u failed, %u live at the end", allocs,
	          failed, n);
	KT_EXPECT(allocs > 100000);
	while (n--)
		kfree(live[n]);
	KT_EXPECT_EQ(buddy_check(&hb), 0);
	// Each size class may keep one empty slab (at most 8 pages).
	KT_EXPECT(hp_free_pages() + 11 * 8 >= before);
	mm_arena_close();
}

KTEST(mm_heap, cache_create_destroy)
{
	struct kmem_cache *c;
	void *a, *b;

	if (!hp_setup(t))
		return;
	c = kmem_cache_create("things", 72, 32);
	KT_ASSERT(c != NULL);
	a = kmem_cache_alloc(c);
	b = kmem_cache_alloc(c);
	KT_EXPECT(a && b && a != b);
	KT_EXPECT(((uintptr_t)a & 31) == 0 && ((uintptr_t)b & 31) == 0);
	KT_EXPECT(kmem_cache_of(&hb, a) == c);
	kfree(a); // kfree works on any slab object
	kmem_cache_free(c, b);
	kmem_cache_destroy(c);
	KT_EXPECT(kmem_cache_create("bad", 0, 0) == NULL);
	KT_EXPECT_EQ(buddy_check(&hb), 0);
	mm_arena_close();
}

KTEST(mm_heap, misuse_panics)
{
	struct kmem_cache *c1, *c2;
	uint8_t *p, *big, *o;
	paddr_t pa;

	if (!hp_setup(t))
		return;
	p = kmalloc(100);
	big = kmalloc(3 * PAGE_SIZE);
	KT_ASSERT(p && big);
	kfree(p);
	EXPECT_PANIC(kfree(p), "double free", 0);
	p = kmalloc(100);
	EXPECT_PANIC(kfree(p + 8), "not the start of an object", 0);
	EXPECT_PANIC(kfree(big + PAGE_SIZE), "not a slab object", 0);
	kfree(big);
	EXPECT_PANIC(kfree(big), "not a heap allocation", 0);
	KT_ASSERT_EQ(buddy_alloc(&hb, 0, 0, &pa), 0);
	buddy_free(&hb, pa, 0);
	EXPECT_PANIC(kfree(mm_arena_p2v(pa) + 64), "not a heap allocation", 0);
	c1 = kmem_cache_create("c1", 64, 0);
	c2 = kmem_cache_create("c2", 64, 0);
	o = kmem_cache_alloc(c1);
	EXPECT_PANIC(kmem_cache_free(c2, o), "belongs to cache c1", 0);
	EXPECT_PANIC(kmem_cache_destroy(c1), "1 objects in use", 0);
	kmem_cache_free(c1, o);
	kmem_cache_destroy(c1);
	kmem_cache_destroy(c2);
	kfree(p);
	KT_EXPECT_EQ(buddy_check(&hb), 0);
	mm_arena_close();
}
