// SPDX-License-Identifier: MIT
// x86_64 CPU services for hal/cpu.h and hal/early.h: halting, the TSC
// frequency (measured by the loader), frame-pointer backtraces and the
// crash-report register dump.
#include <hal/cpu.h>
#include <hal/early.h>
#include <kernel/printk.h>
#include "x86.h"

uint64_t x86_backtrace_from, x86_backtrace_first_pc;
uint64_t x86_tsc_hz;
extern char boot_stack_bottom[], boot_stack_top[];
extern char __kernel_start[], __kernel_end[];

__noreturn void hal_cpu_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

uint64_t hal_ticks_hz(void)
{
	return x86_tsc_hz;
}

const char *hal_arch_name(void)
{
	return "x86_64";
}

static bool on_stack(uint64_t fp)
{
	return fp >= (uint64_t)boot_stack_bottom &&
	       fp + 16 <= (uint64_t)boot_stack_top && !(fp & 7);
}

unsigned hal_backtrace(uintptr_t *pcs, unsigned max)
{
	uint64_t fp = x86_backtrace_from ? x86_backtrace_from
	                                 : (uint64_t)__builtin_frame_address(0);
	unsigned n = 0;

	if (x86_backtrace_first_pc && n < max)
		pcs[n++] = x86_backtrace_first_pc;
	x86_backtrace_from = x86_backtrace_first_pc = 0;
	while (n < max && on_stack(fp)) {
		uint64_t pc = ((uint64_t *)fp)[1];

		if (pc < (uint64_t)__kernel_start ||
		    pc >= (uint64_t)__kernel_end)
			break;
		pcs[n++] = pc - 1; // inside the call, not after it
		fp = ((uint64_t *)fp)[0];
	}
	return n;
}

void hal_dump_cpu_state(void)
{
	printk(KERN_EMERG "  cr0 %#lx cr2 %#lx cr3 %#lx cr4 %#lx\n",
	       X86_READ_CR(0), X86_READ_CR(2), X86_READ_CR(3), X86_READ_CR(4));
}

err_t hal_early_init(const struct boot_info *bi)
{
	x86_tsc_hz = bi->ticks_hz;
	x86_traps_init();
	x86_mmu_early_init();
	x86_serial_init();
	return 0;
}
