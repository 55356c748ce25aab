// SPDX-License-Identifier: MIT
// Resource descriptors (_CRS, _PRS buffers; ACPI 6.5 section 6.4) decoded
// one at a time, and PCI interrupt routing from _PRT (section 6.2.13) with
// link devices resolved through their _CRS.
//
// Decoding is bounds-checked against the buffer: a descriptor running past
// it, or shorter than its type needs, is E_CORRUPT and iteration stops
// there (what came before stays valid). Pointers in a decoded resource
// (interrupt lists, GPIO pins, source names, vendor data) point into the
// caller's buffer.
//
// Locking: aml_res_* touch only the buffer; aml_prt_walk takes the
// interpreter lock through aml_eval and friends.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

// Legacy IRQ flags byte: bit 0 edge, bit 3 active low, bit 4 shared,
// bit 5 wake capable. Without the byte: edge, active high, exclusive.
static void aml_res_irq(struct aml_resource *r, const uint8_t *d, uint32_t n)
{
	uint16_t mask = rd16(d);
	uint8_t fl = n >= 3 ? d[2] : 0x01;
	unsigned i;

	r->irq.edge = fl & 1;
	r->irq.active_low = (fl >> 3) & 1;
	r->irq.shared = (fl >> 4) & 1;
	r->irq.wake = (fl >> 5) & 1;
	for (i = 0; i < 16; i++)
		if (mask & (1u << i))
			r->irq.list[r->irq.count++] = i;
}

static err_t aml_res_small(struct aml_resource *r, uint8_t type,
                           const uint8_t *d, uint32_t n)
{
	static const uint8_t min[16] = {
	    [4] = 2, [5] = 2, [8] = 7, [9] = 3, [10] = 5, [15] = 1};

	if (n < min[type])
		return E_CORRUPT;
	switch (type) {
	case 0x4:
		r->type = AML_RES_IRQ;
		aml_res_irq(r, d, n);
		break;
	case 0x5:
		r->type = AML_RES_DMA;
		r->dma.mask = d[0];
		r->dma.flags = d[1];
		break;
	case 0x6: r->type = AML_RES_START_DEP; break;
	case 0x7: r->type = AML_RES_END_DEP; break;
	case 0x8:
		r->type = AML_RES_IO;
		r->io.decode16 = d[0] & 1;
		r->io.min = rd16(d + 1);
		r->io.max = rd16(d + 3);
		r->io.align = d[5];
		r->io.len = d[6];
		break;
	case 0x9:
		r->type = AML_RES_IO;
		r->io.fixed = true;
		r->io.min = r->io.max = rd16(d) & 0x3ff;
		r->io.len = d[2];
		break;
	case 0xa:
		r->type = AML_RES_FIXED_DMA;
		r->dma.request = rd16(d);
		r->dma.channel = rd16(d + 2);
		r->dma.width = d[4];
		break;
	case 0xe:
		r->type = AML_RES_VENDOR;
		r->vendor.data = d;
		r->vendor.len = n;
		break;
	case 0xf: r->type = AML_RES_END; break;
	default: r->type = AML_RES_OTHER; break;
	}
	return 0;
}

// The optional ResourceSource (index byte, then a NUL-terminated name)
// at d[at..n).
static void aml_res_source(struct aml_resource *r, const uint8_t *d,
                           uint32_t at, uint32_t n)
{
	if (at + 1 >= n)
		return;
	r->source_index = d[at];
	if (memchr(d + at + 1, 0, n - at - 1))
		r->source = (const char *)d + at + 1;
}

// Word/DWord/QWord Address Space: the common head, then five numbers of
// `w` bytes (granularity, min, max, translation, length).
static err_t aml_res_addr(struct aml_resource *r, const uint8_t *d, uint32_t n,
                          unsigned w, bool ext)
{
	const uint8_t *v = d + (ext ? 5 : 3);
	uint64_t x[6];
	unsigned i, cnt = ext ? 6 : 5;

	if (n < (ext ? 5u : 3u) + cnt * w)
		return E_CORRUPT;
	for (i = 0; i < cnt; i++, v += w)
		x[i] = w == 2 ? rd16(v) : w == 4 ? rd32(v) : rd64(v);
	r->type = AML_RES_ADDRESS;
	r->addr.width = (uint8_t)(ext ? 0 : w * 8);
	r->addr.space = d[0];
	r->addr.producer = !(d[1] & 1);
	r->addr.subtractive = (d[1] >> 1) & 1;
	r->addr.min_fixed = (d[1] >> 2) & 1;
	r->addr.max_fixed = (d[1] >> 3) & 1;
	r->addr.type_flags = d[2];
	r->addr.gran = x[0];
	r->addr.min = x[1];
	r->addr.max = x[2];
	r->addr.translation = x[3];
	r->addr.len = x[4];
	r->addr.attrib = ext ? x[5] : 0;
	if (!ext)
		aml_res_source(r, d, 3 + 5 * w, n);
	return 0;
}

static err_t aml_res_ext_irq(struct aml_resource *r, const uint8_t *d,
                             uint32_t n)
{
	uint32_t i, cnt;

	if (n < 2 || n < 2 + 4u * d[1] || d[1] == 0)
		return E_CORRUPT;
	r->type = AML_RES_IRQ;
	r->irq.extended = true;
	r->irq.consumer = d[0] & 1;
	r->irq.edge = (d[0] >> 1) & 1;
	r->irq.active_low = (d[0] >> 2) & 1;
	r->irq.shared = (d[0] >> 3) & 1;
	r->irq.wake = (d[0] >> 4) & 1;
	cnt = d[1];
	r->irq.count = cnt;
	for (i = 0; i < cnt && i < AML_RES_MAX_IRQ; i++)
		r->irq.list[i] = rd32(d + 2 + 4 * i);
	aml_res_source(r, d, 2 + 4 * cnt, n);
	return 0;
}

// Offsets inside GPIO and serial-bus descriptors count from the tag byte
// (3 bytes before d).
static const char *aml_res_name_at(const uint8_t *d, uint32_t n, uint32_t off)
{
	if (off < 3 || off - 3 >= n || !memchr(d + off - 3, 0, n - (off - 3)))
		return NULL;
	return (const char *)d + off - 3;
}

static err_t aml_res_gpio(struct aml_resource *r, const uint8_t *d, uint32_t n)
{
	uint16_t pins, name, vend, vlen;

	if (n < 20)
		return E_CORRUPT;
	pins = rd16(d + 11);
	name = rd16(d + 14);
	vend = rd16(d + 16);
	vlen = rd16(d + 18);
	if (pins < 23 || name < pins || name - 3 > n || (name - pins) % 2)
		return E_CORRUPT;
	r->type = AML_RES_GPIO;
	r->gpio.io = d[1] == 1;
	r->gpio.consumer = rd16(d + 2) & 1;
	r->gpio.flags = rd16(d + 4);
	r->gpio.pull = d[6];
	r->gpio.drive = rd16(d + 7);
	r->gpio.debounce = rd16(d + 9);
	r->gpio.npins = (uint16_t)((name - pins) / 2);
	r->gpio.pins = d + pins - 3;
	r->source_index = d[13];
	r->source = aml_res_name_at(d, n, name);
	if (vlen && vend >= 3 && vend - 3 + (uint32_t)vlen <= n) {
		r->gpio.vendor = d + vend - 3;
		r->gpio.vendor_len = vlen;
	}
	return 0;
}

static err_t aml_res_serial(struct aml_resource *r, const uint8_t *d,
                            uint32_t n)
{
	uint16_t tlen;
	const uint8_t *t = d + 9;

	if (n < 9)
		return E_CORRUPT;
	tlen = rd16(d + 7);
	if (9u + tlen > n)
		return E_CORRUPT;
	r->type = AML_RES_SERIAL;
	r->serial.bus = d[2];
	r->serial.consumer = (d[3] >> 1) & 1;
	r->serial.slave_mode = d[3] & 1;
	r->serial.type_flags = rd16(d + 4);
	r->source_index = d[1];
	r->source = (9u + tlen < n && memchr(t + tlen, 0, n - 9 - tlen))
	                ? (const char *)t + tlen
	                : NULL;
	if (r->serial.bus == AML_SERIAL_I2C && tlen >= 6) {
		r->serial.speed = rd32(t);
		r->serial.address = rd16(t + 4);
	} else if (r->serial.bus == AML_SERIAL_SPI && tlen >= 9) {
		r->serial.speed = rd32(t);
		r->serial.data_bits = t[4];
		r->serial.address = rd16(t + 7); // device selection
	} else if (r->serial.bus == AML_SERIAL_UART && tlen >= 10) {
		r->serial.speed = rd32(t); // baud rate
		r->serial.data_bits = (uint8_t)(5 + ((rd16(d + 4) >> 4) & 7));
	}
	return 0;
}

static err_t aml_res_large(struct aml_resource *r, uint8_t type,
                           const uint8_t *d, uint32_t n)
{
	switch (type) {
	case 0x01: // 24-bit memory range (in 256-byte units)
		if (n < 9)
			return E_CORRUPT;
		r->type = AML_RES_MEMORY;
		r->mem.writable = d[0] & 1;
		r->mem.min = (uint64_t)rd16(d + 1) << 8;
		r->mem.max = (uint64_t)rd16(d + 3) << 8;
		r->mem.align = rd16(d + 5);
		r->mem.len = (uint64_t)rd16(d + 7) << 8;
		return 0;
	case 0x02: // Generic Register
		if (n < 12)
			return E_CORRUPT;
		r->type = AML_RES_REGISTER;
		r->reg.space = d[0];
		r->reg.bit_width = d[1];
		r->reg.bit_offset = d[2];
		r->reg.access = d[3];
		r->reg.addr = rd64(d + 4);
		return 0;
	case 0x04:
		r->type = AML_RES_VENDOR;
		r->vendor.data = d;
		r->vendor.len = n;
		return 0;
	case 0x05: // 32-bit memory range
		if (n < 17)
			return E_CORRUPT;
		r->type = AML_RES_MEMORY;
		r->mem.writable = d[0] & 1;
		r->mem.min = rd32(d + 1);
		r->mem.max = rd32(d + 5);
		r->mem.align = rd32(d + 9);
		r->mem.len = rd32(d + 13);
		return 0;
	case 0x06: // 32-bit fixed memory range
		if (n < 9)
			return E_CORRUPT;
		r->type = AML_RES_MEMORY;
		r->mem.fixed = true;
		r->mem.writable = d[0] & 1;
		r->mem.min = r->mem.max = rd32(d + 1);
		r->mem.len = rd32(d + 5);
		return 0;
	case 0x07: return aml_res_addr(r, d, n, 4, false);
	case 0x08: return aml_res_addr(r, d, n, 2, false);
	case 0x09: return aml_res_ext_irq(r, d, n);
	case 0x0a: return aml_res_addr(r, d, n, 8, false);
	case 0x0b: return aml_res_addr(r, d, n, 8, true);
	case 0x0c: return aml_res_gpio(r, d, n);
	case 0x0e: return aml_res_serial(r, d, n);
	default: r->type = AML_RES_OTHER; return 0;
	}
}

err_t aml_res_next(const uint8_t *buf, size_t len, size_t *off,
                   struct aml_resource *r)
{
	const uint8_t *d;
	uint32_t n, hdr;
	uint8_t tag;
	err_t e;

	memset(r, 0, sizeof(*r));
	if (*off >= len)
		return E_NOENT; // no End Tag: tolerated
	tag = buf[*off];
	if (tag & 0x80) {
		if (len - *off < 3)
			return E_CORRUPT;
		n = rd16(buf + *off + 1);
		hdr = 3;
	} else {
		n = tag & 7;
		hdr = 1;
	}
	if (n > len - *off - hdr)
		return E_CORRUPT;
	d = buf + *off + hdr;
	r->tag = tag & 0x80 ? tag : (uint8_t)(tag >> 3);
	e = tag & 0x80 ? aml_res_large(r, tag & 0x7f, d, n)
	               : aml_res_small(r, (tag >> 3) & 0xf, d, n);
	if (e)
		return e;
	*off += hdr + n;
	return r->type == AML_RES_END ? E_NOENT : 0;
}

uint32_t aml_res_gpio_pin(const struct aml_resource *r, unsigned i)
{
	return i < r->gpio.npins ? rd16(r->gpio.pins + 2 * i) : 0;
}

// ---- printing (host tool, namespace dump)
// ----------------------------------

static const char *const aml_space_names[] = {"mem", "io", "bus"};

size_t aml_res_format(const struct aml_resource *r, char *buf, size_t size)
{
	const char *sp;
	size_t n = 0;
	unsigned i;

	switch (r->type) {
	case AML_RES_IRQ:
		n = ksnprintf(buf, size, "%s %s %s%s",
		              r->irq.extended ? "ExtIRQ" : "IRQ",
		              r->irq.edge ? "edge" : "level",
		              r->irq.active_low ? "low" : "high",
		              r->irq.shared ? " shared" : "");
		for (i = 0; i < r->irq.count && i < AML_RES_MAX_IRQ && n < size;
		     i++)
			n += ksnprintf(buf + n, size - n, "%s%u", i ? "," : " ",
			               r->irq.list[i]);
		break;
	case AML_RES_DMA:
		n = ksnprintf(buf, size, "DMA mask 0x%x", r->dma.mask);
		break;
	case AML_RES_FIXED_DMA:
		n = ksnprintf(buf, size, "FixedDMA req %u chan %u",
		              r->dma.request, r->dma.channel);
		break;
	case AML_RES_IO:
		n = ksnprintf(buf, size, "IO 0x%x-0x%x len 0x%x%s", r->io.min,
		              r->io.max, r->io.len,
		              r->io.fixed ? " fixed" : "");
		break;
	case AML_RES_MEMORY:
		n = ksnprintf(
		    buf, size, "Mem 0x%lx-0x%lx len 0x%lx%s%s",
		    (unsigned long)r->mem.min, (unsigned long)r->mem.max,
		    (unsigned long)r->mem.len, r->mem.fixed ? " fixed" : "",
		    r->mem.writable ? " rw" : " ro");
		break;
	case AML_RES_ADDRESS:
		sp = r->addr.space < 3 ? aml_space_names[r->addr.space]
		                       : "other";
		n = ksnprintf(
		    buf, size, "Addr%u %s 0x%lx-0x%lx len 0x%lx tra 0x%lx%s",
		    r->addr.width, sp, (unsigned long)r->addr.min,
		    (unsigned long)r->addr.max, (unsigned long)r->addr.len,
		    (unsigned long)r->addr.translation,
		    r->addr.producer ? " producer" : "");
		break;
	case AML_RES_REGISTER:
		n = ksnprintf(buf, size, "Register space %u 0x%lx",
		              r->reg.space, (unsigned long)r->reg.addr);
		break;
	case AML_RES_GPIO:
		n = ksnprintf(buf, size, "Gpio%s %s pins",
		              r->gpio.io ? "Io" : "Int",
		              r->source ? r->source : "?");
		for (i = 0; i < r->gpio.npins && n < size; i++)
			n += ksnprintf(buf + n, size - n, "%s%u", i ? "," : " ",
			               aml_res_gpio_pin(r, i));
		break;
	case AML_RES_SERIAL:
		n = ksnprintf(buf, size, "Serial%s %s addr 0x%x speed %u",
		              r->serial.bus == AML_SERIAL_I2C    ? "I2C"
		              : r->serial.bus == AML_SERIAL_SPI  ? "SPI"
		              : r->serial.bus == AML_SERIAL_UART ? "UART"
		                                                 : "Bus",
		              r->source ? r->source : "?", r->serial.address,
		              r->serial.speed);
		break;
	case AML_RES_START_DEP:
		n = ksnprintf(buf, size, "StartDependentFn");
		break;
	case AML_RES_END_DEP: n = ksnprintf(buf, size, "EndDependentFn"); break;
	case AML_RES_VENDOR:
		n = ksnprintf(buf, size, "Vendor %u bytes", r->vendor.len);
		break;
	default: n = ksnprintf(buf, size, "descriptor 0x%x", r->tag); break;
	}
	return MIN(n, size ? size - 1 : 0);
}

// ---- _PRT
// ----------------------------------------------------------------------

// The first interrupt of a link device's current resources (_CRS).
static err_t aml_prt_link(struct aml_ctx *ctx, const char *link,
                          struct aml_prt_entry *pe)
{
	char path[AML_PRT_PATH];
	struct aml_resource r;
	struct aml_value v;
	const uint8_t *b;
	size_t len = 0, off = 0;
	err_t e;

	ksnprintf(path, sizeof(path), "%s._CRS", link);
	e = aml_eval(ctx, path, NULL, 0, &v);
	if (e)
		return e;
	b = aml_value_buf(&v, &len);
	e = E_NOENT;
	while (b && !aml_res_next(b, len, &off, &r)) {
		if (r.type == AML_RES_IRQ && r.irq.count) {
			pe->gsi = r.irq.list[0];
			pe->edge = r.irq.edge;
			pe->active_low = r.irq.active_low;
			e = 0;
			break;
		}
	}
	aml_value_put(ctx, &v);
	return e;
}

static bool aml_prt_decode(struct aml_ctx *ctx, const struct aml_value *ev,
                           struct aml_prt_entry *pe)
{
	const struct aml_value *el;
	uint64_t x[4] = {0};
	unsigned i;

	if (ev->type != AML_PACKAGE || ev->o->pkg.count < 4)
		return false;
	el = ev->o->pkg.elems;
	memset(pe, 0, sizeof(*pe));
	for (i = 0; i < 4; i++)
		if (i != 2 && aml_to_int(ctx, &el[i], UINT64_MAX, false, &x[i]))
			return false;
	pe->dev = (uint32_t)(x[0] >> 16);
	pe->pin = (uint8_t)x[1];
	if (el[2].type == AML_NODE) {
		aml_node_path(el[2].n, pe->link, sizeof(pe->link));
	} else if (el[2].type == AML_STRING) {
		ksnprintf(pe->link, sizeof(pe->link), "%s",
		          (const char *)el[2].o->buf.data);
	} else {
		// Source Zero: SourceIndex is the GSI; level, active low.
		pe->gsi = (uint32_t)x[3];
		pe->active_low = true;
	}
	return true;
}

static void aml_prt_resolve(struct aml_ctx *ctx, const char *bridge, char *link)
{
	struct aml_node *b, *n = NULL;

	aml_ctx_lock(ctx);
	b = aml_ns_lookup_path(ctx, NULL, bridge);
	if (b)
		n = aml_ns_lookup_path(ctx, b, link);
	if (n)
		aml_node_path(n, link, AML_PRT_PATH);
	aml_ctx_unlock(ctx);
}

err_t aml_prt_walk(struct aml_ctx *ctx, const char *bridge,
                   bool (*fn)(void *arg, const struct aml_prt_entry *e),
                   void *arg)
{
	char path[AML_PRT_PATH];
	struct aml_prt_entry pe;
	struct aml_value v;
	uint32_t i;
	err_t e;

	ksnprintf(path, sizeof(path), "%s._PRT", bridge);
	e = aml_eval(ctx, path, NULL, 0, &v);
	if (e)
		return e;
	if (v.type != AML_PACKAGE) {
		aml_value_put(ctx, &v);
		return E_INVAL;
	}
	for (i = 0; i < v.o->pkg.count; i++) {
		if (!aml_prt_decode(ctx, &v.o->pkg.elems[i], &pe)) {
			aml_log(ctx, 3, "%s: entry %u is malformed", path, i);
			ctx->stats.errors++;
			continue;
		}
		// A name that did not resolve when the package was built
		// is looked up now from the bridge, with the search rules.
		if (pe.link[0] && pe.link[0] != '\\')
			aml_prt_resolve(ctx, bridge, pe.link);
		if (pe.link[0] && aml_prt_link(ctx, pe.link, &pe))
			pe.gsi = UINT32_MAX; // link without a current IRQ
		if (!fn(arg, &pe))
			break;
	}
	aml_value_put(ctx, &v);
	return 0;
}
