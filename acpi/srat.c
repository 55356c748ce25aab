// SPDX-License-Identifier: MIT
// SRAT decoder (a table decoder: per-type field extraction plus the
// validating walk). SRAT revision 1 (ACPI 2.0) had 8-bit proximity domains
// for processors: the upper 24 bits are only used from revision 2 on, as
// Linux does, because old firmware left garbage there.
//
// Locking: none; pure functions of the table bytes.
#include <string.h>
#include <acpi/srat.h>

#define SRAT_HDR_LEN 48u

static const uint8_t srat_min_len[] = {
    [ACPI_SRAT_CPU] = 16,          [ACPI_SRAT_MEMORY] = 40,
    [ACPI_SRAT_X2APIC] = 24,       [ACPI_SRAT_GICC] = 18,
    [ACPI_SRAT_GIC_ITS] = 12,      [ACPI_SRAT_GENERIC_INITIATOR] = 32,
    [ACPI_SRAT_GENERIC_PORT] = 32,
};

const char *acpi_srat_type_name(uint8_t type)
{
	static const char *const names[] = {
	    "cpu",          "memory",  "x2apic",
	    "gicc",         "gic-its", "generic-initiator",
	    "generic-port",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

static const struct acpi_subtables srat_entries = {
    .sig = "SRAT",
    .noun = "entry",
    .hdr_len = 2,
    .len_size = 1,
    .min_len = srat_min_len,
    .nmin = ARRAY_SIZE(srat_min_len),
    .type_name = acpi_srat_type_name,
};

// A memory range whose end wraps around 2^64 cannot be used.
static err_t srat_check_memory(const struct acpi_srat_entry *e)
{
	if (e->mem.length && e->mem.base + e->mem.length - 1 < e->mem.base)
		return acpi_report(E_RANGE, "SRAT", e->offset + 8,
		                   "memory range 0x%lx + 0x%lx wraps around",
		                   e->mem.base, e->mem.length);
	return E_OK;
}

err_t acpi_srat_parse(const struct acpi_sdt_header *t, struct acpi_srat *s)
{
	err_t err = acpi_table_check(t, "SRAT", SRAT_HDR_LEN);
	struct acpi_srat_entry e;

	if (err)
		return err;
	*s = (struct acpi_srat){.t = t};
	err = acpi_subtables_check(t, &srat_entries, SRAT_HDR_LEN);
	if (err)
		return err;
	for (uint32_t pos = 0; acpi_srat_next(s, &pos, &e);) {
		if (e.type == ACPI_SRAT_MEMORY && e.enabled &&
		    srat_check_memory(&e))
			return E_RANGE;
		s->nentries++;
		if (e.type < ARRAY_SIZE(s->count))
			s->count[e.type]++;
		if (e.enabled && e.type < ARRAY_SIZE(srat_min_len) &&
		    e.domain > s->max_domain)
			s->max_domain = e.domain;
	}
	return E_OK;
}

static void srat_decode(const struct acpi_sdt_header *t, const uint8_t *p,
                        struct acpi_srat_entry *e)
{
	switch (e->type) {
	case ACPI_SRAT_CPU:
		e->domain = p[2];
		if (t->revision >= 2)
			e->domain |= (uint32_t)p[9] << 8 |
			             (uint32_t)p[10] << 16 |
			             (uint32_t)p[11] << 24;
		e->cpu.apic_id = p[3];
		e->enabled = acpi_rd32(p, 4) & 1;
		e->cpu.sapic_eid = p[8];
		e->cpu.clock_domain = acpi_rd32(p, 12);
		break;
	case ACPI_SRAT_MEMORY:
		e->domain = acpi_rd32(p, 2);
		if (t->revision < 2)
			e->domain &= 0xff;
		e->mem.base = acpi_rd64(p, 8);
		e->mem.length = acpi_rd64(p, 16);
		e->enabled = acpi_rd32(p, 28) & 1;
		e->mem.hotplug = acpi_rd32(p, 28) & 2;
		e->mem.nonvolatile = acpi_rd32(p, 28) & 4;
		break;
	case ACPI_SRAT_X2APIC:
		e->domain = acpi_rd32(p, 4);
		e->cpu.apic_id = acpi_rd32(p, 8);
		e->enabled = acpi_rd32(p, 12) & 1;
		e->cpu.clock_domain = acpi_rd32(p, 16);
		break;
	case ACPI_SRAT_GICC:
		e->domain = acpi_rd32(p, 2);
		e->gicc.uid = acpi_rd32(p, 6);
		e->enabled = acpi_rd32(p, 10) & 1;
		e->gicc.clock_domain = acpi_rd32(p, 14);
		break;
	case ACPI_SRAT_GIC_ITS:
		e->domain = acpi_rd32(p, 2);
		e->its.its_id = acpi_rd32(p, 8);
		e->enabled = true; // no flags field
		break;
	case ACPI_SRAT_GENERIC_INITIATOR:
	case ACPI_SRAT_GENERIC_PORT:
		e->gi.handle_type = p[3];
		e->domain = acpi_rd32(p, 4);
		memcpy(e->gi.handle, p + 8, 16);
		e->enabled = acpi_rd32(p, 24) & 1;
		e->gi.arch_transactions = acpi_rd32(p, 24) & 2;
		break;
	}
}

bool acpi_srat_next(const struct acpi_srat *s, uint32_t *pos,
                    struct acpi_srat_entry *e)
{
	uint32_t off = *pos ? *pos : SRAT_HDR_LEN;
	uint32_t len = acpi_subtable_len(s->t, &srat_entries, off);
	const uint8_t *p = (const uint8_t *)s->t + off;

	if (len == 0)
		return false; // not validated: acpi_srat_parse() failed
	*e = (struct acpi_srat_entry){
	    .type = p[0], .length = (uint8_t)len, .offset = off};
	*pos = off + len;
	if (acpi_subtable_short(&srat_entries, e->type, len))
		return true; // likewise; keep the fields zero, stay in bounds
	srat_decode(s->t, p, e);
	return true;
}
