/* SPDX-License-Identifier: MIT */
/* hal_context_switch and the first frame of a new thread (hal/context.h).
   AAPCS64 callee-saved: x19-x28, x29 (frame pointer), x30 (link register);
   the kernel uses no FP/SIMD registers, so d8-d15 need no saving. A saved
   context is 96 bytes at the saved stack pointer: x19..x28, x29, x30. */
	.text
	.global hal_context_switch
	.type hal_context_switch, %function
hal_context_switch:		/* x0 = from, x1 = to */
	sub sp, sp, #96
	stp x19, x20, [sp, #0]
	stp x21, x22, [sp, #16]
	stp x23, x24, [sp, #32]
	stp x25, x26, [sp, #48]
	stp x27, x28, [sp, #64]
	stp x29, x30, [sp, #80]
	mov x9, sp
	str x9, [x0]
	ldr x9, [x1]
	mov sp, x9
	ldp x19, x20, [sp, #0]
	ldp x21, x22, [sp, #16]
	ldp x23, x24, [sp, #32]
	ldp x25, x26, [sp, #48]
	ldp x27, x28, [sp, #64]
	ldp x29, x30, [sp, #80]
	add sp, sp, #96
	ret

/* A new thread's first switch "returns" here with entry in x19 and its
   argument in x20 (hal_context_init, context.c); x29 is 0, which ends
   backtraces. */
	.global a64_thread_trampoline
	.type a64_thread_trampoline, %function
a64_thread_trampoline:
	mov x0, x19
	mov x1, x20
	bl sched_thread_start
	brk #0
