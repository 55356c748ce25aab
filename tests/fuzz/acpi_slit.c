// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one SLIT table -> its decoder (see acpi_fuzz.h).
#include <acpi/slit.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_slit s;
	unsigned sum = 0;

	if (acpi_slit_parse(t, &s) == E_OK)
		for (uint32_t i = 0; i < s.n; i++)
			sum += acpi_slit_distance(&s, i, s.n - 1 - i);
	(void)sum;
}

ACPI_FUZZ_TARGET("SLIT", walk)
