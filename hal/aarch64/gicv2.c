// SPDX-License-Identifier: MIT
// GICv2 driver: memory-mapped distributor (GICD) and CPU interface (GICC).
// Every interrupt is left in group 0 with FIQs off, which the CPU interface
// signals as IRQ (with the Security Extensions present and us non-secure,
// the group registers are not ours to write and the same writes enable
// group 1 instead). SPIs go to the boot CPU. A GICv2 handles at most 8
// CPUs; each CPU's interface number is learnt from its banked
// GICD_ITARGETSR0 in init_cpu. The SGI register is written by any CPU at
// any time: a single store, no lock.
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "a64.h"
#include "gic.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_SGIR_OTHERS (1u << 24)

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

static volatile uint8_t *gicd, *gicc;
static unsigned lines;
static uint8_t cpu_mask[MAX_CPUS]; // GICD_ITARGETSR bit of each CPU

static inline uint32_t rd(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint32_t *)(b + off);
}

static inline void wr(volatile uint8_t *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

static err_t v2_init(void)
{
	gicd = a64_map_device(gic.dist, 0x1000);
	gicc = a64_map_device(gic.cpu_if, 0x2000);
	if (!gicd || !gicc)
		return E_RANGE;
	wr(gicd, GICD_CTLR, 0);
	lines = MIN(32 * ((rd(gicd, GICD_TYPER) & 0x1f) + 1), 1020u);
	for (unsigned i = GIC_NR_PRIVATE; i < lines; i += 32) {
		wr(gicd, GICD_ICENABLER + i / 8, ~0u);
		wr(gicd, GICD_ICPENDR + i / 8, ~0u);
		wr(gicd, GICD_IGROUPR + i / 8, 0);
	}
	for (unsigned i = GIC_NR_PRIVATE; i < lines; i += 4) {
		wr(gicd, GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
		wr(gicd, GICD_ITARGETSR + i, 0); // set per line when unmasked
	}
	wr(gicd, GICD_CTLR, 1);
	return 0;
}

static err_t v2_init_cpu(void)
{
	uint8_t self = rd(gicd, GICD_ITARGETSR) & 0xff;

	// A uniprocessor GIC may read 0 here; its only CPU is interface 0.
	cpu_mask[hal_cpu_id()] = self ? self : 1;
	wr(gicd, GICD_ICENABLER, 0xffff0000u); // PPIs off until unmasked
	wr(gicd, GICD_ISENABLER, 0x0000ffffu); // SGIs on: IPIs
	wr(gicd, GICD_IGROUPR, 0);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i += 4)
		wr(gicd, GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	wr(gicc, GICC_PMR, 0xff);
	wr(gicc, GICC_BPR, 0);
	wr(gicc, GICC_CTLR, 1);
	return 0;
}

static unsigned v2_nlines(void)
{
	return lines;
}

static uint32_t v2_ack(void)
{
	return rd(gicc, GICC_IAR);
}

static void v2_eoi(uint32_t iar)
{
	wr(gicc, GICC_EOIR, iar); // SGIs need the source CPU bits back
}

static void v2_set_enabled(unsigned intid, bool on)
{
	if (on && intid >= GIC_NR_PRIVATE) {
		volatile uint8_t *t = gicd + GICD_ITARGETSR + intid;

		*t = cpu_mask[0]; // SPIs go to the boot CPU
	}
	wr(gicd, (on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
	   1u << (intid % 32));
}

// GICD_ICFGR: two bits per INTID, the upper one set for edge-triggered.
static void v2_set_edge(unsigned intid, bool edge)
{
	unsigned off = GICD_ICFGR + intid / 16 * 4, bit = 2 * (intid % 16) + 1;
	uint32_t v = rd(gicd, off);

	wr(gicd, off, edge ? v | 1u << bit : v & ~(1u << bit));
}

static void v2_send_sgi(unsigned cpu, unsigned sgi)
{
	uint32_t v = sgi & 0xf;

	if (cpu == ~0u)
		v |= GICD_SGIR_OTHERS;
	else
		v |= (uint32_t)cpu_mask[cpu] << 16;
	__asm__ volatile("dsb ishst" ::: "memory"); // data before the IPI
	wr(gicd, GICD_SGIR, v);
}

const struct gic_ops gicv2_ops = {
    .init = v2_init,
    .init_cpu = v2_init_cpu,
    .nlines = v2_nlines,
    .ack = v2_ack,
    .eoi = v2_eoi,
    .set_enabled = v2_set_enabled,
    .set_edge = v2_set_edge,
    .send_sgi = v2_send_sgi,
};
