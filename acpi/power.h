// SPDX-License-Identifier: MIT
// ACPI power-off (\_PTS, \_S5, PM1 control or sleep control register) and
// reset (FADT reset register): acpi/power.c.
#pragma once

#include <acpi/acpi.h>

// Enters S5. Returns only on failure (E_NOENT: no FADT or \_S5, E_NOTSUP:
// no register to write (hardware-reduced without sleep registers), E_TIMEOUT:
// written but still running). Interrupts are turned off on the way.
__must_check err_t acpi_power_off(void);
// Enters S5 through a PM1a control register the caller names (a chipset
// driver that knows where the firmware should have put the FADT's): \_PTS
// and \_S5 as acpi_power_off(). Returns only on failure.
__must_check err_t acpi_power_off_pm1(const struct acpi_gas *pm1a_cnt);
// Writes the FADT reset register. Returns only on failure (E_NOTSUP when
// the FADT offers no reset register).
__must_check err_t acpi_power_reset(void);
// A Generic Address Structure register access (memory, I/O, PCI config).
__must_check err_t acpi_gas_rw(const struct acpi_gas *g, unsigned dflt_width,
                               uint64_t *v, bool write);
