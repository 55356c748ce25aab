// SPDX-License-Identifier: MIT
// A small synthetic machine for the topology tests (see the users).
#pragma once

#include <topology/build.h>

// 2 packages x 2 cores x 2 threads; L1d per core, L2 per package; nodes
// 0 (package 0, [0, 1G)) and 1 (package 1, [2G, 3G)), distance 21.
static __unused void build_synthetic(void)
{
	unsigned node0, node1;

	topo_reset();
	(void)topo_add_node(0, &node0);
	(void)topo_add_node(1, &node1);
	for (unsigned i = 0; i < 8; i++) {
		unsigned cpu;
		struct topo_cache l1 = {.level = 1,
		                        .type = TOPO_CACHE_DATA,
		                        .size = 32768,
		                        .line = 64,
		                        .key = i / 2};
		struct topo_cache l2 = {.level = 2,
		                        .type = TOPO_CACHE_UNIFIED,
		                        .size = 1 << 20,
		                        .key = i / 4};

		(void)topo_add_cpu(i, i, &cpu);
		topo_set_cpu_id(cpu, TOPO_PACKAGE, i / 4);
		topo_set_cpu_id(cpu, TOPO_CORE, i / 2 % 2);
		topo_set_cpu_id(cpu, TOPO_PU, i % 2);
		(void)topo_add_cache(cpu, &l1);
		(void)topo_add_cache(cpu, &l2);
		topo_set_cpu_node(cpu, i < 4 ? node0 : node1);
	}
	(void)topo_add_mem_range(2ull << 30, 1ull << 30, node1, false, false);
	(void)topo_add_mem_range(0, 1ull << 30, node0, false, false);
	topo_set_distance(node0, node1, 21);
	topo_set_distance(node1, node0, 21);
	topo_set_distance(node0, node0, 10);
	topo_set_distance(node1, node1, 10);
	topo_finish();
}
