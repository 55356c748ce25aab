// SPDX-License-Identifier: MIT
// Buddy misuse is caught: each kind of bad free panics with a message
// naming the address, and leaves the allocator consistent and usable
// (panic_hook + longjmp turn the panic into a test result).
#include <mm/buddy.h>
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>

#define MB_BASE 0x100000000UL

static struct buddy mb;

static bool mb_setup(struct ktest *t, bool pcp)
{
	struct buddy_config cfg = mm_arena_config(pcp ? 16 : 0, 4);

	mm_arena_open(MB_BASE, 80 * PAGE_SIZE);
	return KT_EXPECT_EQ(buddy_init(&mb, &cfg), 0) &&
	       KT_EXPECT_EQ(buddy_add_range(&mb, 0, MB_BASE, 65 * PAGE_SIZE),
	                    0);
}

static void mb_teardown(struct ktest *t)
{
	paddr_t pa;

	KT_EXPECT_EQ(buddy_check(&mb), 0);
	KT_EXPECT_EQ(buddy_alloc(&mb, 0, 0, &pa), 0); // still usable
	buddy_free(&mb, pa, 0);
	mm_arena_close();
}

static void mb_misuse_cases(struct ktest *t, bool pcp)
{
	paddr_t a, b, c, e;

	if (!mb_setup(t, pcp))
		return;
	KT_ASSERT_EQ(buddy_alloc(&mb, 0, 0, &a), 0);
	KT_ASSERT_EQ(buddy_alloc(&mb, 2, 0, &b), 0);
	KT_ASSERT_EQ(buddy_alloc(&mb, 1, 0, &c), 0);

	buddy_free(&mb, a, 0);
	EXPECT_PANIC(buddy_free(&mb, a, 0), "double free", a);
	EXPECT_PANIC(buddy_free(&mb, b, 1), "wrong order 1", b);
	EXPECT_PANIC(buddy_free(&mb, b, 3), "not aligned", b);
	EXPECT_PANIC(buddy_free(&mb, a + PAGE_SIZE, 3), "not aligned",
	             a + PAGE_SIZE);
	KT_ASSERT_EQ(buddy_alloc(&mb, 3, 0, &e), 0);
	if (IS_ALIGNED(e, PAGE_SIZE << 4))
		EXPECT_PANIC(buddy_free(&mb, e, 4), "wrong order 4", e);
	EXPECT_PANIC(buddy_free(&mb, e, 2), "wrong order 2", e);
	buddy_free(&mb, e, 3);
	EXPECT_PANIC(buddy_free(&mb, c, 0), "wrong order 0", c);
	EXPECT_PANIC(buddy_free(&mb, b + PAGE_SIZE, 0),
	             "never allocated at this address", b + PAGE_SIZE);
	EXPECT_PANIC(buddy_free(&mb, mm_arena_pg(40), 0), "never allocated",
	             mm_arena_pg(40));
	EXPECT_PANIC(buddy_free(&mb, mm_arena_pg(64), 0),
	             "never allocated (allocator metadata", mm_arena_pg(64));
	EXPECT_PANIC(buddy_free(&mb, mm_arena_pg(70), 0),
	             "outside managed memory", mm_arena_pg(70));
	EXPECT_PANIC(buddy_free(&mb, MB_BASE - PAGE_SIZE, 0),
	             "outside managed memory", MB_BASE - PAGE_SIZE);
	EXPECT_PANIC(buddy_free(&mb, b + PAGE_SIZE, 1), "not aligned",
	             b + PAGE_SIZE);
	EXPECT_PANIC(buddy_free(&mb, b, BUDDY_MAX_ORDER + 1), "max order", b);
	buddy_free(&mb, b, 2);
	EXPECT_PANIC(buddy_free(&mb, b, 2), "double free", b);
	buddy_free(&mb, c, 1);
	EXPECT_PANIC(buddy_free(&mb, c, 1), "double free", c);
	mb_teardown(t);
}

KTEST(mm_buddy_misuse, zone_path)
{
	mb_misuse_cases(t, false);
}

KTEST(mm_buddy_misuse, pcp_path)
{
	mb_misuse_cases(t, true);
}

// A double free of a page whose buddy merged it away: the page is now a
// tail of a free block, and the message still says so.
KTEST(mm_buddy_misuse, double_free_after_merge)
{
	paddr_t a, b;

	if (!mb_setup(t, false))
		return;
	KT_ASSERT_EQ(buddy_alloc(&mb, 0, 0, &a), 0);
	KT_ASSERT_EQ(buddy_alloc(&mb, 0, 0, &b), 0);
	KT_EXPECT_EQ_U(b, a + PAGE_SIZE);
	buddy_free(&mb, a, 0);
	buddy_free(&mb, b, 0); // merges with a (and on up)
	EXPECT_PANIC(buddy_free(&mb, b, 0), "double free", b);
	EXPECT_PANIC(buddy_free(&mb, a, 0), "double free", a);
	mb_teardown(t);
}
