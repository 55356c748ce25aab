// SPDX-License-Identifier: MIT
// The kernel's side of the AML interpreter: the host interface
// (acpi/aml/host.h) on kernel services, and boot-time namespace set-up.
//
// Host interface: memory through the direct map (mm/phys.h) where it
// maps the page, else an ioremap'd page; port I/O through hal/io.h (AArch64:
// none); PCI configuration space through ECAM windows from the MCFG, else (x86)
// the 0xCF8/0xCFC mechanism; time from hal_ticks(); memory from kmalloc.
// acpi_aml_boot() loads the DSDT and every SSDT, attaches the ECDT's
// Embedded Controller if there is one, initialises the namespace, prints
// the two summary lines the test runners look for, then attaches an EC
// found only in the namespace (PNP0C09).
//
// Locking: the interpreter runs under k_lock (a recursive sleeping mutex):
// at boot in the main thread, then ACPI events in the work thread and
// shutdown/reboot. The page cache below is used under k_lock (AML
// accesses) and by shutdown/reboot (the FADT's registers), one at a time.
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/aml/aml.h>
#include <acpi/aml_boot.h>
#include <acpi/events.h>
#include <acpi/fadt.h>
#include <acpi/mcfg.h>
#include <acpi/power.h>
#include <hal/cpu.h>
#include <hal/io.h>
#include <hal/mmu.h>
#include <mm/phys.h>
#include <lib/power.h>
#include <lib/printk.h>
#include <lib/spinlock.h>
#include <lib/wait.h>
#include <mm/heap.h>
#include <mm/vm.h>

static struct aml_ctx *aml_kctx;
static struct aml_ec aml_kec;

// ---- memory -----------------------------------------------------------

#define AML_MAP_SLOTS 32

// Pages recently used by AML, with their kernel address: the direct map's
// alias where the page is mapped there (checked with vm_query: the direct
// map has holes), else an ioremap window. Round-robin replacement.
static struct {
	paddr_t page;
	uint8_t *va;
} aml_maps[AML_MAP_SLOTS];
static unsigned aml_nmaps, aml_next_map;

static uint8_t *acpi_page_va(paddr_t page)
{
	struct vm_mapping m;

	if (page < phys_direct_map_size &&
	    vm_query(vm_kernel(), phys_direct_map_base + page, &m))
		return phys_to_virt(page);
	return vm_ioremap(page, 4096, MMU_W | MMU_DEVICE);
}

volatile void *acpi_phys_map(paddr_t pa, unsigned width)
{
	paddr_t page = pa & ~(paddr_t)4095;
	unsigned i;
	uint8_t *va;

	if ((pa & 4095) + width > 4096)
		return NULL;
	for (i = 0; i < aml_nmaps; i++)
		if (aml_maps[i].page == page)
			return aml_maps[i].va + (pa - page);
	va = acpi_page_va(page);
	if (!va)
		return NULL;
	i = aml_nmaps < AML_MAP_SLOTS ? aml_nmaps++
	                              : aml_next_map++ % AML_MAP_SLOTS;
	aml_maps[i].page = page;
	aml_maps[i].va = va;
	return va + (pa - page);
}

static err_t acpi_mem_rw(paddr_t pa, unsigned width, uint64_t *v, bool write)
{
	volatile void *p = acpi_phys_map(pa, width);

	if (!p) {
		if (!write)
			*v = ~0ull;
		return E_NOMEM;
	}
	switch (width) {
	case 1:
		if (write)
			*(volatile uint8_t *)p = (uint8_t)*v;
		else
			*v = *(volatile uint8_t *)p;
		return 0;
	case 2:
		if (write)
			*(volatile uint16_t *)p = (uint16_t)*v;
		else
			*v = *(volatile uint16_t *)p;
		return 0;
	case 4:
		if (write)
			*(volatile uint32_t *)p = (uint32_t)*v;
		else
			*v = *(volatile uint32_t *)p;
		return 0;
	case 8:
		if (write)
			*(volatile uint64_t *)p = *v;
		else
			*v = *(volatile uint64_t *)p;
		return 0;
	default: return E_INVAL;
	}
}

static err_t k_mem_read(void *c, paddr_t a, unsigned w, uint64_t *v)
{
	return acpi_mem_rw(a, w, v, false);
}

static err_t k_mem_write(void *c, paddr_t a, unsigned w, uint64_t v)
{
	return acpi_mem_rw(a, w, &v, true);
}

// ---- port I/O -----------------------------------------------------------

static err_t k_io_read(void *c, uint32_t port, unsigned w, uint64_t *v)
{
	uint32_t x;
	err_t e = hal_io_read(port, w, &x);

	*v = x;
	return e;
}

static err_t k_io_write(void *c, uint32_t port, unsigned w, uint64_t v)
{
	return hal_io_write(port, w, (uint32_t)v);
}

// ---- PCI configuration space ---------------------------------------------

// The ECAM address of (seg, bus, dev, fn, off), or 0 when no MCFG window
// covers it.
static paddr_t acpi_ecam(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                         uint16_t off)
{
	const struct acpi_sdt_header *t;
	struct acpi_mcfg m;
	struct acpi_mcfg_entry e;
	uint32_t i;

	if (acpi_table_find("MCFG", 0, &t) || acpi_mcfg_parse(t, &m))
		return 0;
	for (i = 0; i < m.n; i++) {
		acpi_mcfg_get(&m, i, &e);
		if (e.segment == seg && bus >= e.start_bus && bus <= e.end_bus)
			return e.base + ((paddr_t)bus << 20) +
			       ((paddr_t)(dev & 31) << 15) +
			       ((paddr_t)(fn & 7) << 12) + (off & 0xfff);
	}
	return 0;
}

err_t acpi_pci_rw(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                  uint16_t off, unsigned width, uint64_t *v, bool write)
{
	paddr_t ecam = acpi_ecam(seg, bus, dev, fn, off);
	uint32_t addr, x;
	err_t e;

	if (ecam)
		return acpi_mem_rw(ecam, width, v, write);
	if (!write)
		*v = (1ull << (8 * width)) - 1;
	if (seg || off > 0xff)
		return E_NOTSUP;
	// Configuration mechanism #1 (x86): address to 0xCF8, data at 0xCFC.
	addr = 0x80000000u | (uint32_t)bus << 16 | (uint32_t)(dev & 31) << 11 |
	       (uint32_t)(fn & 7) << 8 | (off & 0xfc);
	e = hal_io_write(0xcf8, 4, addr);
	if (e)
		return e;
	if (write)
		return hal_io_write(0xcfc + (off & 3), width, (uint32_t)*v);
	e = hal_io_read(0xcfc + (off & 3), width, &x);
	*v = x;
	return e;
}

static err_t k_pci_read(void *c, uint16_t s, uint8_t b, uint8_t d, uint8_t f,
                        uint16_t o, unsigned w, uint64_t *v)
{
	return acpi_pci_rw(s, b, d, f, o, w, v, false);
}

static err_t k_pci_write(void *c, uint16_t s, uint8_t b, uint8_t d, uint8_t f,
                         uint16_t o, unsigned w, uint64_t v)
{
	return acpi_pci_rw(s, b, d, f, o, w, &v, true);
}

// ---- the rest of the host interface
// -------------------------------------------

static void *k_alloc(void *c, size_t n)
{
	return kmalloc(n);
}

static void k_free(void *c, void *p, size_t n)
{
	kfree(p);
}

static void k_log(void *c, int level, const char *line)
{
	printk(KERN_SOH "%c"
	                "aml: %s\n",
	       '0' + level, line);
}

static uint64_t k_timer(void *c)
{
	uint64_t hz = hal_ticks_hz(), t = hal_ticks();

	if (!hz)
		return 0;
	// Split to avoid overflowing t * 10^7.
	return t / hz * 10000000u + t % hz * 10000000u / hz;
}

static void k_stall(void *c, uint64_t us)
{
	uint64_t end = k_timer(c) + us * 10;

	while (k_timer(c) < end)
		hal_cpu_relax();
}

static void k_sleep(void *c, uint64_t ms)
{
	sleep_ns(ms * 1000000); // spins only before the scheduler runs
}

static void k_notify(void *c, const char *path, uint64_t v)
{
	acpi_notify_queue(path, v); // handled once the method is done
}

// The interpreter lock: a sleeping mutex that the thread holding it may
// take again (an EC query runs methods from a GPE handler the interpreter
// called). Sleeping: AML's Sleep() sleeps with it held.
static struct mutex aml_klock = MUTEX_INIT;
static unsigned aml_klock_depth; // aml_klock

static void k_lock(void *c)
{
	if (mutex_held(&aml_klock)) {
		aml_klock_depth++;
		return;
	}
	mutex_lock(&aml_klock);
	aml_klock_depth = 1;
}

static void k_unlock(void *c)
{
	if (--aml_klock_depth)
		return;
	mutex_unlock(&aml_klock);
}

// AML Mutex and Event objects (acpi/aml/host.h) on the sleeping mutex
// and semaphore of lib/wait.h. A Mutex is recursive for its owner
// (depth: guarded by owning it). Waits run with the interpreter lock
// held, so "no timeout" is bounded by K_SYNC_FOREVER_NS: firmware waiting
// for something that can never come must not hang the kernel.
#define K_SYNC_FOREVER_NS (10ull * 1000000000ull)

struct k_aml_mutex {
	struct mutex m;
	unsigned depth;
};

static uint64_t k_sync_ns(uint64_t ms)
{
	return ms >= 0xffff ? K_SYNC_FOREVER_NS : ms * 1000000;
}

static void *k_sync_new(void *c, bool is_mutex)
{
	struct k_aml_mutex *m;
	struct semaphore *s;

	if (is_mutex) {
		if ((m = kzalloc(sizeof(*m))))
			mutex_init(&m->m);
		return m;
	}
	if ((s = kzalloc(sizeof(*s))))
		sem_init(s, 0);
	return s;
}

static void k_sync_free(void *c, void *h, bool is_mutex)
{
	kfree(h);
}

static bool k_mutex_acquire(void *c, void *h, uint64_t ms)
{
	struct k_aml_mutex *m = h;

	if (mutex_held(&m->m)) {
		m->depth++;
		return true;
	}
	if (!mutex_lock_timeout(&m->m, k_sync_ns(ms)))
		return false;
	m->depth = 1;
	return true;
}

static err_t k_mutex_release(void *c, void *h)
{
	struct k_aml_mutex *m = h;

	if (!mutex_held(&m->m))
		return E_INVAL;
	if (!--m->depth)
		mutex_unlock(&m->m);
	return 0;
}

static bool k_event_wait(void *c, void *h, uint64_t ms)
{
	return sem_down_timeout(h, k_sync_ns(ms));
}

static void k_event_signal(void *c, void *h)
{
	sem_up(h);
}

static void k_event_reset(void *c, void *h)
{
	while (sem_trydown(h))
		;
}

void acpi_aml_sync_hooks(struct aml_host *h)
{
	if (!wait_can_sleep())
		return; // host programs: the interpreter's stand-in
	h->sync_new = k_sync_new;
	h->sync_free = k_sync_free;
	h->mutex_acquire = k_mutex_acquire;
	h->mutex_release = k_mutex_release;
	h->event_wait = k_event_wait;
	h->event_signal = k_event_signal;
	h->event_reset = k_event_reset;
}

static err_t k_table_get(void *c, unsigned i, const void **t, size_t *len)
{
	const struct acpi_sdt_header *h;

	if (i >= acpi_table_count())
		return E_NOENT;
	h = acpi_table_get(i);
	*t = h;
	*len = h ? h->length : 0;
	return 0;
}

static struct aml_host aml_khost = {
    .alloc = k_alloc,
    .free = k_free,
    .log = k_log,
    .mem_read = k_mem_read,
    .mem_write = k_mem_write,
    .io_read = k_io_read,
    .io_write = k_io_write,
    .pci_read = k_pci_read,
    .pci_write = k_pci_write,
    .sleep_ms = k_sleep,
    .stall_us = k_stall,
    .timer_100ns = k_timer,
    .notify = k_notify,
    .lock = k_lock,
    .unlock = k_unlock,
    .table_get = k_table_get,
    // sync_*: acpi_aml_sync_hooks() at acpi_aml_boot()
};

const struct aml_host *acpi_aml_host(void)
{
	acpi_aml_sync_hooks(&aml_khost);
	return &aml_khost;
}

// ---- boot ---------------------------------------------------------------

// "12.345" from a duration in 100 ns units.
static void aml_ms(uint64_t t100ns, unsigned long *ms, unsigned long *frac)
{
	*ms = (unsigned long)(t100ns / 10000);
	*frac = (unsigned long)(t100ns % 10000 / 10);
}

static unsigned acpi_aml_load_all(struct aml_ctx *ctx)
{
	const struct acpi_sdt_header *t;
	unsigned n = 0, i;

	if (!acpi_table_find("DSDT", 0, &t)) {
		if (aml_load_table(ctx, t, t->length))
			pr_err("aml: DSDT refused\n");
		n++;
	}
	for (i = 0; !acpi_table_find("SSDT", i, &t); i++, n++)
		if (aml_load_table(ctx, t, t->length))
			pr_err("aml: SSDT %u (%.8s) refused\n", i,
			       t->oem_table_id);
	return n;
}

// After enumeration: an EC that only the namespace describes (no ECDT).
// Attaching it runs its _REG(EmbeddedControl, 1).
static void acpi_aml_ec_late(struct aml_ctx *ctx)
{
	err_t e;

	if (aml_kec.ctx) // the ECDT's EC is attached already
		return;
	e = aml_ec_find(ctx, &aml_kec);
	if (e == E_NOENT)
		return;
	if (!e)
		e = aml_ec_attach(ctx, &aml_kec, false);
	if (e)
		pr_warn("aml: EC %s not usable: %s\n", aml_kec.path,
		        err_name(e));
	else
		pr_info("aml: EC %s at ports 0x%x/0x%x\n", aml_kec.path,
		        aml_kec.cmd_port, aml_kec.data_port);
}

static void acpi_aml_ecdt(struct aml_ctx *ctx)
{
	const struct acpi_sdt_header *t;
	err_t e;

	if (acpi_table_find("ECDT", 0, &t))
		return;
	e = aml_ecdt_parse(t, t->length, &aml_kec);
	if (!e)
		e = aml_ec_attach(ctx, &aml_kec, true);
	if (e) {
		aml_kec.ctx = NULL;
		pr_warn("aml: ECDT not usable (%s); the EC is looked for "
		        "in the namespace instead\n",
		        err_name(e));
	} else
		pr_info("aml: ECDT EC %s at ports 0x%x/0x%x\n", aml_kec.path,
		        aml_kec.cmd_port, aml_kec.data_port);
}

static bool acpi_aml_dump_node(void *arg, const char *path, unsigned depth,
                               enum aml_type type)
{
	printk("  %*s%s [%s]\n", (int)(depth - 1) * 2, "", path,
	       aml_type_name(type));
	return true;
}

// \_PIC(1): tells x86-style firmware that interrupts go through I/O APICs,
// so _PRT returns GSIs. Hardware-reduced (Arm) firmware has no _PIC.
static void acpi_aml_pic(struct aml_ctx *ctx)
{
	struct aml_value one = {.type = AML_INTEGER, .i = 1}, v;

	if (!aml_eval(ctx, "\\_PIC", &one, 1, &v))
		aml_value_put(ctx, &v);
}

static const struct power_methods acpi_power_methods = {
    .name = "ACPI", .off = acpi_power_off, .reset = acpi_power_reset};

err_t acpi_aml_boot(bool dump)
{
	struct aml_stats st;
	unsigned long ms, frac;
	uint64_t ops_per_s;
	err_t e = aml_create(acpi_aml_host(), NULL, &aml_kctx);

	if (e) {
		pr_err("aml: cannot create the interpreter: %s\n", err_name(e));
		return e;
	}
	(void)acpi_aml_load_all(aml_kctx);
	aml_stats_get(aml_kctx, &st);
	aml_ms(st.load_100ns, &ms, &frac);
	ops_per_s = st.load_100ns ? st.ops * 10000000u / st.load_100ns : 0;
	pr_info("loaded %u AML blobs, %lu ops in %lu.%03lu ms (avg %lu/s)\n",
	        st.tables, (unsigned long)st.ops, ms, frac,
	        (unsigned long)ops_per_s);
	acpi_aml_ecdt(aml_kctx);
	(void)aml_init_namespace(aml_kctx);
	aml_stats_get(aml_kctx, &st);
	aml_ms(st.init_100ns, &ms, &frac);
	pr_info("namespace initialization done in %lu.%03lu ms: %u devices, "
	        "%u thermal zones\n",
	        ms, frac, st.devices, st.thermal);
	if (st.errors)
		pr_warn("aml: %u firmware errors reported\n", st.errors);
	acpi_aml_ec_late(aml_kctx);
	acpi_aml_pic(aml_kctx);
	kernel_power_register(&acpi_power_methods);
	if (dump) {
		printk("ACPI namespace (%u nodes):\n", st.nodes);
		aml_ns_walk(aml_kctx, acpi_aml_dump_node, NULL);
	}
	return 0;
}

struct aml_ctx *acpi_aml(void)
{
	return aml_kctx;
}

struct aml_ec *acpi_aml_ec(void)
{
	return aml_kec.ctx ? &aml_kec : NULL;
}
