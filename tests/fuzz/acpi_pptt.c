// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one PPTT table -> its decoder (see acpi_fuzz.h).
#include <acpi/pptt.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_pptt p;
	struct acpi_pptt_node n, c;

	if (acpi_pptt_parse(t, &p) != E_OK)
		return;
	for (uint32_t pos = 0; acpi_pptt_next(&p, &pos, &n);) {
		if (n.type != ACPI_PPTT_PROCESSOR)
			continue;
		for (uint32_t i = 0; i < n.proc.nprivate; i++)
			(void)acpi_pptt_node_at(
			    &p, acpi_pptt_private(&p, &n, i), &c);
	}
}

ACPI_FUZZ_TARGET("PPTT", walk)
