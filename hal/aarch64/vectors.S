/* SPDX-License-Identifier: MIT */
/* AArch64 EL1 exception vectors: 16 entries of 128 bytes, 2 KiB aligned.
   Each saves x0-x30, sp, elr, spsr, esr and far into a struct a64_frame
   (trap.c) on the current stack and calls a64_trap(frame, kind). */
	.text

.macro ENTRY kind
	.balign 128
	sub sp, sp, #(36 * 8)
	stp x0, x1, [sp, #0]
	mov x0, #\kind
	b trap_common
.endm

	.balign 2048
	.global a64_vectors
a64_vectors:
	ENTRY 0		/* current EL, SP_EL0: sync */
	ENTRY 1		/* irq */
	ENTRY 2		/* fiq */
	ENTRY 3		/* serror */
	ENTRY 4		/* current EL, SP_ELx: sync */
	ENTRY 5
	ENTRY 6
	ENTRY 7
	ENTRY 8		/* lower EL, AArch64 */
	ENTRY 9
	ENTRY 10
	ENTRY 11
	ENTRY 12	/* lower EL, AArch32 */
	ENTRY 13
	ENTRY 14
	ENTRY 15

	.type trap_common, %function	/* named in backtraces */
trap_common:
	stp x2, x3, [sp, #16]
	stp x4, x5, [sp, #32]
	stp x6, x7, [sp, #48]
	stp x8, x9, [sp, #64]
	stp x10, x11, [sp, #80]
	stp x12, x13, [sp, #96]
	stp x14, x15, [sp, #112]
	stp x16, x17, [sp, #128]
	stp x18, x19, [sp, #144]
	stp x20, x21, [sp, #160]
	stp x22, x23, [sp, #176]
	stp x24, x25, [sp, #192]
	stp x26, x27, [sp, #208]
	stp x28, x29, [sp, #224]
	add x1, sp, #(36 * 8)
	stp x30, x1, [sp, #240]		/* x30, sp before the exception */
	mrs x1, elr_el1
	mrs x2, spsr_el1
	stp x1, x2, [sp, #256]
	mrs x1, esr_el1
	mrs x2, far_el1
	stp x1, x2, [sp, #272]
	mov x1, x0
	mov x0, sp
	bl a64_trap
	ldp x1, x2, [sp, #256]
	msr elr_el1, x1
	msr spsr_el1, x2
	ldp x2, x3, [sp, #16]
	ldp x4, x5, [sp, #32]
	ldp x6, x7, [sp, #48]
	ldp x8, x9, [sp, #64]
	ldp x10, x11, [sp, #80]
	ldp x12, x13, [sp, #96]
	ldp x14, x15, [sp, #112]
	ldp x16, x17, [sp, #128]
	ldp x18, x19, [sp, #144]
	ldp x20, x21, [sp, #160]
	ldp x22, x23, [sp, #176]
	ldp x24, x25, [sp, #192]
	ldp x26, x27, [sp, #208]
	ldp x28, x29, [sp, #224]
	ldr x30, [sp, #240]
	ldp x0, x1, [sp, #0]
	add sp, sp, #(36 * 8)
	eret
