// SPDX-License-Identifier: MIT
// Unit tests for the MADT decoder on tables built in memory: x86 entries
// (local APIC, x2APIC, I/O APIC, overrides, NMIs, address override), Arm
// entries (GICC, GICD, GICR, ITS, MSI frame), and malformed entry lengths.
#include <acpi/madt.h>
#include <tests/ktest.h>
#include <tests/unit/acpi_build.h>

static uint8_t madt_buf[512];

static const struct acpi_sdt_header *madt_build_x86(struct acpi_tb *b)
{
	uint32_t o;

	acpi_tb_init(b, madt_buf, sizeof(madt_buf), "APIC", 5);
	acpi_tb_add(b, 0xfee00000, 4);
	acpi_tb_add(b, 1, 4);          // PC-AT compatible
	o = acpi_tb_add(b, 0x0800, 2); // LAPIC: uid 0, id 0, enabled
	acpi_tb_add(b, 0x0000, 2);
	acpi_tb_add(b, 1, 4);
	o = acpi_tb_add(b, 0x0800, 2); // LAPIC uid 1 id 2, online-capable
	acpi_tb_put(b, o + 2, 0x0201, 2);
	acpi_tb_add(b, 2, 4);
	o = acpi_tb_add(b, 0x0c01, 2); // I/O APIC id 8 at fec00000, gsi 0
	acpi_tb_add(b, 0x0008, 2);
	acpi_tb_add(b, 0xfec00000, 4);
	acpi_tb_add(b, 0, 4);
	o = acpi_tb_add(b, 0x0a02, 2); // ISO: ISA irq 0 -> gsi 2
	acpi_tb_add(b, 0x0000, 2);
	acpi_tb_add(b, 2, 4);
	acpi_tb_add(b, 0x000f, 2);     // level, active low
	o = acpi_tb_add(b, 0x0604, 2); // LAPIC NMI: all CPUs, LINT1
	acpi_tb_add(b, 0x05ff, 2);
	acpi_tb_add(b, 0x0100, 2);
	o = acpi_tb_add(b, 0x1009, 2); // x2APIC id 0x100 uid 300
	acpi_tb_add(b, 0, 2);
	acpi_tb_add(b, 0x100, 4);
	acpi_tb_add(b, 1, 4);
	acpi_tb_add(b, 300, 4);
	o = acpi_tb_add(b, 0x0c0a, 2); // x2APIC NMI uid all, LINT1
	acpi_tb_add(b, 0, 2);
	acpi_tb_add(b, 0xffffffff, 4);
	acpi_tb_add(b, 1, 4);
	o = acpi_tb_add(b, 0x0c05, 2); // address override
	acpi_tb_add(b, 0, 2);
	acpi_tb_add(b, 0xfee0000000ull, 8);
	(void)o;
	return acpi_tb_finish(b);
}

KTEST(acpi_madt, x86_entries)
{
	struct acpi_tb b;
	const struct acpi_sdt_header *tbl = madt_build_x86(&b);
	struct acpi_madt m;
	struct acpi_madt_entry e[16];
	unsigned n = 0;

	KT_ASSERT_EQ(acpi_madt_parse(tbl, &m), E_OK);
	KT_EXPECT(m.pcat_compat);
	KT_EXPECT_EQ_U(m.lapic_addr32, 0xfee00000);
	KT_EXPECT_EQ_U(m.lapic_addr, 0xfee0000000ull);
	KT_EXPECT_EQ(m.nentries, 8);
	KT_EXPECT_EQ(m.count[ACPI_MADT_LAPIC], 2);
	for (uint32_t pos = 0; n < 16 && acpi_madt_next(&m, &pos, &e[n]);)
		n++;
	KT_ASSERT_EQ(n, 8);
	KT_EXPECT(e[0].lapic.enabled && !e[0].lapic.online_capable);
	KT_EXPECT_EQ(e[1].lapic.uid, 1);
	KT_EXPECT_EQ(e[1].lapic.apic_id, 2);
	KT_EXPECT(!e[1].lapic.enabled && e[1].lapic.online_capable);
	KT_EXPECT_EQ(e[2].ioapic.id, 8);
	KT_EXPECT_EQ_U(e[2].ioapic.address, 0xfec00000);
	KT_EXPECT_EQ(e[3].iso.gsi, 2);
	KT_EXPECT_EQ(ACPI_MADT_POLARITY(e[3].iso.flags), 3);
	KT_EXPECT_EQ(ACPI_MADT_TRIGGER(e[3].iso.flags), 3);
	KT_EXPECT_EQ_U(e[4].lapic_nmi.uid, ACPI_MADT_ALL_CPUS_8);
	KT_EXPECT_EQ(e[4].lapic_nmi.lint, 1);
	KT_EXPECT_EQ(e[5].type, ACPI_MADT_X2APIC);
	KT_EXPECT_EQ(e[5].lapic.apic_id, 0x100);
	KT_EXPECT_EQ(e[5].lapic.uid, 300);
	KT_EXPECT_EQ_U(e[6].lapic_nmi.uid, ACPI_MADT_ALL_CPUS_32);
	KT_EXPECT_EQ(e[6].lapic_nmi.lint, 1);
}

// The filtered walk the HAL's drivers share: only the asked types, in
// table order, nothing after the last.
KTEST(acpi_madt, next_of_filters_types)
{
	struct acpi_tb b;
	const struct acpi_sdt_header *tbl = madt_build_x86(&b);
	struct acpi_madt m;
	struct acpi_madt_entry e;
	uint32_t pos = 0;
	unsigned n = 0;

	KT_ASSERT_EQ(acpi_madt_parse(tbl, &m), E_OK);
	while (acpi_madt_next_of(&m, ACPI_MADT_LAPICS, &pos, &e)) {
		KT_EXPECT(e.type == ACPI_MADT_LAPIC ||
		          e.type == ACPI_MADT_X2APIC);
		n++;
	}
	KT_EXPECT_EQ(n, 3); // two local APICs and one x2APIC
	KT_EXPECT(!acpi_madt_next_of(&m, ACPI_MADT_LAPICS, &pos, &e));
	pos = 0;
	KT_ASSERT(acpi_madt_next_of(&m, ACPI_MADT_LAPIC_NMIS, &pos, &e));
	KT_EXPECT_EQ(e.type, ACPI_MADT_LAPIC_NMI);
	KT_ASSERT(acpi_madt_next_of(&m, ACPI_MADT_LAPIC_NMIS, &pos, &e));
	KT_EXPECT_EQ(e.type, ACPI_MADT_X2APIC_NMI);
	KT_EXPECT(!acpi_madt_next_of(&m, ACPI_MADT_LAPIC_NMIS, &pos, &e));
	pos = 0;
	KT_EXPECT(
	    !acpi_madt_next_of(&m, ACPI_MADT_BIT(ACPI_MADT_GICC), &pos, &e));
}

KTEST(acpi_madt, gic_entries)
{
	struct acpi_tb b;
	struct acpi_madt m;
	struct acpi_madt_entry e;
	const struct acpi_sdt_header *tbl;
	uint32_t o, pos = 0;

	acpi_tb_init(&b, madt_buf, sizeof(madt_buf), "APIC", 6);
	acpi_tb_add(&b, 0, 8);
	o = acpi_tb_entry(&b, 0x0b, 82); // GICC, length 82 (ACPI 6.5)
	acpi_tb_put(&b, o + 8, 7, 4);    // uid
	acpi_tb_put(&b, o + 12, 1, 4);   // enabled
	acpi_tb_put(&b, o + 20, 23, 4);  // PMU
	acpi_tb_put(&b, o + 68, 0x80000101ull, 8);
	acpi_tb_put(&b, o + 76, 1, 1);
	acpi_tb_put(&b, o + 78, 21, 2);
	acpi_tb_put(&b, o + 80, 22, 2);
	o = acpi_tb_entry(&b, 0x0c, 24); // GICD v3
	acpi_tb_put(&b, o + 8, 0x8000000, 8);
	acpi_tb_put(&b, o + 20, 3, 1);
	o = acpi_tb_entry(&b, 0x0e, 16); // GICR
	acpi_tb_put(&b, o + 4, 0x80a0000, 8);
	acpi_tb_put(&b, o + 12, 0xf60000, 4);
	o = acpi_tb_entry(&b, 0x0f, 20); // ITS
	acpi_tb_put(&b, o + 4, 5, 4);
	acpi_tb_put(&b, o + 8, 0x8080000, 8);
	acpi_tb_put(&b, o + 16, 0, 4);
	tbl = acpi_tb_finish(&b);
	KT_ASSERT_EQ(acpi_madt_parse(tbl, &m), E_OK);
	KT_ASSERT(acpi_madt_next(&m, &pos, &e));
	KT_EXPECT_EQ(e.type, ACPI_MADT_GICC);
	KT_EXPECT_EQ(e.gicc.uid, 7);
	KT_EXPECT(e.gicc.enabled);
	KT_EXPECT_EQ_U(e.gicc.mpidr, 0x80000101ull);
	KT_EXPECT_EQ(e.gicc.efficiency_class, 1);
	KT_EXPECT_EQ(e.gicc.spe_gsiv, 21);
	KT_EXPECT_EQ(e.gicc.trbe_gsiv, 22);
	KT_ASSERT(acpi_madt_next(&m, &pos, &e));
	KT_EXPECT_EQ(e.gicd.version, 3);
	KT_EXPECT_EQ_U(e.gicd.base, 0x8000000);
	KT_ASSERT(acpi_madt_next(&m, &pos, &e));
	KT_EXPECT_EQ_U(e.gicr.length, 0xf60000);
	KT_ASSERT(acpi_madt_next(&m, &pos, &e));
	KT_EXPECT_EQ(e.gic_its.its_id, 5);
	KT_EXPECT(!acpi_madt_next(&m, &pos, &e));
}

KTEST(acpi_madt, malformed_entry_lengths)
{
	struct acpi_tb b;
	struct acpi_madt m;
	const struct acpi_sdt_header *tbl;
	static const uint8_t bad_len[] = {0, 1, 7, 255};

	acpi_set_quiet(true);
	for (unsigned i = 0; i < ARRAY_SIZE(bad_len); i++) {
		tbl = madt_build_x86(&b);
		madt_buf[44 + 8 + 1] = bad_len[i]; // second LAPIC entry
		tbl = acpi_tb_finish(&b);
		KT_EXPECT(acpi_madt_parse(tbl, &m) != E_OK);
	}
	tbl = madt_build_x86(&b);
	madt_buf[44 + 8 + 1] = 7;
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_madt_parse(tbl, &m), E_CORRUPT);
	KT_EXPECT_STR(acpi_last_error(),
	              "APIC: offset 0x34: lapic entry length 7 is below the "
	              "minimum 8");
	tbl = madt_build_x86(&b);
	madt_buf[9] ^= 1;
	KT_EXPECT_EQ(acpi_madt_parse(tbl, &m), E_CHECKSUM);
	acpi_set_quiet(false);
}
