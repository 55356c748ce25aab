// SPDX-License-Identifier: MIT
// HAL: the first steps after kernel entry, called by kernel_main().
#pragma once

#include <lib/bootinfo.h>
#include <lib/types.h>

// Installs exception vectors that report registers and the faulting address,
// and brings up the early serial console (registered with printk) from what
// firmware describes. Runs on the boot CPU with interrupts off. Returns an
// error only for what it could not do (e.g. no serial port found); the
// kernel carries on with whatever consoles exist.
err_t hal_early_init(const struct boot_info *bi);

// Short architecture name for logs ("x86_64", "aarch64").
const char *hal_arch_name(void);

// Prints the CPU's control/state registers relevant to a crash report
// (called by panic). Interrupts off.
void hal_dump_cpu_state(void);

#include <arch/early.h>
