// SPDX-License-Identifier: MIT
// HPET table decoder: where the High Precision Event Timer block is and what
// it offers.
#pragma once

#include <acpi/acpi.h>

struct acpi_hpet {
	uint32_t block_id; // raw Event Timer Block ID
	uint8_t hw_rev;
	uint8_t ncomparators; // number of comparators (field + 1)
	bool counter_64bit;
	bool legacy_replacement;
	uint16_t pci_vendor;
	struct acpi_gas base; // normally system memory
	uint8_t number;       // HPET sequence number
	uint16_t min_tick;    // minimum clock ticks in periodic mode
	uint8_t page_protect; // 0 none, 1 4 KiB, 2 64 KiB protected
	uint8_t oem_attr;
};

err_t acpi_hpet_decode(const struct acpi_sdt_header *t, struct acpi_hpet *out)
    __must_check;
