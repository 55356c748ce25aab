// SPDX-License-Identifier: MIT
// The ACPI layer's window onto physical memory (acpi/host.h): the direct
// map, which never changes, so the pointers stay valid for good. Its own
// file so host programs that bring their own acpi_host_map() do not link it.
#include <acpi/host.h>
#include <mm/phys.h>

const void *acpi_host_map(paddr_t pa, size_t len)
{
	if (pa == 0 || pa + len < pa || pa + len > phys_direct_map_size)
		return NULL;
	return phys_to_virt(pa);
}
