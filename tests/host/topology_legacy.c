// SPDX-License-Identifier: MIT
// Caches without topology-extension leaves or firmware cache tables:
//  - AMD's legacy leaves 0x80000005/6 (QEMU's TCG EPYC / Opteron models):
//    sizes, the APM's associativity codes, L3 per package by the
//    0x80000008 core ID width, a missing L3;
//  - AArch64 CLIDR/CCSIDR through the hal/cacheid.h stand-in, in the
//    32-bit and the FEAT_CCIDX 64-bit CCSIDR layouts, with the stated
//    sharing (L1 per core, last level per cluster).
// Expectations are built from the register fields the tests encode.
#include <string.h>
#include <acpi/acpi.h>
#include <hal/cacheid.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <tests/unit/acpi_build.h>
#include <topology/build.h>
#include "topology_util.h"

// The one cache of this level and type that CPU cpu has, or NULL.
static const struct topo_cache *cache_of(unsigned cpu, unsigned level,
                                         uint8_t type, unsigned *idx)
{
	unsigned ids[TOPO_MAX_CPU_CACHES];
	unsigned n = topo_cpu_caches(cpu, ids);

	for (unsigned i = 0; i < n; i++) {
		const struct topo_cache *c = topo_cache_get(ids[i]);

		if (c->level == level && c->type == type) {
			*idx = ids[i];
			return c;
		}
	}
	return NULL;
}

static unsigned sharers(unsigned idx)
{
	struct topo_cpuset s;

	topo_cache_cpus(idx, &s);
	return topo_cpuset_count(&s);
}

#define LEAF(leaf, a, b, c, d)                                                 \
	{                                                                      \
		leaf, 0,                                                       \
		{                                                              \
			a, b, c, d                                             \
		}                                                              \
	}
// 0x80000005 L1: size KiB << 24 | ways << 16 | lines per tag << 8 | line.
#define AMD_L1(kib, ways) ((kib) << 24 | (ways) << 16 | 1 << 8 | 64)
// 0x80000006: L2 size KiB << 16, L3 size in 512 KiB << 18; code << 12.
#define AMD_L2(kib, code) ((kib) << 16 | (code) << 12 | 1 << 8 | 64)
#define AMD_L3(half_mib, code) ((half_mib) << 18 | (code) << 12 | 1 << 8 | 64)

static struct host_cpuid_leaf legacy[] = {
    LEAF(0, 0xd, 0x68747541, 0x444d4163, 0x69746e65), // AuthenticAMD
    LEAF(1, 0, 0, 0, 1u << 28),
    LEAF(0x80000000u, 0x80000008u, 0, 0, 0),
    LEAF(0x80000001u, 0, 0, 0, 0), // no TopologyExtensions
    LEAF(0x80000005u, 0, 0, AMD_L1(32, 8), AMD_L1(64, 0xff)),
    LEAF(0x80000006u, 0, 0, AMD_L2(1024, 0xa), AMD_L3(64, 0xe)),
    LEAF(0x80000008u, 0, 0, 3u << 12 | 7, 0), // 8 IDs per package
};

KTEST(topology_legacy, amd_legacy_leaves)
{
	const struct topo_cache *c;
	unsigned idx;

	KT_ASSERT_EQ(topo_test_setup_lapics(16, legacy, ARRAY_SIZE(legacy)),
	             E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT(strstr(topo_sources(), "0x80000005/0x80000006") != NULL);
	c = cache_of(9, 1, TOPO_CACHE_DATA, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->size, 32u << 10);
	KT_EXPECT_EQ_U(c->ways, 8);
	KT_EXPECT_EQ_U(c->sets, (32u << 10) / 64 / 8);
	KT_EXPECT_EQ_U(sharers(idx), 1);
	c = cache_of(9, 1, TOPO_CACHE_INSTRUCTION, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->ways, 0xffffffffu); // 0xff: fully associative
	c = cache_of(9, 2, TOPO_CACHE_UNIFIED, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->size, 1u << 20);
	KT_EXPECT_EQ_U(c->ways, 32); // APM code 0xA
	c = cache_of(9, 3, TOPO_CACHE_UNIFIED, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->size, 64u * (512u << 10));
	KT_EXPECT_EQ_U(c->ways, 128);    // APM code 0xE
	KT_EXPECT_EQ_U(sharers(idx), 8); // APIC IDs 8-15: package 1
	KT_EXPECT_EQ_U(topo_cache_count(), 16 * 3 + 2);
	// Code 9 ("see 0x8000001D") is unknown ways; EDX = 0: no L3.
	legacy[5].r.ecx = AMD_L2(512, 9);
	legacy[5].r.edx = 0;
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	c = cache_of(0, 2, TOPO_CACHE_UNIFIED, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->ways, 0);
	KT_EXPECT_EQ_U(c->sets, 0);
	KT_EXPECT(cache_of(0, 3, TOPO_CACHE_UNIFIED, &idx) == NULL);
	legacy[5].r.ecx = AMD_L2(1024, 0xa);
	legacy[5].r.edx = AMD_L3(64, 0xe);
	host_cpuid_load(NULL, 0);
	acpi_reset();
}

// 32-bit CCSIDR: (sets-1) << 13 | (ways-1) << 3 | log2(line) - 4.
#define CCSIDR32(sets, ways, l2)                                               \
	((sets)-1ull) << 13 | ((ways)-1ull) << 3 | ((l2)-4)
// FEAT_CCIDX: (sets-1) << 32 | (ways-1) << 3 | log2(line) - 4.
#define CCSIDR64(sets, ways, l2)                                               \
	((sets)-1ull) << 32 | ((ways)-1ull) << 3 | ((l2)-4)

// 2 packages x 2 clusters x 2 cores, built through the builder interface.
static void build_arm(const struct hal_cacheid *r)
{
	host_cacheid_load(r);
	topo_reset();
	for (unsigned i = 0; i < 8; i++) {
		unsigned cpu;

		if (topo_add_cpu(i, i, &cpu) != E_OK)
			break;
		topo_set_cpu_id(cpu, TOPO_PACKAGE, i / 4);
		topo_set_cpu_id(cpu, TOPO_CLUSTER, i / 2);
		topo_set_cpu_id(cpu, TOPO_CORE, i);
	}
	topo_cacheid_apply();
	topo_finish();
	host_cacheid_load(NULL);
}

KTEST(topology_legacy, arm_clidr_ccsidr)
{
	struct hal_cacheid r = {0};
	const struct topo_cache *c;
	unsigned idx;

	// Cortex-A72 as QEMU models it: separate L1, unified L2.
	r.clidr = 3 | 4 << 3;
	r.ccsidr[0][0] = CCSIDR32(256, 2, 6);
	r.ccsidr[0][1] = CCSIDR32(256, 3, 6);
	r.ccsidr[1][0] = CCSIDR32(1024, 16, 6);
	build_arm(&r);
	KT_ASSERT_EQ(topo_cpu_count(), 8u);
	c = cache_of(5, 1, TOPO_CACHE_INSTRUCTION, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->size, 256u * 3 * 64);
	KT_EXPECT_EQ_U(sharers(idx), 1);
	c = cache_of(5, 2, TOPO_CACHE_UNIFIED, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->size, 1u << 20);
	KT_EXPECT_EQ_U(c->line, 64);
	KT_EXPECT_EQ_U(sharers(idx), 2); // the cluster: CPUs 4-5
	KT_EXPECT_EQ_U(topo_cache_count(), 8 * 2 + 4);
	// FEAT_CCIDX layout, three levels: ways and sets past the 32-bit
	// fields' reach; L2 private, L3 per cluster.
	r.ccidx = true;
	r.clidr = 3 | 4 << 3 | 4 << 6;
	r.ccsidr[0][0] = CCSIDR64(128, 4, 6);
	r.ccsidr[0][1] = CCSIDR64(128, 4, 6);
	r.ccsidr[1][0] = CCSIDR64(1024, 8, 6);
	r.ccsidr[2][0] = CCSIDR64(65536, 2048, 4);
	build_arm(&r);
	c = cache_of(3, 3, TOPO_CACHE_UNIFIED, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->ways, 2048);
	KT_EXPECT_EQ_U(c->sets, 65536);
	KT_EXPECT_EQ_U(c->line, 16);
	KT_EXPECT_EQ_U(c->size, 65536u * 2048 * 16);
	KT_EXPECT_EQ_U(sharers(idx), 2); // last level: the cluster
	c = cache_of(3, 2, TOPO_CACHE_UNIFIED, &idx);
	KT_ASSERT(c != NULL);
	KT_EXPECT_EQ_U(c->size, 1024u * 8 * 64);
	KT_EXPECT_EQ_U(sharers(idx), 1);
}

// A big.LITTLE-like machine (issue 11): the boot CPU answers as a
// Cortex-A53 (32 KiB L1s, 512 KiB L2 per cluster), CPUs 4-7 recorded
// their own registers as a Cortex-A72 (48 KiB L1i, 32 KiB L1d, 1 MiB L2).
// Each CPU gets its own answer; the CPUs that recorded nothing get the
// boot CPU's. Expected sizes computed from the CCSIDR fields set here.
KTEST(topology_legacy, arm_clidr_per_cpu)
{
	struct hal_cacheid little = {0}, big = {0};
	const struct topo_cache *c;
	unsigned idx;

	little.clidr = big.clidr = 3 | 4 << 3;
	little.ccsidr[0][0] = CCSIDR32(128, 4, 6);
	little.ccsidr[0][1] = CCSIDR32(256, 2, 6);
	little.ccsidr[1][0] = CCSIDR32(512, 16, 6);
	big.ccsidr[0][0] = CCSIDR32(256, 2, 6);
	big.ccsidr[0][1] = CCSIDR32(256, 3, 6);
	big.ccsidr[1][0] = CCSIDR32(1024, 16, 6);
	topology_cacheid_clear();
	for (uint64_t hw = 4; hw < 8; hw++)
		topology_cacheid_set(hw, &big);
	build_arm(&little);
	topology_cacheid_clear();
	for (unsigned cpu = 0; cpu < 8; cpu++) {
		bool b = topo_cpu_hwid(cpu) >= 4;

		c = cache_of(cpu, 1, TOPO_CACHE_INSTRUCTION, &idx);
		KT_ASSERT(c != NULL);
		KT_EXPECT_EQ_U(c->size, b ? 256u * 3 * 64 : 256u * 2 * 64);
		c = cache_of(cpu, 1, TOPO_CACHE_DATA, &idx);
		KT_ASSERT(c != NULL);
		KT_EXPECT_EQ_U(c->size, b ? 256u * 2 * 64 : 128u * 4 * 64);
		c = cache_of(cpu, 2, TOPO_CACHE_UNIFIED, &idx);
		KT_ASSERT(c != NULL);
		KT_EXPECT_EQ_U(c->size, b ? 1u << 20 : 512u * 1024);
		KT_EXPECT_EQ_U(sharers(idx), 2); // the cluster
	}
	bool noted = false;
	for (unsigned i = 0; i < topo_note_count(); i++)
		noted |=
		    strstr(topo_note_get(i),
		           "4 of 8 read on the CPU itself, 4 differ") != NULL;
	KT_EXPECT(noted);
}
