// SPDX-License-Identifier: MIT
// Leaving the machine on x86_64: QEMU's isa-debug-exit device at port 0xf4
// (QEMU exits with (status << 1) | 1); without it, halt.
#include <hal/cpu.h>
#include <hal/power.h>
#include "arch/io.h"

#define DEBUG_EXIT_PORT 0xf4

__noreturn void hal_machine_exit(int status)
{
	__asm__ volatile("cli");
	x86_outl(DEBUG_EXIT_PORT, (uint32_t)status);
	hal_cpu_halt();
}

// x86 has no firmware call for these: ACPI (acpi/power.c) does them.
err_t hal_firmware_power_off(void)
{
	return E_NOTSUP;
}

err_t hal_firmware_reset(void)
{
	return E_NOTSUP;
}
