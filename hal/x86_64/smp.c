// SPDX-License-Identifier: MIT
// Starting the other CPUs on x86_64 (the "init-sipi" driver of driver.h:
// INIT-SIPI-SIPI) and listing them (MADT local APIC and x2APIC entries).
//
// The trampoline (trampoline.S) needs four pages below 1 MiB: its code and
// data, then a temporary PML4, PDPT and PD. x86_smp_early_init() picks them
// from free ("conventional") memory in the boot memory map before any
// allocator runs; the page allocator never hands out the first MiB
// (MM_LOW_RESERVED, mm/mm.h), so they stay ours.
// An AP finds its struct cpu and stack in x86_ap_boot[], indexed by its
// APIC ID, so many may be started at once. x86_ap_boot[] and the trampoline
// pages are written by the boot CPU in hal_cpu_start() only (smp_init() is
// single-threaded); APs only read them.
#include <string.h>
#include <acpi/madt.h>
#include <hal/mmu.h>
#include <hal/smp.h>
#include <lib/bootinfo.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <kernel/smp.h>
#include <mm/kstack.h>
#include <mm/vm.h>
#include "driver.h"
#include "x86.h"

#define TRAMP_PAGES 4
#define TRAMP_LIMIT 0x100000 // SIPI vectors address pages below 1 MiB
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull

struct x86_tramp_data {
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint32_t far32_off;
	uint16_t far32_sel;
	uint32_t far64_off;
	uint16_t far64_sel;
	uint32_t pml4;
	uint32_t efer;
	uint64_t entry, cr3, cr4, cr0;
} __packed;

struct ap_boot {
	struct cpu *cpu;
	void *stack_top;
};

extern const char x86_trampoline_start[], x86_trampoline_end[];
extern const uint32_t x86_tramp_offsets[4]; // gdt, prot, long, data
extern const char x86_ap_entry[];
struct ap_boot x86_ap_boot[X86_APIC_ID_LIMIT];
bool x86_apic_id_leaf_b; // APs read their ID from CPUID 0xB (x2APIC)
static paddr_t tramp_base;

// Lowest run of TRAMP_PAGES free pages in [4 KiB, 1 MiB).
void x86_smp_early_init(const struct boot_info *bi)
{
	const struct cairn_mmap_entry *m = phys_to_virt(bi->mmap);

	if (bi->mmap_entry_size != sizeof(*m))
		return;
	for (uint32_t i = 0; i < bi->mmap_count && !tramp_base; i++) {
		uint64_t lo = MAX(m[i].base, 0x1000),
			 hi = MIN(m[i].base + m[i].pages * 4096, TRAMP_LIMIT);

		if (m[i].type == 7 && hi > lo && hi - lo >= TRAMP_PAGES * 4096)
			tramp_base = lo;
	}
	if (!tramp_base) // the trampoline's place is told when it is used
		pr_err("x86: no 16 KiB of free memory below 1 MiB: no SMP\n");
}

static void madt_cpu(const struct acpi_madt_entry *e, uint32_t self,
                     struct hal_cpu_desc *d)
{
	d->hwid = e->lapic.apic_id;
	d->acpi_uid = e->lapic.uid;
	d->enabled = e->lapic.enabled;
	d->boot = e->lapic.apic_id == self;
	// Without x2APIC mode the ICR reaches APIC IDs 0..254 only.
	if (!x86_lapic_x2apic() && d->hwid >= 255)
		d->enabled = false;
}

// The "init-sipi" driver (driver.h): the MADT lists the CPUs, the
// trampoline has its pages.
err_t x86_sipi_probe(const void *fdt, int node, char *what, size_t len)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;
	unsigned n = 0, on = 0;
	err_t err;

	if ((err = acpi_madt_get(&m))) {
		ksnprintf(what, len, "ACPI MADT: not usable");
		return err;
	}
	for (uint32_t pos = 0;
	     acpi_madt_next_of(&m, ACPI_MADT_LAPICS, &pos, &e);)
		n++, on += e.lapic.enabled;
	if (!tramp_base) {
		ksnprintf(what, len,
		          "ACPI MADT: %u CPUs, but no 16 KiB of free memory "
		          "below 1 MiB for the AP trampoline",
		          n);
		return E_NOMEM;
	}
	ksnprintf(what, len,
	          "ACPI MADT: %u local APIC entries (%u enabled), "
	          "INIT-SIPI-SIPI, AP trampoline at %#lx-%#lx",
	          n, on, (unsigned long)tramp_base,
	          (unsigned long)(tramp_base + TRAMP_PAGES * 4096 - 1));
	return 0;
}

unsigned hal_smp_enumerate(struct hal_cpu_desc *out, unsigned max)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;
	uint32_t self = x86_lapic_id();
	unsigned n = 1;

	if (max == 0)
		return 0;
	out[0] = (struct hal_cpu_desc){self, ~0u, true, true};
	// Without a start driver the other CPUs stay off: list the boot CPU.
	if (!x86_bind(HAL_DRV_CPU_START) || acpi_madt_get(&m))
		return 1;
	for (uint32_t pos = 0;
	     acpi_madt_next_of(&m, ACPI_MADT_LAPICS, &pos, &e);) {
		struct hal_cpu_desc d;

		madt_cpu(&e, self, &d);
		if (d.boot)
			out[0].acpi_uid = d.acpi_uid; // boot CPU stays first
		else if (n++ < max)
			out[n - 1] = d;
	}
	return n;
}

// Copies the trampoline to its page and fills in its data and the
// temporary page tables for the current CR3. Done again only when CR3
// changed, so CPUs already on their way never see half-written tables.
static void tramp_prepare(void)
{
	static uint64_t prepared_cr3;
	uint8_t *p = phys_to_virt(tramp_base);
	struct x86_tramp_data *d = (void *)(p + x86_tramp_offsets[3]);
	uint64_t *pml4 = (uint64_t *)(p + 4096), *pdpt = pml4 + 512,
		 *pd = pdpt + 512;
	const uint64_t *real = phys_to_virt(X86_READ_CR(3) & ~0xfffull);
	uint32_t base = (uint32_t)tramp_base;

	if (prepared_cr3 == X86_READ_CR(3))
		return;
	prepared_cr3 = X86_READ_CR(3);
	memcpy(p, x86_trampoline_start,
	       (size_t)(x86_trampoline_end - x86_trampoline_start));
	memset(pml4, 0, 3 * 4096);
	pml4[0] = (tramp_base + 2 * 4096) | PTE_P | PTE_RW;
	pdpt[0] = (tramp_base + 3 * 4096) | PTE_P | PTE_RW;
	pd[0] = 0 | PTE_P | PTE_RW | PTE_PS; // first 2 MiB, 1:1
	memcpy(&pml4[256], &real[256], 256 * sizeof(uint64_t));
	d->gdt_base = base + x86_tramp_offsets[0];
	d->far32_off = base + x86_tramp_offsets[1];
	d->far64_off = base + x86_tramp_offsets[2];
	d->pml4 = base + 4096;
	d->efer = (uint32_t)(x86_rdmsr(X86_MSR_EFER) & (1u << 11)); // NXE
	d->entry = (uint64_t)x86_ap_entry;
	d->cr3 = X86_READ_CR(3);
	d->cr4 = X86_READ_CR(4);
	d->cr0 = X86_READ_CR(0);
}

static err_t sipi_start(struct cpu *c, void *stack_top)
{
	uint32_t apic = (uint32_t)c->hwid, r[4];
	uint32_t vec = (uint32_t)(tramp_base >> 12);

	if (!tramp_base)
		return E_NOMEM;
	if (c->hwid >= X86_APIC_ID_LIMIT)
		return E_RANGE;
	for (unsigned i = 0; i < 3; i++)
		if (!(c->hal[X86_HAL_IST + i] = (uint64_t)kstack_alloc()))
			return E_NOMEM;
	x86_cpuid(0, 0, r);
	x86_apic_id_leaf_b = x86_lapic_x2apic() && r[0] >= 0xb;
	tramp_prepare();
	x86_ap_boot[apic] = (struct ap_boot){c, stack_top};
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	// Modern CPUs need no 10 ms pause after INIT (Linux skips it too);
	// the second SIPI covers a first one that arrived too early.
	x86_lapic_send(apic, X86_ICR_INIT | X86_ICR_LEVEL_ASSERT);
	x86_udelay(10);
	x86_lapic_send(apic, X86_ICR_STARTUP | vec);
	x86_udelay(10);
	x86_lapic_send(apic, X86_ICR_STARTUP | vec);
	return 0;
}

const struct x86_cpu_start_ops x86_sipi_ops = {.start = sipi_start};

err_t hal_cpu_start(struct cpu *c, void *stack_top)
{
	const struct hal_driver *d = x86_bind(HAL_DRV_CPU_START);

	if (!d)
		return E_NOTSUP;
	return ((const struct x86_cpu_start_ops *)d->ops)->start(c, stack_top);
}

__noreturn void x86_ap_main(struct cpu *c);

__noreturn void x86_ap_main(struct cpu *c)
{
	hal_percpu_set(c);
	x86_desc_init_cpu(c);
	(void)hal_mmu_protect_cpu(); // the PAT is per CPU; the rest as on CPU 0
	smp_secondary_main(c);
}
