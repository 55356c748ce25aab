// SPDX-License-Identifier: MIT
// The narrow interface through which acpi/ reaches physical memory. acpi/
// never touches a physical address directly: it asks the host to map it.
//
// The kernel implements this with its direct map (pa + DIRECT_MAP_BASE after
// checking the range is covered). Host tests implement it over buffers that
// stand in for physical memory (tests/host/acpi_hostmem.c). Host tools that
// only have table files do not need it: they call acpi_table_register().
#pragma once

#include <lib/types.h>

// Returns a pointer through which len bytes at physical address pa can be
// read, or NULL if that range cannot be mapped (acpi/ then reports an error
// naming the table and carries on). The mapping must stay valid and
// unchanged for the life of the system: acpi_table_find() hands out pointers
// into it. Called only from acpi_init(), at boot, on one CPU; may be called
// several times for overlapping ranges (header first, then the whole table).
// The range may be unaligned and may cross page boundaries.
const void *acpi_host_map(paddr_t pa, size_t len);
