// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one MCFG table -> its decoder (see acpi_fuzz.h).
#include <acpi/mcfg.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_mcfg m;
	struct acpi_mcfg_entry e;

	if (acpi_mcfg_parse(t, &m) == E_OK)
		for (uint32_t i = 0; i < m.n; i++)
			acpi_mcfg_get(&m, i, &e);
}

ACPI_FUZZ_TARGET("MCFG", walk)
