// SPDX-License-Identifier: MIT
// MCFG decoder: a 44-byte header followed by 16-byte ECAM entries.
//
// Locking: none; pure functions of the table bytes.
#include <acpi/mcfg.h>

#define MCFG_HDR_LEN 44u
#define MCFG_ENTRY_LEN 16u

void acpi_mcfg_get(const struct acpi_mcfg *m, uint32_t i,
                   struct acpi_mcfg_entry *e)
{
	uint32_t off = MCFG_HDR_LEN + i * MCFG_ENTRY_LEN;

	*e = (struct acpi_mcfg_entry){0};
	if (i >= m->n)
		return;
	e->offset = off;
	e->base = acpi_rd64(m->t, off);
	e->segment = acpi_rd16(m->t, off + 8);
	e->start_bus = acpi_rd8(m->t, off + 10);
	e->end_bus = acpi_rd8(m->t, off + 11);
}

err_t acpi_mcfg_parse(const struct acpi_sdt_header *t, struct acpi_mcfg *m)
{
	err_t err = acpi_table_check(t, "MCFG", MCFG_HDR_LEN);
	struct acpi_mcfg_entry e;
	uint32_t body;

	if (err)
		return err;
	body = t->length - MCFG_HDR_LEN;
	*m = (struct acpi_mcfg){.t = t, .n = body / MCFG_ENTRY_LEN};
	if (body % MCFG_ENTRY_LEN)
		return acpi_report(E_CORRUPT, "MCFG",
		                   MCFG_HDR_LEN + m->n * MCFG_ENTRY_LEN,
		                   "%u stray bytes after %u whole entries",
		                   body % MCFG_ENTRY_LEN, m->n);
	for (uint32_t i = 0; i < m->n; i++) {
		acpi_mcfg_get(m, i, &e);
		if (e.start_bus > e.end_bus)
			return acpi_report(E_CORRUPT, "MCFG", e.offset + 10,
			                   "bus range %u..%u is reversed",
			                   e.start_bus, e.end_bus);
	}
	return E_OK;
}
