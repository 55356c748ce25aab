// SPDX-License-Identifier: MIT
// ACPI events in the kernel (acpi/events.c): the SCI with the fixed power
// button, GPEs and EC queries on full-hardware platforms; Generic Event
// Devices (ACPI0013, _EVT) on hardware-reduced ones; and what the kernel
// does with Notify(). docs/acpi-events.md has the design.
#pragma once

#include <acpi/acpi.h>
#include <lib/types.h>

// The full-hardware event blocks as a chipset driver knows them, for a FADT
// whose own are unusable: no PM1a event block, because the firmware built
// the tables before it programmed the chipset's PM I/O base (U-Boot on q35,
// docs/acpi-events.md), so every block address in it is an offset from 0.
// The platform's power driver sets them when it binds (hal_irq_init(), boot
// CPU, before acpi_events_init()); acpi_events_init() then uses all of them
// in place of the FADT's, and says so. driver names the driver for the log.
struct acpi_chipset_events {
	const char *driver;
	struct acpi_gas pm1a_evt, pm1a_cnt, gpe0;
	uint8_t pm1_evt_len, gpe0_len;
};
void acpi_events_set_chipset(const struct acpi_chipset_events *c);

// After acpi_aml_boot(): puts the platform in ACPI mode, wires the SCI or
// the GED interrupts, enables fixed events and GPEs, and prints
//   acpi: events: ...
// Work runs on the boot CPU's idle loop (lib/work.h), so nothing is
// handled until boot is complete. Firmware faults are reported; the kernel
// carries on without the part that failed.
void acpi_events_init(void);

// The interpreter's Notify callback: queues (path, value) for the ACPI
// worker, which logs it and acts on power-button presses (power off) and
// reports what it does not support (CPU hot-add, sleep button).
void acpi_notify_queue(const char *path, uint64_t value);
