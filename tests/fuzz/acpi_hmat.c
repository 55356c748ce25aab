// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> one HMAT table -> its decoder (see acpi_fuzz.h).
#include <acpi/hmat.h>
#include "acpi_fuzz.h"

static void walk(const struct acpi_sdt_header *t)
{
	struct acpi_hmat h;
	struct acpi_hmat_entry e;
	unsigned sum = 0;

	if (acpi_hmat_parse(t, &h) != E_OK)
		return;
	for (uint32_t pos = 0; acpi_hmat_next(&h, &pos, &e);)
		if (e.type == ACPI_HMAT_LOCALITY && e.lb.ninit && e.lb.ntarget)
			sum += acpi_hmat_lb_value(&h, &e, e.lb.ninit - 1,
			                          e.lb.ntarget - 1) +
			       acpi_hmat_lb_target(&h, &e, e.lb.ntarget - 1);
	(void)sum;
}

ACPI_FUZZ_TARGET("HMAT", walk)
