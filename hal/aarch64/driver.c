// SPDX-License-Identifier: MIT
// The AArch64 driver table and its binding (driver.h). ACPI wins when the
// firmware handed over tables (a driver matches when its table exists);
// otherwise the device tree's node for the class (lib/fdt_dev.h) is matched
// against the table's strings. Every outcome is one log line. Runs on the
// boot CPU during boot: no locks.
#include <libfdt.h>
#include <acpi/acpi.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>
#include <mm/phys.h>
#include "a64.h"
#include "driver.h"

const struct a64_driver a64_drivers[] = {
    // Interrupt controllers.
    {"gic", A64_DRV_INTC, "APIC", NULL, a64_gic_probe_acpi, &a64_gic_ops},
    {"gicv3", A64_DRV_INTC, NULL, "arm,gic-v3", a64_gic_probe_fdt,
     &a64_gic_ops},
    {"gicv2", A64_DRV_INTC, NULL, "arm,cortex-a15-gic", a64_gic_probe_fdt,
     &a64_gic_ops},
    {"gicv2", A64_DRV_INTC, NULL, "arm,gic-400", a64_gic_probe_fdt,
     &a64_gic_ops},
    {"bcm2836-l1", A64_DRV_INTC, NULL, "brcm,bcm2836-l1-intc",
     a64_bcm2836_probe, &a64_bcm2836_ops},
    // Serial consoles.
    {"pl011", A64_DRV_SERIAL, "SPCR", NULL, a64_pl011_probe_acpi,
     &a64_pl011_ops},
    {"pl011", A64_DRV_SERIAL, NULL, "arm,pl011", a64_pl011_probe_fdt,
     &a64_pl011_ops},
    {"bcm2835-aux-uart", A64_DRV_SERIAL, NULL, "brcm,bcm2835-aux-uart",
     a64_bcm_aux_probe, &a64_bcm_aux_ops},
    // Secondary-CPU start (ACPI: PSCI; the parking protocol is not done).
    {"psci", A64_DRV_CPU_START, "FACP", NULL, a64_psci_probe_acpi,
     &a64_psci_start_ops},
    {"psci", A64_DRV_CPU_START, NULL, "psci", a64_psci_probe_fdt,
     &a64_psci_start_ops},
    {"spin-table", A64_DRV_CPU_START, NULL, "spin-table", a64_spin_table_probe,
     &a64_spin_table_ops},
    // Power-off and reset.
    {"psci", A64_DRV_POWER, "FACP", NULL, a64_psci_probe_acpi,
     &a64_psci_power_ops},
    {"psci", A64_DRV_POWER, NULL, "psci", a64_psci_probe_fdt,
     &a64_psci_power_ops},
    {"bcm2835-pm", A64_DRV_POWER, NULL, "brcm,bcm2835-pm-wdt",
     a64_bcm2835_pm_probe, &a64_bcm2835_pm_ops},
    {NULL, A64_DRV_NR, NULL, NULL, NULL, NULL},
};

static const char *const class_name[A64_DRV_NR] = {
    "interrupt controller", "serial console", "CPU start", "power"};
static const enum fdt_role class_role[A64_DRV_NR] = {
    FDT_ROLE_INTC, FDT_ROLE_SERIAL, FDT_ROLE_INTC, FDT_ROLE_POWER};

static const void *fdt_ok;
static bool fdt_checked;

const void *a64_fdt(void)
{
	char msg[FDT_DEV_MSG];

	if (fdt_checked || !a64_boot_info || !a64_boot_info->dtb)
		return fdt_ok;
	fdt_checked = true;
	if (fdt_dev_check(phys_to_virt(a64_boot_info->dtb),
	                  a64_boot_info->dtb_size, msg, sizeof(msg)))
		pr_err("%s; not used\n", msg);
	else
		fdt_ok = phys_to_virt(a64_boot_info->dtb);
	return fdt_ok;
}

static const struct a64_driver *probe(const struct a64_driver *d,
                                      const void *fdt, int node)
{
	char what[FDT_DEV_MSG] = "";
	err_t err = d->probe(fdt, node, what, sizeof(what));

	if (err) {
		pr_err("driver: %s: %s: %s\n", d->name, what, err_name(err));
		return NULL;
	}
	pr_info("driver: %s bound to %s\n", d->name, what);
	return d;
}

static const struct a64_driver *bind_acpi(enum a64_drv_class cls)
{
	const struct acpi_sdt_header *t;

	for (const struct a64_driver *d = a64_drivers; d->name; d++)
		if (d->cls == cls && d->acpi &&
		    !acpi_table_find(d->acpi, 0, &t))
			return probe(d, NULL, -1);
	pr_err("driver: no %s described by the ACPI tables\n", class_name[cls]);
	return NULL;
}

const struct a64_driver *a64_bind(enum a64_drv_class cls)
{
	const char *known[16];
	const struct a64_driver *map[16];
	const void *fdt;
	char msg[FDT_DEV_MSG];
	int n = 0, node, which;
	err_t err;

	if (a64_boot_info->acpi_rsdp && acpi_table_count())
		return bind_acpi(cls);
	fdt = a64_fdt();
	if (!fdt) {
		pr_err("driver: no %s: neither ACPI nor a usable device "
		       "tree\n",
		       class_name[cls]);
		return NULL;
	}
	for (const struct a64_driver *d = a64_drivers; d->name && n < 15; d++)
		if (d->cls == cls && d->match)
			map[n] = d, known[n++] = d->match;
	known[n] = NULL;
	err = fdt_dev_find(fdt, class_role[cls], known, &node, &which, msg,
	                   sizeof(msg));
	if (err) {
		pr_err("%s; carrying on with no %s driver\n", msg,
		       class_name[cls]);
		return NULL;
	}
	return probe(map[which], fdt, node);
}

const struct a64_driver *a64_bind_cpu(uint64_t hwid, int *node)
{
	const char *known[8];
	const struct a64_driver *map[8];
	const void *fdt;
	char msg[FDT_DEV_MSG];
	int n = 0, which;

	*node = -1;
	if (a64_boot_info->acpi_rsdp && acpi_table_count()) {
		for (const struct a64_driver *d = a64_drivers; d->name; d++)
			if (d->cls == A64_DRV_CPU_START && d->acpi)
				return d; // PSCI: the FADT said so at boot
		return NULL;
	}
	fdt = a64_fdt();
	if (!fdt)
		return NULL;
	for (const struct a64_driver *d = a64_drivers; d->name && n < 7; d++)
		if (d->cls == A64_DRV_CPU_START && d->match)
			map[n] = d, known[n++] = d->match;
	known[n] = NULL;
	if (fdt_dev_cpu_method(fdt, hwid, known, node, &which, msg,
	                       sizeof(msg))) {
		pr_err("smp: %s; CPU %#lx not started\n", msg,
		       (unsigned long)hwid);
		return NULL;
	}
	return map[which];
}
