// SPDX-License-Identifier: MIT
// The topology builder on a synthetic machine (host only: in the kernel it
// would replace the boot topology): levels, siblings, shared caches,
// distances, fallback order, memory ranges with a gap, overflow past
// MAX_CPUS.
#include <lib/err.h>
#include <tests/ktest.h>
#include <tests/unit/topology_synth.h>

KTEST(topology, synthetic_machine)
{
	static struct topo_cpuset s;
	uint64_t end;
	bool exact;
	uint16_t order[2];
	unsigned shared;

	build_synthetic();
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 2);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 4);
	KT_EXPECT(!topo_level_shown(TOPO_DIE));
	KT_EXPECT_EQ_U(topo_cpu_core(5), 2);
	KT_EXPECT_EQ_U(topo_cpu_package(5), 1);
	topo_siblings(5, TOPO_CORE, &s);
	KT_EXPECT(topo_cpuset_has(&s, 4) && topo_cpuset_count(&s) == 2);
	shared = topo_shared_cache(4, 5);
	KT_ASSERT(shared != TOPO_NONE);
	KT_EXPECT_EQ_U(topo_cache_get(shared)->level, 1);
	KT_EXPECT_EQ_U(topo_cache_get(topo_shared_cache(4, 7))->level, 2);
	KT_EXPECT_EQ_U(topo_shared_cache(0, 7), TOPO_NONE);
	KT_EXPECT_EQ_U(topo_cpu_distance(0, 7), 21);
	KT_EXPECT_EQ_U(topo_cpu_distance(0, 3), 10);
	KT_EXPECT_EQ_U(topo_node_mem_bytes(1), 1ull << 30);
	KT_EXPECT_EQ_U(topo_mem_range_get(0)->base, 0); // sorted
	KT_EXPECT_EQ_U(topo_mem_node(0x1000, &end, &exact), 0);
	KT_EXPECT(exact && end == 1ull << 30);
	KT_EXPECT_EQ_U(topo_mem_node(3ull << 29, &end, &exact), 0); // gap
	KT_EXPECT(!exact && end == 2ull << 30);
	KT_EXPECT_EQ_U(topo_mem_node(5ull << 29, &end, &exact), 1);
	KT_EXPECT_EQ_U(topo_node_fallback(1, order, 2), 2);
	KT_EXPECT(order[0] == 1 && order[1] == 0);
	KT_EXPECT(topo_distances_known());
	KT_EXPECT_EQ_U(topo_note_count(), 0);
}

KTEST(topology, too_many_cpus)
{
	unsigned cpu;
	err_t err = E_OK;

	topo_reset();
	for (unsigned i = 0; i <= MAX_CPUS && !err; i++)
		err = topo_add_cpu(i, i, &cpu);
	KT_EXPECT_EQ(err, E_RANGE);
	topo_finish();
	KT_EXPECT_EQ_U(topo_cpu_count(), MAX_CPUS);
	KT_EXPECT(topo_note_count() >= 1);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PU), MAX_CPUS);
}
