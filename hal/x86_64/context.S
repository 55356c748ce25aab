/* SPDX-License-Identifier: MIT */
/* hal_context_switch and the first frame of a new thread (hal/context.h).
   SysV callee-saved registers: rbx, rbp, r12-r15. A saved context is, from
   the saved stack pointer up: r15 r14 r13 r12 rbx rbp, return address. */
	.text
	.global hal_context_switch
	.type hal_context_switch, @function
hal_context_switch:		/* rdi = from, rsi = to */
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* A new thread's first switch "returns" here with entry in r12 and its
   argument in r13 (hal_context_init, context.c); rbp is 0, which ends
   backtraces. The stack is 16-byte aligned at this point. */
	.global x86_thread_trampoline
	.type x86_thread_trampoline, @function
x86_thread_trampoline:
	movq %r12, %rdi
	movq %r13, %rsi
	call sched_thread_start
	ud2
