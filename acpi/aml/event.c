// SPDX-License-Identifier: MIT
// ACPI events on full-hardware platforms: the PM1 fixed-event registers and
// the GPE blocks, with _Lxx/_Exx methods or installed handlers behind each
// GPE (ACPI 6.5, 4.8.1 and 5.6.4).
//
// Registers: a PM1 event block is a status register followed by an enable
// register of len/2 bytes each; a GPE block is len/2 status bytes followed
// by len/2 enable bytes, GPE n at bit n%8 of byte (n-base)/8. Status bits
// are write-one-to-clear. Every register is accessed by bytes (GPE) or by
// its whole width (PM1) through the host's mem/io callbacks.
//
// Dispatch: a GPE is disabled while its method or handler runs; an edge GPE
// has its status cleared before (a new edge during the method is kept), a
// level GPE after (the method has removed the cause). Then it is enabled
// again. A GPE that fires with nothing to run stays disabled.
//
// Locking: none of its own. The host calls aml_ev_dispatch from one thread
// (the kernel: its ACPI worker); methods run through aml_eval, which takes
// the interpreter lock.
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

#define AML_EV_MAX_BLOCKS 2
#define AML_EV_MAX_PM1 2
#define AML_EV_MAX_PRW 256

enum {
	AML_GPE_METHOD = 1 << 0, // \_GPE._Lxx or _Exx exists
	AML_GPE_LEVEL = 1 << 1,  // level-triggered (_Lxx, or handler)
	AML_GPE_WAKE = 1 << 2,   // named by a device's _PRW
	AML_GPE_HANDLER = 1 << 3,
	AML_GPE_ON = 1 << 4,       // enabled (as the OS wants it)
	AML_GPE_REPORTED = 1 << 5, // "nothing to run" said once
};

struct aml_gpe_block {
	struct aml_ev_regs r;
	unsigned half; // bytes of status (= bytes of enable)
	unsigned base;
};

struct aml_events {
	struct aml_ctx *ctx;
	struct aml_gpe_block blk[AML_EV_MAX_BLOCKS];
	unsigned nblk;
	struct aml_ev_regs pm1[AML_EV_MAX_PM1];
	unsigned npm1, pm1_half; // bytes per PM1 register (1 or 2)
	uint16_t fixed_on;
	struct {
		aml_fixed_fn fn;
		void *arg;
	} fixed[16];
	struct {
		uint8_t flags;
		aml_gpe_fn fn;
		void *arg;
	} gpe[AML_EV_MAX_GPE];
	struct aml_ev_stats stats;
};

// ---- registers --------------------------------------------------------

static uint64_t aml_ev_read(struct aml_events *ev, const struct aml_ev_regs *r,
                            unsigned off, unsigned width)
{
	const struct aml_host *h = &ev->ctx->host;
	uint64_t v = 0;
	err_t e = E_NOTSUP;

	if (r->space == ACPI_SPACE_MEMORY && h->mem_read)
		e = h->mem_read(h->ctx, r->addr + off, width, &v);
	else if (r->space == ACPI_SPACE_IO && h->io_read)
		e = h->io_read(h->ctx, (uint32_t)(r->addr + off), width, &v);
	return e ? 0 : v; // unreadable: nothing pending, nothing enabled
}

static void aml_ev_write(struct aml_events *ev, const struct aml_ev_regs *r,
                         unsigned off, unsigned width, uint64_t v)
{
	const struct aml_host *h = &ev->ctx->host;

	if (r->space == ACPI_SPACE_MEMORY && h->mem_write)
		(void)h->mem_write(h->ctx, r->addr + off, width, v);
	else if (r->space == ACPI_SPACE_IO && h->io_write)
		(void)h->io_write(h->ctx, (uint32_t)(r->addr + off), width, v);
}

static struct aml_gpe_block *aml_ev_block_of(struct aml_events *ev,
                                             unsigned gpe)
{
	for (unsigned i = 0; i < ev->nblk; i++)
		if (gpe >= ev->blk[i].base &&
		    gpe < ev->blk[i].base + 8 * ev->blk[i].half)
			return &ev->blk[i];
	return NULL;
}

// Sets or clears gpe's enable bit (read-modify-write of its byte).
static void aml_ev_gpe_hw_enable(struct aml_events *ev, unsigned gpe, bool on)
{
	struct aml_gpe_block *b = aml_ev_block_of(ev, gpe);
	unsigned byte, bit;
	uint64_t v;

	if (!b)
		return;
	byte = (gpe - b->base) / 8;
	bit = 1u << ((gpe - b->base) % 8);
	v = aml_ev_read(ev, &b->r, b->half + byte, 1);
	v = on ? v | bit : v & ~(uint64_t)bit;
	aml_ev_write(ev, &b->r, b->half + byte, 1, v);
}

static void aml_ev_gpe_hw_clear(struct aml_events *ev, unsigned gpe)
{
	struct aml_gpe_block *b = aml_ev_block_of(ev, gpe);

	if (b)
		aml_ev_write(ev, &b->r, (gpe - b->base) / 8, 1,
		             1u << ((gpe - b->base) % 8));
}

static void aml_ev_gpe_set(struct aml_events *ev, unsigned gpe, bool on)
{
	bool was = ev->gpe[gpe].flags & AML_GPE_ON;

	if (on == was)
		return;
	if (on) {
		ev->gpe[gpe].flags |= AML_GPE_ON;
		ev->stats.enabled++;
	} else {
		ev->gpe[gpe].flags &= (uint8_t)~AML_GPE_ON;
		ev->stats.enabled--;
	}
	aml_ev_gpe_hw_enable(ev, gpe, on);
}

// ---- set-up -------------------------------------------------------------

err_t aml_events_create(struct aml_ctx *ctx, struct aml_events **out)
{
	struct aml_events *ev = aml_alloc(ctx, sizeof(*ev));

	*out = NULL;
	if (!ev)
		return E_NOMEM;
	memset(ev, 0, sizeof(*ev));
	ev->ctx = ctx;
	*out = ev;
	return 0;
}

void aml_events_destroy(struct aml_events *ev)
{
	if (ev)
		aml_free(ev->ctx, ev, sizeof(*ev));
}

err_t aml_ev_pm1_add(struct aml_events *ev, const struct aml_ev_regs *r,
                     unsigned len)
{
	unsigned half = len / 2;

	if (!r->addr || (len != 2 && len != 4) || r->space > ACPI_SPACE_IO) {
		aml_log(ev->ctx, 3,
		        "events: PM1 event block at %#lx (space %u) with "
		        "length %u is unusable",
		        (unsigned long)r->addr, r->space, len);
		return E_INVAL;
	}
	if (ev->npm1 == AML_EV_MAX_PM1 || (ev->npm1 && half != ev->pm1_half))
		return E_RANGE;
	ev->pm1[ev->npm1++] = *r;
	ev->pm1_half = half;
	aml_ev_write(ev, r, half, half, 0);   // every fixed event off
	aml_ev_write(ev, r, 0, half, 0xffff); // and acknowledged
	return 0;
}

err_t aml_ev_gpe_block_add(struct aml_events *ev, const struct aml_ev_regs *r,
                           unsigned len, unsigned base)
{
	struct aml_gpe_block *b;
	unsigned half = len / 2, i;

	if (!r->addr || !len || len % 2 || r->space > ACPI_SPACE_IO) {
		aml_log(ev->ctx, 3,
		        "events: GPE block at %#lx (space %u) with length %u "
		        "is unusable",
		        (unsigned long)r->addr, r->space, len);
		return E_INVAL;
	}
	if (ev->nblk == AML_EV_MAX_BLOCKS || base + 8 * half > AML_EV_MAX_GPE)
		return E_RANGE;
	for (i = 0; i < ev->nblk; i++) {
		b = &ev->blk[i];
		if (base < b->base + 8 * b->half && b->base < base + 8 * half) {
			aml_log(ev->ctx, 3,
			        "events: GPE block at %#lx (GPEs %#x-%#x) "
			        "overlaps the block at %#lx",
			        (unsigned long)r->addr, base,
			        base + 8 * half - 1, (unsigned long)b->r.addr);
			return E_RANGE;
		}
	}
	b = &ev->blk[ev->nblk++];
	b->r = *r;
	b->half = half;
	b->base = base;
	for (i = 0; i < half; i++) {
		aml_ev_write(ev, r, half + i, 1, 0);
		aml_ev_write(ev, r, i, 1, 0xff);
	}
	return 0;
}

err_t aml_ev_fixed_enable(struct aml_events *ev, unsigned event,
                          aml_fixed_fn fn, void *arg)
{
	uint64_t v;

	if (!ev->npm1)
		return E_NOENT;
	if (event >= 8 * ev->pm1_half || !fn)
		return E_INVAL;
	ev->fixed[event].fn = fn;
	ev->fixed[event].arg = arg;
	ev->fixed_on |= (uint16_t)(1u << event);
	for (unsigned i = 0; i < ev->npm1; i++) {
		aml_ev_write(ev, &ev->pm1[i], 0, ev->pm1_half, 1u << event);
		v = aml_ev_read(ev, &ev->pm1[i], ev->pm1_half, ev->pm1_half);
		aml_ev_write(ev, &ev->pm1[i], ev->pm1_half, ev->pm1_half,
		             v | 1u << event);
	}
	return 0;
}

err_t aml_ev_gpe_handler(struct aml_events *ev, unsigned gpe, bool level,
                         aml_gpe_fn fn, void *arg)
{
	if (gpe >= AML_EV_MAX_GPE || !aml_ev_block_of(ev, gpe))
		return E_RANGE;
	if (ev->gpe[gpe].flags & AML_GPE_HANDLER)
		return E_EXIST;
	ev->gpe[gpe].fn = fn;
	ev->gpe[gpe].arg = arg;
	ev->gpe[gpe].flags |= AML_GPE_HANDLER;
	if (level)
		ev->gpe[gpe].flags |= AML_GPE_LEVEL;
	else
		ev->gpe[gpe].flags &= (uint8_t)~AML_GPE_LEVEL;
	aml_ev_gpe_hw_clear(ev, gpe);
	aml_ev_gpe_set(ev, gpe, true);
	return 0;
}

// ---- the scan -------------------------------------------------------------

struct aml_ev_scan {
	struct aml_events *ev;
	char (*prw)[128]; // device paths with a _PRW, to evaluate after
	unsigned nprw, dropped;
};

static bool aml_ev_scan_node(void *arg, const char *path, unsigned depth,
                             enum aml_type type)
{
	struct aml_ev_scan *s = arg;
	size_t n = strlen(path);
	int hi, lo;

	if (type != AML_METHOD && !(type == AML_PACKAGE && n > 5))
		return true;
	if (type == AML_METHOD && depth == 2 && !strncmp(path, "\\_GPE.", 6) &&
	    (path[7] == 'L' || path[7] == 'E') && path[6] == '_') {
		hi = aml_hexval((uint8_t)path[8]);
		lo = aml_hexval((uint8_t)path[9]);
		if (hi >= 0 && lo >= 0) {
			unsigned g = (unsigned)(hi * 16 + lo);

			s->ev->gpe[g].flags |= AML_GPE_METHOD;
			if (path[7] == 'L')
				s->ev->gpe[g].flags |= AML_GPE_LEVEL;
		}
		return true;
	}
	if (n > 5 && !strcmp(path + n - 5, "._PRW")) {
		if (s->nprw == AML_EV_MAX_PRW || n >= sizeof(s->prw[0])) {
			s->dropped++;
			return true;
		}
		memcpy(s->prw[s->nprw++], path, n + 1);
	}
	return true;
}

// _PRW element 0: a GPE number (in the FADT's blocks), or a package
// {GPE block device, index} naming a GPE block device's GPE.
static void aml_ev_mark_wake(struct aml_events *ev, const char *path)
{
	const struct aml_value *e0;
	struct aml_value v;

	if (aml_eval(ev->ctx, path, NULL, 0, &v))
		return; // reported by the interpreter
	e0 = aml_value_pkg(&v, 0);
	if (e0 && e0->type == AML_INTEGER && e0->i < AML_EV_MAX_GPE) {
		if (!(ev->gpe[e0->i].flags & AML_GPE_WAKE))
			ev->stats.wake++;
		ev->gpe[e0->i].flags |= AML_GPE_WAKE;
	} else if (e0 && e0->type == AML_PACKAGE) {
		aml_log(ev->ctx, 6,
		        "events: %s names a GPE block device; only the FADT's "
		        "GPE blocks are supported",
		        path);
	} else {
		aml_log(ev->ctx, 3, "events: %s: element 0 is not a GPE", path);
	}
	aml_value_put(ev->ctx, &v);
}

unsigned aml_ev_gpe_scan(struct aml_events *ev)
{
	struct aml_ev_scan s = {.ev = ev};
	unsigned g;

	s.prw = aml_alloc(ev->ctx, AML_EV_MAX_PRW * sizeof(*s.prw));
	if (!s.prw)
		return ev->stats.enabled;
	aml_ns_walk(ev->ctx, aml_ev_scan_node, &s);
	for (unsigned i = 0; i < s.nprw; i++)
		aml_ev_mark_wake(ev, s.prw[i]);
	if (s.dropped)
		aml_log(ev->ctx, 4,
		        "events: %u _PRW objects past the first %u not read",
		        s.dropped, AML_EV_MAX_PRW);
	aml_free(ev->ctx, s.prw, AML_EV_MAX_PRW * sizeof(*s.prw));
	for (g = 0; g < AML_EV_MAX_GPE; g++) {
		uint8_t f = ev->gpe[g].flags;

		if (!(f & AML_GPE_METHOD) || (f & AML_GPE_HANDLER))
			continue;
		if (!aml_ev_block_of(ev, g)) {
			aml_log(ev->ctx, 3,
			        "events: \\_GPE._%c%02X: GPE %#x is in no GPE "
			        "block",
			        f & AML_GPE_LEVEL ? 'L' : 'E', g, g);
			continue;
		}
		if (!(f & AML_GPE_WAKE))
			aml_ev_gpe_set(ev, g, true);
	}
	return ev->stats.enabled;
}

// ---- dispatch -------------------------------------------------------------

static unsigned aml_ev_fixed_dispatch(struct aml_events *ev)
{
	uint64_t sts = 0, en = 0;
	unsigned i, n = 0;

	for (i = 0; i < ev->npm1; i++) {
		sts |= aml_ev_read(ev, &ev->pm1[i], 0, ev->pm1_half);
		en |= aml_ev_read(ev, &ev->pm1[i], ev->pm1_half, ev->pm1_half);
	}
	sts &= en & ev->fixed_on;
	for (unsigned bit = 0; sts; bit++) {
		if (!(sts & (1u << bit)))
			continue;
		sts &= ~(1ull << bit);
		for (i = 0; i < ev->npm1; i++)
			aml_ev_write(ev, &ev->pm1[i], 0, ev->pm1_half,
			             1u << bit);
		ev->fixed[bit].fn(ev->fixed[bit].arg, bit);
		ev->stats.fixed++;
		n++;
	}
	return n;
}

static void aml_ev_gpe_run(struct aml_events *ev, unsigned g)
{
	uint8_t f = ev->gpe[g].flags;
	bool level = f & AML_GPE_LEVEL;
	char path[16];
	struct aml_value v;

	aml_ev_gpe_hw_enable(ev, g, false);
	if (!level)
		aml_ev_gpe_hw_clear(ev, g);
	if (f & AML_GPE_HANDLER) {
		ev->gpe[g].fn(ev->gpe[g].arg, g);
	} else if (f & AML_GPE_METHOD) {
		ksnprintf(path, sizeof(path), "\\_GPE._%c%02X",
		          level ? 'L' : 'E', g);
		if (!aml_eval(ev->ctx, path, NULL, 0, &v))
			aml_value_put(ev->ctx, &v);
	}
	if (level)
		aml_ev_gpe_hw_clear(ev, g);
	if (ev->gpe[g].flags & AML_GPE_ON)
		aml_ev_gpe_hw_enable(ev, g, true);
	ev->stats.gpes++;
}

// One fired GPE with neither handler nor method: off for good.
static void aml_ev_gpe_spurious(struct aml_events *ev, unsigned g)
{
	aml_ev_gpe_set(ev, g, false);
	aml_ev_gpe_hw_enable(ev, g, false); // enabled by someone else
	aml_ev_gpe_hw_clear(ev, g);
	ev->stats.spurious++;
	if (!(ev->gpe[g].flags & AML_GPE_REPORTED))
		aml_log(ev->ctx, 4,
		        "events: GPE %#x fired with no method or handler; "
		        "disabled",
		        g);
	ev->gpe[g].flags |= AML_GPE_REPORTED;
}

static unsigned aml_ev_gpe_dispatch(struct aml_events *ev)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ev->nblk; i++) {
		struct aml_gpe_block *b = &ev->blk[i];

		for (unsigned byte = 0; byte < b->half; byte++) {
			uint64_t sts = aml_ev_read(ev, &b->r, byte, 1);
			uint64_t en = aml_ev_read(ev, &b->r, b->half + byte, 1);

			sts &= en;
			for (unsigned bit = 0; bit < 8; bit++) {
				unsigned g = b->base + 8 * byte + bit;

				if (!(sts & (1u << bit)))
					continue;
				if (ev->gpe[g].flags &
				    (AML_GPE_HANDLER | AML_GPE_METHOD))
					aml_ev_gpe_run(ev, g);
				else
					aml_ev_gpe_spurious(ev, g);
				n++;
			}
		}
	}
	return n;
}

unsigned aml_ev_dispatch(struct aml_events *ev)
{
	unsigned n = aml_ev_fixed_dispatch(ev);

	ev->stats.dispatches++;
	return n + aml_ev_gpe_dispatch(ev);
}

void aml_ev_stats_get(struct aml_events *ev, struct aml_ev_stats *out)
{
	*out = ev->stats;
}

bool aml_ev_gpe_enabled(struct aml_events *ev, unsigned gpe)
{
	return gpe < AML_EV_MAX_GPE && (ev->gpe[gpe].flags & AML_GPE_ON);
}
