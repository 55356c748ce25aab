// SPDX-License-Identifier: MIT
// Leaving the machine on x86_64: QEMU's isa-debug-exit device at port 0xf4
// (QEMU exits with (status << 1) | 1); without it, halt. Power-off and
// reset: kernel_shutdown() / kernel_reboot() try ACPI first (acpi/power.c:
// the FADT's PM1 control and reset registers, \_S5), then
// hal_firmware_power_off() / hal_firmware_reset() here, which call the
// bound power driver (driver.h): "acpi-pm" (the FADT is usable: nothing
// more to try), or a chipset driver for what the FADT got wrong
// (ich9_pm.c). This file is also the "acpi-pm" driver.
#include <acpi/fadt.h>
#include <hal/cpu.h>
#include <hal/power.h>
#include <lib/printk.h>
#include "arch/io.h"
#include "driver.h"

#define DEBUG_EXIT_PORT 0xf4

__noreturn void hal_machine_exit(int status)
{
	__asm__ volatile("cli");
	x86_outl(DEBUG_EXIT_PORT, (uint32_t)status);
	hal_cpu_halt();
}

static const struct x86_power_ops *power_ops(void)
{
	const struct hal_driver *d = x86_bind(HAL_DRV_POWER);

	return d ? d->ops : NULL;
}

err_t hal_firmware_power_off(void)
{
	const struct x86_power_ops *o = power_ops();

	hal_irq_disable();
	return o && o->off ? o->off() : E_NOTSUP;
}

err_t hal_firmware_reset(void)
{
	const struct x86_power_ops *o = power_ops();

	hal_irq_disable();
	return o && o->reset ? o->reset() : E_NOTSUP;
}

static void gas_text(char *buf, size_t len, const struct acpi_gas *g)
{
	ksnprintf(buf, len, "%s %#lx", acpi_space_name(g->space_id),
	          (unsigned long)g->address);
}

// "acpi-pm": the FADT's registers are usable as they are. S5 and the
// reset register are written by acpi/power.c, which kernel_shutdown()
// and kernel_reboot() call before the HAL; its ops add nothing.
err_t x86_acpi_pm_probe(const void *fdt, int node, char *what, size_t len)
{
	const struct acpi_sdt_header *t;
	struct acpi_fadt f;
	char cnt[40], rst[40] = "none";
	err_t err;

	if ((err = acpi_table_find("FACP", 0, &t)) ||
	    (err = acpi_fadt_decode(t, &f))) {
		ksnprintf(what, len, "ACPI FADT: not usable");
		return err;
	}
	if ((f.flags & ACPI_FADT_RESET_REG_SUP) && f.reset_reg.address)
		gas_text(rst, sizeof(rst), &f.reset_reg);
	if (f.hw_reduced) {
		gas_text(cnt, sizeof(cnt), &f.sleep_control);
		ksnprintf(what, len,
		          "ACPI FADT (hardware-reduced): S5 through the sleep "
		          "control register %s, reset register %s",
		          f.sleep_control.address ? cnt : "(none)", rst);
		return 0;
	}
	gas_text(cnt, sizeof(cnt), &f.pm1a_cnt);
	if (!f.pm1a_evt.address || !f.pm1a_cnt.address) {
		ksnprintf(what, len,
		          "ACPI FADT: no PM1a event block (PM1a_CNT %s): the "
		          "firmware left the chipset's ACPI PM I/O base "
		          "unprogrammed? No S5 or ACPI events through the FADT",
		          f.pm1a_cnt.address ? cnt : "none");
		return E_NOTSUP;
	}
	ksnprintf(what, len,
	          "ACPI FADT: S5 through PM1a_CNT %s (\\_S5), reset register "
	          "%s",
	          cnt, rst);
	return 0;
}

const struct x86_power_ops x86_acpi_pm_ops = {.off = NULL, .reset = NULL};
