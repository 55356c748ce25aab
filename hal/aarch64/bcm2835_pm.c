// SPDX-License-Identifier: MIT
// Power-off and reset on the Raspberry Pi (driver.h): the BCM2835 power
// management / watchdog block, "brcm,bcm2835-pm-wdt". Every write carries
// the password 0x5a in its top byte. Reset: a short watchdog timeout and a
// full reset in RSTC. Power-off is the same reset with RSTS's partition
// field set to 63 ("halt", Linux's convention), which the Pi's boot
// firmware and QEMU's model (hw/misc/bcm2835_powermgt.c) read as "stay
// off". Called with interrupts off on one CPU at the end: no locks.
#include <libfdt.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>
#include "a64.h"
#include "driver.h"

#define PM_PASSWORD 0x5a000000u
#define PM_RSTC 0x1c
#define PM_RSTC_WRCFG_FULL_RESET 0x20
#define PM_RSTS 0x20
#define PM_RSTS_HALT 0x555 // partition 63, spread over the even bits
#define PM_WDOG 0x24
#define PM_WDOG_TICKS 10 // watchdog ticks (about 16 us each)

static volatile uint32_t *pm;

err_t a64_bcm2835_pm_probe(const void *fdt, int node, char *what, size_t len)
{
	uint64_t base, size;

	if (fdt_dev_reg(fdt, node, 0, &base, &size) || size < PM_WDOG + 4) {
		ksnprintf(what, len, "%s: bad reg",
		          fdt_get_name(fdt, node, NULL));
		return E_CORRUPT;
	}
	pm = a64_map_device(base, 0x1000);
	if (!pm)
		return E_RANGE;
	ksnprintf(what, len, "device tree %s at %#lx (power-off, reset)",
	          fdt_get_name(fdt, node, NULL), (unsigned long)base);
	return 0;
}

static void pm_reset(bool halt)
{
	uint32_t rsts = pm[PM_RSTS / 4] & ~0xfffu;

	if (halt)
		rsts |= PM_RSTS_HALT;
	pm[PM_RSTS / 4] = PM_PASSWORD | rsts;
	pm[PM_WDOG / 4] = PM_PASSWORD | PM_WDOG_TICKS;
	pm[PM_RSTC / 4] = PM_PASSWORD | PM_RSTC_WRCFG_FULL_RESET;
	for (int spins = 0; spins < 10000000; spins++) // the watchdog bites
		__asm__ volatile("" ::: "memory");
}

static err_t pm_off(void)
{
	if (!pm)
		return E_NOTSUP;
	pm_reset(true);
	return E_IO;
}

static err_t pm_restart(void)
{
	if (!pm)
		return E_NOTSUP;
	pm_reset(false);
	return E_IO;
}

const struct a64_power_ops a64_bcm2835_pm_ops = {.off = pm_off,
                                                 .reset = pm_restart};
