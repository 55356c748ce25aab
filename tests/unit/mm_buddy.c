// SPDX-License-Identifier: MIT
// Buddy allocator unit tests: exact free-list states after short sequences,
// range intake, statistics, block lookup, exhaustion and full recovery.
// Neutral (no libc): runs on the host and inside the kernel. Memory is a
// static arena presented to the allocator at a fake physical base.
#include <string.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <mm/buddy.h>
#include <tests/ktest.h>

#define ARENA_PAGES 80
#define FAKE_BASE 0x40000000UL // 1 GiB: aligned far beyond MAX_ORDER

static uint8_t arena[ARENA_PAGES * PAGE_SIZE] __attribute__((aligned(4096)));
static struct buddy ub;

static void *ut_phys_to_virt(paddr_t pa)
{
	ASSERT(pa >= FAKE_BASE && pa < FAKE_BASE + sizeof(arena));
	return arena + (pa - FAKE_BASE);
}

static paddr_t ut_virt_to_phys(const void *va)
{
	ASSERT((const uint8_t *)va >= arena &&
	       (const uint8_t *)va < arena + sizeof(arena));
	return FAKE_BASE + (paddr_t)((const uint8_t *)va - arena);
}

static paddr_t pg(unsigned i)
{
	return FAKE_BASE + (paddr_t)i * PAGE_SIZE;
}

// Fresh allocator over pages [first, first + n) of the arena.
static bool ut_setup(struct ktest *t, unsigned first, unsigned n, bool pcp)
{
	struct buddy_config cfg = {
	    .phys_to_virt = ut_phys_to_virt,
	    .virt_to_phys = ut_virt_to_phys,
	    .pcp_high = pcp ? 8 : 0,
	    .pcp_batch = pcp ? 4 : 0,
	};

	return KT_EXPECT_EQ(buddy_init(&ub, &cfg), 0) &&
	       KT_EXPECT_EQ(
		   buddy_add_range(&ub, 0, pg(first), (uint64_t)n * PAGE_SIZE),
		   0);
}

// want[k]: bit i set = a free block of order k starts at arena page i.
static void expect_free_state(struct ktest *t, const uint64_t *want, int line)
{
	for (unsigned k = 0; k < BUDDY_NR_ORDERS; k++) {
		paddr_t heads[64];
		size_t n = buddy_list_free(&ub, 0, k, heads, 64);
		uint64_t got = 0;

		KT_EXPECT(n <= 64);
		for (size_t i = 0; i < n && i < 64; i++)
			got |= 1ULL << ((heads[i] - FAKE_BASE) / PAGE_SIZE);
		if (!KT_EXPECT_EQ_U(got, want[k]))
			ktest_log(t, "line %d, order %u", line, k);
	}
	KT_EXPECT_EQ(buddy_check(&ub), 0);
}

#define EXPECT_STATE(...)                                                      \
	expect_free_state(t, (const uint64_t[BUDDY_NR_ORDERS]){__VA_ARGS__},   \
	                  __LINE__)

static paddr_t alloc_ok(struct ktest *t, unsigned order)
{
	paddr_t pa = BUDDY_NIL;

	KT_EXPECT_EQ(buddy_alloc(&ub, order, 0, &pa), 0);
	return pa;
}

KTEST(mm_buddy, carve_unaligned_range)
{
	// Pages 3..64: 62 pages, the last one becomes metadata.
	if (!ut_setup(t, 3, 62, false))
		return;
	EXPECT_STATE([0] = 1ULL << 3, [2] = 1ULL << 4, [3] = 1ULL << 8,
	             [4] = 1ULL << 16, [5] = 1ULL << 32);
}

KTEST(mm_buddy, split_and_merge)
{
	paddr_t a, b, c;

	if (!ut_setup(t, 0, 65, false)) // 64 usable pages + 1 metadata
		return;
	EXPECT_STATE([6] = 1);
	a = alloc_ok(t, 0);
	KT_EXPECT_EQ_U(a, pg(0));
	EXPECT_STATE([0] = 1ULL << 1, [1] = 1ULL << 2, [2] = 1ULL << 4,
	             [3] = 1ULL << 8, [4] = 1ULL << 16, [5] = 1ULL << 32);
	b = alloc_ok(t, 2);
	KT_EXPECT_EQ_U(b, pg(4));
	c = alloc_ok(t, 0);
	KT_EXPECT_EQ_U(c, pg(1));
	EXPECT_STATE([1] = 1ULL << 2, [3] = 1ULL << 8, [4] = 1ULL << 16,
	             [5] = 1ULL << 32);
	buddy_free(&ub, a, 0); // buddy c still allocated: no merge
	EXPECT_STATE([0] = 1, [1] = 1ULL << 2, [3] = 1ULL << 8,
	             [4] = 1ULL << 16, [5] = 1ULL << 32);
	buddy_free(&ub, c, 0); // 0+1 -> order 1, + 2 -> order 2; 4 is taken
	EXPECT_STATE([2] = 1, [3] = 1ULL << 8, [4] = 1ULL << 16,
	             [5] = 1ULL << 32);
	buddy_free(&ub, b, 2); // everything merges back
	EXPECT_STATE([6] = 1);
}

KTEST(mm_buddy, no_merge_across_range_end)
{
	paddr_t a;

	// 48 usable pages: blocks 0 (o5) and 32 (o4); they never merge.
	if (!ut_setup(t, 0, 49, false))
		return;
	EXPECT_STATE([4] = 1ULL << 32, [5] = 1);
	a = alloc_ok(t, 5);
	KT_EXPECT_EQ_U(a, pg(0));
	EXPECT_STATE([4] = 1ULL << 32);
	KT_EXPECT_EQ(buddy_alloc(&ub, 5, 0, &a), E_NOMEM);
	buddy_free(&ub, pg(0), 5);
	EXPECT_STATE([4] = 1ULL << 32, [5] = 1);
}

KTEST(mm_buddy, stats_and_bad_args)
{
	struct buddy_stats st;
	paddr_t pa;

	if (!ut_setup(t, 0, 65, false))
		return;
	buddy_get_stats(&ub, 0, &st);
	KT_EXPECT_EQ_U(st.managed_pages, 64);
	KT_EXPECT_EQ_U(st.meta_pages, 1);
	KT_EXPECT_EQ_U(st.free_pages, 64);
	KT_EXPECT_EQ_U(st.free_blocks[6], 1);
	pa = alloc_ok(t, 3);
	buddy_get_stats(&ub, 0, &st);
	KT_EXPECT_EQ_U(st.free_pages, 56);
	KT_EXPECT_EQ_U(st.free_blocks[3], 1);
	buddy_free(&ub, pa, 3);
	KT_EXPECT_EQ(buddy_alloc(&ub, BUDDY_MAX_ORDER + 1, 0, &pa), E_INVAL);
	KT_EXPECT_EQ(buddy_alloc(&ub, 0, BUDDY_MAX_NODES, &pa), E_INVAL);
	KT_EXPECT_EQ(buddy_alloc(&ub, 7, 0, &pa), E_NOMEM);
	KT_EXPECT_EQ(buddy_add_range(&ub, 0, pg(10), PAGE_SIZE * 4), E_EXIST);
	KT_EXPECT_EQ(buddy_add_range(&ub, 0, pg(70), PAGE_SIZE), E_RANGE);
	KT_EXPECT_EQ(
	    buddy_add_range(&ub, BUDDY_MAX_NODES, pg(70), PAGE_SIZE * 8),
	    E_INVAL);
}

KTEST(mm_buddy, find_block)
{
	struct buddy_block blk;
	paddr_t pa;

	if (!ut_setup(t, 0, 65, false))
		return;
	pa = alloc_ok(t, 2);
	KT_ASSERT(buddy_find_block(&ub, pa + 3 * PAGE_SIZE + 5, &blk));
	KT_EXPECT_EQ_U(blk.head, pa);
	KT_EXPECT_EQ(blk.order, 2);
	KT_EXPECT_EQ(blk.kind, BUDDY_BLOCK_ALLOC);
	KT_ASSERT(buddy_find_block(&ub, pg(40), &blk));
	KT_EXPECT_EQ_U(blk.head, pg(32));
	KT_EXPECT_EQ(blk.kind, BUDDY_BLOCK_FREE);
	KT_ASSERT(buddy_find_block(&ub, pg(64), &blk));
	KT_EXPECT_EQ(blk.kind, BUDDY_BLOCK_RESERVED);
	KT_EXPECT(!buddy_find_block(&ub, pg(65), &blk));
	buddy_free(&ub, pa, 2);
}

// Allocate every page through the per-CPU path, count them against the
// range, free them all: the allocator is back in its initial state.
KTEST(mm_buddy, exhaust_and_restore_pcp)
{
	static paddr_t got[ARENA_PAGES];
	struct buddy_stats st;
	unsigned n = 0;
	paddr_t pa;

	if (!ut_setup(t, 0, 65, true))
		return;
	while (buddy_alloc(&ub, 0, 0, &pa) == 0) {
		KT_ASSERT(n < ARENA_PAGES);
		for (unsigned i = 0; i < n; i++)
			KT_ASSERT(got[i] != pa);
		got[n++] = pa;
	}
	KT_EXPECT_EQ(n, 64);
	buddy_get_stats(&ub, 0, &st);
	KT_EXPECT_EQ_U(st.free_pages + st.pcp_pages, 0);
	for (unsigned i = 0; i < n; i++)
		buddy_free(&ub, got[i], 0);
	buddy_get_stats(&ub, 0, &st);
	KT_EXPECT(st.pcp_pages > 0 && st.pcp_pages <= 8);
	KT_EXPECT_EQ_U(st.free_pages + st.pcp_pages, 64);
	KT_EXPECT_EQ(buddy_check(&ub), 0);
	buddy_drain_all(&ub);
	EXPECT_STATE([6] = 1);
}
