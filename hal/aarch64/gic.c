// SPDX-License-Identifier: MIT
// The GIC interrupt-controller driver (driver.h): bound from the ACPI MADT
// (GICD/GICC/GICR entries) or a device-tree GIC node, picks the GICv2 or
// GICv3 register driver and takes interrupts for irq.c's handler table.
// SGIs 0..IPI_NR-1 are the IPIs of hal/irq.h. No state of its own beyond
// what init sets on the boot CPU: no locks.
#include <libfdt.h>
#include <lib/fdt_dev.h>
#include <string.h>
#include <acpi/madt.h>
#include <hal/irq.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <kernel/smp.h>
#include <lib/spinlock.h>
#include "a64.h"
#include "driver.h"
#include "gic.h"

struct gic_info gic;
static const struct gic_ops *ops;

static bool madt_open(struct acpi_madt *m)
{
	return a64_boot_info && a64_boot_info->acpi_rsdp && !acpi_madt_get(m);
}

static err_t gic_from_madt(void)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;
	unsigned version = 0;

	if (!madt_open(&m))
		return E_NOENT;
	for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);) {
		if (e.type == ACPI_MADT_GICD) {
			gic.dist = e.gicd.base;
			version = e.gicd.version;
		} else if (e.type == ACPI_MADT_GICC && e.gicc.enabled &&
		           !gic.cpu_if) {
			gic.cpu_if = e.gicc.gicc_base;
		} else if (e.type == ACPI_MADT_GICR &&
		           gic.nredist < GIC_MAX_REDIST_REGIONS) {
			gic.redist[gic.nredist].base = e.gicr.base;
			gic.redist[gic.nredist++].size = e.gicr.length;
		}
	}
	if (!gic.dist) {
		pr_err("gic: MADT has no GICD entry\n");
		return E_NOENT;
	}
	gic.version = version;
	strcpy(gic.source, "ACPI MADT");
	return 0;
}

// node is the controller the tree names (lib/fdt_dev.h found it): a GICv3
// has GICD then its redistributor regions in reg, a GICv2 GICD then GICC.
static err_t gic_from_fdt(const void *fdt, int node)
{
	uint64_t size;
	int len;
	const fdt32_t *nr;

	if (fdt_node_check_compatible(fdt, node, "arm,gic-v3") == 0) {
		unsigned n = 1;

		gic.version = 3;
		nr = fdt_getprop(fdt, node, "#redistributor-regions", &len);
		if (nr && len == 4)
			n = fdt32_to_cpu(*nr);
		n = MIN(n, (unsigned)GIC_MAX_REDIST_REGIONS);
		for (unsigned i = 0; i < n; i++)
			if (!fdt_dev_reg(fdt, node, 1 + (int)i,
			                 &gic.redist[i].base,
			                 &gic.redist[i].size))
				gic.nredist = i + 1;
	} else {
		gic.version = 2;
		if (fdt_dev_reg(fdt, node, 1, &gic.cpu_if, &size))
			return E_CORRUPT;
	}
	if (fdt_dev_reg(fdt, node, 0, &gic.dist, &size))
		return E_CORRUPT;
	ksnprintf(gic.source, sizeof(gic.source), "device tree %s",
	          fdt_get_name(fdt, node, NULL));
	return 0;
}

paddr_t gic_acpi_gicr_for(uint64_t mpidr)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;

	if (!madt_open(&m))
		return 0;
	for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);)
		if (e.type == ACPI_MADT_GICC &&
		    (e.gicc.mpidr & A64_MPIDR_AFF_MASK) == mpidr)
			return e.gicc.gicr_base;
	return 0;
}

// GICD_PIDR2.ArchRev when the firmware left the version open.
static unsigned gic_probe_version(void)
{
	volatile uint32_t *d = a64_map_device(gic.dist, 0x10000);
	uint32_t pidr2 = d ? d[0xffe8 / 4] : 0;
	unsigned rev = (pidr2 >> 4) & 0xf;

	return rev ? rev : 2;
}

static err_t gic_start(char *what, size_t len)
{
	err_t err;

	if (!gic.version)
		gic.version = gic_probe_version();
	if (gic.version == 2 && !gic.cpu_if) {
		ksnprintf(what, len, "%s: GICv2 without a CPU interface",
		          gic.source);
		return E_CORRUPT;
	}
	if (gic.version >= 3 && !gic.nredist)
		pr_info("gic: no GICR regions; using each GICC's GICR base\n");
	ops = gic.version == 2 ? &gicv2_ops : &gicv3_ops;
	ksnprintf(what, len, "%s", gic.source);
	err = ops->init();
	if (err)
		return err;
	ksnprintf(what, len, "GICv%u from %s: GICD %#lx, %s %#lx, %u lines",
	          gic.version, gic.source, gic.dist,
	          gic.version == 2 ? "GICC" : "GICR",
	          gic.version == 2 ? gic.cpu_if
	                           : (gic.nredist ? gic.redist[0].base : 0),
	          ops->nlines());
	for (unsigned r = 1; r < gic.nredist; r++)
		pr_info("gic: GICR region %u at %#lx, %#lx bytes\n", r,
		        gic.redist[r].base, gic.redist[r].size);
	return 0;
}

err_t a64_gic_probe_acpi(const void *fdt, int node, char *what, size_t len)
{
	err_t err = gic_from_madt();

	if (err) {
		ksnprintf(what, len, "ACPI MADT without a GICD entry");
		return err;
	}
	return gic_start(what, len);
}

err_t a64_gic_probe_fdt(const void *fdt, int node, char *what, size_t len)
{
	if (gic_from_fdt(fdt, node)) {
		ksnprintf(what, len, "device tree %s: bad reg",
		          fdt_get_name(fdt, node, NULL));
		return E_CORRUPT;
	}
	return gic_start(what, len);
}

static err_t gic_init_cpu(void)
{
	return ops->init_cpu();
}

static unsigned gic_nlines(void)
{
	return ops->nlines();
}

static void gic_set_enabled(unsigned irq, bool on)
{
	ops->set_enabled(irq, on);
}

static err_t gic_set_trigger(unsigned irq, bool level, bool active_low)
{
	if (irq < GIC_NR_PRIVATE)
		return E_RANGE;
	if (active_low)
		return E_NOTSUP;
	ops->set_edge(irq, !level);
	return 0;
}

static void gic_send_ipi(unsigned cpu, unsigned kind)
{
	ops->send_sgi(cpu, kind);
}

// Takes interrupts until the GIC reports none pending (spurious INTID).
// SGIs are EOId before their handler runs, since IPI_STOP never returns.
static void gic_dispatch(void)
{
	for (;;) {
		uint32_t iar = ops->ack();
		unsigned id = iar & (gic.version == 2 ? 0x3ff : 0xffffff);

		if (id >= GIC_SPURIOUS)
			break;
		if (id < GIC_NR_SGI) {
			ops->eoi(iar);
			a64_ipi_handle(id);
			continue;
		}
		a64_irq_handle(id);
		ops->eoi(iar);
	}
}

// <type number flags>: type 0 an SPI (INTID number + 32), 1 a PPI
// (number + 16).
static err_t gic_fdt_xlate(const void *fdt, int ctrl, const uint32_t *cells,
                           int ncells, unsigned *irq)
{
	if (ncells < 2 || cells[0] > 1)
		return E_CORRUPT;
	*irq = cells[1] + (cells[0] == 0 ? 32 : 16);
	return 0;
}

const struct a64_intc_ops a64_gic_ops = {
    .init_cpu = gic_init_cpu,
    .nlines = gic_nlines,
    .private_below = GIC_NR_PRIVATE,
    .set_enabled = gic_set_enabled,
    .set_trigger = gic_set_trigger,
    .send_ipi = gic_send_ipi,
    .dispatch = gic_dispatch,
    .fdt_xlate = gic_fdt_xlate,
    .vtimer_default = 27,
};
