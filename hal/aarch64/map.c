// SPDX-License-Identifier: MIT
// Small address-space services for the interrupt and SMP code: translating
// a kernel virtual address to physical (AT S1E1R), reaching device MMIO
// (the direct map where it covers it, else a vm_ioremap() window: GICv3
// redistributor regions past 256 GiB on QEMU virt with many CPUs), and the
// test hook hal_debug_swap_pages() (hal/smp.h). No state of its own; the
// page tables belong to mm/vm.c (vm_kernel()->lock).
#include <hal/mmu.h>
#include <hal/smp.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <mm/vm.h>
#include <arch/pt_defs.h>
#include "a64.h"

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

// True if the direct map's alias of [pa, pa + size) is mapped as device
// memory (the kernel maps non-RAM there as device; checked rather than
// assumed, page by page at the ends and every 2 MiB in between).
static bool direct_map_is_device(paddr_t pa, uint64_t size)
{
	struct vm_mapping m;
	paddr_t last = pa + size - 1;

	if (last >= phys_direct_map_size)
		return false;
	for (paddr_t p = pa;; p = MIN(p + (2ull << 20), last)) {
		if (!vm_query(vm_kernel(), phys_direct_map_base + p, &m) ||
		    !(m.prot & MMU_DEVICE))
			return false;
		if (p == last)
			return true;
	}
}

void *a64_map_device(paddr_t pa, uint64_t size)
{
	void *va;

	if (size == 0)
		return NULL;
	if (direct_map_is_device(pa, size))
		return phys_to_virt(pa);
	va = vm_ioremap(pa, size, MMU_DEVICE | MMU_W);
	if (!va)
		pr_err("a64: cannot map MMIO %#lx+%#lx\n", pa, size);
	return va;
}

// The level-3 descriptor mapping kernel address va through TTBR1, or NULL
// if va is not mapped by a 4 KiB page there.
static uint64_t *kernel_pte(vaddr_t va)
{
	uint64_t *t =
	    phys_to_virt(A64_READ_SYSREG(ttbr1_el1) & A64_PTE_ADDR_MASK(12));

	if (va >> 48 != 0xffff)
		return NULL;
	for (int level = 0; level < 3; level++) {
		uint64_t e = t[A64_PT_INDEX(va, 12, 48, level)];

		if ((e & A64_PTE_TYPE_MASK) != A64_PTE_TYPE_TABLE)
			return NULL;
		t = phys_to_virt(e & A64_PTE_ADDR_MASK(12));
	}
	t += A64_PT_INDEX(va, 12, 48, 3);
	return (*t & A64_PTE_TYPE_MASK) == A64_PTE_TYPE_PAGE ? t : NULL;
}

// Makes va's mapping a 4 KiB page (vm_protect() with the same protection
// splits a 2 MiB block); the split itself is TLB-maintained by mm/vm.c.
static err_t split_to_page(vaddr_t va)
{
	struct vm_mapping m;

	if (!vm_query(vm_kernel(), va, &m))
		return E_NOENT;
	if (m.size == 4096)
		return 0;
	return vm_protect(vm_kernel(), ALIGN_DOWN(va, 4096), 4096, m.prot);
}

// Test support: the swap itself does no TLB maintenance on purpose (the
// caller's shootdown is what is being tested).
err_t hal_debug_swap_pages(vaddr_t a, vaddr_t b)
{
	uint64_t tcr = A64_READ_SYSREG(tcr_el1);
	uint64_t *pa, *pb, ea, eb, mask = A64_PTE_ADDR_MASK(12);
	err_t err;

	if (((tcr >> 30) & 3) != 2 || ((tcr >> 16) & 0x3f) != 16)
		return E_NOTSUP;
	if ((err = split_to_page(a)) || (err = split_to_page(b)))
		return err;
	pa = kernel_pte(a);
	pb = kernel_pte(b);
	if (!pa || !pb || pa == pb)
		return E_INVAL;
	ea = *pa;
	eb = *pb;
	*pa = (ea & ~mask) | (eb & mask);
	*pb = (eb & ~mask) | (ea & mask);
	__asm__ volatile("dsb ishst; isb" ::: "memory");
	return 0;
}
