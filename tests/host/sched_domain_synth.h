// SPDX-License-Identifier: MIT
// A synthetic machine generator for the scheduling-domain tests and the
// domain benchmark (tools/bench-domains): feeds the topology builder.
#pragma once

#include <topology/build.h>

// A regular machine: pk packages x di dies x cl clusters x co cores x th
// threads, CPUs numbered in that order. llc: 0 = no caches, 1 = per
// cluster, 2 = per die, 3 = per package (L1 per core always, when llc).
// nodes > 0: that many nodes, CPUs split evenly in order; distance
// dist(a, b) (NULL: 10 local, 20 remote).
struct sdh_machine {
	unsigned pk, di, cl, co, th, llc, nodes;
	unsigned (*dist)(unsigned a, unsigned b);
	bool no_packages; // leave packages undescribed
};

static __unused unsigned sdh_cpus(const struct sdh_machine *m)
{
	return m->pk * m->di * m->cl * m->co * m->th;
}

static __unused void sdh_build(const struct sdh_machine *m)
{
	unsigned n = sdh_cpus(m), node[TOPO_MAX_NODES];
	unsigned per_node = m->nodes ? (n + m->nodes - 1) / m->nodes : n;

	topo_reset();
	for (unsigned i = 0; i < m->nodes; i++)
		(void)topo_add_node(i, &node[i]);
	for (unsigned i = 0; i < n; i++) {
		unsigned cpu, t = i % m->th, co = i / m->th % m->co;
		unsigned cl = i / (m->th * m->co) % m->cl;
		unsigned di = i / (m->th * m->co * m->cl) % m->di;
		unsigned pk = i / (m->th * m->co * m->cl * m->di);
		uint64_t key[4] = {i / m->th, i / (m->th * m->co),
		                   i / (m->th * m->co * m->cl),
		                   i / (m->th * m->co * m->cl * m->di)};

		(void)topo_add_cpu(i, i, &cpu);
		if (!m->no_packages)
			topo_set_cpu_id(cpu, TOPO_PACKAGE, pk);
		if (m->di > 1)
			topo_set_cpu_id(cpu, TOPO_DIE, di);
		if (m->cl > 1)
			topo_set_cpu_id(cpu, TOPO_CLUSTER, cl);
		topo_set_cpu_id(cpu, TOPO_CORE, co);
		topo_set_cpu_id(cpu, TOPO_PU, t);
		if (m->llc) {
			struct topo_cache l1 = {
			    .level = 1, .type = TOPO_CACHE_DATA, .key = key[0]};
			struct topo_cache ll = {.level = 3,
			                        .type = TOPO_CACHE_UNIFIED,
			                        .key = key[m->llc]};

			(void)topo_add_cache(cpu, &l1);
			(void)topo_add_cache(cpu, &ll);
		}
		if (m->nodes)
			topo_set_cpu_node(cpu, node[i / per_node]);
	}
	for (unsigned i = 0; i < m->nodes; i++) {
		(void)topo_add_mem_range((uint64_t)i << 30, 1ull << 30, node[i],
		                         false, false);
		for (unsigned j = 0; j < m->nodes; j++)
			topo_set_distance(node[i], node[j],
			                  m->dist  ? m->dist(i, j)
			                  : i == j ? 10
			                           : 20);
	}
	topo_finish();
}
