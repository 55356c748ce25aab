// SPDX-License-Identifier: MIT
// SLIT decoder: bounds of the N x N matrix and the value rules.
//
// Locking: none; pure function of the table bytes.
#include <acpi/slit.h>

#define SLIT_HDR_LEN 44u

static err_t slit_check_values(const struct acpi_slit *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		for (uint32_t j = 0; j < s->n; j++) {
			uint8_t d = acpi_slit_distance(s, i, j);
			uint32_t off = SLIT_HDR_LEN + i * s->n + j;

			if (i == j && d != ACPI_SLIT_LOCAL)
				return acpi_report(E_CORRUPT, "SLIT", off,
				                   "distance[%u][%u] is %u, "
				                   "must be 10",
				                   i, j, d);
			if (i != j && d <= ACPI_SLIT_LOCAL)
				return acpi_report(E_CORRUPT, "SLIT", off,
				                   "distance[%u][%u] is %u, "
				                   "must be above 10",
				                   i, j, d);
		}
	}
	return E_OK;
}

err_t acpi_slit_parse(const struct acpi_sdt_header *t, struct acpi_slit *s)
{
	err_t err = acpi_table_check(t, "SLIT", SLIT_HDR_LEN);
	uint64_t n, avail;

	if (err)
		return err;
	n = acpi_rd64(t, 36);
	avail = t->length - SLIT_HDR_LEN;
	// n * n <= avail, written so that it cannot overflow.
	if (n == 0)
		return acpi_report(E_CORRUPT, "SLIT", 36, "0 localities");
	if (n > avail || n * n > avail)
		return acpi_report(E_TRUNC, "SLIT", 36,
		                   "%lu localities do not fit in the %lu "
		                   "matrix bytes present",
		                   n, avail);
	if (n * n < avail)
		acpi_warn("SLIT", (uint32_t)(SLIT_HDR_LEN + n * n),
		          "%lu bytes after the %lux%lu matrix", avail - n * n,
		          n, n);
	*s = (struct acpi_slit){.t = t,
	                        .n = (uint32_t)n,
	                        .matrix = (const uint8_t *)t + SLIT_HDR_LEN};
	return slit_check_values(s);
}
