// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one FACP table -> its decoder (see acpi_fuzz.h).
#include <acpi/fadt.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_fadt f;

	(void)acpi_fadt_decode(t, &f);
}

ACPI_FUZZ_TARGET("FACP", walk)
