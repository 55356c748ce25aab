// SPDX-License-Identifier: MIT
// Scheduling domains on synthetic machines (host only: each test replaces
// the topology). Expectations: written out by hand for a small machine,
// from the naive pairwise reference (tests/unit/sched_domain_ref.h) for a
// sweep of shapes, and from the distance rule itself for the NUMA cases
// (asymmetric distances; the "Decade of Wasted Cores" 2-hop machine).
// Every test ends with the heap back where it started (no leak).
#include <stdio.h>
#include <tests/host/sched_domain_host.h>
#include <tests/unit/sched_domain_ref.h>
#include <tests/unit/topology_synth.h>

static struct sdref sdh_ref;

static void sdh_mask_all(struct cpumask *m)
{
	cpumask_fill(m, topo_cpu_count());
}

static bool sdh_span_is(const struct sched_domain *d, unsigned lo, unsigned hi)
{
	struct cpumask m;

	cpumask_clear_all(&m);
	for (unsigned i = lo; i <= hi; i++)
		cpumask_set(&m, i);
	return d && cpumask_equal(&d->span, &m);
}

// 2 packages x 2 cores x 2 threads, L1 per core, L2 per package, a node
// per package at distance 21 (tests/unit/topology_synth.h).
KTEST(sched_domain, small_machine_by_hand)
{
	const struct sched_domain *d;
	struct cpumask all;
	uint64_t before;

	if (!sdh_heap_open(t))
		return;
	build_synthetic();
	sdh_mask_all(&all);
	// The slab keeps a few empty slabs after the first build: count the
	// free pages after one build and destroy, then expect them back.
	KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
	sched_domains_destroy();
	before = sdh_free_pages();
	KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
	d = sched_domain_lowest(5);
	KT_ASSERT(d != NULL);
	KT_EXPECT_STR(d->name, "SMT");
	KT_EXPECT(sdh_span_is(d, 4, 5));
	KT_EXPECT_EQ_U(d->flags, SD_SHARE_CPU | SD_SHARE_LLC);
	KT_EXPECT_EQ_U(d->ngroups, 2);
	KT_EXPECT_EQ_U(d->groups->first, 5);
	KT_EXPECT_EQ_U(d->groups->next->first, 4);
	KT_EXPECT_EQ_U(d->imbalance_pct, 110);
	d = d->parent; // L2 = package = node: one level, named LLC
	KT_ASSERT(d != NULL);
	KT_EXPECT_STR(d->name, "LLC");
	KT_EXPECT(sdh_span_is(d, 4, 7));
	KT_EXPECT_EQ_U(d->flags, SD_SHARE_LLC);
	KT_EXPECT_EQ_U(d->ngroups, 2);
	KT_EXPECT_EQ_U(d->groups->first, 4);
	KT_EXPECT_EQ_U(d->balance_interval_ns, 4000000);
	d = d->parent;
	KT_ASSERT(d != NULL);
	KT_EXPECT_STR(d->name, "NUMA");
	KT_EXPECT(sdh_span_is(d, 0, 7));
	KT_EXPECT_EQ_U(d->flags, SD_NUMA);
	KT_EXPECT_EQ_U(d->distance, 21);
	KT_EXPECT_EQ_U(d->groups->first, 4);
	KT_EXPECT_EQ_U(d->groups->next->first, 0);
	KT_EXPECT(d->parent == NULL);
	KT_EXPECT(sched_domain_top(5) == d);
	KT_EXPECT_EQ_U(sched_domain_depth(), 3);
	KT_EXPECT_EQ_U(sched_llc_id(6), 4);
	KT_EXPECT_EQ_U(cpumask_weight(sched_llc_cpus(6)), 4);
	KT_EXPECT(sdref_check_invariants(t, &all));
	KT_EXPECT(sdref_check_chain(t, &sdh_ref, &all));
	sched_domains_destroy();
	KT_EXPECT_EQ_U(sdh_free_pages(), before);
	KT_EXPECT(sched_domain_lowest(5) == NULL);
	KT_EXPECT_EQ_U(sched_llc_id(6), 6);
	sdh_heap_close();
}

static unsigned dist_ring4(unsigned a, unsigned b)
{
	unsigned h = (a - b + 4) % 4;

	return a == b ? 10 : h == 2 ? 30 : 20;
}

static unsigned dist_linear(unsigned a, unsigned b)
{
	return a == b ? 10 : 10 + 5 * (a > b ? a - b : b - a);
}

static const struct sdh_machine shapes[] = {
    {1, 1, 1, 1, 1, 0, 0, NULL, false},       // one CPU: no domain
    {1, 1, 1, 4, 1, 0, 0, NULL, true},        // flat, nothing known
    {1, 1, 1, 4, 2, 2, 0, NULL, false},       // SMT + one LLC
    {2, 2, 1, 2, 2, 2, 0, NULL, false},       // x86 q35 -smp 16 dies=2
    {2, 1, 2, 2, 1, 0, 2, NULL, false},       // virt with clusters, NUMA
    {2, 1, 4, 2, 1, 1, 0, NULL, false},       // LLC per cluster
    {1, 4, 1, 4, 2, 3, 0, NULL, false},       // LLC above the dies
    {2, 1, 1, 4, 2, 3, 4, dist_ring4, false}, // 2 nodes per package
    {4, 1, 1, 2, 2, 2, 4, dist_ring4, false}, // ring of 4 nodes
    {4, 1, 1, 4, 1, 0, 4, dist_linear, true}, // corpus-like: NUMA only
    {8, 1, 1, 2, 1, 3, 2, NULL, false},       // 4 packages per node
    {2, 2, 2, 2, 2, 1, 8, dist_linear, false},
};

KTEST(sched_domain, shapes_match_reference)
{
	struct cpumask all;

	if (!sdh_heap_open(t))
		return;
	for (unsigned i = 0; i < ARRAY_SIZE(shapes); i++) {
		uint64_t before;
		bool ok;

		sdh_build(&shapes[i]);
		sdh_mask_all(&all);
		KT_ASSERT_EQ(sched_domains_build(&all), E_OK); // warm the slab
		sched_domains_destroy();
		before = sdh_free_pages();
		KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
		ok = sdref_check_invariants(t, &all) &&
		     sdref_check_chain(t, &sdh_ref, &all);
		if (!ok)
			ktest_log(t, "shape %u", i);
		sched_domains_destroy();
		KT_EXPECT_EQ_U(sdh_free_pages(), before);
	}
	sdh_heap_close();
}

// A subset of the CPUs: spans and groups hold only those.
KTEST(sched_domain, cpu_subset)
{
	static const struct sdh_machine m = {2, 1, 1, 4, 2, 3, 2, NULL, false};
	struct cpumask some;

	if (!sdh_heap_open(t))
		return;
	sdh_build(&m);
	cpumask_clear_all(&some);
	for (unsigned i = 0; i < 16; i += 3)
		cpumask_set(&some, i);
	KT_ASSERT_EQ(sched_domains_build(&some), E_OK);
	KT_EXPECT(sdref_check_invariants(t, &some));
	KT_EXPECT(sdref_check_chain(t, &sdh_ref, &some));
	KT_EXPECT(sched_domain_lowest(1) == NULL);
	KT_EXPECT(cpumask_subset(sched_llc_cpus(3), &some));
	sdh_heap_close();
}

// QEMU's ASYM3 distances (tests/topology/matrix.py) between two nodes with
// CPUs and a memory-only node: 0->1 is 21, 1->0 is 31. Each CPU's NUMA
// level is at the distance from its own node.
static unsigned dist_asym3(unsigned a, unsigned b)
{
	static const unsigned d[3][3] = {
	    {10, 21, 41}, {31, 10, 51}, {41, 61, 10}};

	return d[a][b];
}

KTEST(sched_domain, asymmetric_distances)
{
	static const struct sdh_machine m = {2, 1, 1, 2, 1, 0, 2, NULL, false};
	const struct sched_domain *d;
	struct cpumask all;
	unsigned node2;

	if (!sdh_heap_open(t))
		return;
	// sdh_build's nodes are 0 and 1; add the memory-only node 2 by hand.
	sdh_build(&m);
	topo_reset();
	{
		unsigned n[3], cpu;

		for (unsigned i = 0; i < 3; i++)
			(void)topo_add_node(i, &n[i]);
		for (unsigned i = 0; i < 4; i++) {
			(void)topo_add_cpu(i, i, &cpu);
			topo_set_cpu_id(cpu, TOPO_PACKAGE, i / 2);
			topo_set_cpu_id(cpu, TOPO_CORE, i % 2);
			topo_set_cpu_node(cpu, n[i / 2]);
		}
		for (unsigned i = 0; i < 3; i++) {
			(void)topo_add_mem_range((uint64_t)i << 30, 1ull << 30,
			                         n[i], false, false);
			for (unsigned j = 0; j < 3; j++)
				topo_set_distance(n[i], n[j], dist_asym3(i, j));
		}
		topo_finish();
		node2 = n[2];
	}
	KT_EXPECT(cpumask_empty(&(struct cpumask){{0}}));
	sdh_mask_all(&all);
	KT_ASSERT_EQ(topo_node_count(), 3);
	KT_EXPECT_EQ_U(topo_node_distance(node2, node2), 10);
	KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
	KT_EXPECT(sdref_check_invariants(t, &all));
	KT_EXPECT(sdref_check_chain(t, &sdh_ref, &all));
	d = sched_domain_top(0);
	KT_ASSERT(d && d->kind == SD_KIND_NUMA);
	KT_EXPECT_EQ_U(d->distance, 21);
	KT_EXPECT(sdh_span_is(d, 0, 3));
	d = sched_domain_top(3);
	KT_ASSERT(d && d->kind == SD_KIND_NUMA);
	KT_EXPECT_EQ_U(d->distance, 31);
	KT_EXPECT(sdh_span_is(d, 0, 3));
	sdh_heap_close();
}

// Three nodes with CPUs, distances asymmetric in a cycle: 0->1, 1->2 and
// 2->0 are 15, the reverse 30. A CPU of node 0 sees node 1 at 15 (not node
// 2, which sees node 0 at 15): its first NUMA level is nodes {0, 1}.
static unsigned dist_cycle(unsigned a, unsigned b)
{
	return a == b ? 10 : (a + 1) % 3 == b ? 15 : 30;
}

KTEST(sched_domain, asymmetric_cycle)
{
	static const struct sdh_machine m = {3, 1, 1,          2,    1,
	                                     0, 3, dist_cycle, false};
	const struct sched_domain *d;
	struct cpumask all;

	if (!sdh_heap_open(t))
		return;
	sdh_build(&m); // node i holds CPUs 2i, 2i + 1
	sdh_mask_all(&all);
	KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
	KT_EXPECT(sdref_check_invariants(t, &all));
	KT_EXPECT(sdref_check_chain(t, &sdh_ref, &all));
	for (unsigned node = 0; node < 3; node++) {
		unsigned next = (node + 1) % 3;

		d = sched_domain_lowest(2 * node);
		KT_ASSERT(d && d->weight == 2 && d->parent); // the node
		d = d->parent;
		KT_EXPECT_STR(d->name, "NUMA");
		KT_EXPECT_EQ_U(d->distance, 15);
		KT_EXPECT_EQ_U(d->weight, 4);
		KT_EXPECT(cpumask_test(&d->span, 2 * next) &&
		          cpumask_test(&d->span, 2 * next + 1));
		KT_EXPECT(d->parent && d->parent->weight == 6 &&
		          d->parent->distance == 30);
	}
	sdh_heap_close();
}

// "A Decade of Wasted Cores", Scheduling Group Construction: 8 nodes, 2
// hops between some (here a cube: 16 for one hop, 22 beyond). An
// application on nodes 0 and 3 (2 hops apart). From node 1's view the
// one-hop neighbourhood {0, 1, 3, 5} holds both nodes, so groups built
// once from one CPU's perspective put them in one group and nothing
// balances between them; built from each CPU's own view, a CPU of node 0
// and one of node 3 are never in one group of either's top domain.
static unsigned dist_cube(unsigned a, unsigned b)
{
	return a == b ? 10 : __builtin_popcount(a ^ b) == 1 ? 16 : 22;
}

KTEST(sched_domain, wasted_cores_group_construction)
{
	static const struct sdh_machine m = {8, 1, 1,         8,    1,
	                                     3, 8, dist_cube, false};
	struct cpumask all;
	unsigned c;

	if (!sdh_heap_open(t))
		return;
	sdh_build(&m);
	sdh_mask_all(&all);
	// The trigger exists: node 1's one-hop span holds nodes 0 and 3.
	KT_EXPECT(dist_cube(1, 0) == 16 && dist_cube(1, 3) == 16 &&
	          dist_cube(0, 3) == 22);
	KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
	KT_EXPECT(sdref_check_invariants(t, &all));
	KT_EXPECT(sdref_check_chain(t, &sdh_ref, &all));
	CPUMASK_FOR_EACH(c, &all)
	{
		const struct sched_domain *top = sched_domain_top(c);
		const struct sched_group *g = top->groups;
		unsigned node = c / 8;

		if (node != 0 && node != 3)
			continue;
		KT_EXPECT_EQ_U(top->distance, 22);
		KT_EXPECT_EQ_U(top->weight, 64);
		do {
			bool n0 = cpumask_test(&g->cpus, 0),
			     n3 = cpumask_test(&g->cpus, 24);

			if (!KT_EXPECT(!(n0 && n3)))
				ktest_log(t, "CPU%u: group %u holds nodes 0, 3",
				          c, g->first);
			g = g->next;
		} while (g != top->groups);
		// Own group: exactly the one-hop neighbourhood of its node.
		KT_EXPECT_EQ_U(top->groups->weight, 32);
		KT_EXPECT(cpumask_equal(&top->groups->cpus, &top->child->span));
	}
	sdh_heap_close();
}

// 64 nodes at distance 10 + |a - b|: 64 distinct distances, more than the
// 26 that make levels. The smallest 25 keep theirs, the largest (73) makes
// the top level; the ones between share it. Node i holds CPUs 2i, 2i + 1.
static unsigned dist_line64(unsigned a, unsigned b)
{
	return 10 + (a > b ? a - b : b - a);
}

KTEST(sched_domain, many_distances_capped)
{
	static const struct sdh_machine m = {64, 1,  1,           2,    1,
	                                     0,  64, dist_line64, false};
	const struct sched_domain *d;
	struct cpumask all;

	if (!sdh_heap_open(t))
		return;
	sdh_build(&m);
	sdh_mask_all(&all);
	KT_ASSERT_EQ(sched_domains_build(&all), E_OK);
	KT_EXPECT(sdref_check_invariants(t, &all));
	// LLC (package stand-in = the node), NUMA 11 .. 34, NUMA 73.
	KT_EXPECT_EQ_U(sched_domain_depth(), 26);
	d = sched_domain_top(0);
	KT_ASSERT(d && d->child);
	KT_EXPECT_EQ_U(d->distance, 73);
	KT_EXPECT_EQ_U(d->weight, 128);
	KT_EXPECT_EQ_U(d->child->distance, 34);
	KT_EXPECT_EQ_U(d->child->weight, 2 * 25);
	d = sched_domain_lowest(64); // node 32
	KT_ASSERT(d && d->parent);
	KT_EXPECT_EQ_U(d->parent->distance, 11);
	KT_EXPECT_EQ_U(d->parent->weight, 6);
	sdh_heap_close();
}

KTEST(sched_domain, bad_input)
{
	struct cpumask m;
	const struct sched_domain *d;

	if (!sdh_heap_open(t))
		return;
	build_synthetic();
	cpumask_clear_all(&m);
	KT_EXPECT_EQ(sched_domains_build(&m), E_INVAL);
	sdh_mask_all(&m);
	KT_ASSERT_EQ(sched_domains_build(&m), E_OK);
	d = sched_domain_lowest(0);
	cpumask_set(&m, 9); // the topology has 8 CPUs
	KT_EXPECT_EQ(sched_domains_build(&m), E_INVAL);
	KT_EXPECT(sched_domain_lowest(0) == d); // previous ones stay
	KT_EXPECT(sched_domain_lowest(MAX_CPUS) == NULL);
	KT_EXPECT_EQ_U(sched_llc_id(MAX_CPUS + 5), 0);
	sdh_heap_close();
}

KTEST(sched_domain, cpulist_format)
{
	struct cpumask m;
	char buf[32];

	cpumask_clear_all(&m);
	KT_EXPECT_EQ_U(sched_cpulist_format(buf, sizeof(buf), &m), 0);
	KT_EXPECT_STR(buf, "");
	for (unsigned i = 0; i < 4; i++)
		cpumask_set(&m, i);
	cpumask_set(&m, 8);
	cpumask_set(&m, 10);
	cpumask_set(&m, 11);
	cpumask_set(&m, 511);
	KT_EXPECT_EQ_U(sched_cpulist_format(buf, sizeof(buf), &m), 15);
	KT_EXPECT_STR(buf, "0-3,8,10-11,511");
	KT_EXPECT_EQ_U(sched_cpulist_format(buf, 6, &m), 15);
	KT_EXPECT_STR(buf, "0-3,8");
	cpumask_fill(&m, MAX_CPUS);
	KT_EXPECT_EQ_U(sched_cpulist_format(buf, sizeof(buf), &m), 5);
	KT_EXPECT_STR(buf, "0-511");
}
