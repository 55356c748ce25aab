// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one HPET table -> its decoder (see acpi_fuzz.h).
#include <acpi/hpet.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_hpet h;

	(void)acpi_hpet_decode(t, &h);
}

ACPI_FUZZ_TARGET("HPET", walk)
