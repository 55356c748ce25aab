/* SPDX-License-Identifier: MIT */
/* hal_setjmp / hal_longjmp (hal/cpu.h): AAPCS64 callee-saved x19-x28, the
   frame pointer, the link register and the stack pointer. The kernel runs
   with -mgeneral-regs-only, so d8-d15 hold nothing to preserve. */
	.text
	.global hal_setjmp
hal_setjmp:
	stp x19, x20, [x0, #0]
	stp x21, x22, [x0, #16]
	stp x23, x24, [x0, #32]
	stp x25, x26, [x0, #48]
	stp x27, x28, [x0, #64]
	stp x29, x30, [x0, #80]
	mov x1, sp
	str x1, [x0, #96]
	mov x0, #0
	ret

	.global hal_longjmp
hal_longjmp:
	ldp x19, x20, [x0, #0]
	ldp x21, x22, [x0, #16]
	ldp x23, x24, [x0, #32]
	ldp x25, x26, [x0, #48]
	ldp x27, x28, [x0, #64]
	ldp x29, x30, [x0, #80]
	ldr x2, [x0, #96]
	mov sp, x2
	cmp w1, #0
	csinc w0, w1, wzr, ne
	ret
