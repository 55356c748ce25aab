// SPDX-License-Identifier: MIT
// kernel_exit(): the one way the kernel ends a run with a status;
// kernel_shutdown() / kernel_reboot(): ACPI first, then the HAL's firmware
// interface, then halt.
#include <hal/cpu.h>
#include <hal/power.h>
#include <kernel/sched/stats.h>
#include <kernel/trace.h>
#include <lib/power.h>
#include <lib/printk.h>

// Each way out first prints the trace (trace=sched) and the scheduler's
// statistics (sched.stats), if asked for.
__noreturn void kernel_exit(int status)
{
	trace_dump();
	sched_stats_dump();
	printk("cairn: exit status %d\n", status);
	hal_machine_exit(status);
}

static const struct power_methods *power_methods;

void kernel_power_register(const struct power_methods *m)
{
	power_methods = m;
}

__noreturn void kernel_shutdown(void)
{
	err_t e;

	trace_dump();
	sched_stats_dump();
	printk("cairn: power off\n");
	if (power_methods && power_methods->off) {
		e = power_methods->off();
		if (e != E_NOENT && e != E_NOTSUP)
			pr_warn("power: %s power-off failed: %s\n",
			        power_methods->name, err_name(e));
	}
	pr_info("power: platform firmware power-off\n");
	e = hal_firmware_power_off();
	pr_err("power: cannot power off (%s); halting\n", err_name(e));
	hal_cpu_halt();
}

__noreturn void kernel_reboot(void)
{
	err_t e;

	trace_dump();
	sched_stats_dump();
	printk("cairn: reboot\n");
	if (power_methods && power_methods->reset) {
		e = power_methods->reset();
		if (e != E_NOTSUP && e != E_NOENT)
			pr_warn("power: %s reset failed: %s\n",
			        power_methods->name, err_name(e));
	}
	pr_info("power: platform firmware reset\n");
	e = hal_firmware_reset();
	pr_err("power: cannot reset (%s); halting\n", err_name(e));
	hal_cpu_halt();
}
