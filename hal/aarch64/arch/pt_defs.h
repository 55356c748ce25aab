// SPDX-License-Identifier: MIT
// AArch64 VMSAv8-64 translation-table definitions for the 4 KiB, 16 KiB and
// 64 KiB granules: descriptor bits, level shifts, index macros. Pure
// macros, no code and no includes, so host tools can use them next to the
// x86_64 ones (every name starts with A64_).
//
// A granule of 2^g bytes gives tables of 2^(g-3) eight-byte descriptors, so
// each level resolves g-3 bits. Levels are numbered as in the Arm ARM:
// 3 is the leaf (page) level; -1 exists only for 4 KiB with 52-bit VAs
// (FEAT_LPA2). 52-bit VAs need FEAT_LPA2 (4K, 16K) or FEAT_LVA (64K).
// Macro arguments: g = granule shift (12, 14, 16), l = level, bits = VA
// size (48 or 52).
#pragma once

#define A64_GRANULE_4K 12
#define A64_GRANULE_16K 14
#define A64_GRANULE_64K 16

#define A64_PT_INDEX_BITS(g) ((g)-3)
#define A64_PT_ENTRIES(g) (1U << A64_PT_INDEX_BITS(g))

// Lowest bit of the index of level l: 4K: L3 12, L2 21, L1 30, L0 39,
// L-1 48; 16K: 14, 25, 36, 47; 64K: 16, 29, 42.
#define A64_PT_SHIFT(g, l) ((g) + (3 - (l)) * A64_PT_INDEX_BITS(g))

// Number of levels and the first level for a VA size: the walk must cover
// bits-g bits, g-3 per level. 4K/48: 4 levels from L0; 16K/48: 4 from L0
// (L0 resolves one bit); 64K/48: 3 from L1; 4K/52: 5 from L-1; 16K/52: 4
// from L0 (5 bits); 64K/52: 3 from L1 (10 bits).
#define A64_PT_LEVELS(g, bits)                                                 \
	(((bits) - (g) + A64_PT_INDEX_BITS(g) - 1) / A64_PT_INDEX_BITS(g))
#define A64_PT_START_LEVEL(g, bits) (4 - A64_PT_LEVELS(g, bits))

// Index bits resolved at level l (the start level may resolve fewer).
#define A64_PT_LEVEL_BITS(g, bits, l)                                          \
	((l) == A64_PT_START_LEVEL(g, bits) ? (bits)-A64_PT_SHIFT(g, l)        \
	                                    : A64_PT_INDEX_BITS(g))
#define A64_PT_INDEX(va, g, bits, l)                                           \
	((unsigned)(((unsigned long long)(va) >> A64_PT_SHIFT(g, l)) &         \
	            ((1ULL << A64_PT_LEVEL_BITS(g, bits, l)) - 1)))

// Bytes mapped by one descriptor of level l; blocks exist at 4K L1 (1 GiB)
// and L2 (2 MiB), 16K L2 (32 MiB), 64K L2 (512 MiB) (and L1 with LPA2).
#define A64_PT_ENTRY_SPAN(g, l) (1ULL << A64_PT_SHIFT(g, l))

// TCR_ELx.TxSZ for a VA size; TTBR0 covers [0, 2^bits), TTBR1 the top
// 2^bits bytes (bits 63..bits all ones).
#define A64_TCR_TXSZ(bits) (64 - (bits))

// Descriptor type (bits 1..0).
#define A64_PTE_VALID (1ULL << 0)
#define A64_PTE_TYPE_MASK 0x3ULL
#define A64_PTE_TYPE_BLOCK 0x1ULL // levels 0..2 (granule dependent)
#define A64_PTE_TYPE_TABLE 0x3ULL // levels 0..2
#define A64_PTE_TYPE_PAGE 0x3ULL  // level 3

// Lower attributes of block and page descriptors.
#define A64_PTE_ATTRINDX(i) ((unsigned long long)(i) << 2) // MAIR index
#define A64_PTE_ATTRINDX_MASK (7ULL << 2)
#define A64_PTE_NS (1ULL << 5)
#define A64_PTE_AP_RW_EL1 (0ULL << 6)
#define A64_PTE_AP_RW_ALL (1ULL << 6)
#define A64_PTE_AP_RO_EL1 (2ULL << 6)
#define A64_PTE_AP_RO_ALL (3ULL << 6)
#define A64_PTE_AP_MASK (3ULL << 6)
#define A64_PTE_SH_NON (0ULL << 8)
#define A64_PTE_SH_OUTER (2ULL << 8)
#define A64_PTE_SH_INNER (3ULL << 8)
#define A64_PTE_AF (1ULL << 10) // access flag
#define A64_PTE_NG (1ULL << 11) // not global

// Upper attributes.
#define A64_PTE_GP (1ULL << 50)   // guarded page (BTI)
#define A64_PTE_DBM (1ULL << 51)  // dirty bit modifier
#define A64_PTE_CONT (1ULL << 52) // contiguous hint
#define A64_PTE_PXN (1ULL << 53)  // privileged execute never
#define A64_PTE_UXN (1ULL << 54)  // unprivileged execute never

// Table descriptor hierarchical attributes.
#define A64_TABLE_PXN (1ULL << 59)
#define A64_TABLE_UXN (1ULL << 60)
#define A64_TABLE_AP_NO_EL0 (1ULL << 61)
#define A64_TABLE_AP_RO (1ULL << 62)
#define A64_TABLE_NS (1ULL << 63)

// Output address of a 48-bit-PA descriptor (bits 47..g).
#define A64_PTE_ADDR_MASK(g) (0x0000ffffffffffffULL & ~((1ULL << (g)) - 1))
