/* SPDX-License-Identifier: MIT */
/* AArch64 kernel entry. The loader enters at EL1 with the MMU on (TTBR0:
   identity, TTBR1: direct map + kernel), DAIF masked and x0 = boot_info
   (direct-map address). We install the exception vectors, enable FP/SIMD
   access (libfdt's code uses SIMD registers), switch to our own stack,
   clear BSS and call kernel_main(bi), which never returns. */
	.section .text.entry, "ax"
	.global _start
_start:
	msr daifset, #0xf
	msr tpidr_el1, xzr		/* no struct cpu yet (arch/cpu.h) */
	adrp x1, a64_vectors
	add x1, x1, :lo12:a64_vectors
	msr vbar_el1, x1
	mov x1, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr cpacr_el1, x1
	isb
	adrp x1, boot_stack_top
	add x1, x1, :lo12:boot_stack_top
	mov sp, x1
	mov x19, x0
	adrp x1, __bss_start
	add x1, x1, :lo12:__bss_start
	adrp x2, __bss_end
	add x2, x2, :lo12:__bss_end
1:	cmp x1, x2
	b.hs 2f
	str xzr, [x1], #8
	b 1b
2:	mov x0, x19
	mov x29, xzr			/* terminates backtraces */
	mov x30, xzr
	b kernel_main

	.section .bss
	.balign 4096
	.global boot_stack_guard	/* unmapped by vm_kernel_init() */
boot_stack_guard:
	.space 4096
	.global boot_stack_bottom
boot_stack_bottom:
	.space 65536
	.global boot_stack_top
boot_stack_top:
