// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one DBG2 table -> its decoder (see acpi_fuzz.h).
#include <acpi/dbg2.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_dbg2 d;
	struct acpi_dbg2_device dev;
	struct acpi_gas g;
	uint32_t size;

	if (acpi_dbg2_parse(t, &d) != E_OK)
		return;
	for (uint32_t pos = 0; acpi_dbg2_next(&d, &pos, &dev);) {
		for (unsigned i = 0; i < dev.ngas; i++)
			acpi_dbg2_reg(&d, &dev, i, &g, &size);
		if (dev.namespace_path)
			(void)strlen(dev.namespace_path);
	}
}

ACPI_FUZZ_TARGET("DBG2", walk)
