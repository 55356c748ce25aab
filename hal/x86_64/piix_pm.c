// SPDX-License-Identifier: MIT
// The "piix-pm" power driver (driver.h): QEMU's pc machine (i440FX host
// bridge, PIIX3 PCI-to-ISA bridge at 00:01.0, ACPI on the PIIX4 PM
// function), whose FADT (revision 1) has no reset register, so `reboot`
// has nothing to write in the tables.
//
// Power-off: the FADT's PM1 blocks are right there, so S5 is acpi/power.c's
// (kernel_shutdown() tries it before the HAL), as with "acpi-pm": off is
// NULL. Reset: the FADT's reset register if it has one (acpi/power.c, tried
// first), else the PIIX3's Reset Control register at I/O port 0xcf9 (PIIX3
// datasheet, RC: bit 1 SRST selects a hard reset, a write with bit 2 RCPU
// set starts it; QEMU resets the machine on any write with bit 2 set).
// The register shares its port range with PCI CONFIG_ADDRESS (0xcf8-0xcfb),
// so it is written as a single byte.
//
// Entry order (driver.c): before "acpi-pm", so that on a PIIX3 this driver,
// which does everything "acpi-pm" does plus the reset, binds. On another
// chipset the probe answers E_NODEV (logged at debug level only).
// Boot CPU only (probe at boot, ops with everything else stopped).
#include <acpi/fadt.h>
#include <lib/printk.h>
#include "driver.h"

#define ISA_DEV 1 // bus 0, device 1, function 0
#define PIIX_VENDOR 0x8086
#define PIIX3_ISA_ID 0x7000
#define RC_SRST 0x02 // hard reset (with RCPU)
#define RC_RCPU 0x04 // a write with this bit set resets

err_t x86_piix_pm_probe(const void *fdt, int node, char *what, size_t len)
{
	const struct acpi_sdt_header *t;
	struct acpi_fadt f;
	uint32_t id = x86_pci0_read(ISA_DEV, 0);
	bool fadt_reset;
	err_t err;

	if ((id & 0xffff) != PIIX_VENDOR || id >> 16 != PIIX3_ISA_ID) {
		ksnprintf(what, len, "PCI 00:01.0 is %04x:%04x, not a PIIX3",
		          id & 0xffff, id >> 16);
		return E_NODEV;
	}
	if ((err = acpi_table_find("FACP", 0, &t)) ||
	    (err = acpi_fadt_decode(t, &f))) {
		ksnprintf(what, len, "PIIX3 00:01.0: ACPI FADT not usable");
		return err;
	}
	if (f.hw_reduced || !f.pm1a_evt.address || !f.pm1a_cnt.address) {
		ksnprintf(what, len,
		          "PIIX3 00:01.0: ACPI FADT has no PM1a blocks: no S5");
		return E_NOTSUP;
	}
	fadt_reset = (f.flags & ACPI_FADT_RESET_REG_SUP) && f.reset_reg.address;
	ksnprintf(what, len,
	          "PIIX3 00:01.0: S5 through PM1a_CNT %s %#lx (\\_S5), reset "
	          "through %sthe PIIX3 reset control 0xcf9",
	          acpi_space_name(f.pm1a_cnt.space_id),
	          (unsigned long)f.pm1a_cnt.address,
	          fadt_reset ? "the FADT reset register, then " : "");
	return 0;
}

static err_t piix_reset(void)
{
	pr_info("piix-pm: reset through the PIIX3 reset control register "
	        "(port 0xcf9 <- %#x)\n",
	        RC_SRST | RC_RCPU);
	return x86_reset_cf9(RC_SRST | RC_RCPU);
}

const struct x86_power_ops x86_piix_pm_ops = {.off = NULL, .reset = piix_reset};
