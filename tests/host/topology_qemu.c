// SPDX-License-Identifier: MIT
// Topology built on the host from QEMU's tables:
//  - generated fixtures (build/topology-fixtures/<config>/, written by
//    tests/topology/matrix.py: the kernel's dump of its ACPI tables and
//    CPUID, or QEMU's own DTB for acpi=off, the kernel's text, and the
//    expectation computed from the QEMU options): the host model must meet
//    the expectation and print exactly the kernel's text;
//  - malformed variants of every table in those dumps (truncated with a
//    fixed checksum, bad checksum, every byte of the entries set to 0xff or
//    0x00): the build never crashes, reports, and still finds every CPU
//    while the MADT is intact;
//  - QEMU's reference tables (build/deps/qemu-acpi): every configuration
//    builds, CPUs and nodes agree with the MADT / SRAT, and the acpihmatvirt
//    configuration (-smp 4,sockets=2, three nodes, HMAT) in detail.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/madt.h>
#include <acpi/srat.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <topology/build.h>
#include "acpi_raw.h"
#include "acpi_util.h"
#include "topology_util.h"

#define MAX_FIXTURES 64

struct expect {
	unsigned levels[5]; // Package Die Group Core PU
	int caches[2];      // L3 L2, -1 = not checked
};

static unsigned shown_count(enum topo_level l)
{
	return topo_level_shown(l) ? topo_level_count(l) : 0;
}

static unsigned count_caches(unsigned level)
{
	unsigned n = 0;

	for (unsigned i = 0; i < topo_cache_count(); i++)
		n += topo_cache_get(i)->level == level;
	return n;
}

// "cache TYPE COUNT SIZE WAYS": that many caches of the hwloc type
// (L1Cache = data, L1iCache, L2Cache, L3Cache), all of that size and ways.
static void check_cache(struct ktest *t, const char *cfg, const char *line)
{
	char type[16];
	unsigned count, size, ways, level, n = 0, bad = 0;
	bool instr;

	if (sscanf(line, "cache %15s %u %u %u", type, &count, &size, &ways) !=
	    4)
		return;
	level = (unsigned)(type[1] - '0');
	instr = type[2] == 'i';
	for (unsigned i = 0; i < topo_cache_count(); i++) {
		const struct topo_cache *c = topo_cache_get(i);

		if (c->level != level ||
		    (c->type == TOPO_CACHE_INSTRUCTION) != instr)
			continue;
		n++;
		bad += c->size != size || c->ways != ways;
	}
	if (!KT_EXPECT_EQ_U(n, count) || !KT_EXPECT_EQ_U(bad, 0))
		ktest_log(t, "%s: %s: %u caches, %u of another size/ways", cfg,
		          type, n, bad);
}

static bool check_node(struct ktest *t, const char *cfg, const char *line)
{
	unsigned dom, node;
	long mem;
	char cpus[1024];
	struct topo_cpuset want = {0}, got;

	long slack = 0; // one node: the firmware keeps up to this much

	if (sscanf(line, "node %u %ld %1023s %ld", &dom, &mem, cpus, &slack) <
	    3)
		return false;
	node = topo_find_node(dom);
	if (!KT_EXPECT(node != TOPO_NONE)) {
		ktest_log(t, "%s: node %u missing", cfg, dom);
		return false;
	}
	for (char *p = cpus; *p && *p != '-';) {
		topo_cpuset_set(&want, (unsigned)strtoul(p, &p, 10));
		if (*p == ',')
			p++;
	}
	topo_node_cpus(node, &got);
	if (!KT_EXPECT(memcmp(&want, &got, sizeof(got)) == 0))
		ktest_log(t, "%s: node %u CPUs differ", cfg, dom);
	if (mem >= 0) {
		long d = (long)topo_node_mem_bytes(node) - mem;

		if (!KT_EXPECT(d < (1 << 20) && d > -(1 << 20) - slack))
			ktest_log(
			    t, "%s: node %u memory %lu, expected %ld", cfg, dom,
			    (unsigned long)topo_node_mem_bytes(node), mem);
	}
	return true;
}

static void check_pair(struct ktest *t, const char *cfg, const char *line)
{
	unsigned a, b, na, nb;
	unsigned long v, got = 0;
	char what[8];

	if (sscanf(line, "%7s %u %u %lu", what, &a, &b, &v) != 4)
		return;
	na = topo_find_node(a);
	nb = topo_find_node(b);
	if (!KT_EXPECT(na != TOPO_NONE && nb != TOPO_NONE))
		return;
	if (!strcmp(what, "dist"))
		got = topo_node_distance(na, nb);
	else if (!strcmp(what, "lat"))
		got = (unsigned long)(topo_node_latency_ps(na, nb) / 1000);
	else if (!strcmp(what, "bw"))
		got = (unsigned long)topo_node_bandwidth_mbs(na, nb);
	if (!KT_EXPECT_EQ_U(got, v))
		ktest_log(t, "%s: %s %u->%u", cfg, what, a, b);
}

static void check_expect(struct ktest *t, const char *cfg, char *text)
{
	static const enum topo_level lv[5] = {TOPO_PACKAGE, TOPO_DIE,
	                                      TOPO_CLUSTER, TOPO_CORE, TOPO_PU};

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned v[5];

		if (sscanf(line, "levels %u %u %u %u %u", &v[0], &v[1], &v[2],
		           &v[3], &v[4]) == 5) {
			for (int i = 0; i < 5; i++)
				if (!KT_EXPECT_EQ_U(shown_count(lv[i]), v[i]))
					ktest_log(t, "%s: %s", cfg,
					          topo_level_name(lv[i]));
		} else if (sscanf(line, "caches %u %u", &v[0], &v[1]) == 2) {
			KT_EXPECT_EQ_U(count_caches(3), v[0]);
			KT_EXPECT_EQ_U(count_caches(2), v[1]);
		} else if (!strncmp(line, "cache ", 6)) {
			check_cache(t, cfg, line);
		} else if (!strncmp(line, "node ", 5)) {
			check_node(t, cfg, line);
		} else {
			check_pair(t, cfg, line);
		}
	}
}

static bool load_fixture(const char *dir, struct topo_input *in)
{
	char path[512];
	char *dump;

	snprintf(path, sizeof(path), "%s/dump.txt", dir);
	dump = topo_test_read(path, NULL);
	memset(in, 0, sizeof(*in));
	if (dump) {
		topo_test_parse_dump(dump, in);
		free(dump);
	}
	// acpi=off: QEMU's DTB, with the kernel's dump for its registers.
	snprintf(path, sizeof(path), "%s/qemu.dtb", dir);
	in->dtb = (uint8_t *)topo_test_read(path, &in->dtb_size);
	return dump || in->dtb != NULL;
}

static int list_fixtures(char names[][128])
{
	const char *dir = topo_test_fixtures_dir();

	return dir ? acpi_test_list_dirs(dir, names, MAX_FIXTURES) : 0;
}

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "0.0-unknown"
#endif

// The kernel text can only equal ours if the fixture came from this build
// (tests/topology/matrix.py records the kernel's banner version).
static bool same_version(const char *dir)
{
	char path[600], *v;
	bool same;

	snprintf(path, sizeof(path), "%s/version", dir);
	v = topo_test_read(path, NULL);
	same = v && strncmp(v, CAIRN_VERSION, strlen(CAIRN_VERSION)) == 0 &&
	       v[strlen(CAIRN_VERSION)] == '\n';
	free(v);
	return same;
}

KTEST(topology_qemu, generated_fixtures)
{
	static char names[MAX_FIXTURES][128];
	int n = list_fixtures(names), compared = 0;

	if (n <= 0)
		KT_FAIL("no fixtures in build/topology-fixtures: "
		        "tests/topology/matrix.py writes them "
		        "(tools/run-tests.py runs it first)");
	for (int i = 0; i < n; i++) {
		char dir[512], path[600];
		struct topo_input in;
		char *expect, *kernel, *text;

		snprintf(dir, sizeof(dir), "%s/%s", topo_test_fixtures_dir(),
		         names[i]);
		KT_ASSERT(load_fixture(dir, &in));
		KT_EXPECT_EQ(topo_test_build(&in), E_OK);
		snprintf(path, sizeof(path), "%s/expect.txt", dir);
		expect = topo_test_read(path, NULL);
		snprintf(path, sizeof(path), "%s/kernel.txt", dir);
		kernel = topo_test_read(path, NULL);
		KT_ASSERT(expect && kernel);
		check_expect(t, names[i], expect);
		text = topo_test_tree();
		if (!same_version(dir))
			ktest_log(t,
			          "%s: from another build; text not compared",
			          names[i]);
		else if (!KT_EXPECT_STR(text, kernel))
			ktest_log(t, "%s: host text differs from the kernel's",
			          names[i]);
		else
			compared++;
		free(text);
		free(expect);
		free(kernel);
		topo_test_free(&in);
	}
	ktest_log(t, "%d generated QEMU configurations, %d texts compared", n,
	          compared);
}

// Builds with table k of in replaced by buf[0..len); returns CPUs found.
static unsigned build_variant(struct topo_input *in, unsigned k, uint8_t *buf,
                              size_t len)
{
	uint8_t *orig = in->tables[k];
	size_t olen = in->lens[k];

	in->tables[k] = buf;
	in->lens[k] = len;
	(void)topo_test_build(in);
	in->tables[k] = orig;
	in->lens[k] = olen;
	return topo_cpu_count();
}

static unsigned madt_cpus(const struct topo_input *in)
{
	for (unsigned k = 0; k < in->ntables; k++)
		if (!memcmp(in->tables[k], "APIC", 4)) {
			(void)topo_test_build(in);
			return topo_cpu_count();
		}
	return 0;
}

static unsigned mutate_table(struct ktest *t, struct topo_input *in, unsigned k,
                             unsigned cpus, bool every_byte)
{
	size_t len = in->lens[k];
	bool madt = !memcmp(in->tables[k], "APIC", 4);
	unsigned runs = 0;

	for (size_t cut = ACPI_SDT_HEADER_LEN; cut < len; cut += 4) {
		uint8_t *b = malloc(cut); // exactly sized: ASan sees overruns

		memcpy(b, in->tables[k], cut);
		acpi_test_fix(b, (uint32_t)cut, cut);
		if (build_variant(in, k, b, cut) != cpus && !madt)
			KT_EXPECT(false);
		free(b);
		runs++;
	}
	// Random 1-4 byte corruptions anywhere past the header (fixed seed).
	for (unsigned r = 0; r < 64; r++) {
		static uint32_t seed = 12345;
		uint8_t *b = malloc(len);
		size_t at;

		memcpy(b, in->tables[k], len);
		seed = seed * 1103515245u + 12345u;
		at = ACPI_SDT_HEADER_LEN +
		     (seed >> 8) % (len - ACPI_SDT_HEADER_LEN);
		for (size_t j = 0; j < 1 + (seed & 3) && at + j < len; j++)
			b[at + j] = (uint8_t)(seed >> (8 * j + 3));
		acpi_test_fix(b, (uint32_t)len, len);
		if (build_variant(in, k, b, len) != cpus && !madt)
			KT_EXPECT(false);
		free(topo_test_tree());
		free(topo_test_xml());
		free(b);
		runs++;
	}
	for (size_t i = ACPI_SDT_HEADER_LEN; every_byte && i < len; i++)
		for (int v = 0; v < 2; v++) {
			uint8_t *b = malloc(len);

			memcpy(b, in->tables[k], len);
			b[i] = v ? 0xff : 0x00;
			acpi_test_fix(b, (uint32_t)len, len);
			if (build_variant(in, k, b, len) != cpus && !madt &&
			    !KT_EXPECT(false))
				ktest_log(t, "%.4s byte %zu = %#x lost CPUs",
				          (const char *)b, i, b[i]);
			free(topo_test_tree());
			free(b);
			runs++;
		}
	return runs;
}

KTEST(topology_qemu, malformed_tables)
{
	static char names[MAX_FIXTURES][128];
	int n = list_fixtures(names);
	unsigned runs = 0;

	if (n <= 0)
		KT_FAIL("no fixtures in build/topology-fixtures: "
		        "tests/topology/matrix.py writes them "
		        "(tools/run-tests.py runs it first)");
	acpi_set_quiet(true);
	for (int i = 0; i < n; i++) {
		char dir[512];
		struct topo_input in;
		unsigned cpus;
		// Every byte of the small configurations' tables; truncations
		// of all.
		bool every =
		    strstr(names[i], "numa3") || strstr(names[i], "smp1");

		snprintf(dir, sizeof(dir), "%s/%s", topo_test_fixtures_dir(),
		         names[i]);
		KT_ASSERT(load_fixture(dir, &in));
		cpus = madt_cpus(&in);
		for (unsigned k = 0; k < in.ntables; k++)
			runs += mutate_table(t, &in, k, cpus, every);
		topo_test_free(&in);
	}
	acpi_set_quiet(false);
	ktest_log(t, "%u malformed builds", runs);
}

// --- QEMU's reference tables --------------------------------------------

static bool load_ref(const char *cfg, const char *sig, const char *variant,
                     struct topo_input *in)
{
	char path[600];
	struct acpi_file f;

	snprintf(path, sizeof(path), "%s/%s/%s%s%s", acpi_test_qemu_dir(), cfg,
	         sig, *variant ? "." : "", variant);
	if (acpi_test_load_file(path, &f) != 0) {
		if (!*variant)
			return false;
		return load_ref(cfg, sig, "", in); // base table of the config
	}
	in->tables[in->ntables] = f.buf;
	in->lens[in->ntables++] = f.len;
	return true;
}

// Counted from the SRAT's raw bytes (acpi_raw.c), not with acpi/.
static unsigned srat_domains(const struct topo_input *in, bool gicc)
{
	size_t len;
	const uint8_t *srat =
	    raw_find("SRAT", in->tables, in->lens, in->ntables, &len);

	return srat ? raw_srat_domains(srat, len, gicc) : 0;
}

KTEST(topology_qemu, reference_tables)
{
	static const char *const cfgs[] = {"virt", "q35", "pc"};
	static const char *const variants[] = {"",
	                                       "numamem",
	                                       "memhp",
	                                       "acpihmat",
	                                       "acpihmatvirt",
	                                       "acpihmat-noinitiator",
	                                       "cphp",
	                                       "dimmpxm",
	                                       "xapic",
	                                       "core-count2",
	                                       "mmio64"};
	unsigned built = 0;

	if (!acpi_test_qemu_dir())
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	for (size_t c = 0; c < ARRAY_SIZE(cfgs); c++)
		for (size_t v = 0; v < ARRAY_SIZE(variants); v++) {
			static const char *const sigs[] = {"SRAT", "SLIT",
			                                   "PPTT", "HMAT"};
			struct topo_input in;
			unsigned doms;
			char *xml;

			memset(&in, 0, sizeof(in));
			if (!load_ref(cfgs[c], "APIC", variants[v], &in))
				continue;
			for (size_t s = 0; s < ARRAY_SIZE(sigs); s++) {
				char path[600];
				FILE *f;

				snprintf(path, sizeof(path), "%s/%s/%s.%s",
				         acpi_test_qemu_dir(), cfgs[c], sigs[s],
				         variants[v]);
				if ((f = fopen(path, "rb")) || !*variants[v]) {
					if (f)
						fclose(f);
					(void)load_ref(cfgs[c], sigs[s],
					               variants[v], &in);
				}
			}
			KT_EXPECT_EQ(topo_test_build(&in), E_OK);
			doms = srat_domains(&in, !strcmp(cfgs[c], "virt"));
			if (!KT_EXPECT_EQ_U(topo_node_count(), doms ? doms : 1))
				ktest_log(t, "%s.%s", cfgs[c], variants[v]);
			xml = topo_test_xml();
			KT_EXPECT(strstr(xml, "</topology>") != NULL);
			free(xml);
			built++;
			topo_test_free(&in);
		}
	ktest_log(t, "%u QEMU reference configurations built", built);
	KT_EXPECT(built >= 15);
}

// QEMU's test: -machine hmat=on -smp 4,sockets=2 -m 256M; nodes 0 (CPUs
// 0-1, 64M), 1 (CPUs 2-3, 64M), 2 (128M, initiator 0); latency 10/20/30 ns,
// bandwidth 10/5/1 MB/s.
KTEST(topology_qemu, virt_hmat_reference)
{
	struct topo_input in;
	struct topo_cpuset s;

	if (!acpi_test_qemu_dir())
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	memset(&in, 0, sizeof(in));
	KT_ASSERT(load_ref("virt", "APIC", "acpihmatvirt", &in));
	KT_ASSERT(load_ref("virt", "PPTT", "acpihmatvirt", &in));
	KT_ASSERT(load_ref("virt", "SRAT", "acpihmatvirt", &in));
	KT_ASSERT(load_ref("virt", "HMAT", "acpihmatvirt", &in));
	KT_ASSERT_EQ(topo_test_build(&in), E_OK);
	KT_EXPECT_EQ_U(topo_cpu_count(), 4);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 2);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 4);
	KT_ASSERT(topo_node_count() == 3);
	topo_node_cpus(2, &s);
	KT_EXPECT_EQ_U(topo_cpuset_count(&s), 0); // memory-only
	KT_EXPECT_EQ_U(topo_node_mem_bytes(2), 128u << 20);
	KT_EXPECT_EQ_U(topo_cpu_node(3), 1);
	KT_EXPECT_EQ_U(topo_node_latency_ps(0, 0), 10000);
	KT_EXPECT_EQ_U(topo_node_latency_ps(1, 2), 30000);
	KT_EXPECT_EQ_U(topo_node_bandwidth_mbs(0, 1), 5);
	KT_EXPECT_EQ_U(topo_node_latency_ps(2, 0), 0); // no CPUs, no data
	KT_EXPECT(!topo_distances_known());
	KT_EXPECT_EQ_U(topo_node_distance(0, 1), 20);
	topo_test_free(&in);
}
