// SPDX-License-Identifier: MIT
// Ending the run: with a status (test mode, `exit` on the command line), or
// by turning the machine off or resetting it (`shutdown`, `reboot`).
// An upward interface (docs/layers.md): declared here so acpi/ can register
// its methods and act on the power button; implemented on the top floor
// (kernel/power.c).
#pragma once

#include <lib/types.h>

// Prints "cairn: exit status N" (runners check it) and leaves the machine
// through the HAL. 0 = success.
__noreturn void kernel_exit(int status);

// The platform's power-off and reset methods (ACPI registers them once its
// interpreter is up: acpi/power.c). Each returns only on failure.
struct power_methods {
	const char *name;
	err_t (*off)(void);
	err_t (*reset)(void);
};
void kernel_power_register(const struct power_methods *m);

// Powers the machine off: ACPI S5 (\\_PTS, \\_S5, PM1 control or sleep
// control register), else the firmware's interface (PSCI SYSTEM_OFF); halts
// if neither works. Prints "cairn: power off" first. (ACPI: through the
// registered power_methods.)
__noreturn void kernel_shutdown(void);
// Resets the machine: the FADT reset register, else PSCI SYSTEM_RESET;
// halts if neither works. Prints "cairn: reboot" first.
__noreturn void kernel_reboot(void);
