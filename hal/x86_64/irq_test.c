// SPDX-License-Identifier: MIT
// In-kernel test of the I/O APIC path (x86_64 only): an HPET comparator in
// level-triggered mode, routed to an I/O APIC input, must arrive through
// hal_irq_register() on the boot CPU, stay away while the input is masked
// and arrive once unmasked. Skips without an HPET or a routable comparator.
#include <acpi/hpet.h>
#include <hal/cpu.h>
#include <hal/irq.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <tests/ktest.h>

#define HPET_CAP 0x000
#define HPET_STATUS 0x020
#define HPET_COUNTER 0x0f0
#define HPET_TN_CONF(n) (0x100 + 0x20 * (n))
#define HPET_TN_CMP(n) (0x108 + 0x20 * (n))
#define TN_LEVEL (1ull << 1)
#define TN_ENABLE (1ull << 2)
#define TN_32BIT (1ull << 8)
#define TN_ROUTE_SHIFT 9

static volatile uint64_t *hpet;
static unsigned hpet_timer;
static volatile uint32_t hpet_irqs;

static uint64_t rd(unsigned reg)
{
	return hpet[reg / 8];
}

static void wr(unsigned reg, uint64_t v)
{
	hpet[reg / 8] = v;
}

static void hpet_irq(unsigned irq, void *arg)
{
	hpet_irqs++;
	wr(HPET_STATUS, 1ull << hpet_timer); // level: acknowledge at the source
	wr(HPET_TN_CONF(hpet_timer), rd(HPET_TN_CONF(hpet_timer)) & ~TN_ENABLE);
}

// A comparator that can be routed to a GSI of 16 or more (PCI style,
// level triggered); returns the GSI or -1.
static int hpet_pick(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_hpet h;
	unsigned ntimers;

	if (acpi_table_find("HPET", 0, &t) || acpi_hpet_decode(t, &h) ||
	    h.base.space_id != ACPI_SPACE_MEMORY)
		return -1;
	hpet = phys_to_virt(h.base.address);
	ntimers = ((rd(HPET_CAP) >> 8) & 0x1f) + 1;
	for (unsigned n = 0; n < ntimers; n++) {
		uint32_t cap = (uint32_t)(rd(HPET_TN_CONF(n)) >> 32);

		for (int gsi = 16; gsi < 32; gsi++)
			if (cap & (1u << gsi)) {
				hpet_timer = n;
				return gsi;
			}
	}
	return -1;
}

static bool wait_irqs(uint32_t want, uint64_t ns)
{
	uint64_t end = hal_time_ns() + ns;

	while (hpet_irqs < want && hal_time_ns() < end)
		__asm__ volatile("pause");
	return hpet_irqs >= want;
}

KTEST(x86_irq, hpet_through_ioapic)
{
	int gsi = hpet_pick();
	uint64_t conf;

	if (gsi < 0)
		KT_SKIP("no HPET comparator routable to a GSI >= 16");
	KT_ASSERT(hal_irq_enabled());
	KT_ASSERT_EQ(hal_irq_register((unsigned)gsi, hpet_irq, NULL), 0);
	KT_EXPECT_EQ(hal_irq_register((unsigned)gsi, hpet_irq, NULL), E_EXIST);
	KT_EXPECT_EQ(hal_irq_register(1000, hpet_irq, NULL), E_RANGE);
	conf = (rd(HPET_TN_CONF(hpet_timer)) & ~(0x1full << TN_ROUTE_SHIFT)) |
	       ((uint64_t)gsi << TN_ROUTE_SHIFT) | TN_LEVEL;
	// Masked: the comparator fires and holds its line, nothing arrives.
	wr(HPET_TN_CONF(hpet_timer), conf & ~TN_ENABLE);
	wr(HPET_TN_CMP(hpet_timer), rd(HPET_COUNTER) + 1000);
	wr(HPET_TN_CONF(hpet_timer), conf | TN_ENABLE);
	KT_EXPECT(!wait_irqs(1, 20000000));
	// Unmasked: the pending level interrupt is delivered once.
	hal_irq_unmask((unsigned)gsi);
	KT_EXPECT(wait_irqs(1, 1000000000));
	KT_EXPECT_EQ_U(hpet_irqs, 1);
	// And again, armed while unmasked.
	wr(HPET_TN_CMP(hpet_timer), rd(HPET_COUNTER) + 10000);
	wr(HPET_TN_CONF(hpet_timer), conf | TN_ENABLE);
	KT_EXPECT(wait_irqs(2, 1000000000));
	hal_irq_mask((unsigned)gsi);
	ktest_log(t, "HPET timer %u on GSI %d: %u interrupts", hpet_timer, gsi,
	          hpet_irqs);
}
