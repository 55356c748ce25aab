// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one SPCR table -> its decoder (see acpi_fuzz.h).
#include <acpi/acpi.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_spcr_info s;

	if (acpi_spcr_decode(t, &s) == E_OK && s.namespace_path)
		(void)strlen(s.namespace_path);
}

ACPI_FUZZ_TARGET("SPCR", walk)
