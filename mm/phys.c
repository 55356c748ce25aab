// SPDX-License-Identifier: MIT
// The direct-map base and size, set once by kernel_main() before anything
// else runs. On the host the base stays 0, so "physical" addresses are plain
// pointers.
#include <mm/phys.h>

uint64_t phys_direct_map_base;
uint64_t phys_direct_map_size = UINT64_MAX;
