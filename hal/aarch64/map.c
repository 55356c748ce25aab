// SPDX-License-Identifier: MIT
// Small address-space services the interrupt and SMP code need before the
// kernel has its own page tables (issue 3): translating a kernel virtual
// address to physical (AT S1E1R), and mapping device MMIO that lies beyond
// the loader's direct map into the direct-map window, so phys_to_virt()
// works for it like for everything else.
//
// a64_map_device() edits the live TTBR1 tables in place. It runs on the
// boot CPU only, before the other CPUs start (no lock); it only turns
// invalid entries valid, which needs a DSB and ISB but no TLB maintenance.
// New tables come from a small static pool. When the kernel's own page
// tables arrive, this file should call their mapping function instead.
#include <kernel/err.h>
#include <kernel/phys.h>
#include <kernel/printk.h>
#include <arch/pt_defs.h>
#include "a64.h"

#define MAP_POOL_PAGES 8
#define BLOCK_SIZE (2ull << 20) // level-2 block, 4 KiB granule

static uint64_t pool[MAP_POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

paddr_t a64_virt_to_phys(const void *va)
{
	uint64_t par;

	__asm__ volatile("at s1e1r, %1; isb; mrs %0, par_el1"
	                 : "=r"(par)
	                 : "r"(va)
	                 : "memory");
	if (par & 1)
		return 0; // translation fault
	return (par & A64_PTE_ADDR_MASK(12)) | ((uintptr_t)va & 0xfff);
}

// MAIR_EL1 index of a Device-nGnRE (or, failing that, nGnRnE) attribute.
static int device_attr_index(void)
{
	uint64_t mair = A64_READ_SYSREG(mair_el1);
	int nrne = -1;

	for (int i = 0; i < 8; i++) {
		uint8_t a = (mair >> (8 * i)) & 0xff;

		if (a == 0x04)
			return i;
		if (a == 0x00 && nrne < 0)
			nrne = i;
	}
	return nrne;
}

static uint64_t *next_table(uint64_t *entry)
{
	uint64_t *t;
	paddr_t pa;

	if ((*entry & A64_PTE_TYPE_MASK) == A64_PTE_TYPE_TABLE)
		return phys_to_virt(*entry & A64_PTE_ADDR_MASK(12));
	if (*entry & A64_PTE_VALID)
		return NULL; // a block is there already
	if (pool_used == MAP_POOL_PAGES)
		return NULL;
	t = pool[pool_used++];
	pa = a64_virt_to_phys(t);
	if (!pa)
		return NULL;
	__asm__ volatile("dsb ishst" ::: "memory");
	*entry = pa | A64_PTE_TYPE_TABLE;
	return t;
}

// Maps one 2 MiB block at direct-map address va to pa.
static err_t map_block(uint64_t root_pa, uint64_t va, paddr_t pa, int attr)
{
	uint64_t *t = phys_to_virt(root_pa);

	for (int level = 0; level < 2; level++) {
		t = next_table(&t[A64_PT_INDEX(va, 12, 48, level)]);
		if (!t)
			return E_NOMEM;
	}
	uint64_t *e = &t[A64_PT_INDEX(va, 12, 48, 2)];
	if (*e & A64_PTE_VALID)
		return (*e & A64_PTE_ADDR_MASK(12)) == pa ? 0 : E_EXIST;
	*e = pa | A64_PTE_TYPE_BLOCK | A64_PTE_ATTRINDX(attr) | A64_PTE_AF |
	     A64_PTE_PXN | A64_PTE_UXN;
	return 0;
}

void *a64_map_device(paddr_t pa, uint64_t size)
{
	uint64_t tcr = A64_READ_SYSREG(tcr_el1);
	uint64_t root = A64_READ_SYSREG(ttbr1_el1) & A64_PTE_ADDR_MASK(12);
	int attr = device_attr_index();

	if (pa + size <= phys_direct_map_size)
		return phys_to_virt(pa);
	// The walk below assumes the loader's layout: 4 KiB granule (TG1 =
	// 2) and 48-bit TTBR1 VAs (T1SZ = 16).
	if (((tcr >> 30) & 3) != 2 || ((tcr >> 16) & 0x3f) != 16 ||
	    attr < 0 || pa + size > (64ull << 40)) {
		pr_err("a64: cannot map MMIO %#lx+%#lx (TCR %#lx MAIR index "
		       "%d)\n",
		       pa, size, tcr, attr);
		return NULL;
	}
	for (paddr_t b = ALIGN_DOWN(pa, BLOCK_SIZE); b < pa + size;
	     b += BLOCK_SIZE) {
		err_t err = map_block(root, phys_direct_map_base + b, b, attr);

		if (err) {
			pr_err("a64: mapping MMIO block %#lx: %s\n", b,
			       err_name(err));
			return NULL;
		}
	}
	__asm__ volatile("dsb ishst; isb" ::: "memory");
	return phys_to_virt(pa);
}
