// SPDX-License-Identifier: MIT
// panic(): report and stop. Only the first CPU to panic reports; a panic
// inside the report (a recursive panic) stops at once. The other CPUs are
// stopped through the HAL's IPI directly (not kernel/smp.c), so a panic
// anywhere (the page allocator, say) needs nothing above the HAL but the
// per-CPU list, the symbols and kernel_exit().
#include <hal/cpu.h>
#include <hal/early.h>
#include <hal/irq.h>
#include <hal/timer.h>
#include <kernel/percpu.h>
#include <kernel/symbols.h>
#include <lib/panic.h>
#include <lib/power.h>
#include <lib/printk.h>

// How long the report waits for the other CPUs to stop: a CPU with
// interrupts off never does, and the report goes ahead without it.
#define PANIC_STOP_WAIT_NS (100000000ull)

void (*panic_hook)(const char *msg);
int panic_exit_status = -1; // >= 0: leave QEMU with this status (test mode)

static volatile int panicking;

static unsigned others_online(unsigned self)
{
	unsigned n = 0;

	for (unsigned i = 0; i < cpu_count; i++)
		if (i != self && cpus[i] && cpus[i]->online)
			n++;
	return n;
}

// Quiets the machine for the report: IPI_STOP makes each receiver clear
// its `online` flag and halt (smp_handle_ipi). Nothing is sent while no
// other CPU is online (an early panic: the interrupt controller may not be
// set up yet).
static void panic_stop_others(void)
{
	unsigned self = hal_cpu_id();
	uint64_t end;

	if (!others_online(self))
		return;
	hal_ipi_send_others(IPI_STOP);
	end = hal_time_ns() + PANIC_STOP_WAIT_NS;
	while (others_online(self) && hal_time_ns() < end)
		hal_cpu_relax();
}

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
	panic_stop_others();
	printk(KERN_EMERG "\nKERNEL PANIC on cpu %u: %s\n", hal_cpu_id(), msg);
	hal_dump_cpu_state();
	backtrace_print();
	printk(KERN_EMERG "system halted\n");
	if (panic_exit_status >= 0)
		kernel_exit(panic_exit_status);
	hal_cpu_halt();
}
