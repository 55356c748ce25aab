// SPDX-License-Identifier: MIT
// AArch64 MMU support for mm/vm.c (hal/mmu.h): broadcast TLB maintenance
// (TLBI ...IS reaches every CPU in the inner-shareable domain, so no IPIs),
// break-before-make, TTBR1/TCR, and PAN where the CPU has it. MAIR_EL1 stays
// as the loader set it (hal/aarch64/arch/mmu.h). No state.
#include <hal/mmu.h>
#include <mm/page.h>
#include "a64.h"

#define TCR_EPD0 (1ull << 7)
#define FULL_FLUSH_PAGES 64
#define MSR_PAN_1 ".inst 0xd500419f" // msr pan, #1 (ARMv8.1)

unsigned hal_mmu_max_leaf_level(void)
{
	return 2; // 4 KiB granule: level-1 blocks (1 GiB) always exist
}

bool hal_mmu_shares_kernel_half(void)
{
	return false;
}

static void tlbi_range(vaddr_t va, size_t len)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	if (len / PAGE_SIZE > FULL_FLUSH_PAGES) {
		__asm__ volatile("tlbi vmalle1is" ::: "memory");
	} else {
		for (vaddr_t a = va; a < va + len; a += PAGE_SIZE)
			__asm__ volatile("tlbi vaae1is, %0" ::"r"(
					     (a >> 12) & 0xfffffffffffull)
			                 : "memory");
	}
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

void hal_mmu_flush(vaddr_t va, size_t len)
{
	tlbi_range(va, len);
}

void hal_mmu_replace(volatile uint64_t *entry, uint64_t e, vaddr_t va,
                     size_t span)
{
	// Break-before-make (Arm ARM D8.14): a block may not become a table
	// of the same memory while either could be in a TLB.
	*entry = 0;
	tlbi_range(va, span);
	*entry = e;
	__asm__ volatile("dsb ishst\n\tisb" ::: "memory");
}

void hal_mmu_activate_kernel(paddr_t root)
{
	uint64_t tcr = A64_READ_SYSREG(tcr_el1) | TCR_EPD0;

	__asm__ volatile("dsb ishst\n\t"
	                 "msr ttbr1_el1, %0\n\t"
	                 "msr tcr_el1, %1\n\t"
	                 "isb\n\t"
	                 "tlbi vmalle1is\n\t"
	                 "dsb ish\n\t"
	                 "isb" ::"r"(root),
	                 "r"(tcr)
	                 : "memory");
}

const char *hal_mmu_protect_cpu(void)
{
	uint64_t mmfr1 = A64_READ_SYSREG(id_aa64mmfr1_el1);

	if ((mmfr1 >> 20) & 0xf) { // ID_AA64MMFR1_EL1.PAN
		__asm__ volatile(MSR_PAN_1 ::: "memory");
		return "PXN UXN PAN";
	}
	return "PXN UXN";
}

unsigned hal_mmu_protections(void)
{
	uint64_t mmfr1 = A64_READ_SYSREG(id_aa64mmfr1_el1), pan;
	unsigned p = A64_READ_SYSREG(tcr_el1) & TCR_EPD0 ? MMU_PROT_EPD0 : 0;

	if (!((mmfr1 >> 20) & 0xf))
		return p;
	__asm__ volatile("mrs %0, s3_0_c4_c2_3" : "=r"(pan)); // PAN
	return p | (pan & (1ull << 22) ? MMU_PROT_PAN : 0);
}
