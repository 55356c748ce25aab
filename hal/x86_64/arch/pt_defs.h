// SPDX-License-Identifier: MIT
// x86_64 page-table definitions: entry bits, level shifts, index macros.
// Pure macros, no code and no includes, so host tools can use them next to
// the AArch64 ones (every name starts with X86_).
//
// Levels are numbered from the leaf: 1 = PT (4 KiB pages), 2 = PD (2 MiB),
// 3 = PDPT (1 GiB), 4 = PML4, 5 = PML5 (only with CR4.LA57). Each table is
// one 4 KiB page of 512 eight-byte entries (Intel SDM vol. 3, 4.5).
#pragma once

#define X86_PAGE_SHIFT 12
#define X86_PAGE_SIZE (1ULL << X86_PAGE_SHIFT)
#define X86_PT_ENTRIES 512
#define X86_PT_INDEX_BITS 9

#define X86_PT_LEVEL_PT 1
#define X86_PT_LEVEL_PD 2
#define X86_PT_LEVEL_PDPT 3
#define X86_PT_LEVEL_PML4 4
#define X86_PT_LEVEL_PML5 5

// Bit position of the index of level l (1..5): 12, 21, 30, 39, 48.
#define X86_PT_SHIFT(l) (X86_PAGE_SHIFT + X86_PT_INDEX_BITS * ((l)-1))
#define X86_PT_INDEX(va, l)                                                    \
	((unsigned)(((unsigned long long)(va) >> X86_PT_SHIFT(l)) &            \
	            (X86_PT_ENTRIES - 1)))
#define X86_PT_INDEX_PT(va) X86_PT_INDEX(va, 1)
#define X86_PT_INDEX_PD(va) X86_PT_INDEX(va, 2)
#define X86_PT_INDEX_PDPT(va) X86_PT_INDEX(va, 3)
#define X86_PT_INDEX_PML4(va) X86_PT_INDEX(va, 4)
#define X86_PT_INDEX_PML5(va) X86_PT_INDEX(va, 5)

// Bytes mapped by one entry of level l: 4 KiB, 2 MiB, 1 GiB, 512 GiB, ...
#define X86_PT_ENTRY_SPAN(l) (1ULL << X86_PT_SHIFT(l))
#define X86_PAGE_SIZE_2M X86_PT_ENTRY_SPAN(2)
#define X86_PAGE_SIZE_1G X86_PT_ENTRY_SPAN(3)

// Virtual address width: 48 bits with 4 levels, 57 with 5 (LA57).
#define X86_VA_BITS_4LEVEL 48
#define X86_VA_BITS_5LEVEL 57
// Canonical: bits 63..bits-1 all equal.
#define X86_VA_IS_CANONICAL(va, bits)                                          \
	(((unsigned long long)(va) >> ((bits)-1)) == 0 ||                      \
	 ((unsigned long long)(va) >> ((bits)-1)) == (~0ULL >> ((bits)-1)))

// Entry bits (all levels unless noted).
#define X86_PTE_P (1ULL << 0)          // present
#define X86_PTE_RW (1ULL << 1)         // writable
#define X86_PTE_US (1ULL << 2)         // user accessible
#define X86_PTE_PWT (1ULL << 3)        // write-through
#define X86_PTE_PCD (1ULL << 4)        // cache disable
#define X86_PTE_A (1ULL << 5)          // accessed
#define X86_PTE_D (1ULL << 6)          // dirty (leaf entries)
#define X86_PTE_PS (1ULL << 7)         // large page (PD: 2 MiB, PDPT: 1 GiB)
#define X86_PTE_PAT (1ULL << 7)        // PAT bit of a 4 KiB PT entry
#define X86_PTE_G (1ULL << 8)          // global (leaf entries)
#define X86_PTE_PAT_LARGE (1ULL << 12) // PAT bit of a 2 MiB / 1 GiB entry
#define X86_PTE_PKEY_SHIFT 59          // protection key, bits 62..59
#define X86_PTE_NX (1ULL << 63)        // no execute (needs EFER.NXE)

// Physical address fields (52-bit physical address space).
#define X86_PTE_ADDR_MASK 0x000ffffffffff000ULL    // table or 4 KiB page
#define X86_PTE_ADDR_MASK_2M 0x000fffffffe00000ULL // 2 MiB page
#define X86_PTE_ADDR_MASK_1G 0x000fffffc0000000ULL // 1 GiB page
