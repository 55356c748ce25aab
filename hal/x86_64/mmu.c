// SPDX-License-Identifier: MIT
// x86_64 MMU support for mm/vm.c (hal/mmu.h): TLB maintenance, CR3, and
// the protection bits of CR0/CR4/EFER. No state beyond what CPUID says,
// read once on the boot CPU before the kernel's tables exist.
#include <hal/cpuid.h>
#include <hal/mmu.h>
#include <kernel/smp.h>
#include <mm/page.h>
#include "x86.h"

#define CR0_WP (1ull << 16)
#define CR4_PGE (1ull << 7)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define MSR_EFER 0xc0000080u
#define MSR_PAT 0x277u
// PAT entries 0-3 as the power-on default except entry 1: WB, WC, UC-, UC
// (PWT alone selects write-combining, for framebuffers); 4-7 the same.
#define PAT_VALUE 0x0007010600070106ull
#define EFER_NXE (1ull << 11)
#define FULL_FLUSH_PAGES 64 // more than this: flush everything

uint64_t x86_pte_nx = X86_PTE_NX; // 0 on a CPU without NX

// CPUID bit `bit` of register reg (0 eax .. 3 edx) of leaf, sub-leaf 0;
// false where the leaf does not exist.
static bool cpuid_bit(uint32_t leaf, int reg, int bit)
{
	struct hal_cpuid_regs r;
	uint32_t v[4];

	if (!hal_cpuid(leaf, 0, &r))
		return false;
	v[0] = r.eax;
	v[1] = r.ebx;
	v[2] = r.ecx;
	v[3] = r.edx;
	return v[reg] & (1u << bit);
}

static void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

static void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

unsigned hal_mmu_max_leaf_level(void)
{
	return cpuid_bit(0x80000001u, 3, 26) ? 2 : 1; // Page1GB
}

bool hal_mmu_shares_kernel_half(void)
{
	return true;
}

// Everything, global entries included (toggling CR4.PGE flushes them).
static void flush_all_local(void)
{
	uint64_t cr4 = X86_READ_CR(4);

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::
		                     : "rax", "memory");
	}
}

static void flush_local(vaddr_t va, size_t len)
{
	if (len / PAGE_SIZE > FULL_FLUSH_PAGES) {
		flush_all_local();
		return;
	}
	for (vaddr_t a = va; a < va + len; a += PAGE_SIZE)
		__asm__ volatile("invlpg (%0)" ::"r"(a) : "memory");
}

// x86 does not broadcast invalidations: the other online CPUs flush
// through a cross-CPU call (kernel/smp.c, which does nothing while no other
// CPU is online). The call waits, so on return no CPU holds a stale entry.
void hal_mmu_flush(vaddr_t va, size_t len)
{
	flush_local(va, len);
	smp_tlb_flush_others(va, len);
}

void hal_mmu_replace(volatile uint64_t *entry, uint64_t e, vaddr_t va,
                     size_t span)
{
	// Same memory, new size or rights: allowed in place on x86 as long
	// as the TLB is flushed afterwards (the caller does).
	*entry = e;
}

void hal_mmu_activate_kernel(paddr_t root)
{
	__asm__ volatile("mov %0, %%cr3" ::"r"(root) : "memory");
	flush_all_local();
}

static char *append(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	*p = 0;
	return p;
}

const char *hal_mmu_protect_cpu(void)
{
	static char desc[32];
	uint64_t cr4 = X86_READ_CR(4);
	char *p = desc;

	if (x86_pte_nx) {
		x86_wrmsr(MSR_EFER, x86_rdmsr(MSR_EFER) | EFER_NXE);
		p = append(p, "NX ");
	}
	write_cr0(X86_READ_CR(0) | CR0_WP);
	p = append(p, "WP");
	if (cpuid_bit(1, 3, 16)) { // PAT: same memory types on every CPU
		x86_wrmsr(MSR_PAT, PAT_VALUE);
		flush_all_local();
	}
	if (cpuid_bit(1, 3, 13))
		cr4 |= CR4_PGE;
	if (cpuid_bit(7, 1, 7)) {
		cr4 |= CR4_SMEP;
		p = append(p, " SMEP");
	}
	if (cpuid_bit(7, 1, 20)) {
		cr4 |= CR4_SMAP;
		p = append(p, " SMAP");
	}
	write_cr4(cr4);
	return desc;
}

// Before any table is built: NX bits only where the CPU has NX.
void x86_mmu_early_init(void)
{
	if (!cpuid_bit(0x80000001u, 3, 20))
		x86_pte_nx = 0;
}

unsigned hal_mmu_protections(void)
{
	uint64_t cr4 = X86_READ_CR(4);
	unsigned p = 0;

	if (x86_rdmsr(MSR_EFER) & EFER_NXE)
		p |= MMU_PROT_NX;
	if (X86_READ_CR(0) & CR0_WP)
		p |= MMU_PROT_WP;
	if (cr4 & CR4_SMEP)
		p |= MMU_PROT_SMEP;
	if (cr4 & CR4_SMAP)
		p |= MMU_PROT_SMAP;
	if (cpuid_bit(1, 3, 16) && x86_rdmsr(MSR_PAT) == PAT_VALUE)
		p |= MMU_PROT_PAT;
	return p;
}
