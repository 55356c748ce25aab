// SPDX-License-Identifier: MIT
// Topology model tests, on the host and inside both kernels.
//  - invariants of the current model: inside the kernel that is the boot
//    topology (from QEMU's ACPI / DT / CPUID), never modified here; on the
//    host a synthetic one is built first;
//  - printers. The builder on a synthetic machine is tested on the host
//    only (tests/host/topology_synthetic.c): in the kernel it would replace
//    the boot topology.
#include <string.h>
#include <hal/early.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <topology/build.h>
#include <tests/unit/topology_synth.h>

static bool on_host(void)
{
	return strcmp(hal_arch_name(), "host") == 0;
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
