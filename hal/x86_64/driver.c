// SPDX-License-Identifier: MIT
// The x86_64 driver table and its binding (driver.h). Each class binds once
// on the boot CPU during boot (serial in hal_early_init, the interrupt
// controller and power in hal_irq_init, CPU start in hal_smp_enumerate),
// through the loop both arches share (kernel/driver.c): the entries whose
// ACPI table exists, in order, then the fallbacks. No locks: boot only.
#include <kernel/driver.h>
#include "driver.h"

const struct hal_driver x86_drivers[] = {
    // Interrupt controllers: local APIC (xAPIC or x2APIC) and the I/O
    // APICs of the MADT. Without a MADT: none (one CPU, no interrupts).
    {"apic", HAL_DRV_INTC, "APIC", NULL, x86_apic_probe, &x86_apic_ops},
    // Serial consoles: a 16550 the SPCR names, else the legacy COM1.
    {"uart16550", HAL_DRV_SERIAL, "SPCR", NULL, x86_uart_probe_spcr,
     &x86_uart_ops},
    {"uart16550", HAL_DRV_SERIAL, NULL, NULL, x86_uart_probe_com1,
     &x86_uart_ops},
    // Secondary-CPU start: INIT-SIPI-SIPI to the MADT's local APICs.
    {"init-sipi", HAL_DRV_CPU_START, "APIC", NULL, x86_sipi_probe,
     &x86_sipi_ops},
    // Power-off and reset: the PIIX3 (pc: the FADT's S5, the chipset's
    // reset control register), the FADT's registers alone; the ICH9 (q35)
    // with a PM I/O base the firmware never programmed.
    {"piix-pm", HAL_DRV_POWER, "FACP", NULL, x86_piix_pm_probe,
     &x86_piix_pm_ops},
    {"acpi-pm", HAL_DRV_POWER, "FACP", NULL, x86_acpi_pm_probe,
     &x86_acpi_pm_ops},
    {"ich9-pm", HAL_DRV_POWER, "FACP", NULL, x86_ich9_pm_probe,
     &x86_ich9_pm_ops},
    {NULL, HAL_DRV_NR, NULL, NULL, NULL, NULL},
};

static const struct hal_driver *bound[HAL_DRV_NR];
static bool tried[HAL_DRV_NR];

const struct hal_driver *x86_bind(enum hal_drv_class cls)
{
	if (cls >= HAL_DRV_NR)
		return NULL;
	if (!tried[cls]) {
		tried[cls] = true;
		bound[cls] = driver_bind_acpi(x86_drivers, cls);
	}
	return bound[cls];
}

const struct hal_driver *hal_driver_bound(enum hal_drv_class cls)
{
	return cls < HAL_DRV_NR ? bound[cls] : NULL;
}
