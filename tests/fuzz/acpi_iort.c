// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one IORT table -> its decoder (see acpi_fuzz.h).
#include <acpi/iort.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_iort io;
	struct acpi_iort_node n;
	struct acpi_iort_map m;
	uint64_t base, len;

	if (acpi_iort_parse(t, &io) != E_OK)
		return;
	for (uint32_t pos = 0; acpi_iort_next(&io, &pos, &n);) {
		for (uint32_t i = 0; i < n.nmaps; i++)
			acpi_iort_map_get(&io, &n, i, &m);
		if (n.type == ACPI_IORT_RMR)
			for (uint32_t i = 0; i < n.rmr.nranges; i++)
				acpi_iort_rmr_range(&io, &n, i, &base, &len);
		if (n.type == ACPI_IORT_NAMED)
			(void)strlen(n.named.name);
	}
}

ACPI_FUZZ_TARGET("IORT", walk)
