// SPDX-License-Identifier: MIT
// Leaving the machine on AArch64: semihosting SYS_EXIT carries the status to
// QEMU (run with -semihosting-config enable=on,target=native). Without
// semihosting the HLT traps; trap.c then calls a64_power_off(), which uses
// PSCI SYSTEM_OFF (QEMU exits with status 0 and the kernel's last line says
// which status it wanted).
#include <hal/cpu.h>
#include <hal/power.h>
#include <kernel/printk.h>
#include "a64.h"

#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

bool a64_psci_smc;

uint64_t a64_psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (a64_psci_smc)
		__asm__ volatile("smc #0"
		                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		                 :
		                 : "memory");
	else
		__asm__ volatile("hvc #0"
		                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		                 :
		                 : "memory");
	return x0;
}

__noreturn void a64_power_off(void)
{
	a64_psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	hal_cpu_halt();
}

__noreturn void hal_machine_exit(int status)
{
	static volatile uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	hal_irq_disable();
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64_t)(int64_t)status;
	__asm__ volatile(".global a64_semihost_insn\n"
	                 "a64_semihost_insn: hlt #0xf000"
	                 : "+r"(x0)
	                 : "r"(x1)
	                 : "memory");
	a64_power_off();
}

// PSCI calls return only when the firmware refused (NOT_SUPPORTED, ...).
err_t hal_firmware_power_off(void)
{
	hal_irq_disable();
	a64_psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	return E_IO;
}

err_t hal_firmware_reset(void)
{
	hal_irq_disable();
	a64_psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	return E_IO;
}
