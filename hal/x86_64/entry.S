/* SPDX-License-Identifier: MIT */
/* x86_64 kernel entry. The loader jumps here in long mode with interrupts
   off, paging on (its tables: identity + direct map + kernel) and
   %rdi = boot_info (direct-map address). We switch to our own stack, clear
   BSS and call kernel_main(bi), which never returns. */
	.section .text.entry, "ax"
	.global _start
_start:
	cli
	cld
	leaq boot_stack_top(%rip), %rsp
	movq %rdi, %r12
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	movq %r12, %rdi
	xorl %ebp, %ebp		/* terminates backtraces */
	pushq $0		/* fake return address, keeps 16-byte alignment */
	jmp kernel_main

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
