// SPDX-License-Identifier: MIT
// x86_64 descriptor tables and exception reporting. The GDT holds a 64-bit
// kernel code and data segment; the IDT routes the 32 CPU exceptions to
// trap.S, and x86_trap() prints the vector, error code, faulting address
// (CR2) and every register, then panics. Set up once on the boot CPU before
// anything else can fault; read-only afterwards.
#include <hal/early.h>
#include <kernel/fault.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include "x86.h"

struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; // pushed by the CPU
};

struct idt_entry {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __packed;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static uint64_t gdt[] = {
    0,
    0x00af9a000000ffffull, // 0x08: 64-bit code, DPL 0
    0x00cf92000000ffffull, // 0x10: data, DPL 0
};
static struct idt_entry idt[256];
extern const uint64_t x86_vec_table[32];

static const char *const vector_names[32] = {"divide error",
                                             "debug",
                                             "NMI",
                                             "breakpoint",
                                             "overflow",
                                             "bound range",
                                             "invalid opcode",
                                             "device not available",
                                             "double fault",
                                             "coprocessor overrun",
                                             "invalid TSS",
                                             "segment not present",
                                             "stack fault",
                                             "general protection",
                                             "page fault",
                                             "reserved",
                                             "x87 FP",
                                             "alignment check",
                                             "machine check",
                                             "SIMD FP",
                                             "virtualization",
                                             "control protection",
                                             "reserved",
                                             "reserved",
                                             "reserved",
                                             "reserved",
                                             "reserved",
                                             "reserved",
                                             "hypervisor injection",
                                             "VMM communication",
                                             "security",
                                             "reserved"};

static void load_gdt(void)
{
	struct desc_ptr p = {sizeof(gdt) - 1, (uint64_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
	                 "pushq $0x08\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "movw $0x10, %%ax\n\t"
	                 "movw %%ax, %%ds\n\t"
	                 "movw %%ax, %%es\n\t"
	                 "movw %%ax, %%ss\n\t"
	                 "xorw %%ax, %%ax\n\t"
	                 "movw %%ax, %%fs\n\t"
	                 "movw %%ax, %%gs\n\t"
	                 :
	                 : "m"(p)
	                 : "rax", "memory");
}

static void load_idt(void)
{
	struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)idt};

	for (unsigned v = 0; v < 32; v++) {
		uint64_t h = x86_vec_table[v];

		idt[v] = (struct idt_entry){
		    .off_lo = (uint16_t)h,
		    .sel = 0x08,
		    .type = 0x8e, // present, DPL 0, interrupt gate
		    .off_mid = (uint16_t)(h >> 16),
		    .off_hi = (uint32_t)(h >> 32),
		};
	}
	__asm__ volatile("lidt %0" ::"m"(p));
}

void x86_traps_init(void)
{
	load_gdt();
	load_idt();
}

static void dump_frame(const struct x86_trap_frame *f)
{
	printk(KERN_EMERG
	       "  rip %016lx  rsp %016lx  rflags %08lx cs %lx ss %lx\n",
	       f->rip, f->rsp, f->rflags, f->cs, f->ss);
	printk(KERN_EMERG "  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n",
	       f->rax, f->rbx, f->rcx, f->rdx);
	printk(KERN_EMERG "  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n",
	       f->rsi, f->rdi, f->rbp, f->r8);
	printk(KERN_EMERG "  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n",
	       f->r9, f->r10, f->r11, f->r12);
	printk(KERN_EMERG "  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13,
	       f->r14, f->r15);
}

void x86_trap(struct x86_trap_frame *f)
{
	const char *name = f->vector < 32 ? vector_names[f->vector] : "?";

	if (f->vector == 14 && !(f->error & 4)) {
		struct fault_info fi = {
		    .addr = x86_read_cr2(),
		    .pc = f->rip,
		    .access = f->error & 16  ? FAULT_EXEC
		              : f->error & 2 ? FAULT_WRITE
		                             : FAULT_READ,
		    .present = f->error & 1,
		};
		fault_probe_catch(&fi);
	}

	printk(KERN_EMERG "\nexception %lu (%s), error code %#lx\n", f->vector,
	       name, f->error);
	if (f->vector == 14)
		printk(KERN_EMERG "  faulting address %#lx (%s, %s, %s)\n",
		       x86_read_cr2(),
		       f->error & 1 ? "protection" : "not present",
		       f->error & 2    ? "write"
		       : f->error & 16 ? "execute"
		                       : "read",
		       f->error & 4 ? "user" : "kernel");
	dump_frame(f);
	x86_backtrace_from = f->rbp;
	x86_backtrace_first_pc = f->rip;
	panic("unhandled %s at %#lx", name, f->rip);
}
