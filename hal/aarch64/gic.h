// SPDX-License-Identifier: MIT
// The GIC inside the AArch64 HAL: what discovery found (gic.c) and the two
// drivers behind it (gicv2.c, gicv3.c). Neutral code sees only hal/irq.h.
#pragma once

#include <lib/types.h>

#define GIC_MAX_REDIST_REGIONS 16
#define GIC_SPURIOUS 1020 // INTIDs 1020..1023 are special: nothing to do
#define GIC_NR_SGI 16
#define GIC_NR_PRIVATE 32 // SGIs and PPIs, banked per CPU
#define GIC_PRIO_DEFAULT 0xa0

struct gic_info {
	unsigned version; // 2 or 3 (a GICv4 is driven as a GICv3)
	paddr_t dist;     // GICD
	paddr_t cpu_if;   // GICv2 CPU interface (GICC)
	unsigned nredist; // GICv3 redistributor regions (0: per-CPU bases)
	struct {
		paddr_t base;
		uint64_t size;
	} redist[GIC_MAX_REDIST_REGIONS];
	char source[40]; // "ACPI MADT" / "device tree /intc@8000000"
};

extern struct gic_info gic;

// One driver per GIC version. Every function but init runs on the CPU it
// concerns with interrupts off; mask/unmask of a PPI or SGI affects only
// the calling CPU (the registers are banked / per redistributor).
struct gic_ops {
	err_t (*init)(void);     // distributor, boot CPU
	err_t (*init_cpu)(void); // this CPU's interface (and redistributor)
	unsigned (*nlines)(void);
	uint32_t (*ack)(void); // raw IAR; the INTID is its low bits
	void (*eoi)(uint32_t iar);
	void (*set_enabled)(unsigned intid, bool on);
	void (*set_edge)(unsigned intid, bool edge);  // SPIs, while disabled
	void (*send_sgi)(unsigned cpu, unsigned sgi); // cpu ~0u: all others
};

extern const struct gic_ops gicv2_ops, gicv3_ops;

// GICv3 without GICR regions: the redistributor named by this CPU's MADT
// GICC entry (0 if none). gic.c reads the MADT for gicv3.c.
paddr_t gic_acpi_gicr_for(uint64_t mpidr);
