// SPDX-License-Identifier: MIT
// HAL: leaving the machine.
#pragma once

#include <lib/err.h>
#include <lib/types.h>

// Ends the machine with an exit status a test runner can read: x86_64 via
// QEMU's isa-debug-exit device, aarch64 via semihosting SYS_EXIT_EXTENDED
// (falling back to PSCI SYSTEM_OFF when semihosting is not enabled). Status
// 0 means success. Off QEMU (no such device) it halts. Never returns.
// Callable from any context, interrupts on or off.
__noreturn void hal_machine_exit(int status);

// The platform firmware's own power interface: PSCI SYSTEM_OFF and
// SYSTEM_RESET on AArch64. Return only on failure: E_NOTSUP where there is
// no such interface (x86_64 and host tests: ACPI's registers do it,
// acpi/power.c), E_IO when the firmware refused. Interrupts off.
err_t hal_firmware_power_off(void);
err_t hal_firmware_reset(void);

#include <arch/power.h>
