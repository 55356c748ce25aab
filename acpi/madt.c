// SPDX-License-Identifier: MIT
// MADT decoder. A table decoder: one small function per entry type plus the
// validating walk; see acpi/madt.h for the interface.
//
// Locking: none; pure functions of the table bytes.
#include <acpi/madt.h>

#define MADT_HDR_LEN 44u

// Minimum length of each known entry type (the fields we read); entries may
// be longer in newer revisions of the specification.
static const uint8_t madt_min_len[] = {
    [ACPI_MADT_LAPIC] = 8,       [ACPI_MADT_IOAPIC] = 12,
    [ACPI_MADT_ISO] = 10,        [ACPI_MADT_NMI_SOURCE] = 8,
    [ACPI_MADT_LAPIC_NMI] = 6,   [ACPI_MADT_LAPIC_ADDR] = 12,
    [ACPI_MADT_IOSAPIC] = 16,    [ACPI_MADT_LSAPIC] = 16,
    [ACPI_MADT_PLAT_INT] = 16,   [ACPI_MADT_X2APIC] = 16,
    [ACPI_MADT_X2APIC_NMI] = 12, [ACPI_MADT_GICC] = 76,
    [ACPI_MADT_GICD] = 24,       [ACPI_MADT_GIC_MSI] = 24,
    [ACPI_MADT_GICR] = 16,       [ACPI_MADT_GIC_ITS] = 20,
    [ACPI_MADT_MP_WAKEUP] = 16,
};

const char *acpi_madt_type_name(uint8_t type)
{
	static const char *const names[] = {
	    "lapic",        "ioapic",        "int-override", "nmi-source",
	    "lapic-nmi",    "lapic-addr",    "iosapic",      "lsapic",
	    "platform-int", "x2apic",        "x2apic-nmi",   "gicc",
	    "gicd",         "gic-msi-frame", "gicr",         "gic-its",
	    "mp-wakeup",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

static const struct acpi_subtables madt_entries = {
    .sig = "APIC",
    .noun = "entry",
    .hdr_len = 2,
    .len_size = 1,
    .min_len = madt_min_len,
    .nmin = ARRAY_SIZE(madt_min_len),
    .type_name = acpi_madt_type_name,
};

// Polarity and trigger value 2 are reserved: warn, callers treat them as
// "bus default".
static void madt_check_inti(uint32_t off, uint16_t flags)
{
	if (ACPI_MADT_POLARITY(flags) == 2)
		acpi_warn("APIC", off, "reserved polarity 2 in flags 0x%x",
		          flags);
	if (ACPI_MADT_TRIGGER(flags) == 2)
		acpi_warn("APIC", off, "reserved trigger mode 2 in flags 0x%x",
		          flags);
}

err_t acpi_madt_parse(const struct acpi_sdt_header *t, struct acpi_madt *m)
{
	err_t err = acpi_table_check(t, "APIC", MADT_HDR_LEN);
	struct acpi_madt_entry e;

	if (err)
		return err;
	*m = (struct acpi_madt){.t = t};
	m->lapic_addr32 = acpi_rd32(t, 36);
	m->lapic_addr = m->lapic_addr32;
	m->flags = acpi_rd32(t, 40);
	m->pcat_compat = m->flags & 1;
	err = acpi_subtables_check(t, &madt_entries, MADT_HDR_LEN);
	if (err)
		return err;
	for (uint32_t pos = 0; acpi_madt_next(m, &pos, &e);) {
		m->nentries++;
		if (e.type < ARRAY_SIZE(m->count))
			m->count[e.type]++;
		if (e.type == ACPI_MADT_LAPIC_ADDR)
			m->lapic_addr = e.lapic_addr.address;
		if (e.type == ACPI_MADT_ISO)
			madt_check_inti(e.offset + 8, e.iso.flags);
		if (e.type == ACPI_MADT_NMI_SOURCE)
			madt_check_inti(e.offset + 2, e.nmi_source.flags);
		if (e.type == ACPI_MADT_LAPIC_NMI)
			madt_check_inti(e.offset + 3, e.lapic_nmi.flags);
		if (e.type == ACPI_MADT_X2APIC_NMI)
			madt_check_inti(e.offset + 2, e.lapic_nmi.flags);
	}
	return E_OK;
}

static void madt_decode_x86(const uint8_t *p, struct acpi_madt_entry *e)
{
	switch (e->type) {
	case ACPI_MADT_LAPIC:
		e->lapic.uid = p[2];
		e->lapic.apic_id = p[3];
		e->lapic.enabled = acpi_rd32(p, 4) & 1;
		e->lapic.online_capable = acpi_rd32(p, 4) & 2;
		break;
	case ACPI_MADT_IOAPIC:
		e->ioapic.id = p[2];
		e->ioapic.address = acpi_rd32(p, 4);
		e->ioapic.gsi_base = acpi_rd32(p, 8);
		break;
	case ACPI_MADT_ISO:
		e->iso.bus = p[2];
		e->iso.source = p[3];
		e->iso.gsi = acpi_rd32(p, 4);
		e->iso.flags = acpi_rd16(p, 8);
		break;
	case ACPI_MADT_NMI_SOURCE:
		e->nmi_source.flags = acpi_rd16(p, 2);
		e->nmi_source.gsi = acpi_rd32(p, 4);
		break;
	case ACPI_MADT_LAPIC_NMI:
		e->lapic_nmi.uid = p[2];
		e->lapic_nmi.flags = acpi_rd16(p, 3);
		e->lapic_nmi.lint = p[5];
		break;
	case ACPI_MADT_LAPIC_ADDR:
		e->lapic_addr.address = acpi_rd64(p, 4);
		break;
	case ACPI_MADT_X2APIC:
		e->lapic.apic_id = acpi_rd32(p, 4);
		e->lapic.enabled = acpi_rd32(p, 8) & 1;
		e->lapic.online_capable = acpi_rd32(p, 8) & 2;
		e->lapic.uid = acpi_rd32(p, 12);
		break;
	case ACPI_MADT_X2APIC_NMI:
		e->lapic_nmi.flags = acpi_rd16(p, 2);
		e->lapic_nmi.uid = acpi_rd32(p, 4);
		e->lapic_nmi.lint = p[8];
		break;
	case ACPI_MADT_MP_WAKEUP:
		e->mp_wakeup.mailbox_version = acpi_rd16(p, 2);
		e->mp_wakeup.mailbox = acpi_rd64(p, 8);
		break;
	}
}

static void madt_decode_gicc(const uint8_t *p, struct acpi_madt_entry *e)
{
	uint32_t flags = acpi_rd32(p, 12);

	e->gicc.cpu_interface = acpi_rd32(p, 4);
	e->gicc.uid = acpi_rd32(p, 8);
	e->gicc.flags = flags;
	e->gicc.enabled = flags & 1;
	e->gicc.perf_irq_edge = flags & 2;
	e->gicc.vgic_irq_edge = flags & 4;
	e->gicc.online_capable = flags & 8;
	e->gicc.parking_version = acpi_rd32(p, 16);
	e->gicc.perf_gsiv = acpi_rd32(p, 20);
	e->gicc.parked_address = acpi_rd64(p, 24);
	e->gicc.gicc_base = acpi_rd64(p, 32);
	e->gicc.gicv_base = acpi_rd64(p, 40);
	e->gicc.gich_base = acpi_rd64(p, 48);
	e->gicc.vgic_gsiv = acpi_rd32(p, 56);
	e->gicc.gicr_base = acpi_rd64(p, 60);
	e->gicc.mpidr = acpi_rd64(p, 68);
	if (e->length >= 80) {
		e->gicc.efficiency_class = p[76];
		e->gicc.spe_gsiv = acpi_rd16(p, 78);
	}
	if (e->length >= 82)
		e->gicc.trbe_gsiv = acpi_rd16(p, 80);
}

static void madt_decode_gic(const uint8_t *p, struct acpi_madt_entry *e)
{
	switch (e->type) {
	case ACPI_MADT_GICC: madt_decode_gicc(p, e); break;
	case ACPI_MADT_GICD:
		e->gicd.gic_id = acpi_rd32(p, 4);
		e->gicd.base = acpi_rd64(p, 8);
		e->gicd.version = p[20];
		break;
	case ACPI_MADT_GIC_MSI:
		e->gic_msi.frame_id = acpi_rd32(p, 4);
		e->gic_msi.base = acpi_rd64(p, 8);
		e->gic_msi.spi_override = acpi_rd32(p, 16) & 1;
		e->gic_msi.spi_count = acpi_rd16(p, 20);
		e->gic_msi.spi_base = acpi_rd16(p, 22);
		break;
	case ACPI_MADT_GICR:
		e->gicr.base = acpi_rd64(p, 4);
		e->gicr.length = acpi_rd32(p, 12);
		break;
	case ACPI_MADT_GIC_ITS:
		e->gic_its.its_id = acpi_rd32(p, 4);
		e->gic_its.base = acpi_rd64(p, 8);
		break;
	}
}

bool acpi_madt_next(const struct acpi_madt *m, uint32_t *pos,
                    struct acpi_madt_entry *e)
{
	uint32_t off = *pos ? *pos : MADT_HDR_LEN;
	uint32_t len = acpi_subtable_len(m->t, &madt_entries, off);
	const uint8_t *p = (const uint8_t *)m->t + off;

	if (len == 0)
		return false; // not validated: acpi_madt_parse() failed
	*e = (struct acpi_madt_entry){
	    .type = p[0], .length = (uint8_t)len, .offset = off};
	*pos = off + len;
	if (acpi_subtable_short(&madt_entries, e->type, len))
		return true; // likewise; keep the fields zero, stay in bounds
	if (e->type >= ACPI_MADT_GICC && e->type <= ACPI_MADT_GIC_ITS)
		madt_decode_gic(p, e);
	else
		madt_decode_x86(p, e);
	return true;
}

err_t acpi_madt_get(struct acpi_madt *m)
{
	const struct acpi_sdt_header *t;
	err_t err = acpi_table_find("APIC", 0, &t);

	return err ? err : acpi_madt_parse(t, m);
}

bool acpi_madt_next_of(const struct acpi_madt *m, uint32_t types, uint32_t *pos,
                       struct acpi_madt_entry *e)
{
	while (acpi_madt_next(m, pos, e))
		if (e->type < 32 && (types & ACPI_MADT_BIT(e->type)))
			return true;
	return false;
}
