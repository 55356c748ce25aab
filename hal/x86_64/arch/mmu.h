// SPDX-License-Identifier: MIT
// x86_64 page-table entry encodings for hal/mmu.h (Intel SDM vol. 3, 4.5).
// Leaves set A and D up front (no hardware update writes) and G for kernel
// mappings. Memory types through the PAT hal/x86_64/mmu.c programs: device
// memory UC (PCD|PWT), MMU_NC write-combining (PWT), RAM write-back.
#pragma once

#include <arch/pt_defs.h>

extern uint64_t x86_pte_nx; // X86_PTE_NX, or 0 on a CPU without NX

static inline uint64_t mmu_pte_table(paddr_t table)
{
	// Permissive: each leaf decides write, execute and user access.
	return table | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
}

static inline uint64_t mmu_pte_leaf(paddr_t pa, unsigned level, unsigned prot)
{
	uint64_t e = pa | X86_PTE_P | X86_PTE_A | X86_PTE_D;

	if (level > 0)
		e |= X86_PTE_PS;
	if (prot & MMU_W)
		e |= X86_PTE_RW;
	if (!(prot & MMU_X))
		e |= x86_pte_nx;
	if (prot & MMU_USER)
		e |= X86_PTE_US;
	else
		e |= X86_PTE_G;
	if (prot & MMU_DEVICE)
		e |= X86_PTE_PCD | X86_PTE_PWT; // PAT entry 3: UC
	else if (prot & MMU_NC)
		e |= X86_PTE_PWT; // PAT entry 1: write-combining
	return e;
}

static inline bool mmu_pte_valid(uint64_t e)
{
	return e & X86_PTE_P;
}

static inline bool mmu_pte_is_table(uint64_t e, unsigned level)
{
	return level > 0 && (e & X86_PTE_P) && !(e & X86_PTE_PS);
}

static inline paddr_t mmu_pte_addr(uint64_t e, unsigned level)
{
	if (level == 2 && (e & X86_PTE_PS))
		return e & X86_PTE_ADDR_MASK_1G;
	if (level == 1 && (e & X86_PTE_PS))
		return e & X86_PTE_ADDR_MASK_2M;
	return e & X86_PTE_ADDR_MASK;
}

static inline unsigned mmu_pte_prot(uint64_t e)
{
	unsigned prot = 0;

	if (e & X86_PTE_RW)
		prot |= MMU_W;
	if (!(e & X86_PTE_NX)) // without NX everything is executable
		prot |= MMU_X;
	if (e & X86_PTE_US)
		prot |= MMU_USER;
	if (e & X86_PTE_PCD)
		prot |= MMU_DEVICE;
	else if (e & X86_PTE_PWT)
		prot |= MMU_NC;
	return prot;
}
