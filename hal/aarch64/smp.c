// SPDX-License-Identifier: MIT
// hal/smp.h on AArch64: lists the CPUs (ACPI MADT GICC entries, else the
// device tree's /cpus), starts them with the start driver the firmware
// names for each (PSCI CPU_ON, or the device tree's spin-table), sets the
// per-CPU base (TPIDR_EL1) and flushes this CPU's TLB.
//
// A started CPU enters secondary.S at the physical address of
// a64_secondary_start with the MMU off and x0 = the physical address of its
// struct a64_start, which carries the boot CPU's MAIR/TCR/TTBR0/TTBR1/
// SCTLR/VBAR as read in hal_cpu_start(), so it runs on whatever tables the
// kernel uses at that moment. Turning the MMU on happens at the
// trampoline's physical address, so for that step TTBR0 must map the
// trampoline page 1:1 with TTBR0 walks enabled: vm_identity_root()
// (mm/vm.h) provides such a table, since the kernel's own tables have no
// identity map and TCR_EL1.EPD0 = 1. a64_secondary_main() then installs
// the boot CPU's own TTBR0 and TCR. start[] is written by the boot CPU before
// CPU_ON and only read by the starting CPU.
#include <libfdt.h>
#include <lib/fdt_dev.h>
#include <acpi/madt.h>
#include <hal/mmu.h>
#include <hal/smp.h>
#include <lib/err.h>
#include <kernel/driver.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <kernel/smp.h>
#include <mm/vm.h>
#include "a64.h"
#include "driver.h"

#define PSCI_CPU_ON_64 0xc4000003u

#define TCR_EPD0 (1ull << 7) // no TTBR0 walks

// Layout shared with secondary.S (offsets in its comment). tcr_on and
// ttbr0_on are used while the MMU is switched on; tcr and ttbr0 are the
// boot CPU's, installed once running at kernel addresses.
struct a64_start {
	uint64_t mair, tcr_on, ttbr0_on, ttbr1, sctlr;
	uint64_t stack_top;
	struct cpu *cpu;
	void (*entry)(struct cpu *, uint64_t el);
	uint64_t vbar;
	uint64_t tcr, ttbr0;
	uint64_t hwid, valid; // spin-table entry finds its block by MPIDR
} __attribute__((aligned(64)));

_Static_assert(__builtin_offsetof(struct a64_start, vbar) == 64,
               "secondary.S reads vbar at 64");
_Static_assert(__builtin_offsetof(struct a64_start, hwid) == 88 &&
                   sizeof(struct a64_start) == 128,
               "secondary.S scans hwid at 88, valid at 96, 128 apart");

#define START_VALID 0x43524e31 // "CRN1": this block is a CPU's to take

// Global for secondary.S's spin-table entry, which scans it.
struct a64_start a64_start_blocks[MAX_CPUS];
const uint64_t a64_start_nr = MAX_CPUS;

extern char a64_secondary_start[], a64_spin_start[];

void hal_percpu_set(struct cpu *c)
{
	A64_WRITE_SYSREG(tpidr_el1, c);
}

// Local TLB maintenance (non-shareable TLBI): smp_tlb_shootdown() runs it
// on every CPU. The broadcast forms (TLBI VAE1IS, VMALLE1IS) would reach
// all CPUs of the inner-shareable domain without IPIs; see docs/smp.md.
void hal_tlb_flush_local(vaddr_t va, size_t len)
{
	__asm__ volatile("dsb nshst" ::: "memory");
	if (len == 0 || len > 64 * 4096) {
		__asm__ volatile("tlbi vmalle1" ::: "memory");
	} else {
		for (vaddr_t p = ALIGN_DOWN(va, 4096); p < va + len; p += 4096)
			__asm__ volatile("tlbi vaae1, %0" ::"r"(p >> 12)
			                 : "memory");
	}
	__asm__ volatile("dsb nsh; isb" ::: "memory");
}

static void add_cpu(struct hal_cpu_desc *out, unsigned max, unsigned *n,
                    uint64_t hwid, uint32_t uid, bool enabled)
{
	struct hal_cpu_desc d = {hwid, uid, enabled, hwid == a64_mpidr()};

	if (d.boot && *n > 0 && max > 0) { // boot CPU first
		if (*n < max)
			out[*n] = out[0];
		out[0] = d;
	} else if (*n < max) {
		out[*n] = d;
	}
	(*n)++;
}

static bool enumerate_madt(struct hal_cpu_desc *out, unsigned max, unsigned *n)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;

	if (!a64_boot_info->acpi_rsdp || acpi_madt_get(&m))
		return false;
	for (uint32_t pos = 0;
	     acpi_madt_next_of(&m, ACPI_MADT_BIT(ACPI_MADT_GICC), &pos, &e);)
		add_cpu(out, max, n, e.gicc.mpidr & A64_MPIDR_AFF_MASK,
		        e.gicc.uid, e.gicc.enabled);
	return *n > 0;
}

static bool enumerate_fdt(struct hal_cpu_desc *out, unsigned max, unsigned *n)
{
	const void *fdt;
	int cpus_node, node, ac;

	if (!a64_boot_info->dtb)
		return false;
	fdt = phys_to_virt(a64_boot_info->dtb);
	if (fdt_check_header(fdt))
		return false;
	cpus_node = fdt_path_offset(fdt, "/cpus");
	if (cpus_node < 0)
		return false;
	ac = fdt_address_cells(fdt, cpus_node);
	fdt_for_each_subnode(node, fdt, cpus_node)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *status = fdt_getprop(fdt, node, "status", NULL);
		const fdt32_t *reg;
		int len;
		uint64_t hwid;

		if (!type || strcmp(type, "cpu"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || ac < 1 || ac > 2 || len < ac * 4) {
			pr_warn("smp: %s: bad reg; CPU skipped\n",
			        fdt_get_name(fdt, node, NULL));
			continue;
		}
		hwid = ac == 2 ? (uint64_t)fdt32_to_cpu(reg[0]) << 32 |
		                     fdt32_to_cpu(reg[1])
		               : fdt32_to_cpu(reg[0]);
		add_cpu(out, max, n, hwid & A64_MPIDR_AFF_MASK, ~0u,
		        !status || !strcmp(status, "okay") ||
		            !strcmp(status, "ok"));
	}
	return *n > 0;
}

unsigned hal_smp_enumerate(struct hal_cpu_desc *out, unsigned max)
{
	unsigned n = 0;

	if (enumerate_madt(out, max, &n))
		return n;
	n = 0;
	if (enumerate_fdt(out, max, &n))
		return n;
	// Neither lists CPUs: just us.
	if (max > 0)
		out[0] = (struct hal_cpu_desc){a64_mpidr(), ~0u, true, true};
	return 1;
}

// Runs on the new CPU, on its stack, MMU on, TPIDR_EL1 and VBAR set.
// hal[0] keeps the EL PSCI started it at (2: secondary.S dropped to EL1).
static __noreturn void a64_secondary_main(struct cpu *c, uint64_t el)
{
	const struct a64_start *s = &a64_start_blocks[c->id];

	hal_percpu_set(c);
	if (s->tcr != s->tcr_on || s->ttbr0 != s->ttbr0_on) {
		A64_WRITE_SYSREG(ttbr0_el1, s->ttbr0);
		A64_WRITE_SYSREG(tcr_el1, s->tcr);
		__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::
		                     : "memory");
	}
	(void)hal_mmu_protect_cpu(); // PAN where the CPU has it, as on CPU 0
	c->hal[0] = el;
	// Every CPU alike, at debug level: one line per CPU is noise at 512.
	pr_debug("smp: cpu %u entered at EL%lu%s\n", c->id, (unsigned long)el,
	         el == 2 ? ", dropped to EL1" : "");
	smp_secondary_main(c);
}

// Cleans [p, p + len) to the point of coherency: the new CPU reads its
// start block with the MMU (and so its caches) off.
static void clean_to_poc(const void *p, size_t len)
{
	uint64_t line = 4ull << ((A64_READ_SYSREG(ctr_el0) >> 16) & 0xf);

	for (uintptr_t a = ALIGN_DOWN((uintptr_t)p, line);
	     a < (uintptr_t)p + len; a += line)
		__asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

// TTBR0 for the MMU switch: an identity map of the trampoline page (from
// mm/vm.c; the kernel's own tables have no identity map).
static paddr_t switch_ttbr0(paddr_t entry)
{
	static paddr_t root;

	if (!root)
		root = vm_identity_root(ALIGN_DOWN(entry, 4096), 4096);
	return root;
}

// CPU start drivers (driver.h). PSCI CPU_ON passes the block in x0.
static err_t psci_start(const void *fdt, int node, uint64_t hwid, paddr_t entry,
                        paddr_t ctx, paddr_t spin_entry)
{
	int64_t ret = (int64_t)a64_psci_call(PSCI_CPU_ON_64, hwid, entry, ctx);

	if (ret) {
		pr_err("smp: PSCI CPU_ON for MPIDR %#lx: %ld (%s)\n", hwid, ret,
		       err_name(a64_psci_error(ret)));
		return a64_psci_error(ret);
	}
	return 0;
}

const struct a64_cpu_start_ops a64_psci_start_ops = {.start = psci_start};

// spin-table (Linux's arm64 booting.rst): the CPU waits in firmware, with
// its MMU off, for a non-zero address at cpu-release-addr, then jumps there
// with no argument; a64_spin_start finds its block by MPIDR. The address is
// written through the direct map and cleaned to the point of coherency,
// then SEV wakes the waiting CPU from WFE.
static err_t spin_start(const void *fdt, int node, uint64_t hwid, paddr_t entry,
                        paddr_t ctx, paddr_t spin_entry)
{
	uint64_t rel;
	volatile uint64_t *slot;

	if (fdt_dev_u64(fdt, node, "cpu-release-addr", &rel) || (rel & 7) ||
	    rel + 8 > phys_direct_map_size) {
		pr_err("smp: %s: cpu-release-addr missing or unusable\n",
		       fdt_get_name(fdt, node, NULL));
		return E_CORRUPT;
	}
	slot = phys_to_virt(rel);
	*slot = spin_entry;
	clean_to_poc((const void *)slot, 8);
	__asm__ volatile("sev" ::: "memory");
	return 0;
}

err_t a64_spin_table_probe(const void *fdt, int node, char *what, size_t len)
{
	uint64_t rel;

	if (fdt_dev_u64(fdt, node, "cpu-release-addr", &rel)) {
		ksnprintf(what, len, "%s: no cpu-release-addr",
		          fdt_get_name(fdt, node, NULL));
		return E_CORRUPT;
	}
	// a64_spin_start reaches a64_start_blocks PC-relatively with the
	// MMU off: the image must sit in physical memory as it is linked.
	if (a64_virt_to_phys(a64_start_blocks) -
	        a64_virt_to_phys(a64_spin_start) !=
	    (uintptr_t)a64_start_blocks - (uintptr_t)a64_spin_start) {
		ksnprintf(what, len, "kernel image not physically contiguous");
		return E_NOTSUP;
	}
	ksnprintf(what, len,
	          "device tree %s enable-method spin-table "
	          "(release at %#lx)",
	          fdt_get_name(fdt, node, NULL), (unsigned long)rel);
	return 0;
}

const struct a64_cpu_start_ops a64_spin_table_ops = {.start = spin_start};

// Each start driver is probed once, for the first CPU that uses it (the
// log line), and then only called.
static err_t start_driver(uint64_t hwid, const struct a64_cpu_start_ops **o,
                          int *node)
{
	static const struct hal_driver *probed[4];
	static err_t result[4];
	const struct hal_driver *d = a64_bind_cpu(hwid, node);
	unsigned i = 0;

	if (!d)
		return E_NOTSUP;
	while (i < 4 && probed[i] && probed[i] != d)
		i++;
	if (i < 4 && !probed[i]) {
		probed[i] = d;
		result[i] = driver_probe(d, a64_fdt(), *node) ? 0 : E_NOTSUP;
		if (!result[i])
			a64_driver_set_bound(d);
	}
	*o = d->ops;
	return i < 4 ? result[i] : E_NOTSUP;
}

err_t hal_cpu_start(struct cpu *c, void *stack_top)
{
	struct a64_start *s = &a64_start_blocks[c->id];
	paddr_t entry = a64_virt_to_phys(a64_secondary_start);
	paddr_t ctx = a64_virt_to_phys(s);
	paddr_t ttbr0_on = switch_ttbr0(entry);
	uint64_t tcr = A64_READ_SYSREG(tcr_el1);
	const struct a64_cpu_start_ops *o;
	int node = -1;
	err_t err;

	if (!entry || !ctx)
		return E_FAULT;
	if (!ttbr0_on)
		return E_NOMEM;
	*s = (struct a64_start){
	    .mair = A64_READ_SYSREG(mair_el1),
	    .tcr_on = tcr & ~TCR_EPD0,
	    .ttbr0_on = ttbr0_on,
	    .tcr = tcr,
	    .ttbr0 = A64_READ_SYSREG(ttbr0_el1),
	    .ttbr1 = A64_READ_SYSREG(ttbr1_el1),
	    .sctlr = A64_READ_SYSREG(sctlr_el1),
	    .stack_top = (uint64_t)stack_top,
	    .cpu = c,
	    .entry = a64_secondary_main,
	    .vbar = A64_READ_SYSREG(vbar_el1),
	};
	s->hwid = c->hwid;
	s->valid = START_VALID;
	clean_to_poc(s, sizeof(*s));
	if ((err = start_driver(c->hwid, &o, &node)))
		return err;
	return o->start(a64_fdt(), node, c->hwid, entry, ctx,
	                a64_virt_to_phys(a64_spin_start));
}
