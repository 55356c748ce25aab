// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one GTDT table -> its decoder (see acpi_fuzz.h).
#include <acpi/gtdt.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_gtdt g;
	struct acpi_gtdt_platform p;

	if (acpi_gtdt_parse(t, &g) == E_OK)
		for (uint32_t pos = 0; acpi_gtdt_next(&g, &pos, &p);)
			;
}

ACPI_FUZZ_TARGET("GTDT", walk)
