// SPDX-License-Identifier: MIT
// IORT (IO Remapping Table) decoder: the Arm I/O topology — ITS groups,
// named components, PCI root complexes, SMMUv1/v2 and SMMUv3, PMCGs and
// reserved memory ranges — and the ID mappings (requester ID -> stream ID
// -> device ID) that connect them. Every output reference is checked to
// lead to the start of a node.
#pragma once

#include <acpi/acpi.h>

enum acpi_iort_type {
	ACPI_IORT_ITS_GROUP = 0,
	ACPI_IORT_NAMED = 1,
	ACPI_IORT_ROOT_COMPLEX = 2,
	ACPI_IORT_SMMU = 3,
	ACPI_IORT_SMMU_V3 = 4,
	ACPI_IORT_PMCG = 5,
	ACPI_IORT_RMR = 6,
};

struct acpi_iort_map {
	uint32_t input_base, count; // count is "number of IDs minus one"
	uint32_t output_base;
	uint32_t output_ref; // node offset
	bool single;         // flags bit 0
};

struct acpi_iort_node {
	uint8_t type;
	uint8_t revision;
	uint16_t length;
	uint32_t offset;
	uint32_t id; // node identifier (revision-dependent; may be 0)
	uint32_t nmaps;
	uint32_t maps_off; // table offset of the ID mapping array
	union {
		struct {
			uint32_t nits;
			uint32_t ids_off; // table offset of the ITS IDs
		} its;
		struct {
			uint32_t flags;
			uint64_t mem_props;
			uint8_t addr_limit;
			const char *name; // NUL-terminated inside the node
		} named;
		struct {
			uint64_t mem_props;
			uint32_t ats;
			uint32_t segment;
			uint8_t addr_limit; // revision >= 1
		} rc;
		struct {
			uint64_t base, span;
			uint32_t model, flags;
			uint32_t nctx_irqs, npmu_irqs;
		} smmu;
		struct {
			uint64_t base;
			uint32_t flags;
			uint64_t vatos;
			uint32_t model;
			uint32_t event_gsiv, pri_gsiv, gerr_gsiv, sync_gsiv;
			uint32_t proximity; // valid with flags bit 3
			uint32_t id_map_index;
		} smmu3;
		struct {
			uint64_t page0;
			uint32_t gsiv;
			uint32_t node_ref;
			uint64_t page1; // length >= 40
		} pmcg;
		struct {
			uint32_t flags;
			uint32_t nranges;
			uint32_t ranges_off; // table offset, 20 bytes each
		} rmr;
	};
};

struct acpi_iort {
	const struct acpi_sdt_header *t;
	uint32_t nnodes;
	uint32_t first_off, end_off;
	unsigned count[7];
};

err_t acpi_iort_parse(const struct acpi_sdt_header *t, struct acpi_iort *io)
    __must_check;
bool acpi_iort_next(const struct acpi_iort *io, uint32_t *pos,
                    struct acpi_iort_node *n);
// ID mapping i (< n->nmaps) of node n.
void acpi_iort_map_get(const struct acpi_iort *io,
                       const struct acpi_iort_node *n, uint32_t i,
                       struct acpi_iort_map *m);
// RMR memory range i (< n->rmr.nranges).
void acpi_iort_rmr_range(const struct acpi_iort *io,
                         const struct acpi_iort_node *n, uint32_t i,
                         uint64_t *base, uint64_t *length);
const char *acpi_iort_type_name(uint8_t type);
