// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one APIC table -> its decoder (see acpi_fuzz.h).
#include <acpi/madt.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;

	if (acpi_madt_parse(t, &m) == E_OK)
		for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);)
			;
}

ACPI_FUZZ_TARGET("APIC", walk)
