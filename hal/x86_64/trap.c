// SPDX-License-Identifier: MIT
// x86_64 descriptor tables and trap dispatch.
//
// Each CPU has its own GDT (64-bit code, data, and a TSS descriptor) and TSS
// whose interrupt stack table gives NMI, double fault and machine check
// their own stacks, so they are reported even on a broken kernel stack. One
// IDT, shared and read-only after x86_traps_init(), routes all 256 vectors
// to trap.S. Exceptions print the vector, error code, faulting address and
// every register, then panic (with a backtrace of the interrupted code);
// vectors from 32 on are interrupts, dispatched by x86_irq_dispatch().
// A CPU's tables are written only by that CPU, once, before it enables
// interrupts.
#include <hal/early.h>
#include <kernel/fault.h>
#include <lib/panic.h>
#include <kernel/percpu.h>
#include <lib/printk.h>
#include <kernel/sched/sched.h>
#include <mm/kstack.h>
#include "x86.h"

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

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __packed;

#define GDT_CODE 0x08
#define GDT_DATA 0x10
#define GDT_TSS 0x18

struct x86_desc {
	uint64_t gdt[5]; // null, code, data, TSS (two slots)
	struct tss tss;
} __attribute__((aligned(64)));

static struct x86_desc descs[MAX_CPUS];
static uint8_t boot_ist[3][X86_IST_SIZE] __attribute__((aligned(16)));
static struct idt_entry idt[256];
extern const char x86_vec_stubs[];
extern char boot_stack_bottom[], boot_stack_top[];

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

static void load_gdt(struct x86_desc *d)
{
	struct desc_ptr p = {sizeof(d->gdt) - 1, (uint64_t)d->gdt};

	// GS is left alone: its base is the per-CPU pointer.
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
	                 :
	                 : "m"(p)
	                 : "rax", "memory");
	__asm__ volatile("ltr %w0" ::"r"(GDT_TSS));
}

static void set_tss_desc(struct x86_desc *d)
{
	uint64_t base = (uint64_t)&d->tss, limit = sizeof(d->tss) - 1;

	d->gdt[3] = (limit & 0xffff) | (base & 0xffffff) << 16 |
	            0x89ull << 40 | // present, 64-bit TSS (available)
	            ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	d->gdt[4] = base >> 32;
}

void x86_desc_init_cpu(struct cpu *c)
{
	struct x86_desc *d = &descs[c->id];
	struct desc_ptr p = {sizeof(idt) - 1, (uint64_t)idt};

	d->gdt[0] = 0;
	d->gdt[1] = 0x00af9a000000ffffull; // 64-bit code, DPL 0
	d->gdt[2] = 0x00cf92000000ffffull; // data, DPL 0
	set_tss_desc(d);
	for (unsigned i = 0; i < 3; i++)
		d->tss.ist[i] = c->hal[X86_HAL_IST + i]
		                    ? c->hal[X86_HAL_IST + i]
		                    : (uint64_t)boot_ist[i] + X86_IST_SIZE;
	d->tss.iomap_base = sizeof(d->tss); // no I/O bitmap
	load_gdt(d);
	__asm__ volatile("lidt %0" ::"m"(p));
}

static void set_gate(unsigned v, unsigned ist)
{
	uint64_t h = (uint64_t)x86_vec_stubs + 16 * v;

	idt[v] = (struct idt_entry){
	    .off_lo = (uint16_t)h,
	    .sel = GDT_CODE,
	    .ist = (uint8_t)ist,
	    .type = 0x8e, // present, DPL 0, interrupt gate
	    .off_mid = (uint16_t)(h >> 16),
	    .off_hi = (uint32_t)(h >> 32),
	};
}

// Boot CPU, first thing in hal_early_init (percpu is already set).
void x86_traps_init(void)
{
	for (unsigned v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(2, X86_IST_NMI);
	set_gate(8, X86_IST_DF);
	set_gate(18, X86_IST_MC);
	x86_desc_init_cpu(this_cpu());
}

// Is [lo, hi) inside a stack of the running CPU? (backtrace bounds)
bool x86_stack_contains(uint64_t lo, uint64_t hi)
{
	struct cpu *c = this_cpu();
	uint64_t base;

	if (lo >= (uint64_t)boot_stack_bottom && hi <= (uint64_t)boot_stack_top)
		return true;
	if (c->stack_top) {
		base = (uint64_t)c->stack_top - KSTACK_SIZE;
		if (lo >= base && hi <= (uint64_t)c->stack_top)
			return true;
	}
	for (unsigned i = 0; i < 3; i++) {
		uint64_t top = c->hal[X86_HAL_IST + i];

		if (top && lo >= top - KSTACK_SIZE && hi <= top)
			return true;
	}
	base = (uint64_t)boot_ist;
	return c->id == 0 && lo >= base && hi <= base + sizeof(boot_ist);
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

static __noreturn void report_exception(struct x86_trap_frame *f)
{
	const char *name = vector_names[f->vector];
	unsigned cpu = hal_cpu_id();

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

	printk(KERN_EMERG "\nexception %lu (%s) on cpu %u, error code %#lx\n",
	       f->vector, name, cpu, f->error);
	if (f->vector == 14)
		printk(KERN_EMERG "  faulting address %#lx (%s, %s, %s)\n",
		       x86_read_cr2(),
		       f->error & 1 ? "protection" : "not present",
		       f->error & 2    ? "write"
		       : f->error & 16 ? "execute"
		                       : "read",
		       f->error & 4 ? "user" : "kernel");
	dump_frame(f);
	x86_backtrace_from[cpu] = f->rbp;
	x86_backtrace_first_pc[cpu] = f->rip;
	panic("unhandled %s at %#lx", name, f->rip);
}

void x86_trap(struct x86_trap_frame *f)
{
	if (f->vector < 32) {
		report_exception(f);
		x86_irq_dispatch((unsigned)f->vector);
		return;
	}
	x86_irq_dispatch((unsigned)f->vector);
	sched_irq_exit(); // may switch threads (hal/context.h)
}
