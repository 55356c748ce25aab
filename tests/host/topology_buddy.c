// SPDX-License-Identifier: MIT
// The topology feeding the buddy allocator, the way kernel_main() is meant
// to wire it (docs/topology.md, "NUMA for the allocator"): the memory map is
// split into node pieces with topo_mem_node(), a piece no SRAT range covers
// (a firmware region) still gets a node, and cfg.distance is
// topo_node_distance, so allocation falls back by the firmware's distances.
#include <lib/err.h>
#include <mm/buddy.h>
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>
#include <topology/build.h>

#define TB_BASE 0x300000000UL
#define TB_PAGES 64 // per node range

static struct buddy tb;

// Nodes 0-2 over [base, +64p) [+64p, +128p) [+160p, +192p); the 32 pages
// in between are in no range. Distances: 0->2 nearer than 0->1.
static void tb_topology(void)
{
	static const unsigned d[3][3] = {
	    {10, 30, 20}, {30, 10, 20}, {20, 25, 10}};
	unsigned n[3], cpu;

	topo_reset();
	for (unsigned i = 0; i < 3; i++) {
		(void)topo_add_node(i, &n[i]);
		(void)topo_add_cpu(i, i, &cpu);
		topo_set_cpu_node(cpu, n[i]);
	}
	(void)topo_add_mem_range(TB_BASE, TB_PAGES * PAGE_SIZE, n[0], 0, 0);
	(void)topo_add_mem_range(TB_BASE + TB_PAGES * PAGE_SIZE,
	                         TB_PAGES * PAGE_SIZE, n[1], 0, 0);
	(void)topo_add_mem_range(TB_BASE + 5 * TB_PAGES / 2 * PAGE_SIZE,
	                         TB_PAGES / 2 * PAGE_SIZE, n[2], 0, 0);
	for (unsigned i = 0; i < 3; i++)
		for (unsigned j = 0; j < 3; j++)
			topo_set_distance(i, j, d[i][j]);
	topo_finish();
}

static unsigned tb_node_of(paddr_t pa)
{
	struct buddy_block blk;

	return buddy_find_block(&tb, pa, &blk) ? blk.node : ~0u;
}

KTEST(topology_buddy, zones_from_topology)
{
	struct buddy_config cfg = mm_arena_config(0, 4);
	uint64_t base = TB_BASE, limit = TB_BASE + 3 * TB_PAGES * PAGE_SIZE;
	unsigned pieces = 0, inexact = 0;
	uint16_t order[3];
	unsigned local = 0;
	paddr_t pa;

	tb_topology();
	cfg.distance = topo_node_distance;
	mm_arena_open(TB_BASE, 3 * TB_PAGES * PAGE_SIZE);
	KT_ASSERT_EQ(buddy_init(&tb, &cfg), 0);
	// One memory-map entry covering everything, split by node.
	while (base < limit) {
		uint64_t end;
		bool exact;
		unsigned node = topo_mem_node(base, &end, &exact);

		end = MIN(end, limit);
		KT_ASSERT_EQ(buddy_add_range(&tb, node, base, end - base), 0);
		inexact += !exact;
		pieces++;
		base = end;
	}
	KT_EXPECT_EQ_U(pieces, 4);
	KT_EXPECT_EQ_U(inexact, 1); // the gap: node 1 (the range below it)
	KT_EXPECT_EQ_U(tb_node_of(TB_BASE + 2 * TB_PAGES * PAGE_SIZE), 1);
	// Allocation from node 0 stays local, then falls back 0 -> 2 -> 1.
	KT_EXPECT_EQ_U(topo_node_fallback(0, order, 3), 3);
	KT_EXPECT(order[0] == 0 && order[1] == 2 && order[2] == 1);
	// Order-4 blocks from node 0 until it runs out: the next comes from
	// node 2 (distance 20), not node 1 (30).
	for (unsigned i = 0; i < 8; i++) {
		KT_ASSERT_EQ(buddy_alloc(&tb, 4, 0, &pa), 0);
		if (tb_node_of(pa) != 0)
			break;
		local++;
	}
	KT_EXPECT_EQ_U(local, 3); // 63 pages after the metadata page
	KT_EXPECT_EQ_U(tb_node_of(pa), 2);
	KT_EXPECT_EQ(buddy_check(&tb), 0);
	mm_arena_close();
}
