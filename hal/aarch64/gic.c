// SPDX-License-Identifier: MIT
// hal/irq.h on AArch64: finds the GIC (ACPI MADT GICD/GICC/GICR entries,
// else the device tree's interrupt controller node), picks the GICv2 or
// GICv3 driver, keeps the handler table and dispatches interrupts taken
// through the IRQ vector. SGIs 0..IPI_NR-1 are the IPIs of hal/irq.h.
//
// Locks: handler_lock guards handlers[] writes (registration); dispatch
// reads an entry without the lock: fn is published last with a release
// store, and entries are never removed.
#include <libfdt.h>
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
#include "gic.h"

struct gic_info gic;
static const struct gic_ops *ops;

static struct {
	irq_handler_t fn;
	void *arg;
} handlers[GIC_SPURIOUS];
static spinlock_t handler_lock = SPINLOCK_INIT;

static bool madt_open(struct acpi_madt *m)
{
	const struct acpi_sdt_header *t;

	return a64_boot_info && a64_boot_info->acpi_rsdp &&
	       !acpi_table_find("APIC", 0, &t) && !acpi_madt_parse(t, m);
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

// reg entry i of node (parent's #address-cells / #size-cells, no
// translation: QEMU virt's interrupt controller sits at the top level).
static bool fdt_reg(const void *fdt, int node, int i, paddr_t *base,
                    uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node), len;
	int ac = fdt_address_cells(fdt, parent),
	    sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	uint64_t v[4] = {0};

	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 ||
	    len < (i + 1) * (ac + sc) * 4)
		return false;
	reg += i * (ac + sc);
	for (int k = 0; k < ac + sc; k++)
		v[k] = fdt32_to_cpu(reg[k]);
	*base = ac == 2 ? v[0] << 32 | v[1] : v[0];
	*size = sc == 2 ? v[ac] << 32 | v[ac + 1] : v[ac];
	return true;
}

static err_t gic_from_fdt(void)
{
	static const char *const v2[] = {"arm,cortex-a15-gic", "arm,gic-400",
	                                 "arm,cortex-a9-gic",
	                                 "arm,cortex-a7-gic"};
	const void *fdt;
	uint64_t size;
	int node = -1, len;
	const fdt32_t *nr;

	if (!a64_boot_info || !a64_boot_info->dtb)
		return E_NOENT;
	fdt = phys_to_virt(a64_boot_info->dtb);
	if (fdt_check_header(fdt))
		return E_CORRUPT;
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (node >= 0) {
		unsigned n = 1;

		gic.version = 3;
		nr = fdt_getprop(fdt, node, "#redistributor-regions", &len);
		if (nr && len == 4)
			n = fdt32_to_cpu(*nr);
		n = MIN(n, (unsigned)GIC_MAX_REDIST_REGIONS);
		for (unsigned i = 0; i < n; i++)
			if (fdt_reg(fdt, node, 1 + i, &gic.redist[i].base,
			            &gic.redist[i].size))
				gic.nredist = i + 1;
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(v2) && node < 0; i++)
			node = fdt_node_offset_by_compatible(fdt, -1, v2[i]);
		if (node < 0)
			return E_NOENT;
		gic.version = 2;
		if (!fdt_reg(fdt, node, 1, &gic.cpu_if, &size))
			return E_CORRUPT;
	}
	if (!fdt_reg(fdt, node, 0, &gic.dist, &size))
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

err_t hal_irq_init(void)
{
	err_t err = gic_from_madt();

	if (err)
		err = gic_from_fdt();
	if (err) {
		pr_err("gic: no interrupt controller in ACPI or the device "
		       "tree\n");
		return err;
	}
	if (!gic.version)
		gic.version = gic_probe_version();
	if (gic.version == 2 && !gic.cpu_if) {
		pr_err("gic: GICv2 without a CPU interface address\n");
		return E_CORRUPT;
	}
	if (gic.version >= 3 && !gic.nredist)
		pr_info("gic: no GICR regions; using each GICC's GICR base\n");
	ops = gic.version == 2 ? &gicv2_ops : &gicv3_ops;
	err = ops->init();
	if (err)
		return err;
	pr_info("gic: GICv%u from %s: GICD %#lx, %s %#lx, %u lines\n",
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

err_t hal_irq_init_cpu(void)
{
	if (!ops)
		return E_NOENT;
	return ops->init_cpu();
}

err_t hal_irq_register(unsigned irq, irq_handler_t fn, void *arg)
{
	irqflags_t f;
	err_t err = 0;

	if (!ops || irq < GIC_NR_SGI || irq >= ops->nlines())
		return E_RANGE;
	f = spin_lock_irqsave(&handler_lock);
	if (handlers[irq].fn) {
		err = E_EXIST;
	} else {
		handlers[irq].arg = arg;
		__atomic_store_n(&handlers[irq].fn, fn, __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&handler_lock, f);
	return err;
}

void hal_irq_mask(unsigned irq)
{
	if (ops && irq < ops->nlines())
		ops->set_enabled(irq, false);
}

void hal_irq_unmask(unsigned irq)
{
	if (ops && irq < ops->nlines())
		ops->set_enabled(irq, true);
}

err_t hal_irq_set_trigger(unsigned irq, bool level, bool active_low)
{
	if (!ops || irq < GIC_NR_PRIVATE || irq >= ops->nlines())
		return E_RANGE;
	if (active_low)
		return E_NOTSUP;
	ops->set_edge(irq, !level);
	return 0;
}

err_t hal_irq_from_isa(unsigned isa, unsigned *irq)
{
	return E_NOTSUP;
}

void hal_ipi_send(unsigned cpu, enum ipi_kind kind)
{
	if (ops && cpu < cpu_count && cpus[cpu])
		ops->send_sgi(cpu, kind);
}

void hal_ipi_send_others(enum ipi_kind kind)
{
	if (ops)
		ops->send_sgi(~0u, kind);
}

// Called from the IRQ vector with interrupts masked. Takes interrupts
// until the GIC reports none pending (spurious INTID). SGIs are EOId
// before their handler runs, since IPI_STOP never returns.
void a64_irq_dispatch(void)
{
	if (!ops)
		return;
	for (;;) {
		uint32_t iar = ops->ack();
		unsigned id = iar & (gic.version == 2 ? 0x3ff : 0xffffff);
		irq_handler_t fn;

		if (id >= GIC_SPURIOUS)
			break;
		if (id < GIC_NR_SGI) {
			ops->eoi(iar);
			if (id < IPI_NR)
				smp_handle_ipi((enum ipi_kind)id);
			continue;
		}
		fn = __atomic_load_n(&handlers[id].fn, __ATOMIC_ACQUIRE);
		if (fn)
			fn(id, handlers[id].arg);
		else
			ops->set_enabled(id, false); // nobody wants it
		ops->eoi(iar);
	}
}
