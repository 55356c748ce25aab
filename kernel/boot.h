// SPDX-License-Identifier: MIT
// What kernel_main() keeps from boot for later users (tests, subsystems).
#pragma once

#include <lib/bootinfo.h>

// The boot info the loader handed over (in CAIRN_MEM_BOOTINFO memory, which
// the kernel never reuses).
const struct boot_info *kernel_boot_info(void);

// What mm_init() reported at boot.
struct mm_init_stats;
const struct mm_init_stats *kernel_mm_stats(void);
