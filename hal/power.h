// SPDX-License-Identifier: MIT
// HAL: leaving the machine.
#pragma once

#include <kernel/types.h>

// Ends the machine with an exit status a test runner can read: x86_64 via
// QEMU's isa-debug-exit device, aarch64 via semihosting SYS_EXIT_EXTENDED
// (falling back to PSCI SYSTEM_OFF when semihosting is not enabled). Status
// 0 means success. Off QEMU (no such device) it halts. Never returns.
// Callable from any context, interrupts on or off.
__noreturn void hal_machine_exit(int status);

#include <arch/power.h>
