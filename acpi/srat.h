// SPDX-License-Identifier: MIT
// SRAT (System Resource Affinity Table) decoder: which proximity domain
// (NUMA node) each CPU, memory range, ITS and generic initiator belongs to.
// Same pattern as the MADT: acpi_srat_parse() validates every entry, then
// acpi_srat_next() iterates without failing.
#pragma once

#include <acpi/acpi.h>

enum acpi_srat_type {
	ACPI_SRAT_CPU = 0, // processor local APIC/SAPIC affinity
	ACPI_SRAT_MEMORY = 1,
	ACPI_SRAT_X2APIC = 2,
	ACPI_SRAT_GICC = 3,
	ACPI_SRAT_GIC_ITS = 4,
	ACPI_SRAT_GENERIC_INITIATOR = 5,
	ACPI_SRAT_GENERIC_PORT = 6,
};

struct acpi_srat_entry {
	uint8_t type; // enum acpi_srat_type
	uint8_t length;
	uint32_t offset;
	uint32_t domain; // proximity domain
	bool enabled;    // entries with enabled == false are to be ignored
	union {
		struct {                  // ACPI_SRAT_CPU, _X2APIC
			uint32_t apic_id; // (x2)APIC ID
			uint8_t sapic_eid;
			uint32_t clock_domain;
		} cpu;
		struct {              // ACPI_SRAT_GICC
			uint32_t uid; // ACPI processor UID (matches MADT GICC)
			uint32_t clock_domain;
		} gicc;
		struct {
			uint64_t base, length;
			bool hotplug;
			bool nonvolatile;
		} mem;
		struct {
			uint32_t its_id;
		} its;
		struct { // ACPI_SRAT_GENERIC_INITIATOR, _PORT
			uint8_t handle_type; // 0 ACPI (HID+UID), 1 PCI
			uint8_t handle[16];
			bool arch_transactions;
		} gi;
	};
};

struct acpi_srat {
	const struct acpi_sdt_header *t;
	unsigned count[7]; // entries per known type
	unsigned nentries;
	uint32_t max_domain; // largest proximity domain of an enabled entry
};

err_t acpi_srat_parse(const struct acpi_sdt_header *t, struct acpi_srat *s)
    __must_check;
bool acpi_srat_next(const struct acpi_srat *s, uint32_t *pos,
                    struct acpi_srat_entry *e);
const char *acpi_srat_type_name(uint8_t type);
