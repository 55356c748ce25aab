// SPDX-License-Identifier: MIT
// The ACPI Embedded Controller: the ECDT decoder, the EC's byte protocol
// over its two I/O ports (an EmbeddedControl address space handler), and
// finding an EC in the namespace (PNP0C09 and its _CRS ports), and the
// ECDT ordering rule: an EC described by the ECDT is usable before any
// method runs, so its _REG(EmbeddedControl, 1) runs first in
// aml_init_namespace. An EC found only in the namespace (PNP0C09) gets its
// handler after enumeration (aml_region_handler_add then runs _REG).
// Queries: the EC raises its GPE with SCI_EVT set; the GPE handler sends
// QR_EC and runs the _Qxx method the answer names (aml_ec_query).
//
// Protocol (ACPI 6.5, 12.2/12.3): the status register (command port) has
// OBF in bit 0 and IBF in bit 1. Read: wait IBF=0, write RD_EC (0x80) to
// the command port, wait IBF=0, write the address to the data port, wait
// OBF=1, read the data port. Write: WR_EC (0x81), address, data, each after
// IBF=0. Every wait is bounded (AML_EC_TIMEOUT_US): a dead EC yields an
// error, never a hang.
//
// Locking: the handler runs under the interpreter lock; one EC transaction
// at a time.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

#define AML_EC_OBF 0x01
#define AML_EC_IBF 0x02
#define AML_EC_RD 0x80
#define AML_EC_WR 0x81
#define AML_EC_QR 0x84
#define AML_EC_SCI_EVT 0x20
#define AML_EC_MAX_QUERIES 32
#define AML_EC_TIMEOUT_US 100000

static uint64_t aml_gas_addr(const uint8_t *gas)
{
	uint64_t a;

	memcpy(&a, gas + 4, 8);
	return a;
}

err_t aml_ecdt_parse(const void *table, size_t len, struct aml_ec *out)
{
	const uint8_t *t = table;
	uint32_t tlen;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (len < 66 || memcmp(t, "ECDT", 4))
		return E_INVAL;
	memcpy(&tlen, t + 4, 4);
	if (tlen < 66 || tlen > len)
		return E_TRUNC;
	// Both registers must be in System I/O space (0x01).
	if (t[36] != 1 || t[48] != 1)
		return E_NOTSUP;
	out->cmd_port = (uint32_t)aml_gas_addr(t + 36);
	out->data_port = (uint32_t)aml_gas_addr(t + 48);
	memcpy(&out->uid, t + 60, 4);
	out->gpe = t[64];
	out->has_gpe = true;
	n = strnlen((const char *)t + 65, tlen - 65);
	if (n == tlen - 65 || n >= sizeof(out->path))
		return E_CORRUPT; // EC_ID not NUL-terminated or too long
	memcpy(out->path, t + 65, n);
	out->path[n] = 0;
	return 0;
}

static err_t aml_ec_wait(struct aml_ec *ec, uint8_t mask, uint8_t want)
{
	const struct aml_host *h = &ec->ctx->host;
	uint64_t st;
	unsigned us;

	for (us = 0; us < AML_EC_TIMEOUT_US; us++) {
		if (h->io_read(h->ctx, ec->cmd_port, 1, &st))
			return E_IO;
		if ((st & mask) == want)
			return 0;
		if (h->stall_us)
			h->stall_us(h->ctx, 1);
	}
	return E_TIMEOUT;
}

static err_t aml_ec_out(struct aml_ec *ec, uint32_t port, uint8_t v)
{
	const struct aml_host *h = &ec->ctx->host;
	err_t e = aml_ec_wait(ec, AML_EC_IBF, 0);

	return e ? e : h->io_write(h->ctx, port, 1, v);
}

// The byte the EC answers with: wait OBF=1, read the data port.
static err_t aml_ec_in(struct aml_ec *ec, uint8_t *v)
{
	const struct aml_host *h = &ec->ctx->host;
	uint64_t x;
	err_t e = aml_ec_wait(ec, AML_EC_OBF, AML_EC_OBF);

	if (!e)
		e = h->io_read(h->ctx, ec->data_port, 1, &x);
	if (!e)
		*v = (uint8_t)x;
	return e;
}

static err_t aml_ec_byte(struct aml_ec *ec, bool write, uint8_t addr,
                         uint8_t *v)
{
	err_t e;

	e = aml_ec_out(ec, ec->cmd_port, write ? AML_EC_WR : AML_EC_RD);
	if (!e)
		e = aml_ec_out(ec, ec->data_port, addr);
	if (!e && write)
		return aml_ec_out(ec, ec->data_port, *v);
	return e ? e : aml_ec_in(ec, v);
}

err_t aml_ec_region(void *arg, bool write, uint64_t addr, unsigned width,
                    uint64_t *val)
{
	struct aml_ec *ec = arg;
	unsigned i;
	uint8_t b;
	err_t e;

	if (!ec->ctx->host.io_read || !ec->ctx->host.io_write)
		return E_NOTSUP;
	if (addr + width > 256)
		return E_RANGE;
	if (!write)
		*val = 0;
	// Wider fields are a sequence of byte transactions, low byte first.
	for (i = 0; i < width; i++) {
		b = (uint8_t)(*val >> (8 * i));
		e = aml_ec_byte(ec, write, (uint8_t)(addr + i), &b);
		if (e) {
			aml_log(ec->ctx, 3, "EC %s: %s at 0x%lx: %s", ec->path,
			        write ? "write" : "read",
			        (unsigned long)(addr + i), err_name(e));
			return e;
		}
		if (!write)
			*val |= (uint64_t)b << (8 * i);
	}
	return 0;
}

err_t aml_ec_attach(struct aml_ctx *ctx, struct aml_ec *ec, bool ecdt)
{
	ec->ctx = ctx;
	if (ecdt) {
		err_t e = aml_ec_set_ecdt(ctx, ec->path);

		if (e)
			return e;
	}
	return aml_region_handler_add(ctx, AML_SPACE_EC, aml_ec_region, ec);
}

err_t aml_ec_set_ecdt(struct aml_ctx *ctx, const char *path)
{
	struct aml_node *n;
	err_t e = 0;

	aml_ctx_lock(ctx);
	n = aml_ns_lookup_path(ctx, NULL, path);
	if (!n || aml_node_follow(n)->val.type != AML_DEVICE) {
		aml_log(ctx, 3,
		        "ECDT: EC_ID %s is not a device in the "
		        "namespace",
		        path);
		e = E_NOENT;
	} else if (ctx->inited) {
		e = E_INVAL; // too late: the namespace is initialised
	} else {
		ctx->ecdt_dev = aml_node_follow(n);
	}
	aml_ctx_unlock(ctx);
	return e;
}

static bool aml_ec_match(void *arg, const struct aml_device_info *d)
{
	struct aml_ec *ec = arg;

	if (strcmp(d->hid, "PNP0C09"))
		return true;
	memcpy(ec->path, d->path, sizeof(ec->path) - 1);
	ec->path[sizeof(ec->path) - 1] = 0;
	return false;
}

err_t aml_ec_find(struct aml_ctx *ctx, struct aml_ec *out)
{
	char path[sizeof(out->path) + 8];
	struct aml_resource r;
	struct aml_value v;
	const uint8_t *b;
	size_t len = 0, off = 0;
	unsigned nio = 0;
	err_t e;

	memset(out, 0, sizeof(*out));
	aml_device_walk(ctx, aml_ec_match, out);
	if (!out->path[0])
		return E_NOENT;
	// _CRS: the data port first, then the command/status port.
	ksnprintf(path, sizeof(path), "%s._CRS", out->path);
	e = aml_eval(ctx, path, NULL, 0, &v);
	if (e)
		return e;
	b = aml_value_buf(&v, &len);
	while (b && nio < 2 && !aml_res_next(b, len, &off, &r)) {
		if (r.type != AML_RES_IO)
			continue;
		if (nio++ == 0)
			out->data_port = r.io.min;
		else
			out->cmd_port = r.io.min;
	}
	aml_value_put(ctx, &v);
	if (nio != 2)
		return E_INVAL;
	// _GPE: the GPE for queries. A package (a GPE block device's GPE)
	// is not supported: the EC then works without queries.
	ksnprintf(path, sizeof(path), "%s._GPE", out->path);
	if (!aml_eval(ctx, path, NULL, 0, &v)) {
		if (v.type == AML_INTEGER && v.i < AML_EV_MAX_GPE) {
			out->gpe = (uint8_t)v.i;
			out->has_gpe = true;
		}
		aml_value_put(ctx, &v);
	}
	return 0;
}

// One QR_EC transaction: the query number, 0 if none is pending.
static err_t aml_ec_query_byte(struct aml_ec *ec, uint8_t *q)
{
	const struct aml_host *h = &ec->ctx->host;
	uint64_t st;
	err_t e;

	*q = 0;
	aml_ctx_lock(ec->ctx); // no EC transaction of a method in between
	e = h->io_read(h->ctx, ec->cmd_port, 1, &st);
	if (!e && (st & AML_EC_SCI_EVT))
		e = aml_ec_out(ec, ec->cmd_port, AML_EC_QR);
	if (!e && (st & AML_EC_SCI_EVT))
		e = aml_ec_in(ec, q);
	aml_ctx_unlock(ec->ctx);
	return e;
}

unsigned aml_ec_query(struct aml_ec *ec)
{
	char path[sizeof(ec->path) + 8];
	struct aml_value v;
	unsigned n = 0, i;
	uint8_t q;
	err_t e;

	if (!ec->ctx || !ec->ctx->host.io_read || !ec->ctx->host.io_write)
		return 0;
	for (i = 0; i < AML_EC_MAX_QUERIES; i++) {
		e = aml_ec_query_byte(ec, &q);
		if (e) {
			aml_log(ec->ctx, 3, "EC %s: query: %s", ec->path,
			        err_name(e));
			break;
		}
		if (!q)
			break;
		ksnprintf(path, sizeof(path), "%s._Q%02X", ec->path, q);
		e = aml_eval(ec->ctx, path, NULL, 0, &v);
		if (e == E_NOENT)
			aml_log(ec->ctx, 4, "EC %s: query 0x%02x has no %s",
			        ec->path, q, path);
		else if (!e)
			aml_value_put(ec->ctx, &v);
		n++;
	}
	ec->queries += n;
	return n;
}

static void aml_ec_gpe(void *arg, unsigned gpe)
{
	(void)aml_ec_query(arg);
}

err_t aml_ec_enable_queries(struct aml_ec *ec, struct aml_events *ev)
{
	if (!ec->has_gpe)
		return E_NOENT;
	return aml_ev_gpe_handler(ev, ec->gpe, false, aml_ec_gpe, ec);
}
