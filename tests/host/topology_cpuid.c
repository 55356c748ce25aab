// SPDX-License-Identifier: MIT
// Topology from CPUID dumps and PPTT cache nodes, on MADTs built in memory:
//  - Intel-style leaf 0x1F with module and die levels, leaf 4 caches;
//  - AMD-style: no leaf 0xB, widths from 0x80000008 / 0x8000001E, caches
//    from 0x8000001D (topology extensions);
//  - an AMD CPU without topology extensions: caches reported unknown;
//  - `cpuid -r` text parsed by the host stub;
//  - tests/fixtures/acpi/pptt-caches.asl (iasl at test time) with a GICC
//    MADT: L1/L2 per core, L3 per package, levels 1-3.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acpi/acpi.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <tests/unit/acpi_build.h>
#include <topology/build.h>
#include "acpi_util.h"
#include "topology_util.h"

static uint8_t madt_buf[4096];

// Arm MADT: n enabled GICCs, uid i, MPIDR i.
static const struct acpi_sdt_header *madt_giccs(unsigned n)
{
	struct acpi_tb b;

	acpi_tb_init(&b, madt_buf, sizeof(madt_buf), "APIC", 5);
	acpi_tb_add(&b, 0, 4);
	acpi_tb_add(&b, 0, 4);
	for (unsigned i = 0; i < n; i++) {
		uint32_t o = acpi_tb_entry(&b, 0x0b, 80);

		acpi_tb_put(&b, o + 4, i, 4);
		acpi_tb_put(&b, o + 8, i, 4);
		acpi_tb_put(&b, o + 12, 1, 4);
		acpi_tb_put(&b, o + 68, i, 8);
	}
	return acpi_tb_finish(&b);
}

static void teardown(void)
{
	host_cpuid_load(NULL, 0);
	acpi_reset();
}

static unsigned count_level(unsigned level, uint8_t type)
{
	unsigned n = 0;

	for (unsigned i = 0; i < topo_cache_count(); i++)
		n += topo_cache_get(i)->level == level &&
		     topo_cache_get(i)->type == type;
	return n;
}

static bool has_note(const char *prefix)
{
	for (unsigned i = 0; i < topo_note_count(); i++)
		if (!strncmp(topo_note_get(i), prefix, strlen(prefix)))
			return true;
	return false;
}

#define L(leaf, sub, a, b, c, d)                                               \
	{                                                                      \
		leaf, sub,                                                     \
		{                                                              \
			a, b, c, d                                             \
		}                                                              \
	}
// Cache leaf EAX: type | level << 5 | (sharing - 1) << 14; EBX: ways-1 <<
// 22 | line-1; ECX: sets-1.
#define CACHE(t, lvl, share) ((t) | (lvl) << 5 | ((share)-1) << 14)
#define GEOM(ways) (((ways)-1) << 22 | 63)

static const struct host_cpuid_leaf intel[] = {
    L(0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69), // GenuineIntel
    L(1, 0, 0, 0, 0, 1u << 28),
    L(4, 0, CACHE(1, 1, 2), GEOM(8), 63, 0),
    L(4, 1, CACHE(2, 1, 2), GEOM(8), 63, 0),
    L(4, 2, CACHE(3, 2, 8), GEOM(16), 1023, 0),
    L(4, 3, CACHE(3, 3, 32), GEOM(16), 16383, 0),
    L(0x1f, 0, 1, 2, 0x100, 0),  // SMT: 1 bit
    L(0x1f, 1, 3, 8, 0x201, 0),  // core: 2 more bits
    L(0x1f, 2, 4, 16, 0x302, 0), // module: 1 more bit
    L(0x1f, 3, 5, 32, 0x503, 0), // die: 1 more bit
    L(0x1f, 4, 0, 0, 4, 0),
    L(0x80000000u, 0, 0x80000008u, 0, 0, 0),
};

KTEST(topology_cpuid, intel_leaf_1f_module_die)
{
	KT_ASSERT_EQ(topo_test_setup_lapics(64, intel, ARRAY_SIZE(intel)),
	             E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_cpu_count(), 64);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 2);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_DIE), 4);
	KT_EXPECT(topo_level_shown(TOPO_DIE));
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CLUSTER), 8);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 32);
	KT_EXPECT_EQ_U(topo_cpu_phys_id(37, TOPO_PACKAGE), 1);
	KT_EXPECT_EQ_U(topo_cpu_phys_id(37, TOPO_CORE), 2);
	KT_EXPECT_EQ_U(topo_cpu_phys_id(37, TOPO_PU), 1);
	KT_EXPECT_EQ_U(count_level(1, TOPO_CACHE_DATA), 32);
	KT_EXPECT_EQ_U(count_level(1, TOPO_CACHE_INSTRUCTION), 32);
	KT_EXPECT_EQ_U(count_level(2, TOPO_CACHE_UNIFIED), 8);
	KT_EXPECT_EQ_U(count_level(3, TOPO_CACHE_UNIFIED), 2);
	KT_EXPECT_EQ_U(topo_cache_get(topo_shared_cache(0, 7))->level, 2);
	KT_EXPECT_EQ_U(topo_cache_get(topo_shared_cache(0, 8))->level, 3);
	KT_EXPECT_EQ_U(topo_cache_get(topo_shared_cache(0, 8))->size,
	               16u * 64 * 16384);
	KT_EXPECT_EQ_U(topo_shared_cache(0, 32), TOPO_NONE);
	teardown();
}

static const struct host_cpuid_leaf amd[] = {
    L(0, 0, 0xa, 0x68747541, 0x444d4163, 0x69746e65), // AuthenticAMD
    L(1, 0, 0, 0, 0, 1u << 28),
    L(0x80000000u, 0, 0x8000001fu, 0, 0, 0),
    L(0x80000001u, 0, 0, 0, 1u << 22, 0),      // topology extensions
    L(0x80000008u, 0, 0, 0, 4u << 12 | 15, 0), // 16 IDs per package
    L(0x8000001du, 0, CACHE(1, 1, 2), GEOM(8), 63, 0),
    L(0x8000001du, 1, CACHE(2, 1, 2), GEOM(8), 63, 0),
    L(0x8000001du, 2, CACHE(3, 2, 2), GEOM(8), 1023, 0),
    L(0x8000001du, 3, CACHE(3, 3, 8), GEOM(16), 8191, 0), // CCX of 4
    L(0x8000001eu, 0, 0, 1u << 8, 0, 0),                  // 2 threads per core
};

KTEST(topology_cpuid, amd_extended_leaves)
{
	KT_ASSERT_EQ(topo_test_setup_lapics(32, amd, ARRAY_SIZE(amd)), E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 2);
	KT_EXPECT(!topo_level_shown(TOPO_DIE));
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 16);
	KT_EXPECT_EQ_U(count_level(3, TOPO_CACHE_UNIFIED), 4);
	KT_EXPECT_EQ_U(count_level(2, TOPO_CACHE_UNIFIED), 16);
	KT_EXPECT(strstr(topo_sources(), "0x8000001d") != NULL);
	// Without topology extensions: no sharing information at all.
	host_cpuid_load(amd, 4);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_cache_count(), 0);
	KT_EXPECT(has_note("caches: unknown"));
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 32); // width 0: 1 each
	teardown();
}

KTEST(topology_cpuid, cpuid_r_text)
{
	static const char text[] =
	    "CPU 0:\n"
	    "   0x00000000 0x00: eax=0x0000000b ebx=0x756e6547 "
	    "ecx=0x6c65746e edx=0x49656e69\n"
	    "   0x0000000b 0x00: eax=0x00000001 ebx=0x00000002 "
	    "ecx=0x00000100 edx=0x00000000\n"
	    "   0x0000000b 0x01: eax=0x00000004 ebx=0x00000008 "
	    "ecx=0x00000201 edx=0x00000000\n"
	    "CPU 1:\n"
	    "   0x00000000 0x00: eax=0x0000000b ebx=0x756e6547 "
	    "ecx=0x6c65746e edx=0x49656e69\n";
	struct host_cpuid_leaf l[8];
	struct hal_cpuid_regs r;

	KT_ASSERT(host_cpuid_parse(text, l, 8) == 3);
	host_cpuid_load(l, 3);
	KT_EXPECT(hal_cpuid(0xb, 1, &r));
	KT_EXPECT_EQ_U(r.eax, 4);
	KT_EXPECT(hal_cpuid(4, 0, &r)); // within the maximum: zeros
	KT_EXPECT_EQ_U(r.eax, 0);
	KT_EXPECT(!hal_cpuid(0x1f, 0, &r));
	KT_ASSERT_EQ(topo_test_setup_lapics(16, l, 3), E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 1);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 8);
	KT_EXPECT(has_note("caches: unknown"));
	teardown();
}

KTEST(topology_cpuid, pptt_cache_nodes)
{
	char dir[] = "/tmp/cairn-pptt-XXXXXX", cmd[512], out[600];
	struct acpi_file f;
	unsigned l1a, l1b, l3, idx[TOPO_MAX_CPU_CACHES], n;

	if (system("iasl -v >/dev/null 2>&1") != 0)
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	KT_ASSERT(mkdtemp(dir) != NULL);
	snprintf(cmd, sizeof(cmd),
	         "iasl -p %s/p tests/fixtures/acpi/pptt-caches.asl "
	         ">/dev/null 2>&1",
	         dir);
	snprintf(out, sizeof(out), "%s/p.aml", dir);
	KT_ASSERT(system(cmd) == 0 && acpi_test_load_file(out, &f) == 0);
	unlink(out);
	rmdir(dir);
	acpi_reset();
	KT_ASSERT_EQ(acpi_table_register(madt_giccs(2), sizeof(madt_buf)),
	             E_OK);
	KT_ASSERT_EQ(acpi_table_register(f.buf, f.len), E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 1);
	KT_EXPECT_EQ_U(topo_obj_phys_id(TOPO_PACKAGE, 0), 0x84);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 2);
	KT_EXPECT_EQ_U(count_level(1, TOPO_CACHE_DATA), 2);
	KT_EXPECT_EQ_U(count_level(1, TOPO_CACHE_INSTRUCTION), 2);
	KT_EXPECT_EQ_U(count_level(2, TOPO_CACHE_UNIFIED), 2);
	KT_EXPECT_EQ_U(count_level(3, TOPO_CACHE_UNIFIED), 1);
	n = topo_cpu_caches(0, idx);
	KT_EXPECT_EQ_U(n, 4);
	l3 = topo_shared_cache(0, 1);
	KT_ASSERT(l3 != TOPO_NONE);
	KT_EXPECT_EQ_U(topo_cache_get(l3)->level, 3);
	KT_EXPECT_EQ_U(topo_cache_get(l3)->size, 8u << 20);
	KT_EXPECT_EQ_U(topo_cache_get(l3)->ways, 16);
	l1a = topo_shared_cache(0, 0);
	l1b = topo_shared_cache(1, 1);
	KT_EXPECT(l1a != l1b);
	KT_EXPECT_EQ_U(topo_cache_get(l1a)->level, 1);
	KT_EXPECT_EQ_U(topo_cache_get(l1a)->size, 64u << 10);
	acpi_reset();
	acpi_test_free(&f, 1);
}

// An x86 PPTT (one package of 64 cores) against the Intel leaves above
// (two packages): the PPTT is used and the disagreement noted.
KTEST(topology_cpuid, pptt_and_cpuid_disagree)
{
	static uint8_t pptt[64 * 20 + 64];
	struct acpi_tb b;

	KT_ASSERT_EQ(topo_test_setup_lapics(64, intel, ARRAY_SIZE(intel)),
	             E_OK);
	acpi_tb_init(&b, pptt, sizeof(pptt), "PPTT", 2);
	acpi_tb_put(&b, acpi_tb_entry(&b, 0, 20) + 4, 1, 4); // package @36
	for (unsigned i = 0; i < 64; i++) {
		uint32_t o = acpi_tb_entry(&b, 0, 20);

		acpi_tb_put(&b, o + 4, 0xa, 4); // ID valid, leaf
		acpi_tb_put(&b, o + 8, 36, 4);
		acpi_tb_put(&b, o + 12, i, 4);
	}
	KT_ASSERT_EQ(acpi_table_register(acpi_tb_finish(&b), b.len), E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_PACKAGE), 1);
	KT_EXPECT_EQ_U(topo_level_count(TOPO_CORE), 64);
	KT_EXPECT(has_note("PPTT and CPUID disagree: 1 packages in the PPTT, "
	                   "2 by CPUID leaf 0x1f"));
	KT_EXPECT_EQ_U(count_level(3, TOPO_CACHE_UNIFIED), 2); // CPUID caches
	teardown();
}

// QEMU's TCG answers 0x8000001D for -cpu EPYC but clears the feature bit.
KTEST(topology_cpuid, amd_leaf_without_topoext)
{
	static struct host_cpuid_leaf l[ARRAY_SIZE(amd)];

	memcpy(l, amd, sizeof(amd));
	l[3].r.ecx = 0; // 0x80000001: no TopologyExtensions
	KT_ASSERT_EQ(topo_test_setup_lapics(8, l, ARRAY_SIZE(l)), E_OK);
	KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
	KT_EXPECT_EQ_U(topo_cache_count(), 0);
	KT_EXPECT(has_note("caches: unknown (CPUID leaf 0x8000001d answers"));
	teardown();
}
