// SPDX-License-Identifier: MIT
// Host test on QEMU's reference DSDTs (build/deps/qemu-acpi, fetched at
// set-up by tools/fetch-qemu-acpi.sh): devices are identified, _CRS decodes
// to the resources QEMU's ACPI builder emits (the COM port, the PCI host
// bridge windows, the virt UART's MMIO and GSI) and _PRT routes every
// device's INTA-D (q35 through the GSIx link devices in APIC mode).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <acpi/aml/aml.h>
#include <lib/err.h>
#include <tests/host/hal/host_util.h>
#include <tests/ktest.h>

struct q_machine {
	struct aml_ctx *ctx;
	uint8_t *table;
};

static bool q_load(const char *path, struct q_machine *m)
{
	size_t n = 0;

	memset(m, 0, sizeof(*m));
	m->table = (uint8_t *)host_read_file(path, &n);
	if (!m->table || n <= 36 || aml_create(host_aml_quiet(), NULL, &m->ctx))
		return false;
	return !aml_load_table(m->ctx, m->table, n) &&
	       !aml_init_namespace(m->ctx);
}

static void q_unload(struct q_machine *m)
{
	aml_destroy(m->ctx);
	free(m->table);
}

// The resources of dev's _CRS, up to max.
static unsigned q_crs(struct aml_ctx *ctx, const char *dev,
                      struct aml_resource *r, unsigned max)
{
	char path[128];
	struct aml_value v;
	const uint8_t *b;
	size_t len = 0, off = 0;
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s._CRS", dev);
	if (aml_eval(ctx, path, NULL, 0, &v))
		return 0;
	b = aml_value_buf(&v, &len);
	while (b && n < max && !aml_res_next(b, len, &off, &r[n]))
		n++;
	aml_value_put(ctx, &v);
	return n;
}

struct q_prt {
	unsigned n, routed;
	struct aml_prt_entry first;
};

static bool q_prt_cb(void *arg, const struct aml_prt_entry *e)
{
	struct q_prt *p = arg;

	if (!p->n++)
		p->first = *e;
	p->routed += e->gsi != UINT32_MAX;
	return true;
}

KTEST(aml_qemu, q35_devices_resources_prt)
{
	struct aml_device_info d;
	struct aml_resource r[16];
	struct aml_value one = {.type = AML_INTEGER, .i = 1}, v;
	struct q_prt prt = {0};
	struct q_machine m;
	unsigned n, i, bus = 0, mem = 0;

	if (!q_load("build/deps/qemu-acpi/q35/DSDT", &m)) {
		q_unload(&m);
		KT_FAIL(
		    "build/deps/qemu-acpi/q35/DSDT missing (python3 "
		    "configure.py fetches it; run from the top of the tree)");
	}
	KT_ASSERT(aml_device_info(m.ctx, "\\_SB.PCI0.SF8.COM1", &d) == 0);
	KT_EXPECT_STR(d.hid, "PNP0501");
	KT_EXPECT_STR(d.uid, "1");
	n = q_crs(m.ctx, "\\_SB.PCI0.SF8.COM1", r, 16);
	KT_ASSERT(n == 2);
	KT_EXPECT(r[0].type == AML_RES_IO && r[0].io.min == 0x3f8 &&
	          r[0].io.len == 8);
	KT_EXPECT(r[1].type == AML_RES_IRQ && r[1].irq.count == 1 &&
	          r[1].irq.list[0] == 4 && r[1].irq.edge);
	n = q_crs(m.ctx, "\\_SB.PCI0", r, 16);
	for (i = 0; i < n; i++) {
		if (r[i].type == AML_RES_ADDRESS && r[i].addr.space == 2 &&
		    r[i].addr.min == 0 && r[i].addr.max == 0xff)
			bus++;
		if (r[i].type == AML_RES_ADDRESS && r[i].addr.space == 0 &&
		    r[i].addr.producer)
			mem++;
	}
	KT_EXPECT_EQ(bus, 1);
	KT_EXPECT(mem >= 3);
	KT_EXPECT(!aml_eval(m.ctx, "\\_PIC", &one, 1, &v));
	aml_value_put(m.ctx, &v);
	KT_EXPECT_EQ(aml_prt_walk(m.ctx, "\\_SB.PCI0", q_prt_cb, &prt), 0);
	KT_EXPECT_EQ(prt.n, 128); // 32 slots x INTA-D
	KT_EXPECT_EQ(prt.routed, 128);
	KT_EXPECT_STR(prt.first.link, "\\_SB_.GSIE");
	KT_EXPECT_EQ(prt.first.gsi, 20);
	q_unload(&m);
}

KTEST(aml_qemu, virt_uart_and_prt)
{
	struct aml_resource r[8];
	struct q_prt prt = {0};
	struct q_machine m;
	unsigned n;

	if (!q_load("build/deps/qemu-acpi/virt/DSDT", &m)) {
		q_unload(&m);
		KT_FAIL(
		    "build/deps/qemu-acpi/virt/DSDT missing (python3 "
		    "configure.py fetches it; run from the top of the tree)");
	}
	n = q_crs(m.ctx, "\\_SB.COM0", r, 8);
	KT_ASSERT(n == 2);
	KT_EXPECT(r[0].type == AML_RES_MEMORY && r[0].mem.fixed &&
	          r[0].mem.min == 0x9000000 && r[0].mem.len == 0x1000);
	KT_EXPECT(r[1].type == AML_RES_IRQ && r[1].irq.extended &&
	          r[1].irq.list[0] == 33);
	KT_EXPECT_EQ(aml_prt_walk(m.ctx, "\\_SB.PCI0", q_prt_cb, &prt), 0);
	KT_EXPECT_EQ(prt.n, 128);
	KT_EXPECT_EQ(prt.first.gsi, 35);
	KT_EXPECT_EQ(aml_prt_walk(m.ctx, "\\_SB.COM0", q_prt_cb, &prt),
	             E_NOENT);
	q_unload(&m);
}
