// SPDX-License-Identifier: MIT
// hal/irq.h on AArch64, above the interrupt-controller drivers: binds one
// (driver.c: GIC from ACPI or the device tree, the BCM2836 pair on a
// Raspberry Pi 3), keeps the handler table and hands IPIs to the kernel.
// The driver's dispatch takes each interrupt and calls a64_irq_handle().
//
// Locks: handler_lock guards handlers[] writes (registration); dispatch
// reads an entry without the lock: fn is published last with a release
// store, and entries are never removed.
#include <libfdt.h>
#include <hal/irq.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <lib/err.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>
#include <lib/spinlock.h>
#include "a64.h"
#include "driver.h"

#define IRQ_TABLE 1020 // the GIC's INTID space; others use fewer

const struct a64_intc_ops *a64_intc;

static struct {
	irq_handler_t fn;
	void *arg;
} handlers[IRQ_TABLE];
static spinlock_t handler_lock = SPINLOCK_INIT;

err_t hal_irq_init(void)
{
	const struct hal_driver *d;

	// Power-off / reset binds here rather than in hal_early_init(): a
	// board's power block may need an MMIO mapping (page tables now up).
	a64_psci_init(a64_boot_info);
	d = a64_bind(HAL_DRV_INTC);
	if (!d)
		return E_NOENT;
	a64_intc = d->ops;
	return 0;
}

err_t hal_irq_init_cpu(void)
{
	if (!a64_intc)
		return E_NOENT;
	return a64_intc->init_cpu();
}

static bool valid(unsigned irq)
{
	return a64_intc && irq < a64_intc->nlines() && irq < IRQ_TABLE;
}

err_t hal_irq_register(unsigned irq, irq_handler_t fn, void *arg)
{
	irqflags_t f;
	err_t err = 0;

	if (!valid(irq))
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
	if (valid(irq))
		a64_intc->set_enabled(irq, false);
}

void hal_irq_unmask(unsigned irq)
{
	if (valid(irq))
		a64_intc->set_enabled(irq, true);
}

err_t hal_irq_set_trigger(unsigned irq, bool level, bool active_low)
{
	if (!valid(irq))
		return E_RANGE;
	return a64_intc->set_trigger(irq, level, active_low);
}

err_t hal_irq_from_isa(unsigned isa, unsigned *irq)
{
	return E_NOTSUP;
}

void hal_ipi_send(unsigned cpu, enum ipi_kind kind)
{
	if (a64_intc && cpu < cpu_count && cpus[cpu])
		a64_intc->send_ipi(cpu, kind);
}

void hal_ipi_send_others(enum ipi_kind kind)
{
	if (a64_intc)
		a64_intc->send_ipi(~0u, kind);
}

void a64_ipi_handle(unsigned kind)
{
	if (kind < IPI_NR)
		smp_handle_ipi((enum ipi_kind)kind);
}

// One interrupt the driver took (and will EOI after): its handler, or
// masked for good when nobody wants it.
void a64_irq_handle(unsigned irq)
{
	irq_handler_t fn;

	if (irq >= IRQ_TABLE)
		return;
	fn = __atomic_load_n(&handlers[irq].fn, __ATOMIC_ACQUIRE);
	if (fn)
		fn(irq, handlers[irq].arg);
	else
		a64_intc->set_enabled(irq, false);
}

// Called from the IRQ vector with interrupts masked.
void a64_irq_dispatch(void)
{
	if (a64_intc)
		a64_intc->dispatch();
}

err_t a64_fdt_irq(const void *fdt, int node, int index, unsigned *irq)
{
	int ctrl = fdt_dev_irq_parent(fdt, node), len, nc;
	const fdt32_t *p, *c;
	uint32_t cells[4];

	if (!a64_intc || ctrl < 0)
		return E_NOENT;
	c = fdt_getprop(fdt, ctrl, "#interrupt-cells", &len);
	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!c || !p)
		return E_NOENT;
	nc = (int)fdt32_to_cpu(*c);
	if (nc < 1 || nc > 4 || len < (index + 1) * nc * 4)
		return E_CORRUPT;
	for (int i = 0; i < nc; i++)
		cells[i] = fdt32_to_cpu(p[index * nc + i]);
	return a64_intc->fdt_xlate(fdt, ctrl, cells, nc, irq);
}
