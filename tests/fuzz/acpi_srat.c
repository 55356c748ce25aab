// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one SRAT table -> its decoder (see acpi_fuzz.h).
#include <acpi/srat.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_srat s;
	struct acpi_srat_entry e;

	if (acpi_srat_parse(t, &s) == E_OK)
		for (uint32_t pos = 0; acpi_srat_next(&s, &pos, &e);)
			;
}

ACPI_FUZZ_TARGET("SRAT", walk)
