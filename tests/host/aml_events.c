// SPDX-License-Identifier: MIT
// ACPI events (acpi/aml/event.c, the EC query loop in acpi/aml/ec.c) on
// simulated hardware: a PM1 event block at port 0x600, GPE0 (16 GPEs) at
// 0x620, GPE1 (8 GPEs from 0x10) at 0x630, the tests' simulated EC at
// 0x62/0x66 (tests/unit/aml_util.h, with its query queue), and a level
// source at 0x700 that keeps GPE 5 asserted. Status registers are
// write-one-to-clear like the real ones. The AML is
// tests/fixtures/acpi/aml-events.asl, compiled by iasl at test time.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/aml/aml.h>
#include <acpi/fadt.h>
#include <tests/ktest.h>
#include <tests/unit/aml_util.h>
#include "acpi_util.h"
#include "hal/host_util.h"

#define EV_PM1 0x600
#define EV_GPE0 0x620
#define EV_GPE1 0x630
#define EV_SRC 0x700

static struct {
	uint8_t io[0x10000];
	char notes[8][48]; // Notify(path, value) in order
	unsigned nnotes;
	unsigned fixed_calls;
} ev_hw;

// Write-one-to-clear bytes: the fixture's status registers, or those of
// a corpus machine's FADT (ev_w1c_set).
static struct {
	uint32_t port, len;
} ev_w1c_ranges[4] = {{EV_PM1, 2}, {EV_GPE0, 2}, {EV_GPE1, 1}};

static bool ev_w1c(uint32_t port)
{
	for (unsigned i = 0; i < ARRAY_SIZE(ev_w1c_ranges); i++)
		if (port >= ev_w1c_ranges[i].port &&
		    port < ev_w1c_ranges[i].port + ev_w1c_ranges[i].len)
			return true;
	return false;
}

static err_t ev_io_read(void *c, uint32_t port, unsigned w, uint64_t *v)
{
	*v = 0;
	if (aml_test_ec_read(port, v))
		return 0;
	for (unsigned i = 0; i < w && port + i < sizeof(ev_hw.io); i++)
		*v |= (uint64_t)ev_hw.io[port + i] << (8 * i);
	return 0;
}

static err_t ev_io_write(void *c, uint32_t port, unsigned w, uint64_t v)
{
	if (aml_test_ec_write(port, v))
		return 0;
	for (unsigned i = 0; i < w && port + i < sizeof(ev_hw.io); i++) {
		uint8_t b = (uint8_t)(v >> (8 * i));

		if (ev_w1c(port + i))
			ev_hw.io[port + i] &= (uint8_t)~b;
		else
			ev_hw.io[port + i] = b;
	}
	if (ev_hw.io[EV_SRC]) // the level source re-asserts GPE 5
		ev_hw.io[EV_GPE0] |= 0x20;
	return 0;
}

static void ev_notify(void *c, const char *path, uint64_t v)
{
	if (ev_hw.nnotes < 8)
		snprintf(ev_hw.notes[ev_hw.nnotes++], sizeof(ev_hw.notes[0]),
		         "%s 0x%lx", path, (unsigned long)v);
}

static void ev_fixed(void *arg, unsigned event)
{
	ev_hw.fixed_calls += event == AML_FIXED_POWER_BUTTON ? 1 : 100;
}

static uint64_t ev_int(struct aml_ctx *ctx, const char *path)
{
	struct aml_value v;
	uint64_t i = ~0ull;

	if (!aml_eval(ctx, path, NULL, 0, &v)) {
		if (v.type == AML_INTEGER)
			i = v.i;
		aml_value_put(ctx, &v);
	}
	return i;
}

// Fresh simulated hardware (all registers 0, EC idle) and a quiet host on
// it that records Notify().
static void ev_hw_reset(struct aml_host *h)
{
	memset(&ev_hw, 0, sizeof(ev_hw));
	memset(&aml_test_ec, 0, sizeof(aml_test_ec));
	*h = *host_aml_quiet();
	h->io_read = ev_io_read;
	h->io_write = ev_io_write;
	h->notify = ev_notify;
}

// The fixture compiled, loaded and initialised on fresh simulated
// hardware, with the PM1 block and both GPE blocks added; NULL if any step
// failed.
static struct aml_ctx *ev_setup(struct acpi_file *f, struct aml_host *h,
                                struct aml_events **ev)
{
	struct aml_ev_regs pm1 = {1, EV_PM1}, g0 = {1, EV_GPE0},
			   g1 = {1, EV_GPE1};
	struct aml_ctx *ctx;

	ev_hw_reset(h);
	if (acpi_test_fixture_load("aml-events", f))
		return NULL;
	if (aml_create(h, NULL, &ctx))
		return NULL;
	if (aml_load_table(ctx, f->buf, f->len) || aml_init_namespace(ctx) ||
	    aml_events_create(ctx, ev) || aml_ev_pm1_add(*ev, &pm1, 4) ||
	    aml_ev_gpe_block_add(*ev, &g0, 4, 0) ||
	    aml_ev_gpe_block_add(*ev, &g1, 2, 0x10)) {
		aml_destroy(ctx);
		return NULL;
	}
	return ctx;
}

KTEST(aml_events, blocks_scan_and_dispatch)
{
	struct aml_ev_regs bad = {1, 0x640};
	struct acpi_file f;
	struct aml_ev_stats st;
	struct aml_events *ev;
	struct aml_host h;
	struct aml_ctx *ctx;
	struct aml_ec ec;

	if (!acpi_test_have_iasl())
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	ctx = ev_setup(&f, &h, &ev);
	KT_ASSERT(ctx != NULL);
	// Bad blocks are refused: odd length, overlap, past GPE 255.
	KT_EXPECT_EQ(aml_ev_gpe_block_add(ev, &bad, 3, 0x20), E_INVAL);
	KT_EXPECT_EQ(aml_ev_gpe_block_add(ev, &bad, 2, 0x14), E_RANGE);

	KT_ASSERT_EQ(aml_ec_find(ctx, &ec), 0);
	KT_EXPECT(ec.has_gpe);
	KT_EXPECT_EQ_U(ec.gpe, 9);
	KT_ASSERT_EQ(aml_ec_attach(ctx, &ec, false), 0);
	KT_EXPECT_EQ(aml_ec_enable_queries(&ec, ev), 0);
	KT_EXPECT_EQ(aml_ec_enable_queries(&ec, ev), E_EXIST);
	KT_EXPECT_EQ(
	    aml_ev_fixed_enable(ev, AML_FIXED_POWER_BUTTON, ev_fixed, NULL), 0);
	KT_EXPECT_EQ_U(ev_hw.io[EV_PM1 + 3], 0x01); // PWRBTN_EN

	// GPEs 5, 7 and 0x12 (methods) and 9 (the EC): 3 is DEV1's wake
	// GPE and 0x1F is in no block.
	KT_EXPECT_EQ(aml_ev_gpe_scan(ev), 4);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 2], 0xa0);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 3], 0x02);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE1 + 1], 0x04);
	KT_EXPECT(!aml_ev_gpe_enabled(ev, 3));
	aml_ev_stats_get(ev, &st);
	KT_EXPECT_EQ(st.wake, 1);
	KT_EXPECT_EQ(aml_ev_dispatch(ev), 0); // nothing pending

	// Power button, GPEs 3 (not enabled), 5 (level, source on), 7 and
	// the EC's 9 with query 0x51 queued.
	ev_hw.io[EV_PM1 + 1] = 0x01;
	ev_hw.io[EV_SRC] = 1;
	ev_hw.io[EV_GPE0] = 0x20 | 0x80 | 0x08;
	ev_hw.io[EV_GPE0 + 1] = 0x02;
	aml_test_ec.queue[aml_test_ec.nq++] = 0x51;
	aml_test_ec.mem[0x10] = 0x2a;
	KT_EXPECT_EQ(aml_ev_dispatch(ev), 4);
	KT_EXPECT_EQ(ev_hw.fixed_calls, 1);
	KT_EXPECT_EQ_U(ev_int(ctx, "\\ORDR"), 0x1267);
	KT_EXPECT_EQ_U(ev_hw.io[EV_PM1 + 1], 0); // acknowledged
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0], 0x08); // only the disabled one left
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 1], 0);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 2], 0xa0); // enabled again
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 3], 0x02);
	KT_EXPECT_EQ(ec.queries, 1);
	KT_ASSERT_EQ(ev_hw.nnotes, 2);
	KT_EXPECT_STR(ev_hw.notes[0], "\\_SB_.DEV1 0x80");
	KT_EXPECT_STR(ev_hw.notes[1], "\\_SB_.DEV1 0x81");

	// GPE1's level GPE 0x12.
	ev_hw.io[EV_GPE1] = 0x04;
	KT_EXPECT_EQ(aml_ev_dispatch(ev), 1);
	KT_EXPECT_EQ_U(ev_int(ctx, "\\ORDR"), 0x12674);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE1], 0);

	// A GPE someone else enabled with nothing behind it: disabled.
	ev_hw.io[EV_GPE0 + 2] |= 0x04;
	ev_hw.io[EV_GPE0] |= 0x04;
	KT_EXPECT_EQ(aml_ev_dispatch(ev), 1);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 2], 0xa0);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0] & 0x04, 0);
	aml_ev_stats_get(ev, &st);
	KT_EXPECT_EQ(st.spurious, 1);
	KT_EXPECT_EQ(st.gpes, 4);
	KT_EXPECT_EQ(st.fixed, 1);

	aml_events_destroy(ev);
	aml_destroy(ctx);
	acpi_test_free(&f, 1);
}

// A level GPE whose method does not remove the cause fires again on the
// next dispatch, once per call: never a loop inside one dispatch.
KTEST(aml_events, level_source_left_on)
{
	struct acpi_file f;
	struct aml_events *ev;
	struct aml_host h;
	struct aml_ctx *ctx;

	if (!acpi_test_have_iasl())
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	ctx = ev_setup(&f, &h, &ev);
	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(aml_ev_gpe_scan(ev), 3);
	ev_hw.io[EV_GPE0] = 0x20;
	ev_hw.io[EV_SRC] = 1;
	// The method clears LSRC; make the source come back at once by
	// firing again after each dispatch.
	for (unsigned i = 0; i < 3; i++) {
		KT_EXPECT_EQ(aml_ev_dispatch(ev), 1);
		KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 2], 0xa0);
		ev_hw.io[EV_SRC] = 1;
		ev_hw.io[EV_GPE0] |= 0x20;
	}
	KT_EXPECT_EQ_U(ev_int(ctx, "\\ORDR"), 0x111);
	aml_events_destroy(ev);
	aml_destroy(ctx);
	acpi_test_free(&f, 1);
}

// A dead EC (IBF stuck): the query ends with an error, not a hang, and the
// GPE is enabled again.
KTEST(aml_events, dead_ec_query)
{
	struct acpi_file f;
	struct aml_events *ev;
	struct aml_host h;
	struct aml_ctx *ctx;
	struct aml_ec ec;

	if (!acpi_test_have_iasl())
		KT_FAIL("iasl not found (python3 configure.py installs "
		        "acpica-tools)");
	ctx = ev_setup(&f, &h, &ev);
	KT_ASSERT(ctx != NULL);
	KT_ASSERT_EQ(aml_ec_find(ctx, &ec), 0);
	KT_ASSERT_EQ(aml_ec_attach(ctx, &ec, false), 0);
	KT_ASSERT_EQ(aml_ec_enable_queries(&ec, ev), 0);
	(void)aml_ev_gpe_scan(ev);
	aml_test_ec.dead = true;
	aml_test_ec.queue[aml_test_ec.nq++] = 0x51;
	ev_hw.io[EV_GPE0 + 1] = 0x02;
	KT_EXPECT_EQ(aml_ev_dispatch(ev), 1);
	KT_EXPECT_EQ(ec.queries, 0);
	KT_EXPECT_EQ_U(ev_hw.io[EV_GPE0 + 3], 0x02);
	aml_events_destroy(ev);
	aml_destroy(ctx);
	acpi_test_free(&f, 1);
}

// Bad PM1 blocks and fixed events without one.
KTEST(aml_events, bad_pm1)
{
	struct aml_ev_regs none = {1, 0}, mem = {2, 0x600};
	struct aml_events *ev;
	struct aml_ctx *ctx;

	KT_ASSERT_EQ(aml_create(host_aml_quiet(), NULL, &ctx), 0);
	KT_ASSERT_EQ(aml_events_create(ctx, &ev), 0);
	KT_EXPECT_EQ(
	    aml_ev_fixed_enable(ev, AML_FIXED_POWER_BUTTON, ev_fixed, NULL),
	    E_NOENT);
	KT_EXPECT_EQ(aml_ev_pm1_add(ev, &none, 4), E_INVAL);
	KT_EXPECT_EQ(aml_ev_pm1_add(ev, &mem, 4), E_INVAL);
	KT_EXPECT_EQ(aml_ev_dispatch(ev), 0);
	aml_events_destroy(ev);
	aml_destroy(ctx);
}

// ---- every machine of the corpus -------------------------------------------

struct ev_machine {
	unsigned methods, enabled, wake, handled, leftover;
	bool ok;
};

static uint8_t *ev_table(const char *dir, const char *name, size_t *len)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return (uint8_t *)host_read_file(path, len);
}

static bool ev_count_methods(void *arg, const char *path, unsigned depth,
                             enum aml_type type)
{
	if (type == AML_METHOD && depth == 2 && !strncmp(path, "\\_GPE._", 7) &&
	    (path[7] == 'L' || path[7] == 'E'))
		(*(unsigned *)arg)++;
	return true;
}

// Sets GPE/PM1 status registers in simulated I/O from the FADT and adds the
// blocks; returns the number of GPE status bytes set.
static unsigned ev_machine_blocks(struct aml_events *ev,
                                  const struct acpi_fadt *fa)
{
	const struct acpi_gas *g[2] = {&fa->gpe0, &fa->gpe1};
	unsigned len[2] = {fa->gpe0_len, fa->gpe1_len}, n = 0;
	struct aml_ev_regs r;

	memset(ev_w1c_ranges, 0, sizeof(ev_w1c_ranges));
	if (fa->pm1a_evt.space_id == 1 && fa->pm1a_evt.address &&
	    fa->pm1a_evt.address < 0xfff0) {
		r = (struct aml_ev_regs){1, fa->pm1a_evt.address};
		ev_w1c_ranges[2].port = (uint32_t)r.addr;
		ev_w1c_ranges[2].len = fa->pm1_evt_len / 2u;
		(void)aml_ev_pm1_add(ev, &r, fa->pm1_evt_len);
	}
	for (unsigned i = 0; i < 2; i++) {
		if (g[i]->space_id != 1 || !g[i]->address || !len[i] ||
		    g[i]->address + len[i] > 0xffff)
			continue;
		r = (struct aml_ev_regs){1, g[i]->address};
		ev_w1c_ranges[i].port = (uint32_t)r.addr;
		ev_w1c_ranges[i].len = len[i] / 2u;
		if (aml_ev_gpe_block_add(ev, &r, len[i],
		                         i ? fa->gpe1_base : 0) == 0)
			n += len[i] / 2u;
	}
	return n;
}

// Loads a machine, attaches its EC (ECDT or PNP0C09), scans its GPEs, then
// raises every GPE and the power button at once and dispatches: each
// firmware GPE method and EC query runs against simulated hardware.
static void ev_machine(const char *dir, struct ev_machine *m)
{
	struct aml_options opt = {.loop_timeout_ms = 50};
	uint8_t *tables[64], *facp, *ecdt;
	struct acpi_fadt fa;
	struct aml_ev_stats st;
	struct aml_events *ev = NULL;
	struct aml_host h;
	struct aml_ctx *ctx;
	struct aml_ec ec;
	size_t flen, elen;
	unsigned n = 0, i, refused;

	memset(m, 0, sizeof(*m));
	ev_hw_reset(&h);
	facp = ev_table(dir, "facp.dat", &flen);
	ecdt = ev_table(dir, "ecdt.dat", &elen);
	if (!facp || acpi_fadt_decode((const void *)facp, &fa) ||
	    aml_create(&h, &opt, &ctx))
		goto out_tables;
	n = host_aml_load_machine(ctx, dir, tables, 64, &refused);
	if (ecdt &&
	    (aml_ecdt_parse(ecdt, elen, &ec) || aml_ec_attach(ctx, &ec, true)))
		ec.ctx = NULL; // unusable ECDT: as the kernel, find it later
	(void)aml_init_namespace(ctx);
	if ((!ecdt || !ec.ctx) && aml_ec_find(ctx, &ec) == 0)
		(void)aml_ec_attach(ctx, &ec, false);
	if (aml_events_create(ctx, &ev))
		goto out;
	unsigned bytes = ev_machine_blocks(ev, &fa);
	if (ec.ctx)
		(void)aml_ec_enable_queries(&ec, ev);
	(void)aml_ev_fixed_enable(ev, AML_FIXED_POWER_BUTTON, ev_fixed, NULL);
	aml_ns_walk(ctx, ev_count_methods, &m->methods);
	m->enabled = aml_ev_gpe_scan(ev);
	// Everything at once: the power button, every GPE, one EC query.
	if (fa.pm1a_evt.space_id == 1 && fa.pm1a_evt.address < 0xfff0)
		ev_hw.io[fa.pm1a_evt.address + 1] |= 0x01;
	for (i = 0; i < bytes && i < fa.gpe0_len / 2u; i++)
		ev_hw.io[fa.gpe0.address + i] = 0xff;
	aml_test_ec.queue[aml_test_ec.nq++] = 0x10;
	m->handled = aml_ev_dispatch(ev);
	// Every enabled GPE of GPE0 ran and was acknowledged.
	for (i = 0; i < bytes && i < fa.gpe0_len / 2u; i++)
		m->leftover += (unsigned)__builtin_popcount(
		    ev_hw.io[fa.gpe0.address + i] &
		    ev_hw.io[fa.gpe0.address + fa.gpe0_len / 2u + i]);
	aml_ev_stats_get(ev, &st);
	m->wake = st.wake;
	m->ok = true;
out:
	aml_events_destroy(ev);
	aml_destroy(ctx);
	for (i = 0; i < n; i++)
		free(tables[i]);
out_tables:
	free(facp);
	free(ecdt);
}

KTEST(aml_events, corpus_machines)
{
	static char names[128][128];
	const char *dir = acpi_test_corpus_dir();
	unsigned total = 0, ok = 0, methods = 0, enabled = 0;
	char mdir[1024];
	int nm;

	if (!dir)
		KT_FAIL("no ACPI corpus in $CAIRN_SHARED/acpi-corpus (default "
		        "../shared/acpi-corpus, from the top of the tree)");
	nm = acpi_test_list_dirs(dir, names, 128);
	for (int i = 0; i < nm; i++) {
		struct ev_machine m;

		snprintf(mdir, sizeof(mdir), "%s/%s", dir, names[i]);
		ev_machine(mdir, &m);
		total++;
		if (!m.ok) {
			printf("    # %s: not loaded\n", names[i]);
			continue;
		}
		ok++;
		methods += m.methods;
		enabled += m.enabled;
		KT_EXPECT_EQ(m.leftover, 0);
		KT_EXPECT(m.enabled <= m.methods + 1); // + the EC's GPE
		printf("    # %s: %u GPE methods, %u enabled, %u wake, %u "
		       "events handled\n",
		       names[i], m.methods, m.enabled, m.wake, m.handled);
	}
	printf("    # %u of %u machines: %u GPE methods, %u enabled\n", ok,
	       total, methods, enabled);
	KT_EXPECT_EQ(ok, total);
	KT_EXPECT(total >= 50);
}
