// SPDX-License-Identifier: MIT
// Topology from device trees: tests/topology/fixtures/*.dts compiled by dtc
// at test time (cpu-map with threads, a disabled CPU, L1 properties, L2/L3
// cache nodes, NUMA nodes, an asymmetric distance map, a memory-only node),
// and broken variants of it (truncated blob, bad distance-matrix, missing
// cpu-map) that must build with notes rather than crash; a tree without a
// cpu-map (no-cpu-map.dts: the Raspberry Pi 3's /cpus) gets Linux's levels.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <topology/build.h>
#include "topology_util.h"

// dtc over a fixture, with `sed` edits applied to the source first.
static uint8_t *dt_compile(const char *name, const char *sed, size_t *len)
{
	char dir[] = "/tmp/cairn-dt-XXXXXX", cmd[1024], out[600];
	uint8_t *buf;

	if (!mkdtemp(dir))
		return NULL;
	snprintf(out, sizeof(out), "%s/t.dtb", dir);
	snprintf(cmd, sizeof(cmd),
	         "sed -e '%s' tests/topology/fixtures/%s.dts | dtc -q -I dts "
	         "-O dtb -o %s - 2>/dev/null",
	         sed ? sed : "", name, out);
	buf = system(cmd) == 0 ? (uint8_t *)topo_test_read(out, len) : NULL;
	unlink(out);
	rmdir(dir);
	return buf;
}

static bool have_dtc(void)
{
	return system("dtc -v >/dev/null 2>&1") == 0;
}

static bool has_note(const char *prefix)
{
	for (unsigned i = 0; i < topo_note_count(); i++)
		if (!strncmp(topo_note_get(i), prefix, strlen(prefix)))
			return true;
	return false;
}

static unsigned cache_of(unsigned cpu, unsigned level, uint8_t type)
{
	unsigned idx[TOPO_MAX_CPU_CACHES];
	unsigned n = topo_cpu_caches(cpu, idx);

	for (unsigned i = 0; i < n; i++)
		if (topo_cache_get(idx[i])->level == level &&
		    topo_cache_get(idx[i])->type == type)
			return idx[i];
	return TOPO_NONE;
}

KTEST(topology_dt, caches_threads_numa)
{
	struct topo_cpuset s;
	uint16_t order[TOPO_MAX_NODES];
	uint64_t end;
	bool exact;
	uint8_t *dtb;
	size_t len;

	if (!have_dtc())
		KT_FAIL("dtc not found (python3 configure.py installs "
		        "device-tree-compiler)");
	dtb = dt_compile("caches-threads", NULL, &len);
	KT_ASSERT(dtb != NULL);
	KT_ASSERT_EQ(topology_build_fdt(dtb, len), E_OK);
	KT_EXPECT_EQ_U(topo_cpu_count(), 7); // cpu@10101 is disabled
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 2);
	KT_EXPECT(!topo_level_shown(TOPO_CLUSTER)); // one per package
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 4);
	KT_EXPECT_EQ_U(topo_cpu_hwid(4), 0x10000);
	topo_siblings(0, TOPO_CORE, &s);
	KT_EXPECT_EQ_U(topo_cpuset_count(&s), 2);
	KT_EXPECT(topo_cpuset_has(&s, 1));
	topo_siblings(6, TOPO_CORE, &s);
	KT_EXPECT_EQ_U(topo_cpuset_count(&s), 1);
	// L1 private, L2 per core, L3 per package.
	KT_EXPECT_EQ_U(topo_cache_get(cache_of(0, 1, TOPO_CACHE_DATA))->size,
	               32768);
	KT_EXPECT_EQ_U(topo_cache_get(cache_of(0, 1, TOPO_CACHE_DATA))->ways,
	               4);
	KT_EXPECT_EQ_U(
	    topo_cache_get(cache_of(0, 1, TOPO_CACHE_INSTRUCTION))->size,
	    49152);
	KT_EXPECT(cache_of(0, 1, TOPO_CACHE_DATA) !=
	          cache_of(1, 1, TOPO_CACHE_DATA));
	KT_EXPECT_EQ_U(topo_shared_cache(0, 1),
	               cache_of(0, 2, TOPO_CACHE_UNIFIED));
	KT_EXPECT_EQ_U(topo_shared_cache(0, 3),
	               cache_of(0, 3, TOPO_CACHE_UNIFIED));
	KT_EXPECT_EQ_U(topo_shared_cache(0, 4), TOPO_NONE);
	KT_EXPECT_EQ_U(topo_shared_cache(2, 2),
	               cache_of(2, 1, TOPO_CACHE_DATA));
	topo_cache_cpus(cache_of(4, 3, TOPO_CACHE_UNIFIED), &s);
	KT_EXPECT_EQ_U(topo_cpuset_count(&s), 3);
	// NUMA: asymmetric distances, a memory-only node, fallback order.
	KT_ASSERT(topo_node_count() == 3);
	KT_EXPECT_EQ_U(topo_cpu_node(5), 1);
	KT_EXPECT_EQ_U(topo_node_distance(0, 1), 20);
	KT_EXPECT_EQ_U(topo_node_distance(1, 0), 30);
	KT_EXPECT_EQ_U(topo_cpu_distance(0, 6), 20);
	topo_node_cpus(2, &s);
	KT_EXPECT_EQ_U(topo_cpuset_count(&s), 0);
	KT_EXPECT_EQ_U(topo_node_mem_bytes(2), 512u << 20);
	KT_EXPECT_EQ_U(topo_node_fallback(1, order, TOPO_MAX_NODES), 3);
	KT_EXPECT_EQ_U(order[0], 1);
	KT_EXPECT_EQ_U(order[1], 0);
	KT_EXPECT_EQ_U(order[2], 2);
	KT_EXPECT_EQ_U(topo_mem_node(0xc0001000, &end, &exact), 1);
	KT_EXPECT(exact);
	KT_EXPECT_EQ_U(end, 0x100000000ull);
	// A region no memory node covers (e.g. flash below RAM) still gets a
	// node: the nearest range's, flagged as not exact.
	KT_EXPECT_EQ_U(topo_mem_node(0x04000000, &end, &exact), 0);
	KT_EXPECT(!exact);
	KT_EXPECT_EQ_U(end, 0x80000000ull);
	KT_EXPECT_EQ_U(topo_mem_node(0x200000000ull, &end, &exact), 2);
	KT_EXPECT(!exact);
	KT_EXPECT_EQ_U(end, ~0ull);
	free(dtb);
}

KTEST(topology_dt, broken_trees)
{
	static const char *const edits[] = {
	    "s/<0 2 40>,/<0 2>,/",      // distance-matrix not triplets
	    "s/cpu-map/not-a-cpu-map/", // no cpu-map: levels unknown
	    "s/numa-node-id = <1>/numa-node-id = <77>/",
	    "s/next-level-cache = <&l3_0>;//", // L2 without L3
	    "s/device_type = \"memory\";//",   // no memory nodes
	    "s/reg = <0x100>;/reg = <>;/",     // a CPU without reg
	};
	size_t len;
	uint8_t *dtb;

	if (!have_dtc())
		KT_FAIL("dtc not found (python3 configure.py installs "
		        "device-tree-compiler)");
	for (size_t i = 0; i < ARRAY_SIZE(edits); i++) {
		char *text;

		dtb = dt_compile("caches-threads", edits[i], &len);
		KT_ASSERT(dtb != NULL);
		KT_EXPECT_EQ(topology_build_fdt(dtb, len), E_OK);
		KT_EXPECT(topo_cpu_count() >= 6);
		text = topo_test_tree();
		free(text);
		free(topo_test_xml());
		free(dtb);
	}
	// Without its cpu-map the tree's CPUs are one core each and the
	// packages are its NUMA nodes (0: cpu@0..101, 1: cpu@10000..10100).
	dtb = dt_compile("caches-threads", "s/cpu-map/x/", &len);
	KT_ASSERT(dtb != NULL);
	(void)topology_build_fdt(dtb, len);
	KT_EXPECT(topo_level_shown(TOPO_PACKAGE));
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 2);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 7);
	KT_EXPECT_EQ_U(topo_cpu_obj(3, TOPO_PACKAGE), 0);
	KT_EXPECT_EQ_U(topo_cpu_obj(4, TOPO_PACKAGE), 1);
	KT_EXPECT(topo_cpu_obj(0, TOPO_CORE) != topo_cpu_obj(1, TOPO_CORE));
	KT_EXPECT(has_note("levels: no cpu-map"));
	free(dtb);
	// Truncated blobs: rejected by fdt_check_full, then one CPU assumed.
	dtb = dt_compile("caches-threads", NULL, &len);
	KT_ASSERT(dtb != NULL);
	for (size_t cut = 0; cut < len; cut += len / 64 + 1) {
		uint8_t *b = malloc(len);

		memcpy(b, dtb, len);
		memset(b + cut, 0xff, MIN(len - cut, (size_t)16));
		(void)topology_build(b, len);
		KT_EXPECT(topo_cpu_count() >= 1);
		free(b);
	}
	free(dtb);
}

// The Raspberry Pi 3's tree has no cpu-map (and no PPTT exists on a DT
// board): one package of four cores, as Linux's store_cpu_topology() and
// hwloc on Linux show it, the L2 shared by the four. Physical core IDs are
// the CPU numbers.
KTEST(topology_dt, no_cpu_map_one_package)
{
	struct topo_cpuset s;
	uint8_t *dtb;
	size_t len;
	char *text;

	if (!have_dtc())
		KT_FAIL("dtc not found (python3 configure.py installs "
		        "device-tree-compiler)");
	dtb = dt_compile("no-cpu-map", NULL, &len);
	KT_ASSERT(dtb != NULL);
	KT_ASSERT_EQ(topology_build_fdt(dtb, len), E_OK);
	KT_EXPECT_EQ_U(topo_cpu_count(), 4);
	KT_EXPECT(topo_level_shown(TOPO_PACKAGE));
	KT_EXPECT(topo_level_shown(TOPO_CORE));
	KT_EXPECT(!topo_level_shown(TOPO_CLUSTER));
	KT_EXPECT(!topo_level_shown(TOPO_DIE));
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 1);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 4);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PU), 4);
	for (unsigned c = 0; c < 4; c++) {
		topo_siblings(c, TOPO_CORE, &s);
		KT_EXPECT_EQ_U(topo_cpuset_count(&s), 1);
		KT_EXPECT_EQ_U(topo_cpu_phys_id(c, TOPO_CORE), c);
		KT_EXPECT_EQ_U(topo_cpu_phys_id(c, TOPO_PACKAGE), 0);
	}
	topo_siblings(0, TOPO_PACKAGE, &s);
	KT_EXPECT_EQ_U(topo_cpuset_count(&s), 4);
	KT_EXPECT_EQ_U(topo_shared_cache(0, 3),
	               cache_of(0, 2, TOPO_CACHE_UNIFIED));
	KT_EXPECT(has_note("levels: no cpu-map"));
	KT_EXPECT(!has_note("packages: unknown"));
	KT_EXPECT(!has_note("cores: unknown"));
	text = topo_test_tree();
	KT_EXPECT(strstr(text, "Package L#0") != NULL);
	KT_EXPECT(strstr(text, "Core L#3") != NULL);
	free(text);
	free(dtb);
}

// A next-level-cache cycle (l3 -> l2 -> l3 ...) with cache-level set must
// not loop forever.
KTEST(topology_dt, cache_cycle)
{
	size_t len;
	uint8_t *dtb;

	if (!have_dtc())
		KT_FAIL("dtc not found (python3 configure.py installs "
		        "device-tree-compiler)");
	dtb = dt_compile("caches-threads",
	                 "s/cache-unified; cache-size = <0x1000000>; };/"
	                 "cache-unified; cache-size = <0x1000000>; "
	                 "next-level-cache = <\\&l2_0>; };/",
	                 &len);
	KT_ASSERT(dtb != NULL);
	KT_EXPECT_EQ(topology_build_fdt(dtb, len), E_OK);
	KT_EXPECT_EQ_U(topo_cpu_count(), 7);
	free(dtb);
}
