// SPDX-License-Identifier: MIT
// AArch64 exception reporting. Every exception taken at EL1 arrives here
// from vectors.S with the full register frame; we decode ESR_EL1 (class,
// syndrome) and FAR_EL1, print the registers and panic. Two cases are not
// faults: IRQs, which go to the GIC dispatcher (gic.c) and return, and a
// semihosting HLT that QEMU did not service (semihosting off), for which
// we power off through PSCI instead.
#include <kernel/fault.h>
#include <lib/panic.h>
#include <lib/printk.h>
#include <kernel/sched/sched.h>
#include "a64.h"

struct a64_frame {
	uint64_t x[31];
	uint64_t sp, elr, spsr, esr, far;
};

__noreturn void a64_power_off(void);

static const char *const kind_names[16] = {"sync (EL1t)",
                                           "IRQ (EL1t)",
                                           "FIQ (EL1t)",
                                           "SError (EL1t)",
                                           "sync",
                                           "IRQ",
                                           "FIQ",
                                           "SError",
                                           "sync from EL0",
                                           "IRQ from EL0",
                                           "FIQ from EL0",
                                           "SError from EL0",
                                           "sync from EL0 (AArch32)",
                                           "IRQ from EL0 (AArch32)",
                                           "FIQ from EL0 (AArch32)",
                                           "SError from EL0 (AArch32)"};

static const char *esr_class_name(unsigned ec)
{
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "WFI/WFE trapped";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "MSR/MRS trapped";
	case 0x20: return "instruction abort from EL0";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from EL0";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x30:
	case 0x31: return "breakpoint";
	case 0x32:
	case 0x33: return "software step";
	case 0x34:
	case 0x35: return "watchpoint";
	case 0x3c: return "BRK instruction";
	default: return "other";
	}
}

// Data/instruction fault status code (ESR ISS bits 5..0).
static const char *abort_status_name(unsigned fsc)
{
	switch (fsc & 0x3c) {
	case 0x04: return "not present (translation fault)";
	case 0x08: return "access flag fault";
	case 0x0c: return "protection (permission fault)";
	case 0x00: return "address size fault";
	default: return fsc == 0x21 ? "alignment fault" : "other fault status";
	}
}

static void dump_frame(const struct a64_frame *f)
{
	for (int i = 0; i < 30; i += 3)
		printk(KERN_EMERG
		       "  x%-2d %016lx  x%-2d %016lx  x%-2d %016lx\n",
		       i, f->x[i], i + 1, f->x[i + 1], i + 2, f->x[i + 2]);
	printk(KERN_EMERG "  x30 %016lx  sp  %016lx  elr %016lx spsr %08lx\n",
	       f->x[30], f->sp, f->elr, f->spsr);
}

void a64_trap(struct a64_frame *f, unsigned long kind)
{
	unsigned ec = (unsigned)(f->esr >> 26) & 0x3f;

	if (kind == 5 || kind == 9) { // IRQ from EL1h or from EL0
		a64_irq_dispatch();
		sched_irq_exit(); // may switch threads (hal/context.h)
		return;
	}
	if ((kind & 3) == 0 && ec == 0 && f->elr == (uint64_t)a64_semihost_insn)
		a64_power_off();
	if (ec == 0x21 || ec == 0x25) { // instruction / data abort at EL1
		unsigned fsc = f->esr & 0x3f;
		struct fault_info fi = {
		    .addr = f->far,
		    .pc = f->elr,
		    .access = ec == 0x21             ? FAULT_EXEC
		              : (f->esr & (1u << 6)) ? FAULT_WRITE
		                                     : FAULT_READ,
		    // permission (0x0c-0x0f) and access-flag faults: mapped
		    .present = (fsc & 0x3c) == 0x0c || (fsc & 0x3c) == 0x08,
		};
		fault_probe_catch(&fi);
	}
	printk(KERN_EMERG
	       "\nexception: %s, ESR %#lx (class %#x: %s, ISS %#lx)\n",
	       kind < 16 ? kind_names[kind] : "?", f->esr, ec,
	       esr_class_name(ec), f->esr & 0x1ffffff);
	if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25 ||
	    ec == 0x22 || ec == 0x34 || ec == 0x35)
		printk(KERN_EMERG "  faulting address (FAR) %#lx, %s, %s\n",
		       f->far,
		       (ec == 0x24 || ec == 0x25)
		           ? ((f->esr & (1u << 6)) ? "write" : "read")
		           : "instruction fetch",
		       abort_status_name((unsigned)f->esr & 0x3f));
	dump_frame(f);
	a64_backtrace_from = f->x[29];
	a64_backtrace_first_pc = f->elr;
	panic("unhandled exception (%s) at %#lx", esr_class_name(ec), f->elr);
}
