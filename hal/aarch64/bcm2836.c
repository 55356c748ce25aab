// SPDX-License-Identifier: MIT
// Raspberry Pi 2/3 interrupts (driver.h): the BCM2836 per-core ("local")
// controller at the root, "brcm,bcm2836-l1-intc", and the BCM2835
// peripheral controller "brcm,bcm2836-armctrl-ic" chained behind it on the
// local controller's GPU input (routed to CPU 0).
//
// Numbering: 0-31 are the local sources of the CPU taking them (0-3 the
// generic timer's CNTPS/CNTPNS/CNTHP/CNTV, 4-7 mailboxes, 8 GPU, 9 PMU,
// 11 local timer); 32 + bank * 32 + bit the peripheral lines (bank 0 the
// "basic" pending bits, 1 and 2 the GPU IRQs 0-31 / 32-63), as the tree's
// two-cell specifiers <bank bit> say. IPIs are the bits of each core's
// mailbox 0: sending sets bit `kind`, the receiver clears what it read.
//
// Registers (BCM2836 ARM-local peripherals note; QEMU bcm2836_control):
// timer control 0x40 + 4n, mailbox control 0x50 + 4n, IRQ source
// 0x60 + 4n, mailbox n write-set 0x80 + 16n, read/write-clear 0xc0 + 16n.
// Every register is per core and written by its own core, or a single
// store (mailbox set): no locks.
#include <libfdt.h>
#include <kernel/percpu.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>
#include "a64.h"
#include "driver.h"

#define L1_GPU_ROUTE 0x0c
#define L1_TIMER_CTL(n) (0x40 + 4 * (n))
#define L1_MBOX_CTL(n) (0x50 + 4 * (n))
#define L1_IRQ_SRC(n) (0x60 + 4 * (n))
#define L1_MBOX0_SET(n) (0x80 + 16 * (n))
#define L1_MBOX0_CLR(n) (0xc0 + 16 * (n))
#define L1_SRC_MBOX0 (1u << 4)
#define L1_SRC_GPU (1u << 8)
#define L1_NCORES 4

#define IC_BASIC_PENDING 0x00
#define IC_PENDING(b) (0x04 + 4 * ((b)-1)) // banks 1, 2
#define IC_ENABLE(b) ((b) == 0 ? 0x18 : 0x10 + 4 * ((b)-1))
#define IC_DISABLE(b) ((b) == 0 ? 0x24 : 0x1c + 4 * ((b)-1))
#define IC_FIRST 32
#define IC_LINES (IC_FIRST + 3 * 32)

static volatile uint32_t *l1, *ic;
static uint8_t core_of[MAX_CPUS]; // local controller's core number per CPU

static inline uint32_t rd(volatile uint32_t *b, unsigned off)
{
	return b[off / 4];
}

static inline void wr(volatile uint32_t *b, unsigned off, uint32_t v)
{
	b[off / 4] = v;
}

static unsigned this_core(void)
{
	return (unsigned)(A64_READ_SYSREG(mpidr_el1) & 3);
}

// The chained peripheral controller, if the tree has one: every line off.
static void armctrl_init(const void *fdt)
{
	int node =
	    fdt_node_offset_by_compatible(fdt, -1, "brcm,bcm2836-armctrl-ic");
	uint64_t base, size;

	if (node < 0 || fdt_dev_reg(fdt, node, 0, &base, &size)) {
		pr_warn("bcm2836: no brcm,bcm2836-armctrl-ic node: no "
		        "peripheral interrupts\n");
		return;
	}
	ic = a64_map_device(base, 0x1000);
	for (unsigned b = 0; ic && b < 3; b++)
		wr(ic, IC_DISABLE(b), ~0u);
	if (ic)
		pr_info("bcm2836: peripheral controller %s at %#lx behind "
		        "the local controller's GPU input\n",
		        fdt_get_name(fdt, node, NULL), (unsigned long)base);
}

err_t a64_bcm2836_probe(const void *fdt, int node, char *what, size_t len)
{
	uint64_t base, size;

	if (fdt_dev_reg(fdt, node, 0, &base, &size)) {
		ksnprintf(what, len, "%s: bad reg",
		          fdt_get_name(fdt, node, NULL));
		return E_CORRUPT;
	}
	l1 = a64_map_device(base, 0x1000);
	if (!l1)
		return E_RANGE;
	wr(l1, L1_GPU_ROUTE, 0); // peripheral IRQs (and FIQs) to core 0
	for (unsigned n = 0; n < L1_NCORES; n++) {
		wr(l1, L1_TIMER_CTL(n), 0);
		wr(l1, L1_MBOX_CTL(n), 0);
		wr(l1, L1_MBOX0_CLR(n), ~0u);
	}
	armctrl_init(fdt);
	ksnprintf(what, len,
	          "device tree %s at %#lx (BCM2836 local, %u "
	          "cores)",
	          fdt_get_name(fdt, node, NULL), (unsigned long)base,
	          L1_NCORES);
	return 0;
}

static err_t l1_init_cpu(void)
{
	unsigned core = this_core();

	core_of[hal_cpu_id()] = (uint8_t)core;
	wr(l1, L1_MBOX0_CLR(core), ~0u);
	wr(l1, L1_MBOX_CTL(core), 1); // mailbox 0 raises IRQ
	return 0;
}

static unsigned l1_nlines(void)
{
	return ic ? IC_LINES : IC_FIRST;
}

static void l1_set_enabled(unsigned irq, bool on)
{
	unsigned core = this_core();

	if (irq < 4) { // timers: this core's timer control bits
		uint32_t v = rd(l1, L1_TIMER_CTL(core));
		wr(l1, L1_TIMER_CTL(core),
		   on ? v | 1u << irq : v & ~(1u << irq));
	} else if (irq >= IC_FIRST && ic) {
		unsigned b = (irq - IC_FIRST) / 32, bit = (irq - IC_FIRST) % 32;
		wr(ic, on ? IC_ENABLE(b) : IC_DISABLE(b), 1u << bit);
	}
	// Mailboxes are always on (l1_init_cpu); GPU is the chain itself.
}

// Levels as the devices give them; nothing to program.
static err_t l1_set_trigger(unsigned irq, bool level, bool active_low)
{
	return irq >= IC_FIRST && level && !active_low ? 0 : E_NOTSUP;
}

static void l1_send_ipi(unsigned cpu, unsigned kind)
{
	__asm__ volatile("dsb ishst" ::: "memory"); // data before the IPI
	if (cpu != ~0u) {
		wr(l1, L1_MBOX0_SET(core_of[cpu]), 1u << kind);
		return;
	}
	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i] && i != hal_cpu_id())
			wr(l1, L1_MBOX0_SET(core_of[i]), 1u << kind);
}

static void armctrl_dispatch(void)
{
	uint32_t basic = rd(ic, IC_BASIC_PENDING);
	uint32_t pend[3] = {basic & 0xff, 0, 0};

	if (basic & (1u << 8))
		pend[1] = rd(ic, IC_PENDING(1));
	if (basic & (1u << 9))
		pend[2] = rd(ic, IC_PENDING(2));
	for (unsigned b = 0; b < 3; b++)
		for (uint32_t m = pend[b]; m; m &= m - 1)
			a64_irq_handle(IC_FIRST + b * 32 +
			               (unsigned)__builtin_ctz(m));
}

// Timers and peripherals are levels: the handler quiets the source.
static void l1_dispatch(void)
{
	unsigned core = this_core();
	uint32_t src = rd(l1, L1_IRQ_SRC(core));

	if (src & L1_SRC_MBOX0) {
		uint32_t kinds = rd(l1, L1_MBOX0_CLR(core));

		wr(l1, L1_MBOX0_CLR(core), kinds); // before handling: no loss
		for (uint32_t m = kinds; m; m &= m - 1)
			a64_ipi_handle((unsigned)__builtin_ctz(m));
	}
	if ((src & L1_SRC_GPU) && ic)
		armctrl_dispatch();
	for (uint32_t m = src & 0xf; m; m &= m - 1)
		a64_irq_handle((unsigned)__builtin_ctz(m));
}

// Both controllers use two cells: the local one <source flags>, the
// peripheral one <bank bit>.
static err_t l1_fdt_xlate(const void *fdt, int ctrl, const uint32_t *cells,
                          int ncells, unsigned *irq)
{
	if (ncells < 2)
		return E_CORRUPT;
	if (fdt_node_check_compatible(fdt, ctrl, "brcm,bcm2836-l1-intc") == 0) {
		if (cells[0] >= IC_FIRST)
			return E_CORRUPT;
		*irq = cells[0];
		return 0;
	}
	if (fdt_node_check_compatible(fdt, ctrl, "brcm,bcm2836-armctrl-ic") ||
	    cells[0] > 2 || cells[1] > 31)
		return E_CORRUPT;
	*irq = IC_FIRST + cells[0] * 32 + cells[1];
	return 0;
}

const struct a64_intc_ops a64_bcm2836_ops = {
    .init_cpu = l1_init_cpu,
    .nlines = l1_nlines,
    .private_below = IC_FIRST,
    .set_enabled = l1_set_enabled,
    .set_trigger = l1_set_trigger,
    .send_ipi = l1_send_ipi,
    .dispatch = l1_dispatch,
    .fdt_xlate = l1_fdt_xlate,
    .vtimer_default = 3,
};
