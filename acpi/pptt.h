// SPDX-License-Identifier: MIT
// PPTT (Processor Properties Topology Table) decoder: processor hierarchy
// nodes (package > ... > core > thread), cache type structures and the
// (deprecated) ID structures.
//
// A node's identity: when the "ACPI processor ID valid" flag is set, id is
// the ACPI processor ID (for leaves, the UID of the CPU's MADT GICC/LAPIC
// entry; for higher levels, the _UID of a processor container). Without the
// flag the node has no firmware ID and the specification says to use the
// node's byte offset in the table instead: id == offset then (QEMU's virt
// does this for its package and cluster nodes). References (parent, private
// resources, a cache's next level) are byte offsets of other nodes.
//
// acpi_pptt_parse() checks every node and every reference (in bounds,
// pointing at the start of a node of the right type, no cycles), so the
// lookups below cannot fail afterwards except for an offset the caller
// made up.
#pragma once

#include <acpi/acpi.h>

enum acpi_pptt_type {
	ACPI_PPTT_PROCESSOR = 0,
	ACPI_PPTT_CACHE = 1,
	ACPI_PPTT_ID = 2,
};

// processor node flags
#define ACPI_PPTT_PHYSICAL_PACKAGE (1u << 0)
#define ACPI_PPTT_ID_VALID (1u << 1)
#define ACPI_PPTT_THREAD (1u << 2)
#define ACPI_PPTT_LEAF (1u << 3)
#define ACPI_PPTT_IDENTICAL (1u << 4)

// cache node flags: which fields are valid
#define ACPI_PPTT_CACHE_SIZE_VALID (1u << 0)
#define ACPI_PPTT_CACHE_SETS_VALID (1u << 1)
#define ACPI_PPTT_CACHE_ASSOC_VALID (1u << 2)
#define ACPI_PPTT_CACHE_ALLOC_VALID (1u << 3)
#define ACPI_PPTT_CACHE_TYPE_VALID (1u << 4)
#define ACPI_PPTT_CACHE_POLICY_VALID (1u << 5)
#define ACPI_PPTT_CACHE_LINE_VALID (1u << 6)
#define ACPI_PPTT_CACHE_ID_VALID (1u << 7)

enum acpi_pptt_cache_type {
	ACPI_PPTT_CACHE_DATA = 0,
	ACPI_PPTT_CACHE_INSTRUCTION = 1,
	ACPI_PPTT_CACHE_UNIFIED = 2, // encodings 2 and 3
};

struct acpi_pptt_node {
	uint8_t type; // enum acpi_pptt_type, or unknown
	uint8_t length;
	uint32_t offset;
	union {
		struct {
			uint32_t flags;   // ACPI_PPTT_* processor flags
			bool id_valid;    // acpi_id is meaningful
			uint32_t acpi_id; // raw field
			uint32_t id;      // acpi_id if id_valid, else offset
			uint32_t parent;  // offset of the parent node, 0 = root
			uint32_t nprivate; // private resources (caches, IDs)
		} proc;
		struct {
			uint32_t flags;      // ACPI_PPTT_CACHE_*_VALID
			uint32_t next_level; // offset of next cache, 0 = none
			uint32_t size;       // bytes
			uint32_t sets;
			uint8_t assoc;
			uint8_t type;  // enum acpi_pptt_cache_type
			uint8_t alloc; // 0 read, 1 write, 2/3 read+write
			bool write_through;
			uint16_t line_size;
			uint32_t cache_id; // table revision >= 3 and ID valid
		} cache;
		struct {
			uint32_t vendor_id;
			uint64_t level1_id, level2_id;
			uint16_t major, minor, spin;
		} id;
	};
};

struct acpi_pptt {
	const struct acpi_sdt_header *t;
	unsigned nproc, ncache, nid, nother;
	unsigned nleaves;   // processor nodes with the leaf flag
	unsigned max_depth; // longest parent chain (1 = roots only)
};

err_t acpi_pptt_parse(const struct acpi_sdt_header *t, struct acpi_pptt *p)
    __must_check;

// Iterates over every node in table order (*pos = 0 to start).
bool acpi_pptt_next(const struct acpi_pptt *p, uint32_t *pos,
                    struct acpi_pptt_node *n);

// Decodes the node starting at byte offset off (a parent, private resource
// or next-level reference). E_NOENT if no node starts there.
err_t acpi_pptt_node_at(const struct acpi_pptt *p, uint32_t off,
                        struct acpi_pptt_node *n) __must_check;

// Offset of the idx-th private resource of processor node n
// (idx < n->proc.nprivate).
uint32_t acpi_pptt_private(const struct acpi_pptt *p,
                           const struct acpi_pptt_node *n, uint32_t idx);

const char *acpi_pptt_cache_type_name(uint8_t type);
