// SPDX-License-Identifier: MIT
// ACPI events in the kernel: the interrupt side and the policy, over the
// interpreter's event core (acpi/aml/event.c).
//
// Full-hardware platforms (x86 PCs): ACPI mode (SCI_EN, through SMI_CMD if
// the firmware left it off), the FADT's PM1 event blocks and GPE blocks,
// the fixed power button (unless the FADT says it is a control-method
// one), the EC's query GPE, and the SCI: its handler masks the SCI and
// queues sci_work, which dispatches and unmasks.
// Hardware-reduced platforms (Arm servers, QEMU virt): every Generic Event
// Device (ACPI0013) gets its _CRS interrupts; each interrupt queues
// ged_work, which runs the device's _EVT(interrupt).
// Notify() from any method is queued (the interpreter is busy when it
// calls us) and handled by notify_work: logged, and a power-button press
// (Notify(PNP0C0C device, 0x80), or the fixed button) powers off.
//
// Every work item runs on the boot CPU's idle loop (lib/work.h), one at
// a time, so the state here needs no lock beyond notify_lock (the ring is
// filled from inside the interpreter, which may run anywhere) and the
// atomics the interrupt handlers set.
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/aml/aml.h>
#include <acpi/aml_boot.h>
#include <acpi/events.h>
#include <acpi/fadt.h>
#include <acpi/power.h>
#include <hal/cpu.h>
#include <hal/io.h>
#include <hal/irq.h>
#include <lib/power.h>
#include <lib/printk.h>
#include <lib/spinlock.h>
#include <lib/work.h>

#define FADT_PWR_BUTTON (1u << 4) // 1: no fixed power button
#define FADT_SLP_BUTTON (1u << 5)
#define PM1_SCI_EN 1u
#define SCI_STORM 100 // SCIs in a row with nothing pending: give up

// ---- Notify ---------------------------------------------------------------

#define NOTIFY_RING 16

static spinlock_t notify_lock = SPINLOCK_INIT;
static struct {
	char path[64];
	uint64_t value;
} notify_ring[NOTIFY_RING];
static unsigned notify_head, notify_tail, notify_dropped;

static void notify_work_fn(struct work *w);
static struct work notify_work = WORK_INIT(notify_work_fn);

void acpi_notify_queue(const char *path, uint64_t value)
{
	irqflags_t f = spin_lock_irqsave(&notify_lock);

	if (notify_tail - notify_head == NOTIFY_RING) {
		notify_dropped++;
	} else {
		unsigned i = notify_tail++ % NOTIFY_RING;

		strncpy(notify_ring[i].path, path,
		        sizeof(notify_ring[i].path) - 1);
		notify_ring[i].path[sizeof(notify_ring[i].path) - 1] = 0;
		notify_ring[i].value = value;
	}
	spin_unlock_irqrestore(&notify_lock, f);
	work_queue(&notify_work);
}

static const char *notify_name(uint64_t v)
{
	static const char *const names[] = {"bus check",
	                                    "device check",
	                                    "device wake",
	                                    "eject request",
	                                    "device check light",
	                                    "frequency mismatch",
	                                    "bus mode mismatch",
	                                    "power fault",
	                                    "capabilities check",
	                                    "device PLD check",
	                                    "reserved",
	                                    "system locality update",
	                                    "reserved",
	                                    "system resource affinity update",
	                                    "memory attributes update",
	                                    "error disconnect recover"};

	if (v < ARRAY_SIZE(names))
		return names[v];
	return v < 0x80 ? "reserved" : "device-specific";
}

static bool dev_is(const struct aml_device_info *d, const char *id)
{
	if (d->has_hid && !strcmp(d->hid, id))
		return true;
	for (unsigned i = 0; i < d->ncid; i++)
		if (!strcmp(d->cid[i], id))
			return true;
	return false;
}

static __noreturn void power_button_pressed(const char *what)
{
	pr_info("acpi: power button (%s) pressed: powering off\n", what);
	kernel_shutdown();
}

static void notify_handle(const char *path, uint64_t v)
{
	static struct aml_device_info d; // only notify_work uses it
	bool known = !aml_device_info(acpi_aml(), path, &d);

	pr_info("acpi: Notify(%s, %#lx: %s)%s%s\n", path, (unsigned long)v,
	        notify_name(v), known && d.has_hid ? " on " : "",
	        known && d.has_hid ? d.hid : "");
	if (!known)
		return;
	if (v == 0x80 && dev_is(&d, "PNP0C0C"))
		power_button_pressed(path);
	if (v == 0x80 && dev_is(&d, "PNP0C0E"))
		pr_info("acpi: sleep button: sleep states are not supported\n");
	if ((v == 0 || v == 1) &&
	    (d.type == AML_PROCESSOR || dev_is(&d, "ACPI0007")))
		pr_info("acpi: %s: CPU hot-add is not supported; ignored\n",
		        path);
	if (v == 3 && (d.type == AML_PROCESSOR || dev_is(&d, "ACPI0007")))
		pr_info("acpi: %s: CPU removal is not supported; ignored\n",
		        path);
}

static void notify_work_fn(struct work *w)
{
	char path[64];
	uint64_t v = 0;
	unsigned dropped;
	irqflags_t f;
	bool empty;

	do {
		f = spin_lock_irqsave(&notify_lock);
		dropped = notify_dropped;
		notify_dropped = 0;
		empty = notify_head == notify_tail;
		if (!empty) {
			memcpy(path,
			       notify_ring[notify_head % NOTIFY_RING].path,
			       sizeof(path));
			v = notify_ring[notify_head++ % NOTIFY_RING].value;
		}
		spin_unlock_irqrestore(&notify_lock, f);
		if (dropped)
			pr_warn("acpi: %u Notify() calls dropped (queue "
			        "full)\n",
			        dropped);
		if (!empty)
			notify_handle(path, v);
	} while (!empty);
}

// ---- full hardware: SCI, fixed events, GPEs ---------------------------------

static struct aml_events *acpi_ev;
static unsigned sci_irq, sci_idle;

static void sci_work_fn(struct work *w)
{
	unsigned n = aml_ev_dispatch(acpi_ev);

	sci_idle = n ? 0 : sci_idle + 1;
	if (sci_idle == SCI_STORM) {
		pr_err("acpi: %u SCIs in a row with no event pending: SCI "
		       "left masked\n",
		       SCI_STORM);
		return;
	}
	hal_irq_unmask(sci_irq);
}

static struct work sci_work = WORK_INIT(sci_work_fn);

static void sci_handler(unsigned irq, void *arg)
{
	hal_irq_mask(irq); // level-triggered: quiet until dispatched
	work_queue(&sci_work);
}

static void fixed_power_button(void *arg, unsigned event)
{
	power_button_pressed("fixed");
}

// SCI_EN set, asking the firmware through SMI_CMD if needed (ACPI 6.5,
// 16.3.1). The firmware may take a while: wait up to 3 s.
static err_t acpi_mode_enable(const struct acpi_fadt *f)
{
	uint64_t v = 0, end;

	if (acpi_gas_rw(&f->pm1a_cnt, 2, &v, false))
		return E_NOENT;
	if (v & PM1_SCI_EN)
		return 0;
	if (!f->smi_cmd || !f->acpi_enable) {
		pr_err("acpi: SCI_EN is off and the FADT gives no SMI_CMD "
		       "to enable ACPI mode\n");
		return E_NOTSUP;
	}
	if (hal_io_write(f->smi_cmd, 1, f->acpi_enable))
		return E_NOTSUP;
	end = hal_ticks() + 3 * hal_ticks_hz();
	while (!(v & PM1_SCI_EN) && hal_ticks() < end) {
		hal_cpu_relax();
		if (acpi_gas_rw(&f->pm1a_cnt, 2, &v, false))
			return E_NOENT;
	}
	if (!(v & PM1_SCI_EN)) {
		pr_err("acpi: firmware did not set SCI_EN after ACPI_ENABLE "
		       "(%#x to port %#x)\n",
		       f->acpi_enable, f->smi_cmd);
		return E_TIMEOUT;
	}
	pr_info("acpi: ACPI mode enabled through SMI_CMD\n");
	return 0;
}

static bool gas_to_regs(const struct acpi_gas *g, struct aml_ev_regs *r)
{
	if (!g->address || g->space_id > 1)
		return false;
	r->space = g->space_id;
	r->addr = g->address;
	return true;
}

static void acpi_gpe_blocks(const struct acpi_fadt *f, unsigned *ngpe)
{
	struct aml_ev_regs r;

	*ngpe = 0;
	if (gas_to_regs(&f->gpe0, &r) && f->gpe0_len &&
	    !aml_ev_gpe_block_add(acpi_ev, &r, f->gpe0_len, 0))
		*ngpe += f->gpe0_len * 4u;
	if (gas_to_regs(&f->gpe1, &r) && f->gpe1_len &&
	    !aml_ev_gpe_block_add(acpi_ev, &r, f->gpe1_len, f->gpe1_base))
		*ngpe += f->gpe1_len * 4u;
}

static const char *acpi_power_button_setup(const struct acpi_fadt *f)
{
	if (f->flags & FADT_PWR_BUTTON)
		return "control method";
	if (aml_ev_fixed_enable(acpi_ev, AML_FIXED_POWER_BUTTON,
	                        fixed_power_button, NULL))
		return "fixed, not usable";
	return "fixed";
}

static void acpi_ec_queries(char *buf, size_t n)
{
	struct aml_ec *ec = acpi_aml_ec();
	err_t e;

	if (!ec) {
		ksnprintf(buf, n, "no EC");
		return;
	}
	e = aml_ec_enable_queries(ec, acpi_ev);
	if (e)
		ksnprintf(buf, n, "EC without queries (%s)", err_name(e));
	else
		ksnprintf(buf, n, "EC queries on GPE %#x", ec->gpe);
}

static void acpi_sci_init(const struct acpi_fadt *f)
{
	struct aml_ev_regs r;
	struct aml_ev_stats st;
	const char *button;
	unsigned ngpe;
	char ec[48];
	err_t e;

	if (acpi_mode_enable(f))
		return;
	if (aml_events_create(acpi_aml(), &acpi_ev)) {
		pr_err("acpi: events: out of memory\n");
		return;
	}
	if (gas_to_regs(&f->pm1a_evt, &r))
		(void)aml_ev_pm1_add(acpi_ev, &r, f->pm1_evt_len);
	if (gas_to_regs(&f->pm1b_evt, &r))
		(void)aml_ev_pm1_add(acpi_ev, &r, f->pm1_evt_len);
	acpi_gpe_blocks(f, &ngpe);
	button = acpi_power_button_setup(f);
	acpi_ec_queries(ec, sizeof(ec));
	(void)aml_ev_gpe_scan(acpi_ev);
	aml_ev_stats_get(acpi_ev, &st);

	if (hal_irq_from_isa(f->sci_irq, &sci_irq))
		sci_irq = f->sci_irq; // no ISA numbering: a GSI already
	e = hal_irq_set_trigger(sci_irq, true, true); // unless overridden
	if (!e || e == E_NOTSUP)
		e = hal_irq_register(sci_irq, sci_handler, NULL);
	if (e) {
		pr_err("acpi: SCI (interrupt %u): %s; no ACPI events\n",
		       sci_irq, err_name(e));
		return;
	}
	hal_irq_unmask(sci_irq);
	pr_info("acpi: events: SCI on interrupt %u; %u GPEs, %u enabled, "
	        "%u wake-only; power button: %s; %s\n",
	        sci_irq, ngpe, st.enabled, st.wake, button, ec);
}

// ---- hardware reduced: Generic Event Devices ------------------------------

#define GED_MAX 16

static struct ged_irq {
	char path[64]; // the GED device
	unsigned irq;
	bool level;
	bool pending; // atomic: set by the handler, taken by ged_work
} geds[GED_MAX];
static unsigned nged;

static void ged_work_fn(struct work *w)
{
	for (unsigned i = 0; i < nged; i++) {
		struct ged_irq *g = &geds[i];
		struct aml_value arg = {.type = AML_INTEGER, .i = g->irq}, v;
		char path[72];

		if (!__atomic_exchange_n(&g->pending, false, __ATOMIC_ACQ_REL))
			continue;
		ksnprintf(path, sizeof(path), "%s._EVT", g->path);
		if (!aml_eval(acpi_aml(), path, &arg, 1, &v))
			aml_value_put(acpi_aml(), &v);
		if (g->level)
			hal_irq_unmask(g->irq);
	}
}

static struct work ged_work = WORK_INIT(ged_work_fn);

static void ged_handler(unsigned irq, void *arg)
{
	struct ged_irq *g = arg;

	if (g->level)
		hal_irq_mask(irq);
	__atomic_store_n(&g->pending, true, __ATOMIC_RELEASE);
	work_queue(&ged_work);
}

struct ged_find {
	char paths[GED_MAX][64];
	unsigned n;
};

static bool ged_match(void *arg, const struct aml_device_info *d)
{
	struct ged_find *gf = arg;

	if (dev_is(d, "ACPI0013") && gf->n < GED_MAX &&
	    strlen(d->path) < sizeof(gf->paths[0]))
		strcpy(gf->paths[gf->n++], d->path);
	return true;
}

static void ged_add_irq(const char *dev, const struct aml_resource *r,
                        unsigned i)
{
	struct ged_irq *g;
	unsigned irq = r->irq.list[i];
	err_t e;

	if (!r->irq.extended && hal_irq_from_isa(irq, &irq))
		irq = r->irq.list[i];
	if (nged == GED_MAX) {
		pr_warn("acpi: %s: interrupt %u: more than %u GED "
		        "interrupts; ignored\n",
		        dev, irq, GED_MAX);
		return;
	}
	g = &geds[nged];
	strcpy(g->path, dev);
	g->irq = irq;
	g->level = !r->irq.edge;
	e = hal_irq_set_trigger(irq, g->level, r->irq.active_low);
	if (!e || e == E_NOTSUP)
		e = hal_irq_register(irq, ged_handler, g);
	if (e) {
		pr_err("acpi: %s: interrupt %u: %s; its events are lost\n", dev,
		       irq, err_name(e));
		return;
	}
	nged++;
	hal_irq_unmask(irq);
	pr_info("acpi: events: GED %s on interrupt %u (%s)\n", dev, irq,
	        g->level ? "level" : "edge");
}

static void ged_add(const char *dev)
{
	struct aml_resource r;
	struct aml_value v;
	const uint8_t *b;
	size_t len = 0, off = 0;
	char path[72];
	unsigned before = nged;

	ksnprintf(path, sizeof(path), "%s._CRS", dev);
	if (aml_eval(acpi_aml(), path, NULL, 0, &v)) {
		pr_err("acpi: GED %s has no usable _CRS\n", dev);
		return;
	}
	b = aml_value_buf(&v, &len);
	while (b && !aml_res_next(b, len, &off, &r))
		for (unsigned i = 0; r.type == AML_RES_IRQ && i < r.irq.count &&
		                     i < AML_RES_MAX_IRQ;
		     i++)
			ged_add_irq(dev, &r, i);
	aml_value_put(acpi_aml(), &v);
	if (nged == before)
		pr_err("acpi: GED %s: no interrupt in its _CRS\n", dev);
}

static void acpi_ged_init(bool hw_reduced)
{
	static struct ged_find gf; // boot only

	aml_device_walk(acpi_aml(), ged_match, &gf);
	for (unsigned i = 0; i < gf.n; i++)
		ged_add(gf.paths[i]);
	if (!gf.n && hw_reduced)
		pr_info("acpi: events: hardware-reduced, no Generic Event "
		        "Device: no ACPI events\n");
}

// Full hardware without an SCI or PM1a event block, and no chipset driver
// that knows better: what is missing and what that disables, in one line.
static void events_missing(const struct acpi_fadt *f)
{
	char sci[24] = "no SCI";

	if (f->sci_irq)
		ksnprintf(sci, sizeof(sci), "SCI %u", f->sci_irq);
	pr_err("acpi: events: FADT gives %s and %s PM1a event block; "
	       "disabled: ACPI events (fixed power button, GPEs: hot-plug, "
	       "EC queries)\n",
	       sci, f->pm1a_evt.address ? "a" : "no");
}

static struct acpi_chipset_events chipset; // set once, at boot

void acpi_events_set_chipset(const struct acpi_chipset_events *c)
{
	chipset = *c;
}

static void gas_str(char *buf, size_t n, const struct acpi_gas *g)
{
	ksnprintf(buf, n, "%s %#lx", acpi_space_name(g->space_id),
	          (unsigned long)g->address);
}

// A FADT without a PM1a event block, on a chipset whose driver registered
// its blocks: the FADT's blocks are all offsets from an unprogrammed base,
// so every one is replaced (the GPE0 of U-Boot's q35 FADT is port 0x20,
// the interrupt controller). The SCI number stays the FADT's.
static void events_from_chipset(struct acpi_fadt *f)
{
	char old[32], cnt[32], evt[32], gpe[32];

	gas_str(old, sizeof(old), &f->pm1a_cnt);
	f->pm1a_evt = chipset.pm1a_evt;
	f->pm1a_cnt = chipset.pm1a_cnt;
	f->pm1_evt_len = chipset.pm1_evt_len;
	f->gpe0 = chipset.gpe0;
	f->gpe0_len = chipset.gpe0_len;
	f->pm1b_evt = f->pm1b_cnt = f->gpe1 = (struct acpi_gas){0};
	f->gpe1_len = 0;
	gas_str(evt, sizeof(evt), &f->pm1a_evt);
	gas_str(cnt, sizeof(cnt), &f->pm1a_cnt);
	gas_str(gpe, sizeof(gpe), &f->gpe0);
	pr_info("acpi: events: FADT has no PM1a event block (its PM1a_CNT "
	        "is %s); using %s's blocks: PM1a_EVT %s, PM1a_CNT %s, GPE0 "
	        "%s (%u bytes)\n",
	        old, chipset.driver, evt, cnt, gpe, f->gpe0_len);
}

void acpi_events_init(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_fadt f;

	if (!acpi_aml())
		return;
	if (acpi_table_find("FACP", 0, &t) || acpi_fadt_decode(t, &f)) {
		pr_err("acpi: events: no usable FADT; no ACPI events\n");
		return;
	}
	if (!f.hw_reduced && !f.pm1a_evt.address && chipset.driver)
		events_from_chipset(&f);
	if (!f.hw_reduced && f.sci_irq && f.pm1a_evt.address)
		acpi_sci_init(&f);
	else if (!f.hw_reduced)
		events_missing(&f);
	acpi_ged_init(f.hw_reduced); // full hardware may have GEDs too
	work_queue(&notify_work);    // Notify()s from boot, once boot is done
}
