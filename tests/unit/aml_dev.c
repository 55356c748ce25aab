// SPDX-License-Identifier: MIT
// Device identification (_HID/_CID/_UID/_ADR/_STA, EISA IDs), the device
// walk's _STA rules, the ECDT decoder and the Embedded Controller byte
// protocol against a simulated EC (host and kernel).
#include <string.h>
#include <acpi/aml/aml.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include "aml_util.h"

// Ports: the simulated EC (aml_util.h); nothing else answers.
static err_t aml_d_io_read(void *c, uint32_t port, unsigned w, uint64_t *v)
{
	if (!aml_test_ec_read(port, v))
		*v = 0xff;
	return 0;
}

static err_t aml_d_io_write(void *c, uint32_t port, unsigned w, uint64_t v)
{
	(void)aml_test_ec_write(port, v);
	return 0;
}

KTEST(aml_dev, eisa_id)
{
	char s[8];

	aml_eisa_id_str(0x080ad041, s);
	KT_EXPECT_STR(s, "PNP0A08");
	aml_eisa_id_str(0x090cd041, s);
	KT_EXPECT_STR(s, "PNP0C09");
}

// Device (DEV0) { _HID PNP0A08, _CID {PNP0A03, "ABCD0001"}, _UID 3,
//                 _ADR 0x1F0002, _STA 0x0B }
// Device (DEV1) { _STA 0, Device (DEV2) {} }
static const uint8_t aml_d_body[] = {
    0x5b, 0x82, 0x3e, 'D', 'E', 'V',  '0',                                //
    0x08, '_',  'H',  'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x08,             //
    0x08, '_',  'C',  'I', 'D', 0x12, 0x11, 0x02, 0x0c, 0x41, 0xd0, 0x0a, //
    0x03, 0x0d, 'A',  'B', 'C', 'D',  '0',  '0',  '0',  '1',  0x00,       //
    0x08, '_',  'U',  'I', 'D', 0x0a, 0x03,                               //
    0x08, '_',  'A',  'D', 'R', 0x0c, 0x02, 0x00, 0x1f, 0x00,             //
    0x08, '_',  'S',  'T', 'A', 0x0a, 0x0b,                               //
    0x5b, 0x82, 0x13, 'D', 'E', 'V',  '1',                                //
    0x08, '_',  'S',  'T', 'A', 0x0a, 0x00,                               //
    0x5b, 0x82, 0x05, 'D', 'E', 'V',  '2',                                //
};

static bool aml_d_count(void *arg, const struct aml_device_info *d)
{
	unsigned *n = arg;

	(*n)++;
	// DEV1 is absent and DEV2 is below it: neither may be reported.
	if (!strcmp(d->path, "\\DEV1") || !strcmp(d->path, "\\DEV1.DEV2"))
		*n += 100;
	return true;
}

KTEST(aml_dev, identification_and_walk)
{
	uint8_t tb[160];
	struct aml_ctx *ctx = aml_test_new(0, aml_d_io_read, aml_d_io_write);
	struct aml_device_info *d = aml_test_alloc(sizeof(*d));
	unsigned n = 0;

	KT_ASSERT(ctx != NULL && d != NULL);
	KT_EXPECT_EQ(
	    aml_load_table(ctx, tb,
	                   aml_test_table(tb, aml_d_body, sizeof(aml_d_body))),
	    0);
	KT_ASSERT(aml_device_info(ctx, "\\DEV0", d) == 0);
	KT_EXPECT(d->has_hid);
	KT_EXPECT_STR(d->hid, "PNP0A08");
	KT_EXPECT_EQ(d->ncid, 2);
	KT_EXPECT_STR(d->cid[0], "PNP0A03");
	KT_EXPECT_STR(d->cid[1], "ABCD0001");
	KT_EXPECT(d->has_uid);
	KT_EXPECT_STR(d->uid, "3");
	KT_EXPECT(d->has_adr);
	KT_EXPECT_EQ_U(d->adr, 0x1f0002);
	KT_EXPECT_EQ_U(d->sta, 0x0b);
	KT_ASSERT(aml_device_info(ctx, "\\DEV1.DEV2", d) == 0);
	KT_EXPECT(!d->has_hid && !d->has_uid && !d->has_adr);
	KT_EXPECT_EQ_U(d->sta, 0x0f);
	KT_EXPECT_EQ(aml_device_info(ctx, "\\DEV0._HID", d), E_INVAL);
	KT_EXPECT_EQ(aml_device_info(ctx, "\\NONE", d), E_NOENT);
	aml_device_walk(ctx, aml_d_count, &n);
	KT_EXPECT_EQ(n, 2); // \_SB_ and \DEV0
	aml_destroy(ctx);
}

KTEST(aml_dev, ecdt_and_ec_protocol)
{
	static uint8_t ecdt[80];
	struct aml_ctx *ctx = aml_test_new(0, aml_d_io_read, aml_d_io_write);
	struct aml_ec ec;
	uint64_t v;
	uint32_t len = 66 + 14;

	KT_ASSERT(ctx != NULL);
	memset(ecdt, 0, sizeof(ecdt));
	memcpy(ecdt, "ECDT", 4);
	memcpy(ecdt + 4, &len, 4);
	ecdt[36] = 1; // EC_CONTROL: SystemIO 0x66
	ecdt[40] = 0x66;
	ecdt[48] = 1; // EC_DATA: SystemIO 0x62
	ecdt[52] = 0x62;
	ecdt[64] = 0x17;
	memcpy(ecdt + 65, "\\_SB.PCI0.EC0", 14);
	KT_ASSERT(aml_ecdt_parse(ecdt, len, &ec) == 0);
	KT_EXPECT_EQ_U(ec.cmd_port, 0x66);
	KT_EXPECT_EQ_U(ec.data_port, 0x62);
	KT_EXPECT_EQ_U(ec.gpe, 0x17);
	KT_EXPECT_STR(ec.path, "\\_SB.PCI0.EC0");
	ecdt[78] = ecdt[79] = 'X'; // EC_ID without its NUL
	KT_EXPECT_EQ(aml_ecdt_parse(ecdt, len, &ec), E_CORRUPT);
	ecdt[78] = ecdt[79] = 0;
	KT_ASSERT(aml_ecdt_parse(ecdt, len, &ec) == 0);

	memset(&aml_test_ec, 0, sizeof(aml_test_ec));
	aml_test_ec.mem[0x10] = 0x34;
	aml_test_ec.mem[0x11] = 0x12;
	ec.ctx = ctx;
	KT_EXPECT_EQ(aml_ec_region(&ec, false, 0x10, 2, &v), 0);
	KT_EXPECT_EQ_U(v, 0x1234);
	v = 0xbeef;
	KT_EXPECT_EQ(aml_ec_region(&ec, true, 0x20, 2, &v), 0);
	KT_EXPECT_EQ_U(aml_test_ec.mem[0x20], 0xef);
	KT_EXPECT_EQ_U(aml_test_ec.mem[0x21], 0xbe);
	KT_EXPECT_EQ(aml_ec_region(&ec, false, 0xff, 2, &v), E_RANGE);
	aml_test_ec.dead = true; // IBF stuck: a bounded wait, then an error
	KT_EXPECT_EQ(aml_ec_region(&ec, false, 0x10, 1, &v), E_TIMEOUT);
	aml_destroy(ctx);
}

// Device (EC0) { Name (_HID, EisaId ("PNP0C09"))
//                Name (_CRS, ResourceTemplate () { IO (0x62), IO (0x66) }) }
static const uint8_t aml_d_ec_body[] = {
    0x5b, 0x82, 0x2a, 'E',  'C',  '0',  '_',                    //
    0x08, '_',  'H',  'I',  'D',  0x0c, 0x41, 0xd0, 0x0c, 0x09, //
    0x08, '_',  'C',  'R',  'S',  0x11, 0x15, 0x0a, 0x12,       //
    0x47, 0x01, 0x62, 0x00, 0x62, 0x00, 0x00, 0x01,             //
    0x47, 0x01, 0x66, 0x00, 0x66, 0x00, 0x00, 0x01, 0x79, 0x00, //
};

KTEST(aml_dev, ec_in_namespace)
{
	uint8_t tb[96];
	struct aml_ctx *ctx = aml_test_new(0, aml_d_io_read, aml_d_io_write);
	struct aml_ec ec;

	KT_ASSERT(ctx != NULL);
	KT_EXPECT_EQ(aml_ec_find(ctx, &ec), E_NOENT);
	KT_EXPECT_EQ(aml_load_table(ctx, tb,
	                            aml_test_table(tb, aml_d_ec_body,
	                                           sizeof(aml_d_ec_body))),
	             0);
	KT_ASSERT(aml_ec_find(ctx, &ec) == 0);
	KT_EXPECT_STR(ec.path, "\\EC0_");
	KT_EXPECT_EQ_U(ec.data_port, 0x62);
	KT_EXPECT_EQ_U(ec.cmd_port, 0x66);
	aml_destroy(ctx);
}
