// SPDX-License-Identifier: MIT
// mm_init() on the host: a boot memory map over a malloc'd arena standing
// in for physical memory (through the direct-map base), with usable,
// reserved, adjacent, malformed and out-of-reach entries; and node
// splitting through the lookup hook.
#include <stdlib.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <mm/mm.h>
#include <tests/ktest.h>

#define MAP_BYTES MiB(64)

static uint8_t *map_arena;

// The "direct map": physical 0 .. 64 MiB is the arena.
static void map_arena_open(void)
{
	if (!map_arena)
		map_arena = aligned_alloc(PAGE_SIZE, MAP_BYTES);
	phys_direct_map_base = (uint64_t)(uintptr_t)map_arena;
	phys_direct_map_size = MAP_BYTES;
}

#define E(b, n, t)                                                             \
	{                                                                      \
		.base = (b), .pages = (n), .type = (t)                         \
	}

static const struct cairn_mmap_entry messy_map[] = {
    E(0x0, 0x9f, 7),                // below 1 MiB: left out
    E(0x100000, 0x100, 7),          // \ adjacent usable:
    E(0x200000, 0x100, 3),          // / one range 1-3 MiB
    E(0x300000, 0x110, 0x80000000), // kernel image
    E(0x410000, 0x3f0, 4),          // 0x410000-0x800000
    E(0x800010, 0x10, 7),           // misaligned
    E(0x900000, 0x100, 9),          // ACPI reclaim: kept out
    E(0xa00000, 0x600, 7),          // 0xa00000-0x1000000
    E(0xf00000, 0x10, 7),           // overlaps the entry before
    E(0x3000000, ~0ull >> 8, 7),    // overflows
    E(0x3000000, 0x2000, 7),        // ends beyond the 64 MiB direct map
};

KTEST(mm_map, messy_map_counts)
{
	struct mm_init_stats st;
	struct buddy_stats bs;
	uint64_t expect = 0x200 + 0x3f0 + 0x600 + 0x1000;

	map_arena_open();
	KT_ASSERT(mm_init(messy_map, ARRAY_SIZE(messy_map),
	                  sizeof(messy_map[0]), NULL, NULL, &st) == 0);
	KT_EXPECT_EQ_U(st.ranges, 4);
	KT_EXPECT_EQ_U(st.bad_entries, 3);
	KT_EXPECT_EQ_U(st.usable_pages, expect);
	buddy_get_stats(mm_pages(), 0, &bs);
	KT_EXPECT_EQ_U(bs.managed_pages + bs.meta_pages, expect);
	KT_EXPECT_EQ(buddy_check(mm_pages()), 0);
	// Nothing outside the usable ranges is managed.
	struct buddy_block blk;
	KT_EXPECT(!buddy_find_block(mm_pages(), 0x300000, &blk));
	KT_EXPECT(!buddy_find_block(mm_pages(), 0x900000, &blk));
	KT_EXPECT(!buddy_find_block(mm_pages(), 0x80000, &blk));
	KT_EXPECT(buddy_find_block(mm_pages(), 0x2ff000, &blk));
	KT_EXPECT(buddy_find_block(mm_pages(), 0x3fff000, &blk));
}

KTEST(mm_map, wrong_entry_size)
{
	struct mm_init_stats st;

	map_arena_open();
	KT_EXPECT_EQ(mm_init(messy_map, 1, 24, NULL, NULL, &st), E_INVAL);
}

// Node 1 covers 32-48 MiB; the rest of memory is in no node range.
static bool two_nodes(paddr_t pa, unsigned *node, paddr_t *end)
{
	if (pa >= MiB(32) && pa < MiB(48)) {
		*node = 1;
		*end = MiB(48);
		return true;
	}
	*end = pa < MiB(32) ? MiB(32) : ~(paddr_t)0;
	return false;
}

KTEST(mm_map, split_by_node)
{
	static const struct cairn_mmap_entry map[] = {E(0x100000, 0x3f00, 7)};
	struct mm_init_stats st;
	struct buddy_stats n0, n1;

	map_arena_open();
	KT_ASSERT(mm_init(map, 1, sizeof(map[0]), two_nodes, NULL, &st) == 0);
	KT_EXPECT_EQ_U(st.ranges, 3); // 1-32, 32-48 (node 1), 48-64 MiB
	buddy_get_stats(mm_pages(), 0, &n0);
	buddy_get_stats(mm_pages(), 1, &n1);
	KT_EXPECT_EQ_U(n1.managed_pages + n1.meta_pages, MiB(16) / PAGE_SIZE);
	KT_EXPECT_EQ_U(n0.managed_pages + n0.meta_pages,
	               (MiB(64) - MiB(17)) / PAGE_SIZE);
	KT_EXPECT_EQ(buddy_check(mm_pages()), 0);
}
