// SPDX-License-Identifier: MIT
// AArch64 HAL internals shared between the files of hal/aarch64/.
#pragma once

#include <kernel/bootinfo.h>
#include <kernel/types.h>

#define A64_READ_SYSREG(r)                                                     \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})

err_t a64_serial_init(const struct boot_info *bi);

// PSCI calls go through hvc, or smc when the firmware ran at EL2.
extern bool a64_psci_smc;
uint64_t a64_psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

// The semihosting trap instruction, so the exception handler can tell a
// semihosting call QEMU did not service from a real fault.
extern char a64_semihost_insn[];

// Where the next backtrace starts (set by the exception handler).
extern uint64_t a64_backtrace_from, a64_backtrace_first_pc;
