// SPDX-License-Identifier: MIT
// ACPI events in the kernel (acpi/events.c): the SCI with the fixed power
// button, GPEs and EC queries on full-hardware platforms; Generic Event
// Devices (ACPI0013, _EVT) on hardware-reduced ones; and what the kernel
// does with Notify(). docs/acpi-events.md has the design.
#pragma once

#include <lib/types.h>

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
