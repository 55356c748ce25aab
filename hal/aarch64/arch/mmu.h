// SPDX-License-Identifier: MIT
// AArch64 descriptor encodings for hal/mmu.h (4 KiB granule, 48-bit VA;
// Arm ARM D8.3). MAIR_EL1 as the loader sets it and hal/aarch64/mmu.c
// keeps it: 0 Device-nGnRnE, 1 Normal WB, 2 Normal NC, 3 Device-nGnRE.
// Leaves set AF up front; kernel leaves are global, user leaves nG.
#pragma once

#include <arch/pt_defs.h>

#define A64_MAIR_NORMAL 1
#define A64_MAIR_NC 2
#define A64_MAIR_DEVICE 3

static inline uint64_t mmu_pte_table(paddr_t table)
{
	return table | A64_PTE_TYPE_TABLE;
}

static inline uint64_t mmu_pte_leaf(paddr_t pa, unsigned level, unsigned prot)
{
	uint64_t e = pa | A64_PTE_AF |
	             (level == 0 ? A64_PTE_TYPE_PAGE : A64_PTE_TYPE_BLOCK);

	if (prot & MMU_DEVICE)
		e |= A64_PTE_ATTRINDX(A64_MAIR_DEVICE);
	else
		e |= A64_PTE_ATTRINDX(prot & MMU_NC ? A64_MAIR_NC
		                                    : A64_MAIR_NORMAL) |
		     A64_PTE_SH_INNER;
	if (prot & MMU_USER)
		e |= A64_PTE_NG | A64_PTE_PXN |
		     (prot & MMU_W ? A64_PTE_AP_RW_ALL : A64_PTE_AP_RO_ALL) |
		     (prot & MMU_X ? 0 : A64_PTE_UXN);
	else
		e |= A64_PTE_UXN |
		     (prot & MMU_W ? A64_PTE_AP_RW_EL1 : A64_PTE_AP_RO_EL1) |
		     (prot & MMU_X ? 0 : A64_PTE_PXN);
	return e;
}

static inline bool mmu_pte_valid(uint64_t e)
{
	return e & A64_PTE_VALID;
}

static inline bool mmu_pte_is_table(uint64_t e, unsigned level)
{
	return level > 0 && (e & A64_PTE_TYPE_MASK) == A64_PTE_TYPE_TABLE;
}

static inline paddr_t mmu_pte_addr(uint64_t e, unsigned level)
{
	uint64_t a = e & A64_PTE_ADDR_MASK(A64_GRANULE_4K);

	if (level > 0 && (e & A64_PTE_TYPE_MASK) == A64_PTE_TYPE_BLOCK)
		a &= ~(MMU_SPAN(level) - 1);
	return a;
}

static inline unsigned mmu_pte_prot(uint64_t e)
{
	unsigned prot = 0, ap = (unsigned)(e & A64_PTE_AP_MASK);
	uint64_t attr = e & A64_PTE_ATTRINDX_MASK;

	if (ap == A64_PTE_AP_RW_EL1 || ap == A64_PTE_AP_RW_ALL)
		prot |= MMU_W;
	if (ap == A64_PTE_AP_RW_ALL || ap == A64_PTE_AP_RO_ALL) {
		prot |= MMU_USER;
		if (!(e & A64_PTE_UXN))
			prot |= MMU_X;
	} else if (!(e & A64_PTE_PXN)) {
		prot |= MMU_X;
	}
	if (attr == A64_PTE_ATTRINDX(A64_MAIR_DEVICE) ||
	    attr == A64_PTE_ATTRINDX(0))
		prot |= MMU_DEVICE;
	else if (attr == A64_PTE_ATTRINDX(A64_MAIR_NC))
		prot |= MMU_NC;
	return prot;
}
