// SPDX-License-Identifier: MIT
// x86_64 part of the loader: TSC, 4-level page-table entries (2 MiB pages
// for the big maps, NX when the CPU has it) and the handover: EFER.NXE,
// CR0.WP, CR3, a minimal GDT, then a jump to the kernel with RDI = the
// boot_info's direct-map address.
#include <boot/arch.h>
#include <hal/x86_64/x86_insn.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define MSR_EFER 0xc0000080u
#define EFER_NXE (1ull << 11)
#define CR0_WP (1ull << 16)
#define CALIBRATE_US 5000
#define CALIBRATE_RUNS 4

static bool has_nx;

bool x86_fault_guard_installed(uint64_t *base, unsigned *limit); // guard.c

uint64_t arch_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

// Preemption of QEMU's vCPU thread (TCG on a loaded host) can only make a
// Stall() look longer in TSC ticks, so the shortest of a few runs is best.
uint64_t arch_ticks_hz(void)
{
	uint64_t best = ~0ull;

	for (int i = 0; i < CALIBRATE_RUNS; i++) {
		uint64_t t0 = arch_ticks();
		g_bs->Stall(CALIBRATE_US);
		best = MIN64(best, arch_ticks() - t0);
	}
	return best * (1000000 / CALIBRATE_US);
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(0));
}

EFI_STATUS arch_prepare(struct boot_info *bi)
{
	uint32_t r[4];
	uint64_t idt_base;
	unsigned idt_limit;

	cpuid(0x80000000u, r);
	if (r[0] >= 0x80000001u) {
		cpuid(0x80000001u, r);
		has_nx = r[3] & (1u << 20);
	}
	if (has_nx)
		bi->flags |= CAIRN_BOOT_NX;
	loader_step("x86_64: NX %s", has_nx ? "on" : "not supported");
	if (x86_fault_guard_installed(&idt_base, &idt_limit))
		loader_step(
		    "x86_64: the firmware's IDT (base 0x%llx, limit 0x%x) "
		    "cannot take exceptions in 64-bit mode; the loader's "
		    "own reports them",
		    idt_base, idt_limit);
	return EFI_SUCCESS;
}

uint64_t arch_pte_table(uint64_t pa)
{
	return pa | PTE_P | PTE_W;
}

uint64_t arch_pte_leaf(uint64_t pa, unsigned prot, int level)
{
	uint64_t e = pa | PTE_P;

	if (prot & PT_W)
		e |= PTE_W;
	if (!(prot & PT_X) && has_nx)
		e |= PTE_NX;
	if (level == 1)
		e |= PTE_PS;
	return e;
}

void arch_sync_caches(uint64_t pa, uint64_t len)
{
	// Caches are coherent with instruction fetch and the page walker.
}

struct __attribute__((packed)) gdtr {
	uint16_t limit;
	uint64_t base;
};

__attribute__((noreturn)) void
arch_handover(const struct pt_layout *pt, uint64_t entry, uint64_t stack_top,
              uint64_t bi_va, struct boot_info *bi, uint64_t scratch_pa)
{
	// Null, 64-bit code (0x08), data (0x10). Lives in boot-info memory
	// and is addressed through the direct map, so it survives both the
	// firmware's memory being reused and the identity map going away.
	uint64_t *gdt = (uint64_t *)(uintptr_t)scratch_pa;
	struct gdtr gdtr = {3 * 8 - 1, DIRECT_MAP_BASE + scratch_pa};
	uint64_t cr0;

	__asm__ volatile("cli; cld");
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull;
	gdt[2] = 0x00cf92000000ffffull;
	if (has_nx)
		x86_wrmsr(MSR_EFER, x86_rdmsr(MSR_EFER) | EFER_NXE);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" ::"r"(cr0 | CR0_WP));
	// From here on only the identity map keeps this code running.
	__asm__ volatile(
	    "mov %[root], %%cr3\n\t"
	    "lgdt (%[gdtr])\n\t"
	    "pushq $0x08\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "movl $0x10, %%eax\n\t"
	    "movl %%eax, %%ds\n\t"
	    "movl %%eax, %%es\n\t"
	    "movl %%eax, %%ss\n\t"
	    "movl %%eax, %%fs\n\t"
	    "movl %%eax, %%gs\n\t"
	    "movq %[stack], %%rsp\n\t"
	    "movq %[bi], %%rdi\n\t"
	    "xorl %%ebp, %%ebp\n\t"
	    "jmpq *%[entry]"
	    :
	    : [root] "r"(pt->root_high), [gdtr] "r"(&gdtr),
	      [stack] "r"(stack_top), [bi] "r"(bi_va), [entry] "r"(entry)
	    : "rax", "rdi", "memory");
	__builtin_unreachable();
}
