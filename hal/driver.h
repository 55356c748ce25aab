// SPDX-License-Identifier: MIT
// HAL: board drivers chosen from the firmware's description.
//
// Each arch keeps one table of drivers (hal/x86_64/driver.c,
// hal/aarch64/driver.c) in the shape below. A driver belongs to one class
// (the interrupt controller, the serial console, the secondary-CPU start
// method, power-off / reset) and names what it binds from: an ACPI table
// signature (MADT "APIC", SPCR, FADT "FACP"), a device-tree string (a
// `compatible`, a CPU `enable-method`, "psci" for the /psci node), or
// neither: a fallback for machines whose firmware describes nothing of the
// class (x86's legacy COM1). The arch binds each class once at boot, on the
// boot CPU, and logs one line per outcome:
//   driver: NAME bound to WHAT [CLASS]
//   driver: NAME not bound: WHAT (ERROR) [CLASS]
// so a new board adds a driver file and table entries, not edits across the
// HAL. The shared binding loops are in kernel/driver.c (kernel/driver.h).
#pragma once

#include <lib/err.h>
#include <lib/types.h>

enum hal_drv_class {
	HAL_DRV_INTC,      // interrupt controller (hal/irq.h)
	HAL_DRV_SERIAL,    // serial console (hal/serial.h)
	HAL_DRV_CPU_START, // secondary-CPU start (hal/smp.h)
	HAL_DRV_POWER,     // power-off and reset (hal/power.h)
	HAL_DRV_NR
};

struct hal_driver {
	const char *name;
	enum hal_drv_class cls;
	const char *acpi;  // ACPI table signature it binds from, or NULL
	const char *match; // device-tree string, or NULL
	// Binds the driver: fdt NULL and node -1 for ACPI and fallbacks.
	// Writes what it bound (or, on failure, what it found wanting) to
	// what; logs nothing itself. E_NOENT / E_NOTSUP: it does not apply
	// to this machine (the next entry is tried). E_NODEV: the device it
	// drives is absent (a chipset driver on another chipset): the next
	// entry is tried and the line is logged at debug level only.
	err_t (*probe)(const void *fdt, int node, char *what, size_t len);
	const void *ops; // the arch's ops structure for the class
};

// The driver bound for a class on this machine, or NULL (not bound yet,
// or nothing could be). Any context; the binding is done during boot.
const struct hal_driver *hal_driver_bound(enum hal_drv_class cls);

// "interrupt controller", "serial console", "CPU start", "power".
static inline const char *hal_drv_class_name(enum hal_drv_class cls)
{
	static const char *const names[HAL_DRV_NR] = {
	    "interrupt controller", "serial console", "CPU start", "power"};

	return cls < HAL_DRV_NR ? names[cls] : "?";
}

#include <arch/driver.h>
