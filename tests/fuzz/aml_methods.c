// SPDX-License-Identifier: MIT
// libFuzzer target: generated method bodies. The input is not AML: each
// pair of bytes picks a statement (Store, CopyObject, RefOf, Index,
// DerefOf, CondRefOf, Increment, ObjectType, method calls passing
// references, Acquire/Release) and its operands among objects of every
// kind (Integer, String, Buffer, Package, OperationRegion, Field,
// IndexField, BankField, BufferField, Mutex, Event, Device,
// PowerResource, Processor, ThermalZone, Method), LocalX and ArgX. The
// statements become the body of \MAIN in a table whose other objects come
// from the ASL below (compiled once by iasl 20200925, body bytes pasted in
// `objects`); the table is loaded, \MAIN run twice and the context torn
// down. It aims at the object lifetime rules (issue 14, rule 1): nothing
// may crash, leak or read freed memory whatever replaces what.
//
//   Name (INT0, 5)  Name (STR0, "abc")  Name (BUF0, Buffer (8) {1,2,3,4})
//   Name (PKG0, Package (3) {1, "x", Buffer (2) {7, 8}})
//   OperationRegion (OPR0, SystemMemory, 0x1000, 0x100)
//   Field (OPR0, ByteAcc, NoLock, Preserve) {FLD0,8, IDX0,8, DAT0,8, BNK0,8}
//   IndexField (IDX0, DAT0, ByteAcc, NoLock, Preserve) {IFL0, 8}
//   BankField (OPR0, BNK0, 1, ByteAcc, NoLock, Preserve) {Offset (8), BKF0,8}
//   CreateByteField (BUF0, 1, BFL0)  Mutex (MTX0, 0)  Event (EVT0)
//   Device (DEV0) {Name (_ADR, 0)}  PowerResource (PWR0, 0, 0) {}
//   Processor (CPU0, 1, 0, 0) {}  ThermalZone (TZN0) {}
//   Method (MTH0, 1) {Return (Arg0)}  Method (MTH1, 1) {Arg0 = 0x7B}
//   Method (MTH2, 1) {Local0 = 5  Arg0 = RefOf (Local0)
//                     Return (RefOf (Local0))}
//   Method (MTH3, 1) {CopyObject (Arg0, Local0)  Return (Local0)}
//   Method (MTH4, 0, Serialized) {
//       OperationRegion (MOPR, PCI_Config, 0, 0x10)
//       Field (MOPR, ByteAcc, NoLock, Preserve) {MFLD, 8}  Return (MFLD)}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/aml/aml.h>
#include <lib/err.h>
#include <lib/types.h>
#include <tests/host/hal/host_util.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t objects[] = {
    0x08, 0x49, 0x4e, 0x54, 0x30, 0x0a, 0x05, 0x08, 0x53, 0x54, 0x52, 0x30,
    0x0d, 0x61, 0x62, 0x63, 0x00, 0x08, 0x42, 0x55, 0x46, 0x30, 0x11, 0x07,
    0x0a, 0x08, 0x01, 0x02, 0x03, 0x04, 0x08, 0x50, 0x4b, 0x47, 0x30, 0x12,
    0x0c, 0x03, 0x01, 0x0d, 0x78, 0x00, 0x11, 0x05, 0x0a, 0x02, 0x07, 0x08,
    0x5b, 0x80, 0x4f, 0x50, 0x52, 0x30, 0x00, 0x0b, 0x00, 0x10, 0x0b, 0x00,
    0x01, 0x5b, 0x81, 0x1a, 0x4f, 0x50, 0x52, 0x30, 0x01, 0x46, 0x4c, 0x44,
    0x30, 0x08, 0x49, 0x44, 0x58, 0x30, 0x08, 0x44, 0x41, 0x54, 0x30, 0x08,
    0x42, 0x4e, 0x4b, 0x30, 0x08, 0x5b, 0x86, 0x0f, 0x49, 0x44, 0x58, 0x30,
    0x44, 0x41, 0x54, 0x30, 0x01, 0x49, 0x46, 0x4c, 0x30, 0x08, 0x5b, 0x87,
    0x13, 0x4f, 0x50, 0x52, 0x30, 0x42, 0x4e, 0x4b, 0x30, 0x01, 0x01, 0x00,
    0x40, 0x04, 0x42, 0x4b, 0x46, 0x30, 0x08, 0x8c, 0x42, 0x55, 0x46, 0x30,
    0x01, 0x42, 0x46, 0x4c, 0x30, 0x5b, 0x01, 0x4d, 0x54, 0x58, 0x30, 0x00,
    0x5b, 0x02, 0x45, 0x56, 0x54, 0x30, 0x5b, 0x82, 0x0b, 0x44, 0x45, 0x56,
    0x30, 0x08, 0x5f, 0x41, 0x44, 0x52, 0x00, 0x5b, 0x84, 0x08, 0x50, 0x57,
    0x52, 0x30, 0x00, 0x00, 0x00, 0x5b, 0x83, 0x0b, 0x43, 0x50, 0x55, 0x30,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5b, 0x85, 0x05, 0x54, 0x5a, 0x4e,
    0x30, 0x14, 0x08, 0x4d, 0x54, 0x48, 0x30, 0x01, 0xa4, 0x68, 0x14, 0x0a,
    0x4d, 0x54, 0x48, 0x31, 0x01, 0x70, 0x0a, 0x7b, 0x68, 0x14, 0x11, 0x4d,
    0x54, 0x48, 0x32, 0x01, 0x70, 0x0a, 0x05, 0x60, 0x70, 0x71, 0x60, 0x68,
    0xa4, 0x71, 0x60, 0x14, 0x0b, 0x4d, 0x54, 0x48, 0x33, 0x01, 0x9d, 0x68,
    0x60, 0xa4, 0x60, 0x14, 0x22, 0x4d, 0x54, 0x48, 0x34, 0x08, 0x5b, 0x80,
    0x4d, 0x4f, 0x50, 0x52, 0x02, 0x00, 0x0a, 0x10, 0x5b, 0x81, 0x0b, 0x4d,
    0x4f, 0x50, 0x52, 0x01, 0x4d, 0x46, 0x4c, 0x44, 0x08, 0xa4, 0x4d, 0x46,
    0x4c, 0x44,
};

// Names usable as values (not methods: evaluating one would call it).
static const char names[][4] = {"INT0", "STR0", "BUF0", "PKG0", "OPR0", "FLD0",
                                "IDX0", "BNK0", "IFL0", "BKF0", "BFL0", "MTX0",
                                "EVT0", "DEV0", "PWR0", "CPU0", "TZN0"};
static const char methods[][4] = {"MTH0", "MTH1", "MTH2", "MTH3"};

struct gen {
	uint8_t *p, *end;
	const uint8_t *in, *in_end;
};

static unsigned next(struct gen *g)
{
	return g->in < g->in_end ? *g->in++ : 0;
}

static void emit(struct gen *g, const void *b, size_t n)
{
	if ((size_t)(g->end - g->p) >= n) {
		memcpy(g->p, b, n);
		g->p += n;
	}
}

static void emit1(struct gen *g, uint8_t b)
{
	emit(g, &b, 1);
}

// A variable or a name: Local0-7 (0x60..), Arg0-1 (0x68..), or a name.
static void target(struct gen *g)
{
	unsigned v = next(g) % (8 + 2 + ARRAY_SIZE(names));

	if (v < 10)
		emit1(g, (uint8_t)(v < 8 ? 0x60 + v : 0x68 + v - 8));
	else
		emit(g, names[v - 10], 4);
}

// A value: a target, or a constant (integer, string).
static void source(struct gen *g)
{
	unsigned v = next(g);

	if (v % 8 == 0) {
		emit1(g, 0x0a); // BytePrefix
		emit1(g, (uint8_t)next(g));
	} else if (v % 8 == 1) {
		emit(g,
		     "\x0d"
		     "12\0",
		     4); // "12"
	} else {
		target(g);
	}
}

static void statement(struct gen *g)
{
	switch (next(g) % 14) {
	case 0:
		emit1(g, 0x70);
		source(g);
		target(g);
		break; // Store
	case 1:
		emit1(g, 0x9d);
		source(g);
		target(g);
		break; // CopyObject
	case 2:
		emit(g, "\x70\x71", 2);
		target(g);
		target(g);
		break; // RefOf
	case 3:        // Store (Index (X, k), D)
		emit(g, "\x70\x88", 2);
		target(g);
		emit1(g, 0x0a);
		emit1(g, (uint8_t)(next(g) % 10));
		emit1(g, 0x00);
		target(g);
		break;
	case 4:
		emit(g, "\x70\x83", 2);
		target(g);
		target(g);
		break; // DerefOf
	case 5:        // Store (S, Index (X, k))
		emit1(g, 0x70);
		source(g);
		emit1(g, 0x88);
		target(g);
		emit1(g, 0x0a);
		emit1(g, (uint8_t)(next(g) % 10));
		emit1(g, 0x00);
		break;
	case 6: // MTHn (RefOf (X)) or MTHn (X)
		emit(g, methods[next(g) % 4], 4);
		if (next(g) & 1)
			emit1(g, 0x71);
		target(g);
		break;
	case 7:
		emit1(g, 0x75);
		target(g);
		break; // Increment
	case 8:
		emit(g, "\x70\x8e", 2);
		target(g);
		emit1(g, 0x67);
		break;
	case 9:
		emit(g, "\x5b\x12", 2);
		target(g);
		target(g);
		break; // CondRefOf
	case 10:
		emit1(g, 0x70);
		source(g);
		emit1(g, 0x83);
		target(g);
		break;
	case 11:
		emit(g,
		     "\x70"
		     "MTH4"
		     "\x66",
		     6);
		break; // region in a method
	case 12:
		emit(g,
		     "\x5b\x23"
		     "MTX0"
		     "\x0b\xff\xff",
		     8);
		break; // Acquire
	default:
		emit(g,
		     "\x5b\x27"
		     "MTX0",
		     6);
		break; // Release
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	// A context per input, its frame/operator/block arrays allocated (and
	// under ASan quarantined) each time, so they are sized to what the
	// generator can reach: calls nest 2 deep (MAIN -> MTHn), a statement 3
	// operators, package initialisers 2; no If/While. 84 KB before.
	struct aml_options opt = {.loop_timeout_ms = 1,
	                          .max_frames = 16,
	                          .max_ops = 64,
	                          .max_blocks = 16};
	static const char *dump;
	static bool dump_read;
	static uint8_t t[36 + sizeof(objects) + 8192];
	struct gen g = {.in = data, .in_end = data + size};
	struct aml_value v;
	struct aml_ctx *ctx;
	uint8_t *body, *mlen;
	uint32_t len, n;

	if (size > 1024)
		return 0;
	memset(t, 0, 36);
	memcpy(t, "DSDT", 4);
	t[8] = 2;
	memcpy(t + 36, objects, sizeof(objects));
	g.p = t + 36 + sizeof(objects);
	g.end = t + sizeof(t);
	// Method (MAIN, 2) { ... } with a 3-byte PkgLength filled in below.
	emit(&g,
	     "\x14\x00\x00\x00"
	     "MAIN"
	     "\x02",
	     9);
	mlen = g.p - 8;
	body = g.p;
	while (g.in < g.in_end && g.end - g.p > 64)
		statement(&g);
	n = (uint32_t)(g.p - body) + 3 + 5;
	mlen[0] = (uint8_t)(0x80 | (n & 0x0f)); // two following bytes
	mlen[1] = (uint8_t)(n >> 4);
	mlen[2] = (uint8_t)(n >> 12);
	len = (uint32_t)(g.p - t);
	memcpy(t + 4, &len, 4);
	if (!dump_read) {
		dump = getenv("AML_METHODS_DUMP");
		dump_read = true;
	}
	if (dump) { // the table, for iasl -d
		FILE *o = fopen(dump, "wb");
		if (o) {
			fwrite(t, 1, len, o);
			fclose(o);
		}
	}
	if (aml_create(host_aml_quiet(), &opt, &ctx))
		return 0;
	if (!aml_load_table(ctx, t, len) && !aml_init_namespace(ctx)) {
		for (n = 0; n < 2; n++) {
			struct aml_value args[2] = {
			    {.type = AML_INTEGER, .i = 1},
			    {.type = AML_INTEGER, .i = 2}};

			if (!aml_eval(ctx, "\\MAIN", args, 2, &v))
				aml_value_put(ctx, &v);
		}
	}
	aml_destroy(ctx);
	return 0;
}
