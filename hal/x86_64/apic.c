// SPDX-License-Identifier: MIT
// Local APIC: xAPIC through MMIO (the direct map; firmware MTRRs make the
// page uncacheable) or x2APIC through MSRs when CPUID offers it. Every CPU
// enables its own in x86_lapic_init_cpu(); the mode is chosen once on the
// boot CPU. Inter-processor interrupts go through the ICR; in xAPIC mode
// the two ICR halves are written with interrupts off, so a handler sending
// its own IPI cannot interleave. Nothing here takes a lock: each CPU only
// touches its own local APIC.
#include <acpi/madt.h>
#include <hal/irq.h>
#include <hal/smp.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "x86.h"

#define APIC_BASE_EN (1u << 11)
#define APIC_BASE_EXTD (1u << 10) // x2APIC mode
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_NMI (4u << 8)
#define LVT_LEVEL (1u << 15)
#define LVT_ACTIVE_LOW (1u << 13)

static bool x2apic;
static volatile uint32_t *xapic_mmio;
static uint16_t lint_nmi_flags[2]; // MADT LAPIC NMI entries (all CPUs)
static bool lint_nmi[2];

bool x86_lapic_x2apic(void)
{
	return x2apic;
}

uint32_t x86_lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)x86_rdmsr(0x800 + (reg >> 4));
	return xapic_mmio[reg / 4];
}

void x86_lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		x86_wrmsr(0x800 + (reg >> 4), v);
	else
		xapic_mmio[reg / 4] = v;
}

uint32_t x86_lapic_id(void)
{
	uint32_t id = x86_lapic_read(X86_LAPIC_ID);

	return x2apic ? id : id >> 24;
}

void x86_lapic_eoi(void)
{
	x86_lapic_write(X86_LAPIC_EOI, 0);
}

void x86_lapic_send(uint32_t apic_id, uint32_t icr_lo)
{
	irqflags_t f = hal_irq_save();

	if (x2apic) {
		// x2APIC ICR writes are not serialising with earlier stores
		// to normal memory: fence so the target sees our data first.
		__asm__ volatile("mfence" ::: "memory");
		x86_wrmsr(0x830, (uint64_t)apic_id << 32 | icr_lo);
	} else {
		while (xapic_mmio[X86_LAPIC_ICR_LO / 4] & X86_ICR_PENDING)
			hal_cpu_relax();
		xapic_mmio[X86_LAPIC_ICR_HI / 4] = apic_id << 24;
		xapic_mmio[X86_LAPIC_ICR_LO / 4] = icr_lo;
	}
	hal_irq_restore(f);
}

static void lapic_enable_mode(void)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);

	base |= APIC_BASE_EN;
	x86_wrmsr(X86_MSR_APIC_BASE, base);
	if (x2apic)
		x86_wrmsr(X86_MSR_APIC_BASE, base | APIC_BASE_EXTD);
}

// LAPIC NMI entries of the MADT (uid "all" only: QEMU and most firmware).
static void lapic_read_madt(void)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;

	if (acpi_madt_get(&m))
		return;
	for (uint32_t pos = 0;
	     acpi_madt_next_of(&m, ACPI_MADT_LAPIC_NMIS, &pos, &e);) {
		if (e.lapic_nmi.lint > 1)
			continue;
		if (e.lapic_nmi.uid == ACPI_MADT_ALL_CPUS_8 ||
		    e.lapic_nmi.uid == ACPI_MADT_ALL_CPUS_32) {
			lint_nmi[e.lapic_nmi.lint] = true;
			lint_nmi_flags[e.lapic_nmi.lint] = e.lapic_nmi.flags;
		}
	}
}

err_t x86_lapic_init(void)
{
	uint32_t r[4];
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE) & ~0xfffull;

	x86_cpuid(1, 0, r);
	if (!(r[3] & (1u << 9))) {
		pr_err("x86: no local APIC (CPUID.1:EDX.APIC = 0)\n");
		return E_NOTSUP;
	}
	x2apic = (r[2] >> 21) & 1;
	xapic_mmio = phys_to_virt(base & 0x000ffffffffff000ull);
	lapic_read_madt();
	pr_info("x86: local APIC %s at %#lx\n", x2apic ? "x2APIC" : "xAPIC",
	        (unsigned long)base);
	return 0;
}

static uint32_t lint_value(unsigned i)
{
	uint32_t v = LVT_NMI;

	if (!lint_nmi[i])
		return LVT_MASKED;
	if (ACPI_MADT_POLARITY(lint_nmi_flags[i]) == 3)
		v |= LVT_ACTIVE_LOW;
	return v; // NMIs are always edge triggered
}

err_t x86_lapic_init_cpu(void)
{
	lapic_enable_mode();
	if (!x2apic) {
		x86_lapic_write(X86_LAPIC_DFR, 0xffffffff); // flat model
		x86_lapic_write(X86_LAPIC_LDR, 0);
	}
	x86_lapic_write(X86_LAPIC_TPR, 0);
	x86_lapic_write(X86_LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	// LINT0 carried the 8259 (virtual wire); the PIC is masked now, so
	// only an NMI named by the MADT stays connected.
	x86_lapic_write(X86_LAPIC_LVT_LINT0, lint_value(0));
	x86_lapic_write(X86_LAPIC_LVT_LINT1, lint_value(1));
	x86_lapic_write(X86_LAPIC_LVT_ERROR, LVT_MASKED);
	x86_lapic_write(X86_LAPIC_ESR, 0);
	x86_lapic_write(X86_LAPIC_SVR, SVR_ENABLE | X86_VEC_SPURIOUS);
	x86_lapic_eoi(); // drop anything the firmware left in service
	return 0;
}

void hal_ipi_send(unsigned cpu, enum ipi_kind kind)
{
	if (cpu >= cpu_count || !cpus[cpu] || kind >= IPI_NR)
		return;
	x86_lapic_send((uint32_t)cpus[cpu]->hwid, X86_VEC_IPI_BASE + kind);
}

void hal_ipi_send_others(enum ipi_kind kind)
{
	if (kind >= IPI_NR)
		return;
	x86_lapic_send(0, X86_ICR_ALL_BUT_SELF | (X86_VEC_IPI_BASE + kind));
}
