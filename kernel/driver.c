// SPDX-License-Identifier: MIT
// The binding loops over an arch's driver table (kernel/driver.h). Runs on
// the boot CPU during boot, before or just after the console exists (lines
// logged before it are replayed): no locks.
#include <acpi/acpi.h>
#include <kernel/driver.h>
#include <lib/printk.h>

#define DRIVER_WHAT 160 // room for a probe's description

const struct hal_driver *driver_probe(const struct hal_driver *d,
                                      const void *fdt, int node)
{
	char what[DRIVER_WHAT] = "";
	err_t err = d->probe(fdt, node, what, sizeof(what));

	// The class in brackets: one driver may serve two (PSCI). E_NODEV: the
	// chipset this entry drives is not there (a driver for another
	// machine's chipset): not worth a warning on every boot.
	if (err == E_NODEV) {
		pr_debug("driver: %s: no device: %s [%s]\n", d->name, what,
		         hal_drv_class_name(d->cls));
		return NULL;
	}
	if (err) {
		pr_warn("driver: %s not bound: %s (%s) [%s]\n", d->name, what,
		        err_name(err), hal_drv_class_name(d->cls));
		return NULL;
	}
	pr_info("driver: %s bound to %s [%s]\n", d->name, what,
	        hal_drv_class_name(d->cls));
	return d;
}

static bool acpi_has(const char *sig)
{
	const struct acpi_sdt_header *t;

	return acpi_table_find(sig, 0, &t) == 0;
}

const struct hal_driver *driver_bind_acpi(const struct hal_driver *table,
                                          enum hal_drv_class cls)
{
	// Pass 0: entries bound from an ACPI table; pass 1: fallbacks.
	for (int pass = 0; pass < 2; pass++)
		for (const struct hal_driver *d = table; d->name; d++) {
			if (d->cls != cls || d->match ||
			    (pass == 0) != (d->acpi != NULL))
				continue;
			if (d->acpi && !acpi_has(d->acpi))
				continue;
			if (driver_probe(d, NULL, -1))
				return d;
		}
	pr_err("driver: no %s: nothing in the ACPI tables Cairn can drive\n",
	       hal_drv_class_name(cls));
	return NULL;
}

unsigned driver_dt_strings(const struct hal_driver *table,
                           enum hal_drv_class cls, const char **known,
                           const struct hal_driver **map, unsigned max)
{
	unsigned n = 0;

	for (const struct hal_driver *d = table; d->name; d++) {
		if (d->cls != cls || !d->match)
			continue;
		if (n + 1 >= max) {
			pr_err("driver: more than %u device-tree strings for "
			       "the %s class; %s and later ignored\n",
			       max - 1, hal_drv_class_name(cls), d->match);
			break;
		}
		map[n] = d;
		known[n++] = d->match;
	}
	known[n] = NULL;
	return n;
}
