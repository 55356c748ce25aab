// SPDX-License-Identifier: MIT
// GICv3 driver: memory-mapped distributor (GICD) and redistributors (GICR,
// one per CPU), CPU interface through the ICC_* system registers. Affinity
// routing is on; every interrupt is non-secure group 1; SPIs are routed to
// the boot CPU. Each CPU finds its own redistributor by walking the
// redistributor regions and matching GICR_TYPER's affinity against its
// MPIDR (QEMU virt with more than 123 CPUs has two regions, the second far
// above the direct map). IPIs are SGIs written to ICC_SGI1R_EL1: no shared
// state, no lock. redist[] is written by each CPU for itself only.
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "a64.h"
#include "gic.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ARE_NS (1u << 4)
#define GICD_CTLR_GRP1NS (1u << 1)
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ICENABLER 0x0180
#define GICD_ICFGR 0x0c00
#define GICD_ISENABLER 0x0100
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000

#define GICR_FRAME 0x10000 // RD_base and SGI_base frames, 64 KiB each
#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP (1u << 3)
#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER 0x0014
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
// In the SGI_base frame:
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400

// ICC system registers by encoding (older assemblers lack the names).
#define ICC_SRE_EL1 "S3_0_C12_C12_5"
#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_BPR1_EL1 "S3_0_C12_C12_3"
#define ICC_CTLR_EL1 "S3_0_C12_C12_4"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_SGI1R_EL1 "S3_0_C12_C11_5"
#define ICC_SGI1R_IRM (1ull << 40)

#define SPIN_LIMIT 10000000 // polls of a "write pending" bit

static volatile uint8_t *gicd;
static volatile uint8_t *region_va[GIC_MAX_REDIST_REGIONS];
static volatile uint8_t *redist[MAX_CPUS]; // RD_base of each CPU's GICR
static unsigned lines;

static inline uint32_t rd32(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint32_t *)(b + off);
}

static inline uint64_t rd64(volatile uint8_t *b, unsigned off)
{
	return *(volatile uint64_t *)(b + off);
}

static inline void wr32(volatile uint8_t *b, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(b + off) = v;
}

static inline void wr64(volatile uint8_t *b, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(b + off) = v;
}

static err_t wait_clear(volatile uint8_t *b, unsigned off, uint32_t bit,
                        const char *what)
{
	for (int i = 0; i < SPIN_LIMIT; i++)
		if (!(rd32(b, off) & bit))
			return 0;
	pr_err("gicv3: %s stuck\n", what);
	return E_TIMEOUT;
}

// MPIDR affinity as GICD_IROUTER / GICR_TYPER[63:32] lay it out.
static uint64_t aff_router(uint64_t mpidr)
{
	return mpidr & A64_MPIDR_AFF_MASK;
}

static uint32_t aff_typer(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff);
}

static err_t v3_init(void)
{
	uint64_t boot = aff_router(a64_mpidr());
	err_t err;

	gicd = a64_map_device(gic.dist, 0x10000);
	if (!gicd)
		return E_RANGE;
	for (unsigned r = 0; r < gic.nredist; r++) {
		region_va[r] =
		    a64_map_device(gic.redist[r].base, gic.redist[r].size);
		if (!region_va[r])
			return E_RANGE;
	}
	wr32(gicd, GICD_CTLR, 0);
	err = wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	if (err)
		return err;
	lines = MIN(32 * ((rd32(gicd, GICD_TYPER) & 0x1f) + 1), 1020u);
	for (unsigned i = GIC_NR_PRIVATE; i < lines; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0u);
		wr32(gicd, GICD_ICPENDR + i / 8, ~0u);
		wr32(gicd, GICD_IGROUPR + i / 8, ~0u);
	}
	for (unsigned i = GIC_NR_PRIVATE; i < lines; i += 4)
		wr32(gicd, GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	for (unsigned i = GIC_NR_PRIVATE; i < lines; i++)
		wr64(gicd, GICD_IROUTER + 8 * i, boot);
	err = wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
	if (err)
		return err;
	wr32(gicd, GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_GRP1NS);
	return wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
}

// The redistributor whose GICR_TYPER affinity is mpidr's, in one region.
static volatile uint8_t *find_in_region(volatile uint8_t *va, uint64_t size,
                                        uint32_t aff)
{
	for (uint64_t off = 0; off + 2 * GICR_FRAME <= size;) {
		uint64_t typer = rd64(va, off + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return va + off;
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS) ? 4 * GICR_FRAME
		                                  : 2 * GICR_FRAME;
	}
	return NULL;
}

static volatile uint8_t *find_redist(uint64_t mpidr)
{
	uint32_t aff = aff_typer(mpidr);

	for (unsigned r = 0; r < gic.nredist; r++) {
		volatile uint8_t *rd =
		    find_in_region(region_va[r], gic.redist[r].size, aff);

		if (rd)
			return rd;
	}
	if (!gic.nredist) { // GICC entries name each CPU's GICR
		paddr_t pa = gic_acpi_gicr_for(mpidr);

		if (pa)
			return a64_map_device(pa, 2 * GICR_FRAME);
	}
	return NULL;
}

static err_t redist_wake(volatile uint8_t *rd)
{
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	return wait_clear(rd, GICR_WAKER, GICR_WAKER_ASLEEP,
	                  "GICR_WAKER.ChildrenAsleep");
}

static err_t cpu_interface_on(void)
{
	uint64_t sre;

	__asm__ volatile("mrs %0, " ICC_SRE_EL1 : "=r"(sre));
	__asm__ volatile("msr " ICC_SRE_EL1 ", %0; isb" ::"r"(sre | 1));
	__asm__ volatile("mrs %0, " ICC_SRE_EL1 : "=r"(sre));
	if (!(sre & 1)) {
		pr_err("gicv3: system register interface disabled (by EL2?)\n");
		return E_NOTSUP;
	}
	__asm__ volatile("msr " ICC_PMR_EL1 ", %0" ::"r"(0xffull));
	__asm__ volatile("msr " ICC_BPR1_EL1 ", xzr");
	__asm__ volatile("msr " ICC_CTLR_EL1 ", xzr"); // EOI also deactivates
	__asm__ volatile("msr " ICC_IGRPEN1_EL1 ", %0; isb" ::"r"(1ull));
	return 0;
}

static err_t v3_init_cpu(void)
{
	uint64_t mpidr = a64_mpidr();
	volatile uint8_t *rd = find_redist(mpidr), *sgi;
	err_t err;

	if (!rd) {
		pr_err("gicv3: no redistributor for MPIDR %#lx\n", mpidr);
		return E_NOENT;
	}
	redist[hal_cpu_id()] = rd;
	err = redist_wake(rd);
	if (err)
		return err;
	sgi = rd + GICR_FRAME;
	wr32(sgi, GICR_ICENABLER0, 0xffff0000u); // PPIs off until unmasked
	wr32(sgi, GICR_IGROUPR0, ~0u);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i += 4)
		wr32(sgi, GICR_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
	wr32(sgi, GICR_ISENABLER0, 0x0000ffffu); // SGIs on: IPIs
	err = wait_clear(rd, GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
	if (err)
		return err;
	return cpu_interface_on();
}

static unsigned v3_nlines(void)
{
	return lines;
}

static uint32_t v3_ack(void)
{
	uint64_t iar;

	__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(iar)::"memory");
	return (uint32_t)iar;
}

static void v3_eoi(uint32_t iar)
{
	__asm__ volatile("msr " ICC_EOIR1_EL1 ", %0" ::"r"((uint64_t)iar)
	                 : "memory");
}

// GICD_ICFGR (SPIs): two bits per INTID, the upper one set for edge.
static void v3_set_edge(unsigned intid, bool edge)
{
	unsigned off = GICD_ICFGR + intid / 16 * 4, bit = 2 * (intid % 16) + 1;
	uint32_t v = rd32(gicd, off);

	wr32(gicd, off, edge ? v | 1u << bit : v & ~(1u << bit));
}

static void v3_set_enabled(unsigned intid, bool on)
{
	uint32_t bit = 1u << (intid % 32);

	if (intid < GIC_NR_PRIVATE) {
		volatile uint8_t *rd = redist[hal_cpu_id()];

		if (!rd)
			return;
		wr32(rd + GICR_FRAME, on ? GICR_ISENABLER0 : GICR_ICENABLER0,
		     bit);
		(void)wait_clear(rd, GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP");
		return;
	}
	wr32(gicd, (on ? GICD_ISENABLER : GICD_ICENABLER) + intid / 32 * 4,
	     bit);
	(void)wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP");
}

// ICC_SGI1R_EL1: Aff3 [55:48], RS [47:44] (Aff0 / 16), IRM [40],
// Aff2 [39:32], INTID [27:24], Aff1 [23:16], TargetList [15:0].
static uint64_t sgi1r_for(uint64_t mpidr)
{
	unsigned aff0 = mpidr & 0xff;

	return ((mpidr >> 32) & 0xff) << 48 | (uint64_t)(aff0 / 16) << 44 |
	       ((mpidr >> 16) & 0xff) << 32 | ((mpidr >> 8) & 0xff) << 16 |
	       1u << (aff0 % 16);
}

static void v3_send_sgi(unsigned cpu, unsigned sgi)
{
	uint64_t v = (uint64_t)(sgi & 0xf) << 24;

	if (cpu == ~0u)
		v |= ICC_SGI1R_IRM;
	else
		v |= sgi1r_for(cpus[cpu]->hwid);
	__asm__ volatile("dsb ishst; msr " ICC_SGI1R_EL1 ", %0; isb" ::"r"(v)
	                 : "memory");
}

const struct gic_ops gicv3_ops = {
    .init = v3_init,
    .init_cpu = v3_init_cpu,
    .nlines = v3_nlines,
    .ack = v3_ack,
    .eoi = v3_eoi,
    .set_enabled = v3_set_enabled,
    .set_edge = v3_set_edge,
    .send_sgi = v3_send_sgi,
};
