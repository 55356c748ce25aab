// SPDX-License-Identifier: MIT
// Time on x86_64. The clock is the TSC (hal_time_ns() scales it); the
// per-CPU event is the local APIC timer, in TSC-deadline mode when CPUID
// offers it, else in one-shot mode. Frequencies come from CPUID leaf 0x15
// where it names them; otherwise the TSC and the APIC timer are measured
// together against the HPET, else the ACPI PM timer, else the PIT's channel
// 2, else (TSC only) the loader's measurement. A reference that does not
// advance (a firmware table naming the wrong port) is reported and the next
// one is tried. Calibration runs once on the boot CPU; the results
// are read-only afterwards. Per-CPU deadline and handler are touched only
// by their own CPU with interrupts off.
#include <acpi/fadt.h>
#include <acpi/hpet.h>
#include <hal/cpu.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "arch/io.h"
#include "x86.h"

#define NS 1000000000ull
#define CALIB_NS 20000000ull // 20 ms reference window
#define LVT_TSC_DEADLINE (2u << 17)
#define PM_TIMER_HZ 3579545ull
#define PIT_HZ 1193182ull
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61      // bit 0: channel 2 gate, bit 1: speaker data
#define ISA_PORT_END 0x100 // ports below belong to DMA, PIC, PIT, keyboard

// ns = (tsc - tsc0) * tsc_mult >> 32 (hal_time_ns, arch/timer.h)
uint64_t x86_tsc0, x86_tsc_mult;
static uint64_t lapic_hz; // APIC timer input clock (divide by 1)
// ticks = ns * mult >> 24 (no 128-bit division in the kernel)
static uint64_t ns_to_tsc, ns_to_lapic;
static bool tsc_deadline;
static uint64_t deadline[MAX_CPUS];
static void (*handler[MAX_CPUS])(void);

// ---- Reference clocks ----------------------------------------------------

struct refclock {
	const char *name;
	uint64_t hz, mask; // counter frequency and width
	volatile uint64_t *hpet_counter;
	uint16_t pm_port;
	bool pit;
};

static uint64_t ref_read(const struct refclock *r)
{
	uint32_t v;

	if (r->hpet_counter)
		return *r->hpet_counter;
	if (r->pit) { // latch channel 2, then its count, low byte first
		x86_outb(PIT_CMD, 0x80);
		v = x86_inb(PIT_CH2);
		v |= (uint32_t)x86_inb(PIT_CH2) << 8;
		return (0x10000 - v) & 0xffff; // it counts down
	}
	return x86_inl(r->pm_port);
}

static bool ref_hpet(struct refclock *r)
{
	const struct acpi_sdt_header *t;
	struct acpi_hpet h;
	volatile uint64_t *regs;
	uint64_t period_fs;

	if (acpi_table_find("HPET", 0, &t) || acpi_hpet_decode(t, &h) ||
	    h.base.space_id != ACPI_SPACE_MEMORY || !h.base.address)
		return false;
	regs = phys_to_virt(h.base.address);
	period_fs = regs[0] >> 32;
	if (period_fs == 0 || period_fs > 100000000) // spec: <= 100 ns
		return false;
	regs[2] |= 1; // GEN_CONF.ENABLE_CNF: counter runs
	r->name = "HPET";
	r->hz = 1000000000000000ull / period_fs;
	r->mask = (regs[0] & (1u << 13)) ? ~0ull : 0xffffffffull;
	r->hpet_counter = &regs[0xf0 / 8];
	return true;
}

static bool ref_pm_timer(struct refclock *r)
{
	const struct acpi_sdt_header *t;
	struct acpi_fadt f;

	if (acpi_table_find("FACP", 0, &t) || acpi_fadt_decode(t, &f) ||
	    f.pm_tmr.space_id != ACPI_SPACE_IO || !f.pm_tmr.address ||
	    f.pm_tmr.address > 0xffff)
		return false;
	if (f.pm_tmr.address < ISA_PORT_END) {
		// U-Boot on q35 leaves the chipset's PM base at 0: its FADT's
		// blocks are offsets (docs/boot.md), PM_TMR lands on DMA ports.
		pr_warn("x86: timer: FADT PM_TMR at port %#lx is an ISA "
		        "legacy port, not a PM timer; not used\n",
		        (unsigned long)f.pm_tmr.address);
		return false;
	}
	r->name = "ACPI PM timer";
	r->hz = PM_TIMER_HZ;
	r->mask = (f.flags & (1u << 8)) ? 0xffffffffull : 0xffffffull;
	r->pm_port = (uint16_t)f.pm_tmr.address;
	return true;
}

// The 8254 PIT's channel 2 (on every PC chipset, QEMU's q35 and pc too),
// gated on with the speaker off, counting down from 65536 in mode 2
// (rate generator): a 16-bit counter at 1.193182 MHz that wraps every
// 55 ms, read far more often than that while calibrating.
static bool ref_pit(struct refclock *r)
{
	x86_outb(PIT_GATE, (uint8_t)((x86_inb(PIT_GATE) & ~2u) | 1u));
	x86_outb(PIT_CMD, 0xb4); // channel 2, low then high byte, mode 2
	x86_outb(PIT_CH2, 0);
	x86_outb(PIT_CH2, 0);
	r->name = "PIT channel 2";
	r->hz = PIT_HZ;
	r->mask = 0xffff;
	r->pit = true;
	return true;
}

// Runs the APIC timer and the TSC for CALIB_NS of the reference clock.
// False if the reference did not get there within 10 windows of the
// loader's TSC estimate (or 2^34 TSC ticks without one): it is not a clock.
static bool calibrate(const struct refclock *r, uint64_t *tsc_hz,
                      uint64_t *apic_hz)
{
	uint64_t want = r->hz * CALIB_NS / NS, start, now, t0, t1;
	uint64_t limit =
	    x86_tsc_hz ? x86_tsc_hz * CALIB_NS / NS * 10 : 1ull << 34;
	uint32_t left;
	irqflags_t f = hal_irq_save();

	x86_lapic_write(X86_LAPIC_TIMER_DIV, 0xb); // divide by 1
	x86_lapic_write(X86_LAPIC_LVT_TIMER, (1u << 16) | X86_VEC_TIMER);
	start = ref_read(r);
	x86_lapic_write(X86_LAPIC_TIMER_INIT, 0xffffffff);
	t0 = hal_ticks();
	do {
		now = ref_read(r);
		t1 = hal_ticks();
	} while (((now - start) & r->mask) < want && t1 - t0 < limit);
	left = x86_lapic_read(X86_LAPIC_TIMER_CUR);
	x86_lapic_write(X86_LAPIC_TIMER_INIT, 0);
	hal_irq_restore(f);
	if (((now - start) & r->mask) < want) {
		pr_warn("x86: timer: %s did not advance (%lu of %lu ticks in "
		        "%lu TSC ticks); not used\n",
		        r->name, (unsigned long)((now - start) & r->mask),
		        (unsigned long)want, (unsigned long)(t1 - t0));
		return false;
	}
	*tsc_hz = (t1 - t0) * r->hz / ((now - start) & r->mask);
	*apic_hz = (0xffffffffull - left) * r->hz / ((now - start) & r->mask);
	return true;
}

// CPUID 0x15: TSC = crystal * EBX / EAX; the APIC timer runs at crystal.
static bool cpuid_freqs(uint64_t *tsc_hz, uint64_t *crystal_hz)
{
	uint32_t r[4];

	x86_cpuid(0, 0, r);
	if (r[0] < 0x15)
		return false;
	x86_cpuid(0x15, 0, r);
	if (!r[0] || !r[1] || !r[2])
		return false;
	*crystal_hz = r[2];
	*tsc_hz = (uint64_t)r[2] * r[1] / r[0];
	return true;
}

err_t hal_timer_init(void)
{
	struct refclock ref = {0};
	uint64_t tsc_hz = 0, apic_hz = 0;
	const char *src = "CPUID 0x15";
	uint32_t r[4];

	x86_cpuid(1, 0, r);
	tsc_deadline = (r[2] >> 24) & 1;
	if (!cpuid_freqs(&tsc_hz, &apic_hz)) {
		bool (*const refs[])(struct refclock *) = {
		    ref_hpet, ref_pm_timer, ref_pit};
		src = NULL;
		for (size_t i = 0; !src && i < ARRAY_SIZE(refs); i++) {
			ref = (struct refclock){0};
			if (refs[i](&ref) && calibrate(&ref, &tsc_hz, &apic_hz))
				src = ref.name;
		}
		if (!src && x86_tsc_hz) {
			tsc_hz = x86_tsc_hz;
			src = "loader (TSC only)";
		}
	}
	if (!tsc_hz || (!apic_hz && !tsc_deadline)) {
		pr_err("x86: timer: no usable reference clock\n");
		return E_NOTSUP;
	}
	x86_tsc_hz = tsc_hz;
	lapic_hz = apic_hz;
	x86_tsc_mult = (NS << 32) / tsc_hz;
	ns_to_tsc = (tsc_hz << 24) / NS;
	ns_to_lapic = (apic_hz << 24) / NS;
	x86_tsc0 = hal_ticks();
	pr_info("x86: timer: TSC %lu kHz, APIC timer %lu kHz (from %s), %s\n",
	        (unsigned long)(tsc_hz / 1000), (unsigned long)(apic_hz / 1000),
	        src, tsc_deadline ? "TSC-deadline mode" : "one-shot mode");
	return 0;
}

err_t hal_timer_init_cpu(void)
{
	unsigned cpu = hal_cpu_id();

	deadline[cpu] = 0;
	x86_lapic_write(X86_LAPIC_TIMER_DIV, 0xb);
	x86_lapic_write(X86_LAPIC_LVT_TIMER,
	                X86_VEC_TIMER | (tsc_deadline ? LVT_TSC_DEADLINE : 0));
	return 0;
}

void x86_udelay(uint64_t us)
{
	uint64_t end = hal_time_ns() + us * 1000;

	while (hal_time_ns() < end)
		hal_cpu_relax();
}

static uint64_t scale(uint64_t ns, uint64_t mult)
{
	return (uint64_t)(((unsigned __int128)ns * mult) >> 24);
}

// Programs the hardware for deadline d (ns); interrupts off.
static void timer_program(uint64_t d)
{
	uint64_t now = hal_time_ns(), delta = d > now ? d - now : 0;

	if (tsc_deadline) {
		uint64_t ticks = scale(delta, ns_to_tsc);

		x86_wrmsr(X86_MSR_TSC_DEADLINE, hal_ticks() + ticks + 1);
		return;
	}
	delta = scale(delta, ns_to_lapic);
	// Too far away: fire at the longest count, x86_timer_irq re-arms.
	x86_lapic_write(X86_LAPIC_TIMER_INIT,
	                (uint32_t)MAX(1, MIN(delta, 0xffffffffull)));
}

void hal_timer_oneshot(uint64_t deadline_ns)
{
	irqflags_t f = hal_irq_save();

	deadline[hal_cpu_id()] = deadline_ns ? deadline_ns : 1;
	timer_program(deadline_ns);
	hal_irq_restore(f);
}

void hal_timer_cancel(void)
{
	irqflags_t f = hal_irq_save();

	deadline[hal_cpu_id()] = 0;
	if (tsc_deadline)
		x86_wrmsr(X86_MSR_TSC_DEADLINE, 0);
	else
		x86_lapic_write(X86_LAPIC_TIMER_INIT, 0);
	hal_irq_restore(f);
}

void hal_timer_set_handler(void (*fn)(void))
{
	handler[hal_cpu_id()] = fn;
}

void x86_timer_irq(void)
{
	struct cpu *c = this_cpu();
	uint64_t d = deadline[c->id];

	if (!d)
		return; // cancelled after it fired
	if (hal_time_ns() < d) {
		timer_program(d); // early (count limit or rounding)
		return;
	}
	deadline[c->id] = 0;
	c->timer_fired++;
	if (handler[c->id])
		handler[c->id]();
}
