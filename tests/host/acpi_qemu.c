// SPDX-License-Identifier: MIT
// QEMU's own reference tables (build/deps/qemu-acpi from
// tools/fetch-qemu-acpi.sh: virt = AArch64 with GIC, q35/pc/microvm = x86)
// decode without a single report, and give the values the QEMU
// configuration implies. Discovery through acpi_init() is tested on the
// same tables placed in fake physical memory behind an RSDP: ACPI 2.0 with
// an XSDT, ACPI 1.0 with an RSDT, a broken XSDT falling back to the RSDT,
// and broken RSDPs.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/decode.h>
#include <acpi/dbg2.h>
#include <acpi/gtdt.h>
#include <acpi/hmat.h>
#include <acpi/iort.h>
#include <acpi/madt.h>
#include <acpi/pptt.h>
#include <acpi/srat.h>
#include <tests/ktest.h>
#include "acpi_util.h"

#define MAX_FILES 128

static struct acpi_file qemu_files[MAX_FILES];

KTEST(acpi_qemu, every_fixture_decodes)
{
	static const char *const configs[] = {"virt", "q35", "pc", "microvm"};
	const char *dir = acpi_test_qemu_dir();
	unsigned total = 0, decoded = 0;

	if (!dir)
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	acpi_test_collect_start();
	for (size_t c = 0; c < ARRAY_SIZE(configs); c++) {
		char path[512];
		int n;

		snprintf(path, sizeof(path), "%s/%s", dir, configs[c]);
		n = acpi_test_load_dir(path, qemu_files, MAX_FILES);
		for (int i = 0; i < n; i++) {
			const struct acpi_file *f = &qemu_files[i];
			unsigned before = acpi_test_nreports();
			err_t err;

			acpi_reset();
			err = acpi_table_register(f->buf, f->len);
			if (err == E_OK)
				err = acpi_table_decode((const void *)f->buf);
			total++;
			decoded += err == E_OK;
			if (!KT_EXPECT(err == E_OK || err == E_NOTSUP) ||
			    !KT_EXPECT_EQ(acpi_test_nreports(), before))
				ktest_log(t, "%s: %s", f->path,
				          acpi_test_report(before));
		}
		acpi_test_free(qemu_files, n);
	}
	acpi_test_collect_stop();
	ktest_log(t, "%u QEMU tables, %u through a decoder, no reports", total,
	          decoded);
}

static int load_one(const char *name, struct acpi_file *f)
{
	char path[512];
	const char *dir = acpi_test_qemu_dir();

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return acpi_test_load_file(path, f);
}

KTEST(acpi_qemu, virt_madt_gtdt_spcr)
{
	struct acpi_file f;
	struct acpi_madt m;
	struct acpi_madt_entry e;
	struct acpi_gtdt g;
	struct acpi_spcr_info s;
	unsigned ngicc = 0;

	if (load_one("virt/APIC.acpihmatvirt", &f))
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	KT_ASSERT_EQ(acpi_madt_parse((const void *)f.buf, &m), E_OK);
	for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);) {
		if (e.type == ACPI_MADT_GICC) {
			KT_EXPECT(e.gicc.enabled);
			KT_EXPECT_EQ(e.gicc.uid, ngicc);
			KT_EXPECT_EQ_U(e.gicc.mpidr, ngicc);
			KT_EXPECT_EQ(e.gicc.perf_gsiv, 23);
			ngicc++;
		}
		if (e.type == ACPI_MADT_GICD) {
			KT_EXPECT_EQ_U(e.gicd.base, 0x8000000);
			KT_EXPECT_EQ(e.gicd.version, 2);
		}
	}
	KT_EXPECT_EQ(ngicc, 4); // -smp 4
	KT_EXPECT_EQ(m.count[ACPI_MADT_GIC_MSI], 1);
	acpi_test_free(&f, 1);

	KT_ASSERT_EQ(load_one("virt/GTDT", &f), 0);
	KT_ASSERT_EQ(acpi_gtdt_parse((const void *)f.buf, &g), E_OK);
	KT_EXPECT_EQ(g.nonsecure_el1.gsiv, 30); // PPI 14
	KT_EXPECT_EQ(g.virtual_el1.gsiv, 27);
	KT_EXPECT(g.nonsecure_el1.flags & ACPI_GTDT_ALWAYS_ON);
	KT_EXPECT_EQ(g.nplatform, 0);
	acpi_test_free(&f, 1);

	KT_ASSERT_EQ(load_one("virt/SPCR", &f), 0);
	KT_ASSERT_EQ(acpi_spcr_decode((const void *)f.buf, &s), E_OK);
	KT_EXPECT_EQ(s.interface_type, ACPI_UART_PL011);
	KT_EXPECT(s.mmio);
	KT_EXPECT_EQ_U(s.base.address, 0x9000000);
	KT_EXPECT_EQ(s.gsi, 33);
	KT_EXPECT_EQ(s.interrupt_type, ACPI_SPCR_IRQ_GIC);
	acpi_test_free(&f, 1);
}

KTEST(acpi_qemu, virt_pptt_ids_are_offsets)
{
	struct acpi_file f;
	struct acpi_pptt p;
	struct acpi_pptt_node n, parent;
	unsigned leaves = 0;

	if (load_one("virt/PPTT.acpihmatvirt", &f))
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	KT_ASSERT_EQ(acpi_pptt_parse((const void *)f.buf, &p), E_OK);
	KT_EXPECT_EQ(p.nleaves, 4);
	KT_EXPECT_EQ(p.ncache, 0); // QEMU 7.2 emits no cache nodes
	for (uint32_t pos = 0; acpi_pptt_next(&p, &pos, &n);) {
		if (n.type != ACPI_PPTT_PROCESSOR)
			continue;
		if (n.proc.flags & ACPI_PPTT_LEAF) {
			KT_EXPECT(n.proc.id_valid);
			KT_EXPECT_EQ(n.proc.id, leaves);
			// cluster, then package: neither has a valid ID
			KT_ASSERT_EQ(
			    acpi_pptt_node_at(&p, n.proc.parent, &parent),
			    E_OK);
			KT_EXPECT(!parent.proc.id_valid);
			KT_EXPECT_EQ(parent.proc.id, parent.offset);
			leaves++;
		}
	}
	KT_EXPECT_EQ(leaves, 4);
	acpi_test_free(&f, 1);
}

KTEST(acpi_qemu, virt_srat_hmat_iort_dbg2)
{
	struct acpi_file f;
	struct acpi_srat s;
	struct acpi_srat_entry e;
	struct acpi_hmat h;
	struct acpi_hmat_entry he;
	struct acpi_iort io;
	struct acpi_iort_node n;
	struct acpi_iort_map map;
	struct acpi_dbg2 d;
	struct acpi_dbg2_device dev;
	unsigned nv = 0, hp = 0, lat = 0;

	if (load_one("virt/SRAT.memhp", &f))
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	KT_ASSERT_EQ(acpi_srat_parse((const void *)f.buf, &s), E_OK);
	for (uint32_t pos = 0; acpi_srat_next(&s, &pos, &e);) {
		nv += e.type == ACPI_SRAT_MEMORY && e.mem.nonvolatile;
		hp += e.type == ACPI_SRAT_MEMORY && e.mem.hotplug;
	}
	KT_EXPECT_EQ(nv, 1); // the NVDIMM
	KT_EXPECT_EQ(hp, 1); // the hot-pluggable range
	KT_EXPECT_EQ(s.count[ACPI_SRAT_GICC], 1);
	acpi_test_free(&f, 1);

	KT_ASSERT_EQ(load_one("virt/HMAT.acpihmatvirt", &f), 0);
	KT_ASSERT_EQ(acpi_hmat_parse((const void *)f.buf, &h), E_OK);
	KT_EXPECT_EQ(h.count[ACPI_HMAT_PROXIMITY], 3);
	for (uint32_t pos = 0; acpi_hmat_next(&h, &pos, &he);) {
		if (he.type != ACPI_HMAT_LOCALITY ||
		    he.lb.data_type != ACPI_HMAT_ACCESS_LATENCY)
			continue;
		lat++;
		KT_EXPECT_EQ(he.lb.ninit, 2);
		KT_EXPECT_EQ(he.lb.ntarget, 3);
		KT_EXPECT_EQ(acpi_hmat_lb_value(&h, &he, 0, 0), 1);
		KT_EXPECT_EQ(acpi_hmat_lb_value(&h, &he, 1, 0), 2);
		KT_EXPECT_EQ(acpi_hmat_lb_target(&h, &he, 2), 2);
	}
	KT_EXPECT_EQ(lat, 1);
	acpi_test_free(&f, 1);

	KT_ASSERT_EQ(load_one("virt/IORT", &f), 0);
	KT_ASSERT_EQ(acpi_iort_parse((const void *)f.buf, &io), E_OK);
	KT_EXPECT_EQ(io.count[ACPI_IORT_ITS_GROUP], 1);
	KT_EXPECT_EQ(io.count[ACPI_IORT_ROOT_COMPLEX], 1);
	for (uint32_t pos = 0; acpi_iort_next(&io, &pos, &n);) {
		if (n.type != ACPI_IORT_ROOT_COMPLEX)
			continue;
		KT_ASSERT_EQ(n.nmaps, 1);
		acpi_iort_map_get(&io, &n, 0, &map);
		KT_EXPECT_EQ_U(map.count, 0xffff);
		KT_EXPECT_EQ(map.output_ref, io.first_off); // the ITS group
	}
	acpi_test_free(&f, 1);

	KT_ASSERT_EQ(load_one("virt/DBG2", &f), 0);
	KT_ASSERT_EQ(acpi_dbg2_parse((const void *)f.buf, &d), E_OK);
	KT_ASSERT_EQ(d.ndevices, 1);
	{
		uint32_t pos = 0;
		struct acpi_gas g;
		uint32_t size;

		KT_ASSERT(acpi_dbg2_next(&d, &pos, &dev));
		KT_EXPECT_EQ(dev.port_type, ACPI_DBG2_SERIAL);
		KT_EXPECT_EQ(dev.port_subtype, ACPI_UART_PL011);
		KT_EXPECT_STR(dev.namespace_path, "COM0");
		acpi_dbg2_reg(&d, &dev, 0, &g, &size);
		KT_EXPECT_EQ_U(g.address, 0x9000000);
		KT_EXPECT_EQ(size, 0x1000);
	}
	acpi_test_free(&f, 1);
}

// ---- discovery through acpi_init() ---------------------------------------

#define PHYS_BASE 0x7f000000ull

// Lays out an RSDP, a root table and the given tables in one fake physical
// region; root_esize 8 makes an XSDT (RSDP revision 2), 4 an RSDT (1.0).
struct fake_fw {
	uint8_t *mem;
	size_t len, used;
	paddr_t rsdp;
};

static paddr_t fw_put(struct fake_fw *fw, const void *p, size_t n)
{
	paddr_t pa = PHYS_BASE + fw->used;

	memcpy(fw->mem + fw->used, p, n);
	fw->used = ALIGN_UP(fw->used + n, 16);
	return pa;
}

static void fw_checksum(uint8_t *p, size_t n, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	p[at] = (uint8_t)-sum;
}

static paddr_t fw_root(struct fake_fw *fw, const paddr_t *pas, unsigned n,
                       unsigned esize)
{
	uint8_t root[36 + 8 * 32] = {0};
	uint32_t len = 36 + esize * n;

	memcpy(root, esize == 8 ? "XSDT" : "RSDT", 4);
	root[8] = 1;
	memcpy(root + 10, "CAIRN ", 6);
	for (unsigned i = 0; i < n; i++)
		memcpy(root + 36 + esize * i, &pas[i], esize);
	acpi_test_fix(root, len, len);
	return fw_put(fw, root, len);
}

static void fw_rsdp(struct fake_fw *fw, paddr_t rsdt, paddr_t xsdt)
{
	uint8_t r[36] = "RSD PTR ";

	memcpy(r + 9, "CAIRN ", 6);
	r[15] = xsdt ? 2 : 0;
	memcpy(r + 16, &rsdt, 4);
	if (xsdt) {
		uint32_t len = 36;
		memcpy(r + 20, &len, 4);
		memcpy(r + 24, &xsdt, 8);
	}
	fw_checksum(r, 20, 8);
	if (xsdt)
		fw_checksum(r, 36, 32);
	fw->rsdp = fw_put(fw, r, 36);
}

// Builds firmware from QEMU's virt tables: FACP (with DSDT pointers
// patched in), APIC, GTDT, SPCR, PPTT; both an RSDT and an XSDT.
static int fw_build(struct fake_fw *fw, bool break_xsdt)
{
	static const char *const names[] = {
	    "virt/APIC", "virt/GTDT", "virt/SPCR", "virt/PPTT", "virt/MCFG"};
	struct acpi_file f;
	paddr_t pas[8], dsdt, rsdt, xsdt;
	unsigned n = 0;

	fw->len = 64 * 1024;
	fw->used = 0;
	fw->mem = calloc(1, fw->len);
	if (load_one("virt/DSDT", &f))
		return -1;
	dsdt = fw_put(fw, f.buf, f.len);
	acpi_test_free(&f, 1);
	if (load_one("virt/FACP", &f))
		return -1;
	memcpy(f.buf + 140, &dsdt, 8); // X_DSDT
	acpi_test_fix(f.buf, (uint32_t)f.len, f.len);
	pas[n++] = fw_put(fw, f.buf, f.len);
	acpi_test_free(&f, 1);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (load_one(names[i], &f))
			return -1;
		pas[n++] = fw_put(fw, f.buf, f.len);
		acpi_test_free(&f, 1);
	}
	rsdt = fw_root(fw, pas, n, 4);
	xsdt = fw_root(fw, pas, n, 8);
	if (break_xsdt)
		fw->mem[xsdt - PHYS_BASE + 20] ^= 1; // checksum now wrong
	fw_rsdp(fw, rsdt, xsdt);
	acpi_test_phys_reset();
	acpi_test_phys_add(PHYS_BASE, fw->mem, fw->used);
	return 0;
}

KTEST(acpi_qemu, init_from_rsdp_xsdt)
{
	struct fake_fw fw;
	const struct acpi_sdt_header *h;
	struct acpi_spcr_info s;

	if (fw_build(&fw, false))
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	KT_ASSERT_EQ(acpi_init(fw.rsdp), E_OK);
	KT_EXPECT_STR(acpi_root()->root_sig, "XSDT");
	KT_EXPECT_EQ(acpi_root()->rsdp_revision, 2);
	KT_EXPECT_EQ(acpi_table_count(), 8); // XSDT, 6 tables, DSDT
	KT_EXPECT_EQ(acpi_table_find("DSDT", 0, &h), E_OK);
	KT_EXPECT_EQ(acpi_table_find("SSDT", 0, &h), E_NOENT);
	KT_ASSERT_EQ(acpi_table_find("SPCR", 0, &h), E_OK);
	KT_ASSERT_EQ(acpi_spcr_decode(h, &s), E_OK);
	KT_EXPECT_EQ_U(s.base.address, 0x9000000);
	KT_EXPECT_EQ(acpi_table_find("SPCR", 1, &h), E_NOENT);
	acpi_reset();
	acpi_test_phys_reset();
	free(fw.mem);
}

KTEST(acpi_qemu, init_falls_back_to_rsdt)
{
	struct fake_fw fw;
	const struct acpi_sdt_header *h;

	if (fw_build(&fw, true))
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	acpi_test_collect_start();
	KT_ASSERT_EQ(acpi_init(fw.rsdp), E_OK);
	acpi_test_collect_stop();
	KT_EXPECT_STR(acpi_root()->root_sig, "RSDT");
	KT_EXPECT_EQ(acpi_test_nreports(), 1);
	KT_EXPECT_STR(acpi_test_report(0),
	              "XSDT: offset 0x9: checksum 0xff is wrong (bytes sum "
	              "to 0x01, should be 0)");
	KT_EXPECT_EQ(acpi_table_find("APIC", 0, &h), E_OK);
	acpi_reset();
	acpi_test_phys_reset();
	free(fw.mem);
}

KTEST(acpi_qemu, init_rejects_bad_rsdp)
{
	struct fake_fw fw;

	if (fw_build(&fw, false))
		KT_FAIL(
		    "no QEMU tables in build/deps/qemu-acpi (python3 "
		    "configure.py fetches them; run from the top of the tree)");
	acpi_test_collect_start();
	fw.mem[fw.rsdp - PHYS_BASE + 9] ^= 1; // OEM ID: v1 checksum wrong
	KT_EXPECT_EQ(acpi_init(fw.rsdp), E_CHECKSUM);
	fw.mem[fw.rsdp - PHYS_BASE + 9] ^= 1;
	fw.mem[fw.rsdp - PHYS_BASE] = 'X';
	KT_EXPECT_EQ(acpi_init(fw.rsdp), E_CORRUPT);
	KT_EXPECT_EQ(acpi_init(0x1000), E_FAULT); // unmappable
	acpi_test_collect_stop();
	KT_EXPECT_EQ(acpi_table_count(), 0);
	acpi_reset();
	acpi_test_phys_reset();
	free(fw.mem);
}
