/* SPDX-License-Identifier: MIT */
/* x86_64 interrupt and exception entry. One 16-byte stub per vector
   (x86_vec_stubs + 16 * vector): it pushes a dummy error code when the CPU
   does not, then the vector number, and jumps to the common path, which
   saves the general registers into a struct x86_trap_frame (x86.h) and
   calls x86_trap(frame). The kernel has no user mode, so GS always holds
   the kernel's per-CPU base and no swapgs is needed. */
	.text
	.balign 16
	.global x86_vec_stubs
x86_vec_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	/* Keep the stack 16-byte aligned for the C code whatever the CPU
	   pushed (IST and interrupted stacks may differ). */
	movq %rsp, %rbx
	andq $-16, %rsp
	call x86_trap
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq
