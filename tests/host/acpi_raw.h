// SPDX-License-Identifier: MIT
// Independent witnesses for the topology tests: CPUs, NUMA domains and
// distances read straight from the bytes of a MADT, SRAT or SLIT, with the
// offsets of the ACPI 6.5 tables (5.2.12 MADT, 5.2.16 SRAT, 5.2.17 SLIT),
// without acpi/: a bug in acpi_madt_next, acpi_srat_next or
// acpi_slit_distance cannot then agree with itself.
#pragma once

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

// Distinct enabled Local APIC, x2APIC and GICC entries (by APIC ID or UID).
unsigned raw_madt_cpus(const uint8_t *t, size_t len);
// Distinct enabled proximity domains named by a CPU entry (Local APIC /
// x2APIC unless the machine's CPUs are GICCs, GICC otherwise) or by a
// memory range of non-zero length: the nodes an OS builds.
unsigned raw_srat_domains(const uint8_t *t, size_t len, bool gicc);
// The SLIT's distance from domain a to b; -1 if outside the matrix.
int raw_slit_distance(const uint8_t *t, size_t len, uint32_t a, uint32_t b);
// The first of n tables (bufs[i], lens[i]) with this signature, or NULL.
const uint8_t *raw_find(const char *sig, uint8_t *const *bufs,
                        const size_t *lens, unsigned n, size_t *len);
