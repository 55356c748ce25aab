// SPDX-License-Identifier: MIT
// x86_64 CPU services for hal/cpu.h and hal/early.h: halting, the TSC
// frequency (measured by the loader), frame-pointer backtraces and the
// crash-report register dump, the per-CPU base (GS) and local TLB flushes.
#include <hal/cpu.h>
#include <hal/early.h>
#include <hal/smp.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "arch/pt_defs.h"
#include "x86.h"

uint64_t x86_backtrace_from[MAX_CPUS], x86_backtrace_first_pc[MAX_CPUS];
uint64_t x86_tsc_hz;
extern char __kernel_start[], __kernel_end[];

__noreturn void hal_cpu_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

uint64_t hal_ticks_hz(void)
{
	return x86_tsc_hz;
}

const char *hal_arch_name(void)
{
	return "x86_64";
}

static bool on_stack(uint64_t fp)
{
	return !(fp & 7) && x86_stack_contains(fp, fp + 16);
}

unsigned hal_backtrace(uintptr_t *pcs, unsigned max)
{
	unsigned cpu = hal_cpu_id(), n = 0;
	uint64_t fp = x86_backtrace_from[cpu]
	                  ? x86_backtrace_from[cpu]
	                  : (uint64_t)__builtin_frame_address(0);

	if (x86_backtrace_first_pc[cpu] && n < max)
		pcs[n++] = x86_backtrace_first_pc[cpu];
	x86_backtrace_from[cpu] = x86_backtrace_first_pc[cpu] = 0;
	while (n < max && on_stack(fp)) {
		uint64_t pc = ((uint64_t *)fp)[1];

		if (pc < (uint64_t)__kernel_start ||
		    pc >= (uint64_t)__kernel_end)
			break;
		pcs[n++] = pc - 1; // inside the call, not after it
		fp = ((uint64_t *)fp)[0];
	}
	return n;
}

void hal_dump_cpu_state(void)
{
	printk(KERN_EMERG "  cpu %u: cr0 %#lx cr2 %#lx cr3 %#lx cr4 %#lx\n",
	       hal_cpu_id(), X86_READ_CR(0), X86_READ_CR(2), X86_READ_CR(3),
	       X86_READ_CR(4));
}

err_t hal_early_init(const struct boot_info *bi)
{
	x86_tsc_hz = bi->ticks_hz;
	x86_traps_init();
	x86_mmu_early_init();
	x86_serial_init();
	x86_smp_early_init(bi);
	return 0;
}

void hal_percpu_set(struct cpu *c)
{
	x86_wrmsr(X86_MSR_GS_BASE, (uint64_t)c);
}

void hal_tlb_flush_local(vaddr_t va, size_t len)
{
	if (len == 0 || len > 64 * 4096) {
		// Toggling CR4.PGE drops global entries too.
		uint64_t cr4 = X86_READ_CR(4);

		if (cr4 & (1u << 7)) {
			__asm__ volatile(
			    "mov %0, %%cr4" ::"r"(cr4 & ~(1ull << 7))
			    : "memory");
			__asm__ volatile("mov %0, %%cr4" ::"r"(cr4) : "memory");
		} else {
			__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::
			                     : "rax", "memory");
		}
		return;
	}
	for (vaddr_t p = va & ~0xfffull; p < va + len; p += 4096)
		__asm__ volatile("invlpg (%0)" ::"r"(p) : "memory");
}

// The level-1 entry mapping va in the current tables, or NULL when va is
// not mapped by a 4 KiB page.
static uint64_t *pte_4k(vaddr_t va)
{
	uint64_t *t = phys_to_virt(X86_READ_CR(3) & X86_PTE_ADDR_MASK);

	for (int level = 4; level > 1; level--) {
		uint64_t e = t[X86_PT_INDEX(va, level)];

		if (!(e & X86_PTE_P) || (e & X86_PTE_PS))
			return NULL;
		t = phys_to_virt(e & X86_PTE_ADDR_MASK);
	}
	return (t[X86_PT_INDEX_PT(va)] & X86_PTE_P) ? &t[X86_PT_INDEX_PT(va)]
	                                            : NULL;
}

err_t hal_debug_swap_pages(vaddr_t a, vaddr_t b)
{
	uint64_t *pa = pte_4k(a), *pb = pte_4k(b), fa;

	if (!pa || !pb)
		return E_NOTSUP;
	fa = *pa & X86_PTE_ADDR_MASK;
	*pa = (*pa & ~X86_PTE_ADDR_MASK) | (*pb & X86_PTE_ADDR_MASK);
	*pb = (*pb & ~X86_PTE_ADDR_MASK) | fa;
	return 0;
}
