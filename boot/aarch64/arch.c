// SPDX-License-Identifier: MIT
// AArch64 part of the loader: the generic timer, stage-1 descriptors for a
// 4 KiB granule and 48-bit VAs, cache maintenance, and the handover. The
// handover installs MAIR/TCR/TTBR0/TTBR1 with the EL1 MMU off (so no stale
// firmware translation can mix with ours), invalidates the TLB, turns the
// MMU on and branches to the kernel; if the firmware ran at EL2 it programs
// the EL1 registers from EL2 and erets to the kernel at EL1h.
#include <boot/arch.h>

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) // table (levels 0-2) or page (level 3)
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_AP_RO (1ull << 7)
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)

// MAIR_EL1: 0 Device-nGnRnE, 1 Normal WB RAWA, 2 Normal NC, 3 Device-nGnRE.
#define MAIR_VALUE 0x0444ff00ull
#define ATTR_NORMAL 1
#define ATTR_NORMAL_NC 2
#define ATTR_DEVICE 3

#define TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER (3ull << 12)
#define TCR_TG0_4K (0ull << 14)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_IRGN1_WBWA (1ull << 24)
#define TCR_ORGN1_WBWA (1ull << 26)
#define TCR_SH1_INNER (3ull << 28)
#define TCR_TG1_4K (2ull << 30)
#define TCR_IPS(n) ((uint64_t)(n) << 32)

// SCTLR_EL1: RES1 bits of ARMv8.0 plus M, C, SA, I.
#define SCTLR_RES1 0x30d00800ull
#define SCTLR_M (1ull << 0)
#define SCTLR_C (1ull << 2)
#define SCTLR_SA (1ull << 3)
#define SCTLR_I (1ull << 12)

#define HCR_RW (1ull << 31)
#define SPSR_EL1H_MASKED 0x3c5ull

#define SYSREG_READ(name)                                                      \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));                 \
		v_;                                                            \
	})

static bool at_el2;
static uint64_t pa_range; // ID_AA64MMFR0_EL1.PARange, capped at 48 bits

uint64_t arch_ticks(void)
{
	__asm__ volatile("isb" ::: "memory");
	return SYSREG_READ(cntvct_el0);
}

uint64_t arch_ticks_hz(void)
{
	return SYSREG_READ(cntfrq_el0);
}

EFI_STATUS arch_prepare(struct boot_info *bi)
{
	uint64_t el = (SYSREG_READ(CurrentEL) >> 2) & 3;
	uint64_t mmfr0 = SYSREG_READ(id_aa64mmfr0_el1);

	if (((mmfr0 >> 28) & 0xf) == 0xf) {
		loader_error("this CPU has no 4 KiB translation granule");
		return EFI_UNSUPPORTED;
	}
	pa_range = mmfr0 & 0xf;
	if (pa_range > 5)
		pa_range = 5; // 48 bits: the most a 4 KiB/4-level table maps
	at_el2 = el == 2;
	if (at_el2)
		bi->flags |= CAIRN_BOOT_FW_AT_EL2;
	loader_step("aarch64: firmware at EL%llu, PARange %llu", el, pa_range);
	if (el != 1 && el != 2) {
		loader_error("running at EL%llu, need EL1 or EL2", el);
		return EFI_UNSUPPORTED;
	}
	return EFI_SUCCESS;
}

uint64_t arch_pte_table(uint64_t pa)
{
	return pa | PTE_VALID | PTE_TABLE;
}

uint64_t arch_pte_leaf(uint64_t pa, unsigned prot, int level)
{
	uint64_t e = pa | PTE_VALID | PTE_AF | PTE_UXN;

	if (level == 0)
		e |= PTE_TABLE; // level-3 page descriptor
	if (prot & PT_DEVICE)
		return e | PTE_ATTR(ATTR_DEVICE) | PTE_PXN;
	if (prot & PT_FB)
		e |= PTE_ATTR(ATTR_NORMAL_NC) | PTE_SH_INNER;
	else
		e |= PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER;
	if (!(prot & PT_W))
		e |= PTE_AP_RO;
	if (!(prot & PT_X))
		e |= PTE_PXN;
	return e;
}

// Clean and invalidate to the point of coherency, then invalidate the
// instruction cache: covers both instruction fetch and the table walker.
void arch_sync_caches(uint64_t pa, uint64_t len)
{
	uint64_t line = 4ull << ((SYSREG_READ(ctr_el0) >> 16) & 0xf);

	for (uint64_t a = ALIGN_DOWN64(pa, line); a < pa + len; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb ish\n\tic iallu\n\tdsb ish\n\tisb" ::: "memory");
}

// x0 mair, x1 tcr, x2 ttbr0, x3 ttbr1, x4 sctlr, x5 stack, x6 bi, x7 entry.
// Runs with the EL1 MMU briefly off: no memory access between the two
// SCTLR writes (instruction fetch is flat, which the identity map matches).
__attribute__((naked, noreturn)) static void
a64_enter_el1(uint64_t mair, uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1,
              uint64_t sctlr, uint64_t stack, uint64_t bi, uint64_t entry)
{
	__asm__ volatile("msr daifset, #0xf\n\t"
	                 "mrs x8, sctlr_el1\n\t"
	                 "bic x8, x8, #1\n\t"
	                 "msr sctlr_el1, x8\n\t"
	                 "isb\n\t"
	                 "msr mair_el1, x0\n\t"
	                 "msr tcr_el1, x1\n\t"
	                 "msr ttbr0_el1, x2\n\t"
	                 "msr ttbr1_el1, x3\n\t"
	                 "isb\n\t"
	                 "tlbi vmalle1\n\t"
	                 "dsb nsh\n\t"
	                 "ic iallu\n\t"
	                 "dsb nsh\n\t"
	                 "isb\n\t"
	                 "msr sctlr_el1, x4\n\t"
	                 "isb\n\t"
	                 "mov sp, x5\n\t"
	                 "mov x0, x6\n\t"
	                 "mov x29, xzr\n\t"
	                 "mov x30, xzr\n\t"
	                 "br x7");
}

// Same arguments; called at EL2. The EL1 regime is not in use here, so its
// registers can be written directly; eret enters the kernel at EL1h with
// DAIF masked.
__attribute__((naked, noreturn)) static void
a64_drop_to_el1(uint64_t mair, uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1,
                uint64_t sctlr, uint64_t stack, uint64_t bi, uint64_t entry)
{
	__asm__ volatile("msr daifset, #0xf\n\t"
	                 "msr mair_el1, x0\n\t"
	                 "msr tcr_el1, x1\n\t"
	                 "msr ttbr0_el1, x2\n\t"
	                 "msr ttbr1_el1, x3\n\t"
	                 "msr sctlr_el1, x4\n\t"
	                 "msr sp_el1, x5\n\t"
	                 "mov x8, #(1 << 31)\n\t" // HCR_EL2.RW: EL1 is AArch64
	                 "msr hcr_el2, x8\n\t"
	                 "mrs x8, cnthctl_el2\n\t"
	                 "orr x8, x8, #3\n\t" // EL1PCTEN | EL1PCEN
	                 "msr cnthctl_el2, x8\n\t"
	                 "msr cntvoff_el2, xzr\n\t"
	                 "mov x8, #0x33ff\n\t" // CPTR_EL2: no FP/SIMD traps
	                 "msr cptr_el2, x8\n\t"
	                 "mov x8, #(3 << 20)\n\t" // CPACR_EL1.FPEN
	                 "msr cpacr_el1, x8\n\t"
	                 "mov x8, #0x3c5\n\t" // SPSR: EL1h, DAIF masked
	                 "msr spsr_el2, x8\n\t"
	                 "msr elr_el2, x7\n\t"
	                 "isb\n\t"
	                 "tlbi vmalle1\n\t"
	                 "dsb nsh\n\t"
	                 "ic iallu\n\t"
	                 "dsb nsh\n\t"
	                 "isb\n\t"
	                 "mov x0, x6\n\t"
	                 "mov x29, xzr\n\t"
	                 "mov x30, xzr\n\t"
	                 "eret");
}

// With a GICv3 CPU interface, EL1 may only use its system registers if
// EL2 allows it (ICC_SRE_EL2.Enable and SRE).
static void a64_el2_gic_setup(void)
{
	uint64_t pfr0 = SYSREG_READ(id_aa64pfr0_el1);

	if (((pfr0 >> 24) & 0xf) == 0)
		return;
	uint64_t sre = SYSREG_READ(S3_4_C12_C9_5); // ICC_SRE_EL2
	__asm__ volatile("msr S3_4_C12_C9_5, %0\n\tisb" ::"r"(sre | 0x9));
	__asm__ volatile("msr S3_4_C12_C11_0, xzr"); // ICH_HCR_EL2
}

__attribute__((noreturn)) void
arch_handover(const struct pt_layout *pt, uint64_t entry, uint64_t stack_top,
              uint64_t bi_va, struct boot_info *bi, uint64_t scratch_pa)
{
	uint64_t tcr = TCR_T0SZ(16) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
	               TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ(16) |
	               TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER |
	               TCR_TG1_4K | TCR_IPS(pa_range);
	uint64_t sctlr = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I;

	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	// Clean the boot_info and its neighbours to the point of coherency:
	// cheap, and makes no assumption about what the kernel maps first.
	arch_sync_caches((uint64_t)(uintptr_t)bi, PAGE_SIZE);
	if (at_el2) {
		a64_el2_gic_setup();
		a64_drop_to_el1(MAIR_VALUE, tcr, pt->root_low, pt->root_high,
		                sctlr, stack_top, bi_va, entry);
	}
	a64_enter_el1(MAIR_VALUE, tcr, pt->root_low, pt->root_high, sctlr,
	              stack_top, bi_va, entry);
}

// AAVMF's and U-Boot's exception vectors (VBAR_EL1/EL2) both print a
// register dump for a synchronous exception in an EFI application.
void arch_fault_guard(enum fault_guard what)
{
	(void)what;
}
