// SPDX-License-Identifier: MIT
// hal/timer.h on AArch64: the generic timer. The clock is the virtual
// counter CNTVCT_EL0 (one system counter for all CPUs; CNTVOFF is 0 as the
// loader and the secondary entry set it when they come from EL2) at
// CNTFRQ_EL0 Hz. The per-CPU event is the EL1 virtual timer (CNTV_CVAL /
// CNTV_CTL), whose interrupt comes from the ACPI GTDT or the device
// tree's timer node, else the bound controller's default (GIC PPI 27).
//
// Conversions use 32.32 fixed-point factors computed once, so no 128-bit
// division is needed at run time: ns = ticks * ns_mult >> 32 (arch/timer.h) and
// ticks = ns * tick_mult >> 32, with 128-bit products (one umulh).
// handler[] is written by its own CPU only; no locks.
#include <libfdt.h>
#include <acpi/gtdt.h>
#include <hal/irq.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "a64.h"
#include "driver.h"

#define CNTV_CTL_ENABLE (1u << 0)
#define CNTV_CTL_IMASK (1u << 1)
#define NS_PER_S 1000000000ull

static uint64_t freq, tick_mult;
uint64_t a64_time_base_ticks, a64_time_ns_mult; // arch/timer.h
static unsigned intid;
static void (*handler[MAX_CPUS])(void);

static uint64_t ns_to_ticks(uint64_t ns)
{
	return (uint64_t)(((unsigned __int128)ns * tick_mult) >> 32);
}

static void timer_irq(unsigned irq, void *arg)
{
	void (*fn)(void) = handler[hal_cpu_id()];

	// The timer's output is a level: stop it before the EOI.
	A64_WRITE_SYSREG(cntv_ctl_el0, CNTV_CTL_IMASK);
	this_cpu()->timer_fired++;
	if (fn)
		fn();
}

static unsigned intid_from_gtdt(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_gtdt g;

	if (!a64_boot_info->acpi_rsdp || acpi_table_find("GTDT", 0, &t) ||
	    acpi_gtdt_parse(t, &g))
		return 0;
	return g.virtual_el1.gsiv;
}

// "interrupts": secure phys, non-secure phys, virtual, hypervisor; the
// third is ours, translated by the bound interrupt controller (a GIC PPI
// on virt, the BCM2836 local controller's CNTV source on a Raspberry Pi).
static unsigned intid_from_fdt(void)
{
	static const char *const compat[] = {"arm,armv8-timer",
	                                     "arm,armv7-timer"};
	const void *fdt = a64_fdt();
	int node = -1;
	unsigned irq;

	for (size_t i = 0; fdt && i < ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	if (node < 0 || a64_fdt_irq(fdt, node, 2, &irq))
		return ~0u;
	return irq;
}

err_t hal_timer_init(void)
{
	unsigned id;
	err_t err;

	freq = A64_READ_SYSREG(cntfrq_el0) & 0xffffffffu;
	if (!freq) {
		pr_err("timer: CNTFRQ_EL0 is 0 (firmware did not set it)\n");
		return E_NOTSUP;
	}
	a64_time_ns_mult = (NS_PER_S << 32) / freq;
	tick_mult = (freq << 32) / NS_PER_S;
	a64_time_base_ticks = hal_ticks();
	intid = a64_intc->vtimer_default;
	id = intid_from_gtdt();
	if (!id)
		id = intid_from_fdt();
	if (id < a64_intc->private_below)
		intid = id;
	else
		pr_warn("timer: virtual timer interrupt not described; "
		        "assuming %u\n",
		        intid);
	err = hal_irq_register(intid, timer_irq, NULL);
	if (err)
		return err;
	pr_info("timer: generic timer at %lu Hz, virtual timer interrupt %u\n",
	        freq, intid);
	return 0;
}

err_t hal_timer_init_cpu(void)
{
	A64_WRITE_SYSREG(cntv_ctl_el0, 0);
	hal_irq_unmask(intid);
	return 0;
}

void hal_timer_oneshot(uint64_t deadline_ns)
{
	uint64_t now = hal_time_ns();
	uint64_t delta = deadline_ns > now ? ns_to_ticks(deadline_ns - now) : 0;

	if (delta > (1ull << 62)) // "never": far enough, and cannot wrap
		delta = 1ull << 62;

	// CVAL compares with the counter itself; a past value fires at once.
	A64_WRITE_SYSREG(cntv_cval_el0, hal_ticks() + delta);
	A64_WRITE_SYSREG(cntv_ctl_el0, CNTV_CTL_ENABLE);
	__asm__ volatile("isb" ::: "memory");
}

void hal_timer_cancel(void)
{
	A64_WRITE_SYSREG(cntv_ctl_el0, 0);
	__asm__ volatile("isb" ::: "memory");
}

void hal_timer_set_handler(void (*fn)(void))
{
	handler[hal_cpu_id()] = fn;
}
