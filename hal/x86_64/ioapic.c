// SPDX-License-Identifier: MIT
// I/O APICs and interrupt dispatch; the "apic" interrupt controller
// driver (driver.h). Binding "apic" masks the legacy 8259
// pair (after moving its vectors off the exception range, so a spurious
// 8259 interrupt cannot look like an exception), finds every I/O APIC and
// the ISA interrupt source overrides in the MADT and masks every input.
// GSI g is delivered on vector X86_VEC_GSI_BASE + g to the boot CPU.
// ioapic_lock (i) guards the redirection registers and handlers[] writes;
// dispatch reads handlers[] without it (an entry is set before its input
// is unmasked and never cleared).
#include <acpi/madt.h>
#include <hal/irq.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <kernel/smp.h>
#include <lib/spinlock.h>
#include "arch/io.h"
#include "driver.h"
#include "x86.h"

#define MAX_IOAPICS 8
#define NR_GSI (X86_VEC_GSI_END - X86_VEC_GSI_BASE)
#define IOREDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED (1u << 16)
#define RTE_LEVEL (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

struct ioapic {
	volatile uint32_t *regs; // IOREGSEL at 0, IOWIN at 0x10
	uint32_t gsi_base, count;
};

static struct ioapic ioapics[MAX_IOAPICS];
static unsigned nioapics;
static spinlock_t ioapic_lock = SPINLOCK_INIT;
static struct {
	irq_handler_t fn;
	void *arg;
} handlers[NR_GSI];
static uint16_t gsi_flags[NR_GSI]; // MPS INTI flags from overrides
static bool gsi_overridden[NR_GSI];
static uint32_t isa_gsi[16];

static uint32_t ioapic_read(struct ioapic *a, uint32_t reg)
{
	a->regs[0] = reg;
	return a->regs[4];
}

static void ioapic_write(struct ioapic *a, uint32_t reg, uint32_t v)
{
	a->regs[0] = reg;
	a->regs[4] = v;
}

static struct ioapic *ioapic_for(unsigned gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base &&
		    gsi < ioapics[i].gsi_base + ioapics[i].count) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

// ICW1-4: vectors 0x20-0x2f, cascade on IRQ 2, 8086 mode; then mask all.
static void pic_disable(void)
{
	static const uint8_t seq[2][4] = {{0x11, X86_VEC_PIC_BASE, 4, 1},
	                                  {0x11, X86_VEC_PIC_BASE + 8, 2, 1}};

	for (unsigned p = 0; p < 2; p++) {
		uint16_t cmd = p ? 0xa0 : 0x20;

		x86_outb(cmd, seq[p][0]);
		for (unsigned i = 1; i < 4; i++)
			x86_outb(cmd + 1, seq[p][i]);
	}
	x86_outb(0x21, 0xff);
	x86_outb(0xa1, 0xff);
}

static void ioapic_add(const struct acpi_madt_entry *e)
{
	struct ioapic *a = &ioapics[nioapics];

	if (nioapics == MAX_IOAPICS) {
		pr_warn("x86: more than %d I/O APICs; ignoring id %u\n",
		        MAX_IOAPICS, e->ioapic.id);
		return;
	}
	a->regs = phys_to_virt(e->ioapic.address);
	a->gsi_base = e->ioapic.gsi_base;
	a->count = ((ioapic_read(a, 1) >> 16) & 0xff) + 1;
	for (unsigned pin = 0; pin < a->count; pin++)
		ioapic_write(a, IOREDTBL(pin), RTE_MASKED);
	pr_info("x86: I/O APIC %u at %#x: GSIs %u-%u\n", e->ioapic.id,
	        e->ioapic.address, a->gsi_base, a->gsi_base + a->count - 1);
	nioapics++;
}

static bool iso_add(const struct acpi_madt_entry *e)
{
	if (e->iso.bus != 0 || e->iso.source >= 16 || e->iso.gsi >= NR_GSI) {
		pr_warn("x86: MADT override at offset %#x (bus %u irq %u -> "
		        "GSI %u) ignored\n",
		        e->offset, e->iso.bus, e->iso.source, e->iso.gsi);
		return false;
	}
	isa_gsi[e->iso.source] = e->iso.gsi;
	gsi_flags[e->iso.gsi] = e->iso.flags;
	gsi_overridden[e->iso.gsi] = true;
	return true;
}

// The "apic" driver (driver.h): the I/O APICs and ISA overrides of the
// MADT, then the local APIC.
err_t x86_apic_probe(const void *fdt, int node, char *what, size_t len)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;
	unsigned overrides = 0, gsis = 0;
	err_t err;

	for (unsigned i = 0; i < 16; i++)
		isa_gsi[i] = i;
	if ((err = acpi_madt_get(&m))) {
		ksnprintf(what, len, "ACPI MADT: not usable");
		return err;
	}
	pic_disable(); // even without PCAT_COMPAT: harmless when absent
	for (uint32_t pos = 0; acpi_madt_next_of(
		 &m,
		 ACPI_MADT_BIT(ACPI_MADT_IOAPIC) | ACPI_MADT_BIT(ACPI_MADT_ISO),
		 &pos, &e);) {
		if (e.type == ACPI_MADT_IOAPIC)
			ioapic_add(&e);
		else if (iso_add(&e))
			overrides++;
	}
	for (unsigned i = 0; i < nioapics; i++)
		gsis += ioapics[i].count;
	if ((err = x86_lapic_init())) {
		ksnprintf(what, len, "ACPI MADT: no local APIC");
		return err;
	}
	ksnprintf(what, len,
	          "ACPI MADT: local %s, %u I/O APIC%s (%u GSIs), %u ISA "
	          "override%s",
	          x86_lapic_x2apic() ? "x2APIC" : "xAPIC", nioapics,
	          nioapics == 1 ? "" : "s", gsis, overrides,
	          overrides == 1 ? "" : "s");
	return 0;
}

static const struct x86_intc_ops *intc;

err_t hal_irq_init(void)
{
	const struct hal_driver *d;

	x86_bind(HAL_DRV_POWER); // with the tables and page tables up
	d = x86_bind(HAL_DRV_INTC);
	if (!d) {
		pic_disable(); // the firmware's 8259 set-up must not fire
		return E_NOENT;
	}
	intc = d->ops;
	return 0;
}

err_t hal_irq_init_cpu(void)
{
	return intc ? intc->init_cpu() : E_NOENT;
}

const struct x86_intc_ops x86_apic_ops = {.init_cpu = x86_lapic_init_cpu};

err_t hal_irq_from_isa(unsigned isa, unsigned *irq)
{
	if (isa >= 16)
		return E_RANGE;
	*irq = isa_gsi[isa];
	return 0;
}

// Redirection entry for gsi: ISA inputs default to edge/active high, PCI
// inputs (16 and up) to level/active low, unless an override says else.
static uint32_t rte_low(unsigned gsi)
{
	uint16_t fl = gsi_flags[gsi];
	bool isa = gsi < 16 || gsi_overridden[gsi];
	bool low = ACPI_MADT_POLARITY(fl) ? ACPI_MADT_POLARITY(fl) == 3 : !isa;
	bool level = ACPI_MADT_TRIGGER(fl) ? ACPI_MADT_TRIGGER(fl) == 3 : !isa;

	return (X86_VEC_GSI_BASE + gsi) | (low ? RTE_ACTIVE_LOW : 0) |
	       (level ? RTE_LEVEL : 0);
}

err_t hal_irq_set_trigger(unsigned irq, bool level, bool active_low)
{
	uint16_t fl;

	if (irq >= NR_GSI || !ioapic_for(irq, &(unsigned){0}))
		return E_RANGE;
	fl = gsi_flags[irq];
	if (!ACPI_MADT_POLARITY(fl))
		fl |= active_low ? 3 : 1;
	if (!ACPI_MADT_TRIGGER(fl))
		fl |= (level ? 3 : 1) << 2;
	gsi_flags[irq] = fl;
	return 0;
}

err_t hal_irq_register(unsigned irq, irq_handler_t fn, void *arg)
{
	struct ioapic *a;
	unsigned pin;
	irqflags_t f;

	if (irq >= NR_GSI || !(a = ioapic_for(irq, &pin)))
		return E_RANGE;
	f = spin_lock_irqsave(&ioapic_lock);
	if (handlers[irq].fn) {
		spin_unlock_irqrestore(&ioapic_lock, f);
		return E_EXIST;
	}
	handlers[irq].arg = arg;
	handlers[irq].fn = fn;
	ioapic_write(a, IOREDTBL(pin) + 1, (uint32_t)cpus[0]->hwid << 24);
	ioapic_write(a, IOREDTBL(pin), RTE_MASKED | rte_low(irq));
	spin_unlock_irqrestore(&ioapic_lock, f);
	return 0;
}

static void irq_set_masked(unsigned irq, bool masked)
{
	struct ioapic *a;
	unsigned pin;
	irqflags_t f;

	if (irq >= NR_GSI || !(a = ioapic_for(irq, &pin)))
		return;
	f = spin_lock_irqsave(&ioapic_lock);
	ioapic_write(a, IOREDTBL(pin),
	             rte_low(irq) | (masked ? RTE_MASKED : 0));
	spin_unlock_irqrestore(&ioapic_lock, f);
}

void hal_irq_mask(unsigned irq)
{
	irq_set_masked(irq, true);
}

void hal_irq_unmask(unsigned irq)
{
	irq_set_masked(irq, false);
}

void x86_irq_dispatch(unsigned v)
{
	if (v == X86_VEC_SPURIOUS ||
	    (v >= X86_VEC_PIC_BASE && v < X86_VEC_PIC_BASE + 16))
		return; // spurious: no EOI
	if (v == X86_VEC_TIMER) {
		x86_lapic_eoi();
		x86_timer_irq();
	} else if (v >= X86_VEC_IPI_BASE && v < X86_VEC_IPI_BASE + IPI_NR) {
		x86_lapic_eoi();
		smp_handle_ipi((enum ipi_kind)(v - X86_VEC_IPI_BASE));
	} else if (v >= X86_VEC_GSI_BASE && v < X86_VEC_GSI_END) {
		unsigned irq = v - X86_VEC_GSI_BASE;

		if (handlers[irq].fn)
			handlers[irq].fn(irq, handlers[irq].arg);
		else
			pr_warn("x86: interrupt on GSI %u without handler\n",
			        irq);
		x86_lapic_eoi();
	} else {
		pr_warn("x86: unexpected interrupt vector %u\n", v);
		x86_lapic_eoi();
	}
}
