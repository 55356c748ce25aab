// SPDX-License-Identifier: MIT
// The page allocator's NUMA zones match the topology: every managed page
// sits in its node's memory as the firmware describes it, allocation on a
// node returns that node's memory, and each CPU prefers its own node.
#include <kernel/percpu.h>
#include <mm/mm.h>
#include <tests/ktest.h>
#include <topology/topology.h>

// Node topology assigns to pa (exactly, or by its nearest-range rule).
static unsigned topo_node_of(paddr_t pa)
{
	uint64_t end;

	return topo_mem_node(pa, &end, NULL);
}

KTEST(mm_numa, zones_follow_topology)
{
	unsigned with_memory = 0;

	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++) {
		struct buddy_stats st;
		struct buddy_block blk;
		paddr_t pa;

		buddy_get_stats(mm_pages(), n, &st);
		if (!st.managed_pages)
			continue;
		with_memory++;
		KT_ASSERT(buddy_alloc(mm_pages(), 0, n, &pa) == 0);
		KT_EXPECT(buddy_find_block(mm_pages(), pa, &blk));
		KT_EXPECT_EQ_U(blk.node, n);
		KT_EXPECT_EQ_U(topo_node_of(pa), n);
		buddy_free(mm_pages(), pa, 0);
	}
	if (topo_node_count() <= 1)
		KT_SKIP("one NUMA node: nothing to split");
	for (unsigned n = 0; n < topo_node_count(); n++)
		if (topo_node_mem_bytes(n))
			with_memory--;
	KT_EXPECT_EQ_U(with_memory, 0); // one zone per node with memory
}

KTEST(mm_numa, cpus_prefer_their_node)
{
	if (topo_node_count() <= 1)
		KT_SKIP("one NUMA node");
	for (unsigned i = 0; i < cpu_count; i++) {
		unsigned tc = cpus[i] ? topo_cpu_by_hwid(cpus[i]->hwid) : ~0u;

		if (!cpus[i] || !cpus[i]->online)
			continue;
		KT_ASSERT(tc < topo_cpu_count());
		KT_EXPECT_EQ_U(mm_cpu_node(i), topo_cpu_node(tc));
	}
}
