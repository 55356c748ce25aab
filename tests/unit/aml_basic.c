// SPDX-License-Identifier: MIT
// Neutral AML interpreter tests on hand-assembled AML (no iasl needed, so
// they run in the host test binary and inside the kernel alike): method
// evaluation, namespace creation and lookup, error tolerance on bad input,
// the loop timeout, and a buffer-access (SMBus) field against a handler
// registered with aml_region_bufacc_add. Set-up and memory: aml_util.c.
#include <acpi/aml/aml.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include "aml_util.h"

static uint64_t aml_t_errors(struct aml_ctx *ctx)
{
	struct aml_stats st;

	aml_stats_get(ctx, &st);
	return st.errors;
}

KTEST(aml, method_add)
{
	// Method (MAIN) { Return (Add (0x20, 0x0A)) }
	static const uint8_t body[] = {0x14, 0x0d, 'M',  'A',  'I',
	                               'N',  0x00, 0xa4, 0x72, 0x0a,
	                               0x20, 0x0a, 0x0a, 0x00};
	uint8_t tb[64];
	struct aml_ctx *ctx = aml_test_new(0, NULL, NULL);
	struct aml_value v;

	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(
	    aml_load_table(ctx, tb, aml_test_table(tb, body, sizeof(body))), 0);
	KT_EXPECT_EQ(aml_eval(ctx, "\\MAIN", NULL, 0, &v), 0);
	KT_EXPECT_EQ(v.type, AML_INTEGER);
	KT_EXPECT_EQ_U(v.i, 0x2a);
	KT_EXPECT_EQ_U(aml_t_errors(ctx), 0);
	aml_value_put(ctx, &v);
	aml_destroy(ctx);
}

KTEST(aml, namespace_and_tolerance)
{
	static const uint8_t body[] = {
	    0x08, '\\', 'X',  '_', '_', '_',  0x0a, 0x05, // Name(\X, 5)
	    0x10, 0x06, '\\', 'N', 'O', 'N',  'E',        // Scope(\NONE){}
	    0x5b, 0x82, 0x0b, 'D', 'E', 'V',  '0',        // Device(DEV0)
	    0x08, '_',  'H',  'I', 'D', 0x01,             //  Name(_HID,1)
	    0x08, 'X',  '_',  '_', '_', 0x0a, 0x07,       // Name(X, 7) dup
	};
	uint8_t tb[128];
	struct aml_ctx *ctx = aml_test_new(0, NULL, NULL);
	struct aml_value v;

	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(
	    aml_load_table(ctx, tb, aml_test_table(tb, body, sizeof(body))), 0);
	KT_EXPECT_EQ_U(aml_t_errors(ctx), 2); // missing scope, duplicate
	KT_EXPECT_EQ(aml_eval(ctx, "\\X", NULL, 0, &v), 0);
	KT_EXPECT_EQ_U(v.i, 5); // the first definition stays
	KT_EXPECT_EQ(aml_eval(ctx, "\\DEV0._HID", NULL, 0, &v), 0);
	KT_EXPECT_EQ_U(v.i, 1);
	KT_EXPECT_EQ(aml_eval(ctx, "\\NONE", NULL, 0, &v), E_NOENT);
	aml_destroy(ctx);
}

KTEST(aml, malformed_input)
{
	// Truncated PkgLength, unknown opcode, a name running off the end.
	static const uint8_t bodies[][6] = {
	    {0x10, 0xff, 0xff, 0xff, 0xff, 0xff},
	    {0x08, 'A', 'B', 'C', 'D', 0xee},
	    {0x14, 0x3f, 'M', 'A', 'I', 'N'},
	    {0x70, 0x0d, 'a', 'b', 'c', 'd'},
	};
	uint8_t tb[64];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		struct aml_ctx *ctx = aml_test_new(0, NULL, NULL);

		KT_ASSERT(ctx != NULL);
		KT_EXPECT_EQ(
		    aml_load_table(ctx, tb, aml_test_table(tb, bodies[i], 6)),
		    0);
		KT_EXPECT(aml_t_errors(ctx) > 0);
		KT_EXPECT_EQ(aml_init_namespace(ctx), 0);
		aml_destroy(ctx);
	}
}

KTEST(aml, loop_timeout)
{
	// Method (SPIN) { While (One) {} }  Method (MAIN) { SPIN() Return (3) }
	static const uint8_t body[] = {
	    0x14, 0x09, 'S', 'P', 'I',  'N', 0x00, 0xa2, 0x02, 0x01, 0x14, 0x0d,
	    'M',  'A',  'I', 'N', 0x00, 'S', 'P',  'I',  'N',  0xa4, 0x0a, 0x03,
	};
	uint8_t tb[96];
	struct aml_ctx *ctx = aml_test_new(20, NULL, NULL);
	struct aml_stats st;
	struct aml_value v;

	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(
	    aml_load_table(ctx, tb, aml_test_table(tb, body, sizeof(body))), 0);
	KT_EXPECT_EQ(aml_eval(ctx, "\\MAIN", NULL, 0, &v), 0);
	KT_EXPECT_EQ_U(v.i, 3); // only SPIN was aborted
	aml_stats_get(ctx, &st);
	KT_EXPECT_EQ_U(st.timeouts, 1);
	aml_destroy(ctx);
}

KTEST(aml, statement_as_operand)
{
	// Name (PKG0, Package (2) { While (One) { Continue }, 5 })
	// Name (AFTR, 7): a While as a package element is refused (it ran
	// its Continue for ever: no statement step, so no loop timeout); the
	// table goes on after the Package.
	static const uint8_t body[] = {
	    0x08, 'P',  'K',  'G',  '0', 0x12, 0x08, 0x02, 0xa2, 0x03, 0x01,
	    0x9f, 0x0a, 0x05, 0x08, 'A', 'F',  'T',  'R',  0x0a, 0x07,
	};
	uint8_t tb[96];
	struct aml_ctx *ctx = aml_test_new(20, NULL, NULL);
	struct aml_value v;

	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(
	    aml_load_table(ctx, tb, aml_test_table(tb, body, sizeof(body))), 0);
	KT_EXPECT_EQ_U(aml_t_errors(ctx), 1);
	KT_EXPECT_EQ(aml_eval(ctx, "\\AFTR", NULL, 0, &v), 0);
	KT_EXPECT_EQ_U(v.i, 7);
	KT_EXPECT_EQ(aml_eval(ctx, "\\PKG0", NULL, 0, &v), E_NOENT);
	aml_destroy(ctx);
}

// What the buffer handler saw, and the bytes it answers with.
struct aml_t_bufacc {
	unsigned calls;
	bool write;
	uint8_t space, attrib, first;
	uint64_t addr;
	size_t len;
};

static err_t aml_t_bufacc_fn(void *arg, struct aml_bufacc *a)
{
	struct aml_t_bufacc *r = arg;

	r->calls++;
	r->write = a->write;
	r->space = a->space;
	r->attrib = a->attrib;
	r->addr = a->addr;
	r->len = a->len;
	r->first = a->buf[0];
	a->buf[0] = 0;                   // status: done
	a->buf[1] = a->write ? 0x21 : 1; // length
	a->buf[2] = a->write ? a->buf[2] : 0x99;
	return 0;
}

KTEST(aml, bufacc_smbus)
{
	// OperationRegion (SMB0, SMBus, 0x4200, 0x100)
	// Field (SMB0, BufferAcc, NoLock, Preserve)
	//     { AccessAs (BufferAcc, AttribByte), FLD0, 8 }
	// Method (WRT, 1) { Return (Store (Arg0, FLD0)) }
	static const uint8_t body[] = {
	    0x5b, 0x80, 'S',  'M',  'B',  '0',  0x04, 0x0b, 0x00, 0x42, 0x0b,
	    0x00, 0x01, 0x5b, 0x81, 0x0e, 'S',  'M',  'B',  '0',  0x05, 0x01,
	    0x05, 0x06, 'F',  'L',  'D',  '0',  0x08, 0x14, 0x0d, 'W',  'R',
	    'T',  '_',  0x01, 0xa4, 0x70, 0x68, 'F',  'L',  'D',  '0',
	};
	struct aml_value arg = {.type = AML_INTEGER, .i = 0x5a}, v;
	struct aml_t_bufacc rec = {0};
	uint8_t tb[96];
	const uint8_t *b;
	size_t n = 0;
	struct aml_ctx *ctx = aml_test_new(0, NULL, NULL);

	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(
	    aml_load_table(ctx, tb, aml_test_table(tb, body, sizeof(body))), 0);
	// No handler yet: the read is a reported error.
	KT_EXPECT(aml_eval(ctx, "\\FLD0", NULL, 0, &v) != 0);
	KT_EXPECT_EQ_U(aml_t_errors(ctx), 1);
	KT_EXPECT_EQ(
	    aml_region_bufacc_add(ctx, AML_SPACE_SMBUS, aml_t_bufacc_fn, &rec),
	    0);
	KT_EXPECT_EQ(aml_eval(ctx, "\\FLD0", NULL, 0, &v), 0);
	b = aml_value_buf(&v, &n);
	KT_EXPECT_EQ_U(n, 34); // status, length, data[32]
	KT_ASSERT(b != NULL);
	KT_EXPECT_EQ_U(b[2], 0x99);
	KT_EXPECT(!rec.write);
	KT_EXPECT_EQ_U(rec.space, 4);
	KT_EXPECT_EQ_U(rec.attrib, 6);
	KT_EXPECT_EQ_U(rec.addr, 0x4200);
	aml_value_put(ctx, &v);
	// A write: the stored value goes in, the response comes back as the
	// Store's result.
	KT_EXPECT_EQ(aml_eval(ctx, "\\WRT_", &arg, 1, &v), 0);
	b = aml_value_buf(&v, &n);
	KT_EXPECT_EQ_U(n, 34);
	KT_ASSERT(b != NULL);
	KT_EXPECT_EQ_U(b[1], 0x21);
	KT_EXPECT(rec.write);
	KT_EXPECT_EQ_U(rec.first, 0x5a);
	KT_EXPECT_EQ_U(rec.calls, 2);
	aml_value_put(ctx, &v);
	aml_destroy(ctx);
}
