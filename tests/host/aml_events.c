// SPDX-License-Identifier: MIT
// ACPI events (acpi/aml/event.c, the EC query loop in acpi/aml/ec.c) on
// simulated hardware: a PM1 event block at port 0x600, GPE0 (16 GPEs) at
// 0x620, GPE1 (8 GPEs from 0x10) at 0x630, an EC at 0x62/0x66 with a query
// queue, and a level source at 0x700 that keeps GPE 5 asserted. Status
// registers are write-one-to-clear like the real ones. The AML is
// tests/fixtures/acpi/aml-events.asl, compiled by iasl at test time.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/aml/aml.h>
#include <tests/ktest.h>
#include "acpi_util.h"
#include "hal/host_util.h"

#define EV_PM1 0x600
#define EV_GPE0 0x620
#define EV_GPE1 0x630
#define EV_SRC 0x700

static struct {
	uint8_t io[0x1000];
	uint8_t ec_mem[256];
	uint8_t ec_queue[8], ec_nq;
	uint8_t ec_state, ec_addr, ec_out;
	bool ec_obf, ec_dead;
	char notes[8][48]; // Notify(path, value) in order
	unsigned nnotes;
	unsigned fixed_calls;
} ev_hw;

static bool ev_w1c(uint32_t port)
{
	return (port >= EV_PM1 && port < EV_PM1 + 2) ||
	       (port >= EV_GPE0 && port < EV_GPE0 + 2) || port == EV_GPE1;
}

static err_t ev_io_read(void *c, uint32_t port, unsigned w, uint64_t *v)
{
	*v = 0;
	if (port == 0x66) {
		*v = (ev_hw.ec_dead ? 0x02 : 0) | (ev_hw.ec_obf ? 0x01 : 0) |
		     (ev_hw.ec_nq ? 0x20 : 0);
		return 0;
	}
	if (port == 0x62) {
		*v = ev_hw.ec_out;
		ev_hw.ec_obf = false;
		return 0;
	}
	for (unsigned i = 0; i < w && port + i < sizeof(ev_hw.io); i++)
		*v |= (uint64_t)ev_hw.io[port + i] << (8 * i);
	return 0;
}

static void ev_ec_command(uint8_t v)
{
	ev_hw.ec_state = v == 0x80 ? 1 : v == 0x81 ? 2 : 0;
	if (v == 0x84) { // QR_EC: the oldest query, 0 if none
		ev_hw.ec_out = ev_hw.ec_nq ? ev_hw.ec_queue[0] : 0;
		if (ev_hw.ec_nq)
			memmove(ev_hw.ec_queue, ev_hw.ec_queue + 1,
			        --ev_hw.ec_nq);
		ev_hw.ec_obf = true;
	}
}

static void ev_ec_data(uint8_t v)
{
	if (ev_hw.ec_state == 1) {
		ev_hw.ec_out = ev_hw.ec_mem[v];
		ev_hw.ec_obf = true;
		ev_hw.ec_state = 0;
	} else if (ev_hw.ec_state == 2) {
		ev_hw.ec_addr = v;
		ev_hw.ec_state = 3;
	} else if (ev_hw.ec_state == 3) {
		ev_hw.ec_mem[ev_hw.ec_addr] = v;
		ev_hw.ec_state = 0;
	}
}

static err_t ev_io_write(void *c, uint32_t port, unsigned w, uint64_t v)
{
	if (port == 0x66) {
		ev_ec_command((uint8_t)v);
		return 0;
	}
	if (port == 0x62) {
		ev_ec_data((uint8_t)v);
		return 0;
	}
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

// The fixture loaded and initialised on fresh simulated hardware, with
// the PM1 block and both GPE blocks added.
static struct aml_ctx *ev_setup(struct acpi_file *f, struct aml_host *h,
                                struct aml_events **ev)
{
	struct aml_ev_regs pm1 = {1, EV_PM1}, g0 = {1, EV_GPE0},
			   g1 = {1, EV_GPE1};
	struct aml_ctx *ctx;

	memset(&ev_hw, 0, sizeof(ev_hw));
	*h = *host_aml_quiet();
	h->io_read = ev_io_read;
	h->io_write = ev_io_write;
	h->notify = ev_notify;
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
		KT_SKIP("iasl is not installed");
	KT_ASSERT_EQ(acpi_test_fixture_load("aml-events", &f), 0);
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
	ev_hw.ec_queue[ev_hw.ec_nq++] = 0x51;
	ev_hw.ec_mem[0x10] = 0x2a;
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
		KT_SKIP("iasl is not installed");
	KT_ASSERT_EQ(acpi_test_fixture_load("aml-events", &f), 0);
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
		KT_SKIP("iasl is not installed");
	KT_ASSERT_EQ(acpi_test_fixture_load("aml-events", &f), 0);
	ctx = ev_setup(&f, &h, &ev);
	KT_ASSERT(ctx != NULL);
	KT_ASSERT_EQ(aml_ec_find(ctx, &ec), 0);
	KT_ASSERT_EQ(aml_ec_attach(ctx, &ec, false), 0);
	KT_ASSERT_EQ(aml_ec_enable_queries(&ec, ev), 0);
	(void)aml_ev_gpe_scan(ev);
	ev_hw.ec_dead = true;
	ev_hw.ec_queue[ev_hw.ec_nq++] = 0x51;
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
