// SPDX-License-Identifier: MIT
// AArch64 CPU services for hal/cpu.h and hal/early.h: halting, the generic
// timer frequency, frame-record backtraces and the crash-report register
// dump.
#include <hal/cpu.h>
#include <hal/early.h>
#include <kernel/percpu.h>
#include <lib/printk.h>
#include <mm/kstack.h>
#include "a64.h"

uint64_t a64_backtrace_from, a64_backtrace_first_pc;
extern char boot_stack_bottom[], boot_stack_top[];
extern char __kernel_start[], __kernel_end[];

__noreturn void hal_cpu_halt(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

uint64_t hal_ticks_hz(void)
{
	return A64_READ_SYSREG(cntfrq_el0);
}

const char *hal_arch_name(void)
{
	return "aarch64";
}

// The boot stack, or the running CPU's own stack (KSTACK_SIZE bytes below
// its stack_top; secondary CPUs).
static bool on_stack(uint64_t fp)
{
	const struct cpu *c = hal_this_cpu();
	uint64_t top = c && c->stack_top ? (uint64_t)c->stack_top : 0;

	if (fp & 7)
		return false;
	if (fp >= (uint64_t)boot_stack_bottom &&
	    fp + 16 <= (uint64_t)boot_stack_top)
		return true;
	return top && fp >= top - KSTACK_SIZE && fp + 16 <= top;
}

unsigned hal_backtrace(uintptr_t *pcs, unsigned max)
{
	uint64_t fp = a64_backtrace_from ? a64_backtrace_from
	                                 : (uint64_t)__builtin_frame_address(0);
	unsigned n = 0;

	if (a64_backtrace_first_pc && n < max)
		pcs[n++] = a64_backtrace_first_pc;
	a64_backtrace_from = a64_backtrace_first_pc = 0;
	while (n < max && on_stack(fp)) {
		uint64_t pc = ((uint64_t *)fp)[1];

		if (pc < (uint64_t)__kernel_start ||
		    pc >= (uint64_t)__kernel_end)
			break;
		pcs[n++] =
		    pc - 4; // the call instruction, not the return address
		fp = ((uint64_t *)fp)[0];
	}
	return n;
}

void hal_dump_cpu_state(void)
{
	printk(KERN_EMERG "  CurrentEL %lu SCTLR_EL1 %#lx TCR_EL1 %#lx\n",
	       A64_READ_SYSREG(CurrentEL) >> 2, A64_READ_SYSREG(sctlr_el1),
	       A64_READ_SYSREG(tcr_el1));
	printk(KERN_EMERG "  TTBR0 %#lx TTBR1 %#lx VBAR %#lx\n",
	       A64_READ_SYSREG(ttbr0_el1), A64_READ_SYSREG(ttbr1_el1),
	       A64_READ_SYSREG(vbar_el1));
}

const struct boot_info *a64_boot_info;

err_t hal_early_init(const struct boot_info *bi)
{
	err_t err;

	a64_boot_info = bi;
	// The power driver binds in hal_irq_init(): it may need MMIO
	// mappings, which wait for the kernel's page tables.
	err = a64_serial_init(bi);
	return err;
}
