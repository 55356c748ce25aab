// SPDX-License-Identifier: MIT
// Slab cache unit tests over a private buddy allocator (static arena at a
// fake physical base), so they never touch the kernel's own heap.
// Neutral (no libc): runs on the host and inside the kernel.
#include <lib/err.h>
#include <lib/panic.h>
#include <mm/slab.h>
#include <tests/ktest.h>

#define SL_PAGES 40
#define SL_BASE 0x80000000UL

static uint8_t sl_arena[SL_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static struct buddy sl_buddy;

static void *sl_phys_to_virt(paddr_t pa)
{
	ASSERT(pa >= SL_BASE && pa < SL_BASE + sizeof(sl_arena));
	return sl_arena + (pa - SL_BASE);
}

static paddr_t sl_virt_to_phys(const void *va)
{
	return SL_BASE + (paddr_t)((const uint8_t *)va - sl_arena);
}

static bool sl_setup(struct ktest *t)
{
	struct buddy_config cfg = {.phys_to_virt = sl_phys_to_virt,
	                           .virt_to_phys = sl_virt_to_phys,
	                           .pcp_high = 4,
	                           .pcp_batch = 2};

	return KT_EXPECT_EQ(buddy_init(&sl_buddy, &cfg), 0) &&
	       KT_EXPECT_EQ(
		   buddy_add_range(&sl_buddy, 0, SL_BASE, sizeof(sl_arena)), 0);
}

static uint64_t sl_free_pages(void)
{
	struct buddy_stats st;

	buddy_get_stats(&sl_buddy, 0, &st);
	return st.free_pages + st.pcp_pages;
}

KTEST(mm_slab, geometry)
{
	struct kmem_cache c;

	if (!sl_setup(t))
		return;
	KT_ASSERT_EQ(kmem_cache_init(&c, &sl_buddy, "t24", 24, 0), 0);
	KT_EXPECT_EQ(c.obj_size, 24);
	KT_EXPECT_EQ(c.order, 0);
	KT_EXPECT(c.objs_per_slab >= 160);
	KT_ASSERT_EQ(kmem_cache_init(&c, &sl_buddy, "t3000", 3000, 64), 0);
	KT_EXPECT_EQ(c.obj_size, 3008);
	KT_EXPECT((PAGE_SIZE << c.order) - c.objs_per_slab * 3008u <=
	          (PAGE_SIZE << c.order) / 8);
	KT_EXPECT_EQ(kmem_cache_init(&c, &sl_buddy, "bad", 0, 0), E_INVAL);
	KT_EXPECT_EQ(kmem_cache_init(&c, &sl_buddy, "bad", 8, 12), E_INVAL);
	KT_EXPECT_EQ(kmem_cache_init(&c, &sl_buddy, "huge", 40000, 0), E_INVAL);
}

KTEST(mm_slab, alloc_free_all)
{
	static void *objs[600];
	struct kmem_cache c;
	uint64_t before;
	unsigned n = 0;

	if (!sl_setup(t))
		return;
	before = sl_free_pages();
	KT_ASSERT_EQ(kmem_cache_init(&c, &sl_buddy, "t40", 40, 8), 0);
	for (n = 0; n < ARRAY_SIZE(objs); n++) {
		uint8_t *p = kmem_cache_alloc(&c);

		KT_ASSERT(p != NULL);
		KT_EXPECT(((uintptr_t)p & 7) == 0);
		for (unsigned i = 0; i < 40; i++) // ASan/overlap canary
			p[i] = (uint8_t)n;
		objs[n] = p;
	}
	KT_EXPECT_EQ_U(c.nr_inuse, ARRAY_SIZE(objs));
	for (n = 0; n < ARRAY_SIZE(objs); n++)
		KT_EXPECT_EQ(*(uint8_t *)objs[n], (uint8_t)n);
	for (n = 0; n < ARRAY_SIZE(objs); n += 2)
		kmem_cache_free(&c, objs[n]);
	for (n = 1; n < ARRAY_SIZE(objs); n += 2)
		kmem_cache_free(&c, objs[n]);
	KT_EXPECT_EQ_U(c.nr_inuse, 0);
	KT_EXPECT(c.nr_slabs <= 1);
	kmem_cache_fini(&c);
	KT_EXPECT_EQ_U(sl_free_pages(), before);
	KT_EXPECT_EQ(buddy_check(&sl_buddy), 0);
}

KTEST(mm_slab, reuse_and_exhaustion)
{
	struct kmem_cache c;
	void *p, *q;
	unsigned n = 0;

	if (!sl_setup(t))
		return;
	KT_ASSERT_EQ(kmem_cache_init(&c, &sl_buddy, "t2k", 2048, 0), 0);
	p = kmem_cache_alloc(&c);
	kmem_cache_free(&c, p);
	q = kmem_cache_alloc(&c);
	KT_EXPECT(p == q); // the cached empty slab is reused
	kmem_cache_free(&c, q);
	while (kmem_cache_alloc(&c))
		n++;
	KT_EXPECT(n > 0 && n <= SL_PAGES * 2);
	KT_EXPECT_EQ_U(c.nr_inuse, n);
	KT_EXPECT_EQ(buddy_check(&sl_buddy), 0);
}
