// SPDX-License-Identifier: MIT
// panic(): report and stop. Only the first CPU to panic reports; a panic
// inside the report (a recursive panic) stops at once.
#include <hal/cpu.h>
#include <hal/early.h>
#include <lib/power.h>
#include <lib/panic.h>
#include <lib/printk.h>
#include <kernel/smp.h>
#include <kernel/symbols.h>

void (*panic_hook)(const char *msg);
int panic_exit_status = -1; // >= 0: leave QEMU with this status (test mode)

static volatile int panicking;

void backtrace_print(void)
{
	uintptr_t pcs[32];
	unsigned n = hal_backtrace(pcs, ARRAY_SIZE(pcs));

	printk(KERN_EMERG "backtrace:\n");
	for (unsigned i = 0; i < n; i++) {
		uintptr_t off;
		const char *name = symbols_lookup(pcs[i], &off);

		if (name)
			printk(KERN_EMERG "  #%u %#lx %s+%#lx\n", i,
			       (unsigned long)pcs[i], name, (unsigned long)off);
		else
			printk(KERN_EMERG "  #%u %#lx ?\n", i,
			       (unsigned long)pcs[i]);
	}
}

__noreturn void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (panic_hook)
		panic_hook(msg);
	hal_irq_disable();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST))
		hal_cpu_halt();
	smp_stop_others(); // quiet machine for the report
	printk(KERN_EMERG "\nKERNEL PANIC on cpu %u: %s\n", hal_cpu_id(), msg);
	hal_dump_cpu_state();
	backtrace_print();
	printk(KERN_EMERG "system halted\n");
	if (panic_exit_status >= 0)
		kernel_exit(panic_exit_status);
	hal_cpu_halt();
}
