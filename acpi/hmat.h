// SPDX-License-Identifier: MIT
// HMAT (Heterogeneous Memory Attribute Table) decoder: memory proximity
// domain attributes, system locality latency and bandwidth matrices, and
// memory-side cache descriptions. acpi_hmat_parse() validates each
// structure (lengths, the matrix sizes implied by its counts); then
// acpi_hmat_next() iterates and acpi_hmat_lb_value() reads matrix cells.
#pragma once

#include <acpi/acpi.h>

enum acpi_hmat_type {
	ACPI_HMAT_PROXIMITY = 0, // memory proximity domain attributes
	ACPI_HMAT_LOCALITY = 1,  // latency and bandwidth information
	ACPI_HMAT_CACHE = 2,     // memory side cache information
};

enum acpi_hmat_data_type {
	ACPI_HMAT_ACCESS_LATENCY = 0,
	ACPI_HMAT_READ_LATENCY = 1,
	ACPI_HMAT_WRITE_LATENCY = 2,
	ACPI_HMAT_ACCESS_BANDWIDTH = 3,
	ACPI_HMAT_READ_BANDWIDTH = 4,
	ACPI_HMAT_WRITE_BANDWIDTH = 5,
};

struct acpi_hmat_entry {
	uint16_t type; // enum acpi_hmat_type, or unknown
	uint32_t length;
	uint32_t offset;
	union {
		struct {
			bool initiator_valid;
			uint32_t initiator; // attached initiator domain
			uint32_t memory;    // memory domain
		} prox;
		struct {
			uint8_t hierarchy; // 0 memory, 1..3 memory-side cache
			uint8_t data_type; // enum acpi_hmat_data_type
			uint8_t flags;     // raw flags byte
			uint8_t min_transfer_size;
			uint32_t ninit, ntarget;
			uint64_t base_unit; // latency: ps per unit; bw: MB/s
			uint32_t init_off;  // table offsets of the lists
			uint32_t target_off;
			uint32_t entries_off; // ninit x ntarget uint16 cells
		} lb;
		struct {
			uint32_t memory; // memory domain
			uint64_t size;   // bytes
			uint8_t levels, level;
			uint8_t assoc;  // 0 none, 1 direct, 2 complex
			uint8_t policy; // 0 none, 1 write-back, 2 write-through
			uint16_t line_size;
			uint16_t nsmbios;
		} cache;
	};
};

struct acpi_hmat {
	const struct acpi_sdt_header *t;
	unsigned count[3];
	unsigned nentries;
};

err_t acpi_hmat_parse(const struct acpi_sdt_header *t, struct acpi_hmat *h)
    __must_check;
bool acpi_hmat_next(const struct acpi_hmat *h, uint32_t *pos,
                    struct acpi_hmat_entry *e);

// The i-th initiator / j-th target domain of a locality entry, and the raw
// cell for (i, j): 0 means "no information", 0xffff "unreachable";
// otherwise multiply by base_unit.
uint32_t acpi_hmat_lb_initiator(const struct acpi_hmat *h,
                                const struct acpi_hmat_entry *e, uint32_t i);
uint32_t acpi_hmat_lb_target(const struct acpi_hmat *h,
                             const struct acpi_hmat_entry *e, uint32_t j);
uint16_t acpi_hmat_lb_value(const struct acpi_hmat *h,
                            const struct acpi_hmat_entry *e, uint32_t i,
                            uint32_t j);

const char *acpi_hmat_data_type_name(uint8_t type);
