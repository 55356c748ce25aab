/* SPDX-License-Identifier: MIT */
/* Entry of a CPU started by PSCI CPU_ON or released from a spin-table
   (smp.c, through a64_spin_start below). We arrive at the
   physical address of a64_secondary_start with the MMU and caches off,
   at EL2 or EL1, and x0 = physical address of our struct a64_start:
     0 mair, 8 tcr (for the switch), 16 ttbr0 (an identity map of this
     page), 24 ttbr1, 32 sctlr, 40 stack_top, 48 struct cpu *, 56 C entry
     (virtual), 64 vbar.
   At EL2 we set up what EL1 needs (AArch64 EL1, counters, no FP traps,
   GICv3 system registers, our own MPIDR) and eret to EL1h, as the loader
   does for the boot CPU. At EL1 we install the boot CPU's translation
   registers, turn the MMU on (TTBR0 maps this code 1:1, so the next fetch
   still works; the C entry installs the boot CPU's own TTBR0 and TCR), then jump to the C entry at its kernel address on our
   stack, with TPIDR_EL1 = the struct cpu and our exception vectors;
   its second argument is the EL we entered at.
   Position independent until the final branch. */
	.text
	.balign 4096
	.global a64_secondary_start
a64_secondary_start:
	msr daifset, #0xf
	mov x19, x0
	mrs x20, CurrentEL
	ubfx x20, x20, #2, #2		/* entry EL: 2nd argument of the C entry */
	cmp x20, #2
	b.ne el1_entry

	mov x1, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64 */
	msr hcr_el2, x1
	mrs x1, cnthctl_el2
	orr x1, x1, #3			/* EL1PCTEN | EL1PCEN */
	msr cnthctl_el2, x1
	msr cntvoff_el2, xzr		/* CNTVCT = CNTPCT on every CPU */
	mov x1, #0x33ff			/* CPTR_EL2: no FP/SIMD traps */
	msr cptr_el2, x1
	mrs x1, midr_el1
	msr vpidr_el2, x1
	mrs x1, mpidr_el1
	msr vmpidr_el2, x1
	mrs x1, id_aa64pfr0_el1
	ubfx x1, x1, #24, #4		/* GIC system register interface? */
	cbz x1, 1f
	mrs x1, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	mov x2, #0x9			/* SRE | Enable (EL1 may use SRE) */
	orr x1, x1, x2
	msr S3_4_C12_C9_5, x1
	isb
	msr S3_4_C12_C11_0, xzr		/* ICH_HCR_EL2: no virtual GIC */
1:	mov x1, #0x0800			/* SCTLR_EL1 RES1 bits, MMU off */
	movk x1, #0x30d0, lsl #16
	msr sctlr_el1, x1
	mov x1, #0x3c5			/* SPSR: EL1h, DAIF masked */
	msr spsr_el2, x1
	adr x1, el1_entry
	msr elr_el2, x1
	isb
	eret

el1_entry:
	ldp x1, x2, [x19, #0]		/* mair, tcr */
	ldp x3, x4, [x19, #16]		/* ttbr0, ttbr1 */
	ldp x5, x6, [x19, #32]		/* sctlr, stack_top */
	ldp x7, x8, [x19, #48]		/* struct cpu *, C entry */
	ldr x9, [x19, #64]		/* vbar */
	mov x10, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr cpacr_el1, x10
	msr mair_el1, x1
	msr tcr_el1, x2
	msr ttbr0_el1, x3
	msr ttbr1_el1, x4
	isb
	tlbi vmalle1
	dsb nsh
	ic iallu
	dsb nsh
	isb
	msr sctlr_el1, x5
	isb
	msr vbar_el1, x9
	msr tpidr_el1, x7
	mov sp, x6
	mov x0, x7
	mov x1, x20
	mov x29, xzr			/* terminates backtraces */
	mov x30, xzr
	br x8

/* Entry of a CPU released from a device tree spin-table (smp.c): no
   argument, MMU off, EL2 or EL1. Find our struct a64_start by MPIDR
   among a64_start_blocks (hwid at 88, valid at 96, 128 bytes apart; the
   boot CPU cleaned ours to the point of coherency), then go on as a PSCI
   start would with x0 = that block. Reached PC-relatively: smp.c checked
   that the image sits in physical memory as linked. No block for us:
   wait for ever (the boot CPU reports the CPU as not started). */
	.global a64_spin_start
a64_spin_start:
	msr daifset, #0xf
	mrs x1, mpidr_el1
	ldr x2, =0xff00ffffff		/* A64_MPIDR_AFF_MASK */
	and x1, x1, x2
	adrp x3, a64_start_blocks
	add x3, x3, :lo12:a64_start_blocks
	adrp x4, a64_start_nr
	ldr x4, [x4, :lo12:a64_start_nr]
	ldr x5, =0x43524e31		/* START_VALID */
1:	cbz x4, 3f
	ldr x6, [x3, #88]
	ldr x7, [x3, #96]
	cmp x6, x1
	ccmp x7, x5, #0, eq
	b.eq 2f
	add x3, x3, #128
	sub x4, x4, #1
	b 1b
2:	mov x0, x3
	b a64_secondary_start
3:	wfe
	b 3b
	.ltorg
