// SPDX-License-Identifier: MIT
// Resource descriptor decoding on hand-built templates: legacy and
// extended IRQs, I/O, fixed memory, QWord address space, GPIO and I2C
// connections, the End Tag, and truncated descriptors (host and kernel).
#include <string.h>
#include <acpi/aml/aml.h>
#include <lib/err.h>
#include <tests/ktest.h>

static const uint8_t aml_r_tmpl[] = {
    0x23, 0x10, 0x00, 0x18,                         // IRQ 4, level low shared
    0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08, // IO 0x3f8 len 8
    0x86, 0x09, 0x00, 0x01, 0x00, 0x00, 0xd0, 0xfe, // FixedMem32 rw
    0x00, 0x04, 0x00, 0x00,                         //  0xfed00000 +0x400
    0x89, 0x0a, 0x00, 0x07, 0x02, 0x21, 0x00, 0x00, // ExtIRQ consumer
    0x00, 0x22, 0x00, 0x00, 0x00,                   //  edge low: 33, 34
    0x8a, 0x2b, 0x00, 0x00, 0x0c, 0x03,             // QWord memory
    0,    0,    0,    0,    0,    0,    0,    0,    //  granularity
    0,    0,    0,    0,    0x80, 0,    0,    0,    //  min 0x80_0000_0000
    0xff, 0xff, 0xff, 0xff, 0xff, 0,    0,    0,    //  max
    0,    0,    0,    0,    0,    0,    0,    0,    //  translation
    0,    0,    0,    0,    0x80, 0,    0,    0,    //  length
    0x8c, 0x22, 0x00, 0x01, 0x00, 0x01, 0x00,       // GpioInt rev 1
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,       //  pull, drive, debounce
    0x17, 0x00, 0x00, 0x1b, 0x00, 0x25, 0x00, 0x00, 0x00,    //  offsets
    0x05, 0x00, 0x07, 0x00,                                  //  pins 5, 7
    '\\', '_',  'S',  'B',  '.',  'G',  'P',  'O',  '0',  0, // source
    0x8e, 0x19, 0x00, 0x01, 0x00, 0x01, 0x02, 0x00, 0x00,    // I2C, consumer
    0x01, 0x06, 0x00, 0x80, 0x1a, 0x06, 0x00, 0x15, 0x00,    // 400 kHz @0x15
    '\\', '_',  'S',  'B',  '.',  'I',  '2',  'C',  '1',  0, //
    0x79, 0x00,                                              // End Tag
    0x47,                                                    // (after the end)
};

KTEST(aml_res, decode_template)
{
	struct aml_resource r;
	size_t off = 0;

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_IRQ);
	KT_EXPECT_EQ(r.irq.count, 1);
	KT_EXPECT_EQ(r.irq.list[0], 4);
	KT_EXPECT(!r.irq.edge && r.irq.active_low && r.irq.shared);

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_IO);
	KT_EXPECT_EQ(r.io.min, 0x3f8);
	KT_EXPECT_EQ(r.io.len, 8);

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_MEMORY);
	KT_EXPECT(r.mem.fixed && r.mem.writable);
	KT_EXPECT_EQ_U(r.mem.min, 0xfed00000);
	KT_EXPECT_EQ_U(r.mem.len, 0x400);

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_IRQ);
	KT_EXPECT(r.irq.extended && r.irq.consumer && r.irq.edge &&
	          r.irq.active_low && !r.irq.shared);
	KT_EXPECT_EQ(r.irq.count, 2);
	KT_EXPECT_EQ(r.irq.list[1], 34);

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_ADDRESS);
	KT_EXPECT_EQ(r.addr.width, 64);
	KT_EXPECT_EQ(r.addr.space, 0);
	KT_EXPECT(r.addr.producer && r.addr.min_fixed && r.addr.max_fixed);
	KT_EXPECT_EQ_U(r.addr.min, 0x8000000000ull);
	KT_EXPECT_EQ_U(r.addr.max, 0xffffffffffull);
	KT_EXPECT_EQ_U(r.addr.len, 0x8000000000ull);

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_GPIO);
	KT_EXPECT(!r.gpio.io && r.gpio.consumer);
	KT_EXPECT_EQ(r.gpio.npins, 2);
	KT_EXPECT_EQ(aml_res_gpio_pin(&r, 0), 5);
	KT_EXPECT_EQ(aml_res_gpio_pin(&r, 1), 7);
	KT_ASSERT(r.source != NULL);
	KT_EXPECT_STR(r.source, "\\_SB.GPO0");

	KT_ASSERT(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r) == 0);
	KT_EXPECT_EQ(r.type, AML_RES_SERIAL);
	KT_EXPECT_EQ(r.serial.bus, AML_SERIAL_I2C);
	KT_EXPECT(r.serial.consumer);
	KT_EXPECT_EQ(r.serial.speed, 400000);
	KT_EXPECT_EQ(r.serial.address, 0x15);
	KT_ASSERT(r.source != NULL);
	KT_EXPECT_STR(r.source, "\\_SB.I2C1");

	KT_EXPECT_EQ(aml_res_next(aml_r_tmpl, sizeof(aml_r_tmpl), &off, &r),
	             E_NOENT);
	KT_EXPECT_EQ(off, sizeof(aml_r_tmpl) - 1); // stopped at the End Tag
}

KTEST(aml_res, truncated)
{
	// A QWord descriptor claiming more bytes than the buffer has, an I/O
	// descriptor two bytes short, and an Extended IRQ whose count
	// overruns its length.
	static const uint8_t big[] = {0x8a, 0x2b, 0x00, 0x00, 0x0c};
	static const uint8_t io[] = {0x45, 0x01, 0xf8, 0x03, 0xf8, 0x03};
	static const uint8_t xirq[] = {0x89, 0x06, 0x00, 0x01, 0x03,
	                               0x05, 0,    0,    0};
	struct aml_resource r;
	size_t off = 0;

	KT_EXPECT_EQ(aml_res_next(big, sizeof(big), &off, &r), E_CORRUPT);
	KT_EXPECT_EQ(off, 0);
	KT_EXPECT_EQ(aml_res_next(io, sizeof(io), &off, &r), E_CORRUPT);
	KT_EXPECT_EQ(aml_res_next(xirq, sizeof(xirq), &off, &r), E_CORRUPT);
}
