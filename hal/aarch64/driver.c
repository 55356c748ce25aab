// SPDX-License-Identifier: MIT
// The AArch64 driver table and its binding (driver.h). ACPI wins when the
// firmware handed over tables (a driver matches when its table exists);
// otherwise the device tree's node for the class (lib/fdt_dev.h) is matched
// against the table's strings. Every outcome is one log line. Runs on the
// boot CPU during boot: no locks.
#include <libfdt.h>
#include <acpi/acpi.h>
#include <kernel/driver.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>
#include <mm/phys.h>
#include "a64.h"
#include "driver.h"

const struct hal_driver a64_drivers[] = {
    // Interrupt controllers.
    {"gic", HAL_DRV_INTC, "APIC", NULL, a64_gic_probe_acpi, &a64_gic_ops},
    {"gicv3", HAL_DRV_INTC, NULL, "arm,gic-v3", a64_gic_probe_fdt,
     &a64_gic_ops},
    {"gicv2", HAL_DRV_INTC, NULL, "arm,cortex-a15-gic", a64_gic_probe_fdt,
     &a64_gic_ops},
    {"gicv2", HAL_DRV_INTC, NULL, "arm,gic-400", a64_gic_probe_fdt,
     &a64_gic_ops},
    {"bcm2836-l1", HAL_DRV_INTC, NULL, "brcm,bcm2836-l1-intc",
     a64_bcm2836_probe, &a64_bcm2836_ops},
    // Serial consoles.
    {"pl011", HAL_DRV_SERIAL, "SPCR", NULL, a64_pl011_probe_acpi,
     &a64_pl011_ops},
    {"pl011", HAL_DRV_SERIAL, NULL, "arm,pl011", a64_pl011_probe_fdt,
     &a64_pl011_ops},
    {"bcm2835-aux-uart", HAL_DRV_SERIAL, NULL, "brcm,bcm2835-aux-uart",
     a64_bcm_aux_probe, &a64_bcm_aux_ops},
    // Secondary-CPU start (ACPI: PSCI; the parking protocol is not done).
    {"psci", HAL_DRV_CPU_START, "FACP", NULL, a64_psci_probe_acpi,
     &a64_psci_start_ops},
    {"psci", HAL_DRV_CPU_START, NULL, "psci", a64_psci_probe_fdt,
     &a64_psci_start_ops},
    {"spin-table", HAL_DRV_CPU_START, NULL, "spin-table", a64_spin_table_probe,
     &a64_spin_table_ops},
    // Power-off and reset.
    {"psci", HAL_DRV_POWER, "FACP", NULL, a64_psci_probe_acpi,
     &a64_psci_power_ops},
    {"psci", HAL_DRV_POWER, NULL, "psci", a64_psci_probe_fdt,
     &a64_psci_power_ops},
    {"bcm2835-pm", HAL_DRV_POWER, NULL, "brcm,bcm2835-pm-wdt",
     a64_bcm2835_pm_probe, &a64_bcm2835_pm_ops},
    {NULL, HAL_DRV_NR, NULL, NULL, NULL, NULL},
};

static const enum fdt_role class_role[HAL_DRV_NR] = {
    FDT_ROLE_INTC, FDT_ROLE_SERIAL, FDT_ROLE_INTC, FDT_ROLE_POWER};

static const struct hal_driver *bound[HAL_DRV_NR];
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

const struct hal_driver *hal_driver_bound(enum hal_drv_class cls)
{
	return cls < HAL_DRV_NR ? bound[cls] : NULL;
}

void a64_driver_set_bound(const struct hal_driver *d)
{
	if (d && !bound[d->cls])
		bound[d->cls] = d;
}

static bool have_acpi(void)
{
	return a64_boot_info->acpi_rsdp && acpi_table_count();
}

// The one device-tree path of every class: the class's strings against
// the node playing its role (hwid ~0) or against CPU hwid's enable-method.
// The probe is the caller's: CPU start probes once per method, not per CPU.
static const struct hal_driver *match_fdt(enum hal_drv_class cls, uint64_t hwid,
                                          int *node)
{
	const char *known[16];
	const struct hal_driver *map[16];
	const void *fdt = a64_fdt();
	char msg[FDT_DEV_MSG];
	int which;

	*node = -1;
	if (!fdt) {
		pr_err("driver: no %s: neither ACPI nor a usable device "
		       "tree\n",
		       hal_drv_class_name(cls));
		return NULL;
	}
	driver_dt_strings(a64_drivers, cls, known, map, ARRAY_SIZE(known));
	if (cls == HAL_DRV_CPU_START) {
		if (!fdt_dev_cpu_method(fdt, hwid, known, node, &which, msg,
		                        sizeof(msg)))
			return map[which];
		pr_err("smp: %s; CPU %#lx not started\n", msg,
		       (unsigned long)hwid);
		return NULL;
	}
	if (!fdt_dev_find(fdt, class_role[cls], known, node, &which, msg,
	                  sizeof(msg)))
		return map[which];
	pr_err("%s; carrying on with no %s driver\n", msg,
	       hal_drv_class_name(cls));
	return NULL;
}

const struct hal_driver *a64_bind(enum hal_drv_class cls)
{
	const struct hal_driver *d;
	int node;

	if (have_acpi())
		d = driver_bind_acpi(a64_drivers, cls);
	else if ((d = match_fdt(cls, ~0ull, &node)))
		d = driver_probe(d, a64_fdt(), node);
	a64_driver_set_bound(d);
	return d;
}

const struct hal_driver *a64_bind_cpu(uint64_t hwid, int *node)
{
	*node = -1;
	if (have_acpi()) {
		// PSCI, the only ACPI method: the FADT said so at boot.
		for (const struct hal_driver *d = a64_drivers; d->name; d++)
			if (d->cls == HAL_DRV_CPU_START && d->acpi)
				return d;
		return NULL;
	}
	return match_fdt(HAL_DRV_CPU_START, hwid, node);
}
