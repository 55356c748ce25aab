// SPDX-License-Identifier: MIT
// Host helpers for the scheduling-domain tests: a kernel heap on a private
// arena (the domains live on the kernel heap), with a leak check, and a
// synthetic machine generator for the topology builder.
#pragma once

#include <string.h>
#include <kernel/err.h>
#include <kernel/sched/domain.h>
#include <mm/heap.h>
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>
#include <topology/build.h>

#define SDH_BASE 0x800000000UL
#define SDH_PAGES 32768 // 128 MiB

static struct buddy sdh_buddy;

static __unused uint64_t sdh_free_pages(void)
{
	struct buddy_stats st;

	buddy_get_stats(&sdh_buddy, 0, &st);
	return st.free_pages + st.pcp_pages;
}

static __unused bool sdh_heap_open(struct ktest *t)
{
	struct buddy_config cfg = mm_arena_config(0, 0);

	mm_arena_open(SDH_BASE, (uint64_t)SDH_PAGES * PAGE_SIZE);
	return KT_EXPECT_EQ(buddy_init(&sdh_buddy, &cfg), 0) &&
	       KT_EXPECT_EQ(buddy_add_range(&sdh_buddy, 0, SDH_BASE,
	                                    (uint64_t)SDH_PAGES * PAGE_SIZE),
	                    0) &&
	       KT_EXPECT_EQ(kmem_init(&sdh_buddy), 0);
}

static __unused void sdh_heap_close(void)
{
	sched_domains_destroy();
	mm_arena_close();
}

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
