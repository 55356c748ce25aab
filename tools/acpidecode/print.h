// SPDX-License-Identifier: MIT
// Human-readable printing of decoded tables for acpidecode.
#pragma once

#include <acpi/acpi.h>

void print_header(const char *path, const struct acpi_sdt_header *t);
// Prints the decoded body of a table acpi_table_decode() accepted.
void print_table(const struct acpi_sdt_header *t);
