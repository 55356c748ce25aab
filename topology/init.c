// SPDX-License-Identifier: MIT
// topology_build(): picks the sources this machine has. ACPI when the MADT
// lists CPUs (plus CPUID where the CPU has it), else the device tree, else
// a single CPU with everything unknown. Single-threaded (boot CPU).
#include <lib/printk.h>
#include <lib/err.h>
#include <topology/build.h>

err_t topology_build(const void *fdt, size_t fdt_size)
{
	unsigned cpu;

	if (topology_build_acpi() == E_OK)
		return E_OK;
	if (fdt && topology_build_fdt(fdt, fdt_size) == E_OK)
		return E_OK;
	topo_reset();
	(void)topo_add_cpu(0, 0, &cpu);
	topo_note("no MADT or device tree CPUs: one CPU assumed");
	topo_cpuid_apply();
	topo_finish();
	return E_NOENT;
}
