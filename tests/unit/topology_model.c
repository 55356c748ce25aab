// SPDX-License-Identifier: MIT
// Topology model tests, on the host and inside both kernels.
//  - invariants of the current model: inside the kernel that is the boot
//    topology (from QEMU's ACPI / DT / CPUID), never modified here; on the
//    host a synthetic one is built first;
//  - the builder on a synthetic machine (host only: in the kernel it would
//    replace the boot topology): levels, siblings, shared caches,
//    distances, fallback order, memory ranges with a gap, printers,
//    overflow past MAX_CPUS.
#include <string.h>
#include <hal/early.h>
#include <kernel/err.h>
#include <tests/ktest.h>
#include <topology/build.h>

static bool on_host(void)
{
	return strcmp(hal_arch_name(), "host") == 0;
}

// 2 packages x 2 cores x 2 threads; L1d per core, L2 per package; nodes
// 0 (package 0, [0, 1G)) and 1 (package 1, [2G, 3G)), distance 21.
static void build_synthetic(void)
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

static bool subset(const struct topo_cpuset *a, const struct topo_cpuset *b)
{
	for (size_t i = 0; i < ARRAY_SIZE(a->w); i++)
		if (a->w[i] & ~b->w[i])
			return false;
	return true;
}

struct sink {
	char head[64];
	size_t len;
};

static void sink_write(void *ctx, const char *s, size_t n)
{
	struct sink *k = ctx;

	for (size_t i = 0; i < n && k->len + i < sizeof(k->head) - 1; i++)
		k->head[k->len + i] = s[i];
	k->len += n;
	k->head[MIN(k->len, sizeof(k->head) - 1)] = 0;
}

KTEST(topology, invariants)
{
	static struct topo_cpuset s, below;
	unsigned ncpu, nnode;
	struct sink k = {0};
	struct topo_out o = {sink_write, &k};

	if (on_host())
		build_synthetic();
	ncpu = topo_cpu_count();
	nnode = topo_node_count();
	KT_ASSERT(ncpu >= 1 && nnode >= 1);
	for (unsigned c = 0; c < ncpu; c++) {
		unsigned idx[TOPO_MAX_CPU_CACHES], n;

		topo_siblings(c, TOPO_PU, &s);
		KT_EXPECT_EQ_U(topo_cpuset_count(&s), 1);
		KT_EXPECT(topo_cpuset_has(&s, c));
		for (int l = TOPO_PU; l > TOPO_MACHINE; l--) {
			below = s;
			topo_siblings(c, l - 1, &s);
			KT_EXPECT(subset(&below, &s));
		}
		KT_EXPECT_EQ_U(topo_cpuset_count(&s), ncpu); // machine
		KT_ASSERT(topo_cpu_node(c) < nnode);
		topo_node_cpus(topo_cpu_node(c), &s);
		KT_EXPECT(topo_cpuset_has(&s, c));
		KT_EXPECT_EQ_U(topo_cpu_by_hwid(topo_cpu_hwid(c)), c);
		n = topo_cpu_caches(c, idx);
		for (unsigned i = 0; i < n; i++) {
			topo_cache_cpus(idx[i], &s);
			KT_EXPECT(topo_cpuset_has(&s, c));
		}
	}
	for (unsigned a = 0; a < nnode; a++) {
		uint16_t order[TOPO_MAX_NODES];
		unsigned seen = 0;

		KT_EXPECT_EQ_U(topo_node_distance(a, a), 10);
		KT_EXPECT_EQ_U(topo_node_fallback(a, order, TOPO_MAX_NODES),
		               nnode);
		KT_EXPECT_EQ_U(order[0], a);
		for (unsigned i = 0; i < nnode; i++)
			seen |= 1u << (order[i] % 32);
		KT_EXPECT_EQ_U(seen, nnode >= 32 ? ~0u : (1u << nnode) - 1);
	}
	KT_EXPECT(topo_mem_node(0, NULL, NULL) < nnode);
	KT_EXPECT(topo_mem_node(~0ull, NULL, NULL) < nnode);
	topo_print_summary(&o);
	KT_EXPECT(strncmp(k.head, "topology:", 9) == 0);
	k.len = 0;
	topo_print_xml(&o);
	KT_EXPECT(strncmp(k.head, "<?xml", 5) == 0);
	KT_EXPECT(k.len > 200);
}

KTEST(topology, synthetic_machine)
{
	static struct topo_cpuset s;
	uint64_t end;
	bool exact;
	uint16_t order[2];
	unsigned shared;

	if (!on_host())
		KT_SKIP("would replace the boot topology");
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

	if (!on_host())
		KT_SKIP("would replace the boot topology");
	topo_reset();
	for (unsigned i = 0; i <= MAX_CPUS && !err; i++)
		err = topo_add_cpu(i, i, &cpu);
	KT_EXPECT_EQ(err, E_RANGE);
	topo_finish();
	KT_EXPECT_EQ_U(topo_cpu_count(), MAX_CPUS);
	KT_EXPECT(topo_note_count() >= 1);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PU), MAX_CPUS);
}
