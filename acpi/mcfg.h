// SPDX-License-Identifier: MIT
// MCFG decoder: PCI Express ECAM regions (base address, segment, bus range).
#pragma once

#include <acpi/acpi.h>

struct acpi_mcfg_entry {
	uint64_t base; // ECAM base (address of bus 0 even if start_bus > 0)
	uint16_t segment;
	uint8_t start_bus, end_bus;
	uint32_t offset;
};

struct acpi_mcfg {
	const struct acpi_sdt_header *t;
	uint32_t n; // number of entries
};

// Validates the table (whole 16-byte entries, start_bus <= end_bus).
err_t acpi_mcfg_parse(const struct acpi_sdt_header *t, struct acpi_mcfg *m)
    __must_check;
// Entry i (< m->n).
void acpi_mcfg_get(const struct acpi_mcfg *m, uint32_t i,
                   struct acpi_mcfg_entry *e);
