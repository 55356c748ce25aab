// SPDX-License-Identifier: MIT
// The direct-map base (set once by kernel_main() before anything else runs)
// and the ACPI layer's window onto physical memory, which is the direct map.
// On the host the base stays 0, so "physical" addresses are plain pointers.
#include <acpi/host.h>
#include <kernel/phys.h>

uint64_t phys_direct_map_base;
uint64_t phys_direct_map_size = UINT64_MAX;

const void *acpi_host_map(paddr_t pa, size_t len)
{
	if (pa == 0 || pa + len < pa || pa + len > phys_direct_map_size)
		return NULL;
	return phys_to_virt(pa);
}
