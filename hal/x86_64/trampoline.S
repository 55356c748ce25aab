/* SPDX-License-Identifier: MIT */
/* Application processor start-up. x86_trampoline_start..end is copied to a
   page P below 1 MiB (smp.c); a STARTUP IPI with vector P >> 12 starts the
   CPU in real mode at P:0. It goes to 32-bit protected mode on the small
   GDT below, turns on long mode with a temporary PML4 at P + 4 KiB (which
   maps the first 2 MiB 1:1 and shares the kernel half of the real tables),
   far-jumps to 64-bit code, loads the boot CPU's CR4 and jumps to
   x86_ap_entry in the kernel image, passing the real CR3 and CR0. Nothing
   here uses a stack, so any number of CPUs may run it at once. The data
   block at the end is filled in by smp.c (struct x86_tramp_data). */
	.section .rodata.trampoline, "a"
	.balign 16
	.global x86_trampoline_start
x86_trampoline_start:
	.code16
	cli
	cld
	xorl %ebx, %ebx
	movw %cs, %bx
	movw %bx, %ds
	shll $4, %ebx			/* ebx = P, kept until long mode */
	lgdtl tramp_gdtr - x86_trampoline_start
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl *(tramp_far32 - x86_trampoline_start)

	.code32
tramp_prot:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $0x20, %eax		/* CR4.PAE */
	movl %eax, %cr4
	movl (tramp_pml4 - x86_trampoline_start)(%ebx), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl $0x100, %eax		/* LME */
	orl (tramp_efer - x86_trampoline_start)(%ebx), %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax		/* PG | PE */
	movl %eax, %cr0
	ljmpl *(tramp_far64 - x86_trampoline_start)(%ebx)

	.code64
tramp_long:
	movq tramp_cr4(%rip), %rax
	movq %rax, %cr4
	movq tramp_cr3(%rip), %rdx
	movq tramp_cr0(%rip), %rcx
	movq tramp_entry(%rip), %rax
	jmpq *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_end:

	/* struct x86_tramp_data (smp.c), packed */
	.global x86_tramp_data
x86_tramp_data:
tramp_gdtr:
	.word tramp_gdt_end - tramp_gdt - 1
	.long 0				/* P + tramp_gdt */
tramp_far32:
	.long 0				/* P + tramp_prot */
	.word 0x08
tramp_far64:
	.long 0				/* P + tramp_long */
	.word 0x18
tramp_pml4:
	.long 0
tramp_efer:
	.long 0
tramp_entry:
	.quad 0
tramp_cr3:
	.quad 0
tramp_cr4:
	.quad 0
tramp_cr0:
	.quad 0
	.global x86_trampoline_end
x86_trampoline_end:

	/* Offsets smp.c needs to fill in the data block. */
	.section .rodata
	.balign 4
	.global x86_tramp_offsets
x86_tramp_offsets:
	.long tramp_gdt - x86_trampoline_start
	.long tramp_prot - x86_trampoline_start
	.long tramp_long - x86_trampoline_start
	.long x86_tramp_data - x86_trampoline_start

	/* 64-bit entry in the kernel image: rdx = CR3, rcx = CR0 to load. */
	.text
	.global x86_ap_entry
x86_ap_entry:
	movq %rdx, %cr3
	movq %rcx, %cr0
	movl $1, %eax
	cpuid
	shrl $24, %ebx			/* initial APIC ID */
	cmpb $0, x86_apic_id_leaf_b(%rip)
	je 1f
	movl $0xb, %eax
	xorl %ecx, %ecx
	cpuid
	movl %edx, %ebx			/* x2APIC ID */
1:	cmpl $4096, %ebx		/* X86_APIC_ID_LIMIT */
	jae 2f
	shlq $4, %rbx
	leaq x86_ap_boot(%rip), %rax
	addq %rbx, %rax
	movq 8(%rax), %rsp
	testq %rsp, %rsp
	jz 2f
	movq (%rax), %rdi
	xorl %ebp, %ebp
	pushq $0
	jmp x86_ap_main
2:	cli				/* not ours to start: park */
	hlt
	jmp 2b
