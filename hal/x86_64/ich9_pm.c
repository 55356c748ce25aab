// SPDX-License-Identifier: MIT
// The "ich9-pm" power driver (driver.h): power-off and reset on an Intel
// ICH9 (QEMU q35) whose FADT cannot be used for them because the firmware
// never programmed the LPC bridge's ACPI PM I/O base. U-Boot's q35 build
// does this: QEMU built the FADT from a PM base of 0, so it has no PM1a
// event block and a PM1a control block at port 0x4 (docs/boot.md).
//
// The driver programs the base itself (ICH9 datasheet, LPC D31:F0: PMBASE
// at config offset 0x40, ACPI_EN is bit 7 of ACPI_CNTL at 0x44), at 0x600
// like OVMF, then enters S5 through PM1_CNT at PMBASE + 4 with SLP_TYP from
// the DSDT's \_S5 (acpi_power_off_pm1()). Reset: the ICH9's reset control
// register RST_CNT at port 0xcf9 (FULL_RST | RST_CPU | SYS_RST), used only
// after the FADT's reset register (acpi/power.c) did not reset.
// ACPI events: the driver hands acpi/events.c the ICH9's own event blocks
// at the base it found or set (PM1_STS/PM1_EN at PMBASE + 0, 4 bytes;
// PM1_CNT at + 4; GPE0_STS/GPE0_EN at + 0x20, 16 bytes), so the SCI, the
// fixed power button and the GPEs work although the FADT's addresses are
// offsets from 0 (acpi_events_set_chipset()).
// Boot CPU only (probe at boot, ops with everything else stopped).
#include <acpi/events.h>
#include <acpi/fadt.h>
#include <acpi/power.h>
#include <lib/printk.h>
#include "arch/io.h"
#include "driver.h"

#define LPC_DEV 31 // bus 0, device 31, function 0
#define ICH9_VENDOR 0x8086
#define ICH9_LPC_ID 0x2918
#define LPC_PMBASE 0x40
#define LPC_ACPI_CNTL 0x44
#define ACPI_CNTL_EN 0x80
#define PMBASE_MASK 0xff80u
#define PM_BASE_CHOSEN 0x600 // OVMF's choice on q35
#define PM1_EVT 0
#define PM1_EVT_LEN 4
#define PM1_CNT 4
#define GPE0_BLK 0x20
#define GPE0_LEN 16
#define RST_CNT_RESET 0x0e // FULL_RST, RST_CPU, SYS_RST

static uint16_t pm_base;

static uint32_t lpc_read(unsigned reg)
{
	return x86_pci0_read(LPC_DEV, reg);
}

static void lpc_write(unsigned reg, uint32_t v)
{
	x86_pci0_write(LPC_DEV, reg, v);
}

// The FADT must be the one this driver is for: full hardware and no PM1a
// event block (when it has one, "acpi-pm" binds first).
static err_t fadt_wanting(char *what, size_t len)
{
	const struct acpi_sdt_header *t;
	struct acpi_fadt f;
	err_t err;

	if ((err = acpi_table_find("FACP", 0, &t)) ||
	    (err = acpi_fadt_decode(t, &f))) {
		ksnprintf(what, len, "ACPI FADT: not usable");
		return err;
	}
	if (f.hw_reduced || f.pm1a_evt.address) {
		ksnprintf(what, len, "ACPI FADT has its PM1 blocks");
		return E_NOTSUP;
	}
	return 0;
}

static struct acpi_gas pm_io(unsigned off, unsigned bytes)
{
	return (struct acpi_gas){.space_id = ACPI_SPACE_IO,
	                         .bit_width = (uint8_t)(bytes * 8),
	                         .access_size = bytes > 2 ? 3 : bytes,
	                         .address = pm_base + off};
}

static void ich9_events_register(void)
{
	struct acpi_chipset_events ev = {.driver = "ich9-pm",
	                                 .pm1a_evt = pm_io(PM1_EVT, 4),
	                                 .pm1a_cnt = pm_io(PM1_CNT, 2),
	                                 .gpe0 = pm_io(GPE0_BLK, 1),
	                                 .pm1_evt_len = PM1_EVT_LEN,
	                                 .gpe0_len = GPE0_LEN};

	acpi_events_set_chipset(&ev);
}

err_t x86_ich9_pm_probe(const void *fdt, int node, char *what, size_t len)
{
	uint32_t id = lpc_read(0), base;
	err_t err;

	if ((err = fadt_wanting(what, len)))
		return err;
	if ((id & 0xffff) != ICH9_VENDOR || id >> 16 != ICH9_LPC_ID) {
		ksnprintf(what, len,
		          "PCI 00:1f.0 is %04x:%04x, not an ICH9 LPC",
		          id & 0xffff, id >> 16);
		return E_NOENT;
	}
	base = lpc_read(LPC_PMBASE) & PMBASE_MASK;
	if (base && (lpc_read(LPC_ACPI_CNTL) & ACPI_CNTL_EN)) {
		pm_base = (uint16_t)base;
		ksnprintf(what, len,
		          "ICH9 LPC 00:1f.0: ACPI PM I/O base %#x (the FADT "
		          "does not say so); S5 through PM1_CNT %#x, reset "
		          "through RST_CNT 0xcf9",
		          pm_base, pm_base + PM1_CNT);
		ich9_events_register();
		return 0;
	}
	if (x86_inw(PM_BASE_CHOSEN + PM1_CNT) != 0xffff) {
		ksnprintf(what, len,
		          "ICH9 LPC 00:1f.0: ACPI PM I/O base unprogrammed and "
		          "port %#x already answers: left alone",
		          PM_BASE_CHOSEN);
		return E_BUSY;
	}
	lpc_write(LPC_PMBASE, PM_BASE_CHOSEN | 1);
	lpc_write(LPC_ACPI_CNTL, lpc_read(LPC_ACPI_CNTL) | ACPI_CNTL_EN);
	pm_base = PM_BASE_CHOSEN;
	ksnprintf(what, len,
	          "ICH9 LPC 00:1f.0: ACPI PM I/O base was unprogrammed, now "
	          "%#x; S5 through PM1_CNT %#x (\\_S5), reset through RST_CNT "
	          "0xcf9",
	          pm_base, pm_base + PM1_CNT);
	ich9_events_register();
	return 0;
}

static err_t ich9_off(void)
{
	struct acpi_gas cnt = pm_io(PM1_CNT, 2);

	return acpi_power_off_pm1(&cnt);
}

static err_t ich9_reset(void)
{
	pr_info("ich9-pm: reset through RST_CNT (port 0xcf9 <- %#x)\n",
	        RST_CNT_RESET);
	return x86_reset_cf9(RST_CNT_RESET);
}

const struct x86_power_ops x86_ich9_pm_ops = {.off = ich9_off,
                                              .reset = ich9_reset};
