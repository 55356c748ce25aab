// SPDX-License-Identifier: MIT
// Tables compiled by iasl from tests/fixtures/acpi/*.asl at test time (into
// a temporary directory; nothing is committed but the .asl): Arm structures
// QEMU's virt machine does not emit — PPTT cache nodes, GT blocks and a
// watchdog in the GTDT, SMMUv1/v2, SMMUv3, named component and PMCG nodes
// in the IORT.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acpi/gtdt.h>
#include <acpi/iort.h>
#include <acpi/pptt.h>
#include <tests/ktest.h>
#include "acpi_util.h"

KTEST(acpi_fixtures, pptt_cache_hierarchy)
{
	struct acpi_file f;
	struct acpi_pptt p;
	struct acpi_pptt_node core, c;
	unsigned level = 1;

	if (!acpi_test_have_iasl())
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	KT_ASSERT_EQ(acpi_test_fixture_load("pptt-caches", &f), 0);
	KT_ASSERT_EQ(acpi_pptt_parse((const void *)f.buf, &p), E_OK);
	KT_EXPECT_EQ(p.ncache, 4);
	KT_EXPECT_EQ(p.nleaves, 2);
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, 0xb8, &core), E_OK);
	KT_EXPECT_EQ(core.proc.id, 1);
	// L1D -> L2 -> L3 by next-level links
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, acpi_pptt_private(&p, &core, 0), &c),
	             E_OK);
	KT_EXPECT_EQ(c.cache.type, ACPI_PPTT_CACHE_DATA);
	KT_EXPECT_EQ(c.cache.size, 65536);
	while (c.cache.next_level && level < 8) {
		KT_ASSERT_EQ(acpi_pptt_node_at(&p, c.cache.next_level, &c),
		             E_OK);
		level++;
	}
	KT_EXPECT_EQ(level, 3);
	KT_EXPECT_EQ(c.cache.size, 8u << 20);
	KT_EXPECT_EQ(c.cache.assoc, 16);
	KT_EXPECT_EQ(c.cache.type, ACPI_PPTT_CACHE_UNIFIED);
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, core.proc.parent, &c), E_OK);
	KT_EXPECT(!c.proc.id_valid);
	KT_EXPECT_EQ(c.proc.id, 0x84);
	acpi_test_free(&f, 1);
}

KTEST(acpi_fixtures, gtdt_blocks_and_watchdog)
{
	struct acpi_file f;
	struct acpi_gtdt g;
	struct acpi_gtdt_platform p;
	unsigned n = 0;

	if (!acpi_test_have_iasl())
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	KT_ASSERT_EQ(acpi_test_fixture_load("gtdt-timers", &f), 0);
	KT_ASSERT_EQ(acpi_gtdt_parse((const void *)f.buf, &g), E_OK);
	KT_EXPECT_EQ(g.nblocks, 1);
	KT_EXPECT_EQ(g.nwatchdogs, 1);
	KT_EXPECT_EQ(g.virtual_el2.gsiv, 0x43);
	for (uint32_t pos = 0; acpi_gtdt_next(&g, &pos, &p); n++)
		if (p.type == ACPI_GTDT_GT_BLOCK)
			KT_EXPECT_EQ(p.block.nframes, 2);
	KT_EXPECT_EQ(n, 2);
	// iasl's own template says 0x60 here: inside the revision 3 fields.
	f.buf[92] = 0x60;
	acpi_test_fix(f.buf, (uint32_t)f.len, f.len);
	acpi_test_collect_start();
	KT_EXPECT_EQ(acpi_gtdt_parse((const void *)f.buf, &g), E_CORRUPT);
	acpi_test_collect_stop();
	KT_EXPECT_STR(acpi_last_error(),
	              "GTDT: offset 0x5c: platform timer offset 0x60 is "
	              "outside 0x68..0xe8");
	acpi_test_free(&f, 1);
}

KTEST(acpi_fixtures, iort_every_node_type)
{
	struct acpi_file f;
	struct acpi_iort io;
	struct acpi_iort_node n;

	if (!acpi_test_have_iasl())
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	KT_ASSERT_EQ(acpi_test_fixture_load("iort-smmu", &f), 0);
	KT_ASSERT_EQ(acpi_iort_parse((const void *)f.buf, &io), E_OK);
	for (unsigned i = ACPI_IORT_ITS_GROUP; i <= ACPI_IORT_PMCG; i++)
		KT_EXPECT_EQ(io.count[i], 1);
	for (uint32_t pos = 0; acpi_iort_next(&io, &pos, &n);)
		if (n.type == ACPI_IORT_NAMED)
			KT_EXPECT_STR(n.named.name, "\\_SB.PCI0.DEV0");
	// Point the root complex's mapping into the middle of a node.
	acpi_test_collect_start();
	f.buf[0xcc + 36 + 12] = 0x38;
	acpi_test_fix(f.buf, (uint32_t)f.len, f.len);
	KT_EXPECT_EQ(acpi_iort_parse((const void *)f.buf, &io), E_CORRUPT);
	acpi_test_collect_stop();
	KT_EXPECT_STR(acpi_last_error(),
	              "IORT: offset 0xfc: ID mapping output reference 0x38 is "
	              "not a node");
	// The first node (an ITS group) shorter than its type's fixed part:
	// the shared subtable walk reports it (acpi/subtable.c).
	acpi_test_collect_start();
	f.buf[io.first_off + 1] = 19;
	f.buf[io.first_off + 2] = 0;
	acpi_test_fix(f.buf, (uint32_t)f.len, f.len);
	KT_EXPECT_EQ(acpi_iort_parse((const void *)f.buf, &io), E_CORRUPT);
	acpi_test_collect_stop();
	KT_EXPECT_STR(
	    acpi_last_error(),
	    "IORT: offset 0x34: its-group node length 19 is below the "
	    "minimum 20");
	acpi_test_free(&f, 1);
}
