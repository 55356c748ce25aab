// SPDX-License-Identifier: MIT
// SLIT (System Locality Information Table) decoder: the matrix of relative
// distances between proximity domains (10 = local, 255 = unreachable).
#pragma once

#include <acpi/acpi.h>

#define ACPI_SLIT_LOCAL 10
#define ACPI_SLIT_UNREACHABLE 255

struct acpi_slit {
	const struct acpi_sdt_header *t;
	uint32_t n; // number of localities (the table's 64-bit count fits)
	const uint8_t *matrix; // n * n bytes, row-major, inside the table
};

// Validates the SLIT: the matrix fits the table, every diagonal entry is 10
// and every other entry is above 10 (as the specification requires; Linux
// rejects such tables too). Reports the first offending entry.
err_t acpi_slit_parse(const struct acpi_sdt_header *t, struct acpi_slit *s)
    __must_check;

// Distance from locality i to j (both < s->n).
static inline uint8_t acpi_slit_distance(const struct acpi_slit *s, uint32_t i,
                                         uint32_t j)
{
	return s->matrix[(size_t)i * s->n + j];
}
