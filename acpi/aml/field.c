// SPDX-License-Identifier: MIT
// Operation regions, field units (Field, IndexField, BankField) and buffer
// fields. A field is accessed in units of its access width: each unit that
// the field overlaps is read (and, when the field does not cover it whole,
// merged according to the update rule before it is written back). Bits are
// little-endian throughout, as in ACPI.
//
// Address spaces: SystemMemory, SystemIO and PCI_Config go to the host
// interface; every other space goes to a handler registered with
// aml_region_handler_add(), and without one the access is an error.
// Fields of the buffer-access spaces (SMBus, IPMI, GenericSerialBus, PCC,
// PRM) are not split into access units: each read or write hands the
// whole protocol buffer to the space's buffer handler (host.h).
//
// Locking: caller holds the interpreter lock.
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

static err_t aml_fu_read(struct aml_ctx *ctx, struct aml_node *node,
                         struct aml_obj *fu, uint64_t ones,
                         struct aml_value *out);
static err_t aml_fu_write(struct aml_ctx *ctx, struct aml_node *node,
                          struct aml_obj *fu, const struct aml_value *v,
                          uint64_t ones);

static uint64_t aml_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
}

// Copies n (<= 64) bits into data at bit position pos.
static void aml_bits_put(uint8_t *data, uint32_t pos, uint64_t v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++, pos++) {
		uint8_t bit = (uint8_t)(1u << (pos & 7));

		if ((v >> i) & 1)
			data[pos >> 3] |= bit;
		else
			data[pos >> 3] &= (uint8_t)~bit;
	}
}

static uint64_t aml_bits_get(const uint8_t *data, uint32_t pos, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++, pos++)
		v |= (uint64_t)((data[pos >> 3] >> (pos & 7)) & 1) << i;
	return v;
}

// ---- address spaces ---------------------------------------------------------

static err_t aml_eval_int(struct aml_ctx *ctx, struct aml_node *scope,
                          const char *name, uint64_t *out)
{
	struct aml_node *n = aml_ns_lookup_path(ctx, scope, name);
	struct aml_value v;
	err_t e;

	if (!n || n->parent != scope)
		return E_NOENT;
	e = aml_eval_node(ctx, n, NULL, 0, &v);
	if (!e)
		e = aml_to_int(ctx, &v, UINT64_MAX, false, out);
	aml_val_put(ctx, &v);
	return e;
}

// PCI_Config: device/function from the parent's _ADR, bus and segment from
// the nearest ancestor with _BBN / _SEG (the host bridge).
static err_t aml_pci_resolve(struct aml_ctx *ctx, struct aml_obj *r)
{
	struct aml_node *dev, *s;
	uint64_t adr = 0, bbn = 0, seg = 0;
	bool have_bbn = false, have_seg = false;

	if (ctx->pci_depth > 4)
		return E_RANGE;
	if (!r->region.node) { // its name was replaced before first use
		aml_error(ctx, NULL, "PCI_Config region without a device");
		return E_NOENT;
	}
	dev = r->region.node->parent;
	ctx->pci_depth++;
	(void)aml_eval_int(ctx, dev, "_ADR", &adr);
	// A host bridge (it has _HID) carries its own bus number; any other
	// device sits on the bus its parent bridge gives.
	s = aml_ns_lookup_path(ctx, dev, "_HID");
	s = s && s->parent == dev ? dev : dev->parent;
	for (; s && (!have_bbn || !have_seg); s = s->parent) {
		if (!have_bbn && !aml_eval_int(ctx, s, "_BBN", &bbn))
			have_bbn = true;
		if (!have_seg && !aml_eval_int(ctx, s, "_SEG", &seg))
			have_seg = true;
	}
	ctx->pci_depth--;
	r->region.pci_seg = (uint16_t)seg;
	r->region.pci_bus = (uint8_t)bbn;
	r->region.pci_dev = (uint8_t)((adr >> 16) & 0x1f);
	r->region.pci_fn = (uint8_t)(adr & 7);
	r->region.pci_valid = true;
	return 0;
}

// rn: the region's name for messages (NULL: "region" is printed).
static void aml_region_name(struct aml_node *rn, char *path, size_t size)
{
	if (rn)
		aml_node_path(rn, path, size);
	else
		ksnprintf(path, size, "region");
}

static err_t aml_region_io(struct aml_ctx *ctx, struct aml_obj *r, bool write,
                           uint64_t off, unsigned width, uint64_t *val)
{
	struct aml_node *rn = r->region.node;
	const struct aml_host *h = &ctx->host;
	uint64_t addr = r->region.base + off;
	struct aml_region_handler *rh;
	char path[128];
	err_t e;

	if (off + width > r->region.len) {
		aml_region_name(rn, path, sizeof(path));
		aml_error(ctx, NULL,
		          "%s: access at 0x%lx+%u past its end 0x%lx", path,
		          (unsigned long)off, width,
		          (unsigned long)r->region.len);
		return E_RANGE;
	}
	if (r->region.tdata) { // DataTableRegion: the table's bytes
		if (write) {
			aml_region_name(rn, path, sizeof(path));
			aml_error(ctx, NULL, "%s: write to a DataTableRegion",
			          path);
			return E_INVAL;
		}
		*val = 0;
		for (unsigned i = 0; i < width; i++)
			*val |= (uint64_t)r->region.tdata[off + i] << (8 * i);
		return 0;
	}
	rh = &ctx->handlers[r->region.space];
	if (rh->fn)
		return rh->fn(rh->arg, write, addr, width, val);
	if (!write)
		*val = aml_mask(width * 8);
	switch (r->region.space) {
	case ACPI_SPACE_MEMORY:
		if (write)
			return h->mem_write
			           ? h->mem_write(h->ctx, addr, width, *val)
			           : 0;
		return h->mem_read ? h->mem_read(h->ctx, addr, width, val) : 0;
	case ACPI_SPACE_IO:
		if (write)
			return h->io_write ? h->io_write(h->ctx, (uint32_t)addr,
			                                 width, *val)
			                   : 0;
		return h->io_read
		           ? h->io_read(h->ctx, (uint32_t)addr, width, val)
		           : 0;
	case ACPI_SPACE_PCI_CONFIG:
		if (!r->region.pci_valid) {
			e = aml_pci_resolve(ctx, r);
			if (e)
				return e;
		}
		if (write)
			return h->pci_write
			           ? h->pci_write(h->ctx, r->region.pci_seg,
			                          r->region.pci_bus,
			                          r->region.pci_dev,
			                          r->region.pci_fn,
			                          (uint16_t)addr, width, *val)
			           : 0;
		return h->pci_read
		           ? h->pci_read(h->ctx, r->region.pci_seg,
		                         r->region.pci_bus, r->region.pci_dev,
		                         r->region.pci_fn, (uint16_t)addr,
		                         width, val)
		           : 0;
	default:
		aml_region_name(rn, path, sizeof(path));
		aml_error(ctx, NULL, "%s: no handler for address space 0x%x",
		          path, r->region.space);
		return E_NOTSUP;
	}
}

err_t aml_region_read_bytes(struct aml_ctx *ctx, struct aml_node *rn,
                            uint64_t off, uint32_t len, uint8_t *buf)
{
	uint64_t v;
	uint32_t i;
	err_t e;

	for (i = 0; i < len; i++) {
		e = aml_region_io(ctx, rn->val.o, false, off + i, 1, &v);
		if (e)
			return e;
		buf[i] = (uint8_t)v;
	}
	return 0;
}

// ---- buffer-access fields
// ----------------------------------------------------------

bool aml_space_bufacc(uint8_t space)
{
	return space == AML_SPACE_SMBUS || space == AML_SPACE_IPMI ||
	       space == AML_SPACE_GSBUS || space == AML_SPACE_PCC ||
	       space == AML_SPACE_PRM;
}

bool aml_space_handled(struct aml_ctx *ctx, uint8_t space)
{
	const struct aml_region_handler *rh = &ctx->handlers[space];

	if (aml_space_bufacc(space))
		return rh->bfn || ctx->host.region_buffer;
	return rh->fn;
}

// GenericSerialBus data bytes by protocol (ACPI 6.5 5.5.2.4, the
// AccessAttrib values of AccessAs / ExtendedAccessField).
static uint32_t aml_gsb_data_len(uint8_t attrib, uint8_t access_len)
{
	switch (attrib) {
	case 0x02: return 0;          // AttribQuick
	case 0x04:                    // AttribSendReceive
	case 0x06: return 1;          // AttribByte
	case 0x08:                    // AttribWord
	case 0x0c: return 2;          // AttribProcessCall
	case 0x0b:                    // AttribBytes (n)
	case 0x0e:                    // AttribRawBytes (n)
	case 0x0f: return access_len; // AttribRawProcessBytes (n)
	default: return 255;          // Block, BlockProcessCall, unknown
	}
}

static uint32_t aml_bufacc_len(const struct aml_obj *fu, uint8_t space)
{
	switch (space) {
	case AML_SPACE_SMBUS: return 2 + 32;
	case AML_SPACE_IPMI: return 2 + 64;
	case AML_SPACE_GSBUS:
		return 2 +
		       aml_gsb_data_len(fu->field.attrib, fu->field.access_len);
	default: return (fu->field.bit_len + 7) / 8; // PCC, PRM
	}
}

bool aml_field_is_bufacc(const struct aml_obj *fu)
{
	return fu->field.kind != AML_FK_INDEX && fu->field.region &&
	       aml_space_bufacc(fu->field.region->region.space);
}

// The ConnectField resource: inline, or a Buffer named by a NameString
// (conn_name; conn_len then bounds the name), found from the field's scope
// when it is accessed.
static void aml_field_conn(struct aml_ctx *ctx, struct aml_node *node,
                           const struct aml_obj *fu, struct aml_bufacc *a)
{
	const uint8_t *p = fu->field.conn_name;
	struct aml_name nm;
	struct aml_node *n;

	if (!p) {
		a->conn = fu->field.conn;
		a->conn_len = fu->field.conn ? fu->field.conn_len : 0;
		return;
	}
	if (!node || aml_name_parse(&p, p + fu->field.conn_len, &nm))
		return;
	n = aml_ns_lookup(ctx, node->parent, &nm);
	if (n && (n = aml_node_follow(n))->val.type == AML_BUFFER) {
		a->conn = n->val.o->buf.data;
		a->conn_len = n->val.o->buf.len;
	}
}

// One buffer-access transaction: src NULL for a read. *out receives the
// protocol buffer (the field's value, or the write's response).
// node: the unit's name (NULL for a register of an IndexField/BankField).
static err_t aml_field_bufacc(struct aml_ctx *ctx, struct aml_node *node,
                              struct aml_obj *fu, const struct aml_value *src,
                              uint64_t ones, struct aml_value *out)
{
	struct aml_obj *r = fu->field.region;
	struct aml_region_handler *rh = &ctx->handlers[r->region.space];
	struct aml_bufacc a = {0};
	struct aml_value b;
	char path[128];
	err_t e;

	if (fu->field.bit_off / 8 >= r->region.len)
		return E_RANGE;
	if (fu->field.kind == AML_FK_BANK) { // select the bank first
		b = aml_int(fu->field.bank_val);
		e = aml_fu_write(ctx, NULL, fu->field.bank, &b, UINT64_MAX);
		if (e)
			return e;
	}
	if (!rh->bfn && !ctx->host.region_buffer) {
		aml_region_name(node, path, sizeof(path));
		aml_error(ctx, NULL, "%s: no handler for address space 0x%x",
		          path, r->region.space);
		return E_NOTSUP;
	}
	out->o = aml_buf_new(ctx, NULL, aml_bufacc_len(fu, r->region.space));
	if (!out->o)
		return E_NOMEM;
	out->type = AML_BUFFER;
	out->aux = 0;
	if (src) {
		e = aml_to_buf(ctx, src, ones, &b);
		if (e) {
			aml_val_put(ctx, out);
			return e;
		}
		memcpy(out->o->buf.data, b.o->buf.data,
		       MIN(b.o->buf.len, out->o->buf.len));
		aml_val_put(ctx, &b);
	}
	a.space = r->region.space;
	a.write = src != NULL;
	a.attrib = fu->field.attrib;
	a.access_len = fu->field.access_len;
	a.addr = r->region.base + fu->field.bit_off / 8;
	a.bit_len = fu->field.bit_len;
	a.buf = out->o->buf.data;
	a.len = out->o->buf.len;
	aml_field_conn(ctx, node, fu, &a);
	if (fu->field.flags & 0x10 && ctx->host.global_lock)
		ctx->host.global_lock(ctx->host.ctx, true);
	e = rh->bfn ? rh->bfn(rh->barg, &a)
	            : ctx->host.region_buffer(ctx->host.ctx, &a);
	if (fu->field.flags & 0x10 && ctx->host.global_lock)
		ctx->host.global_lock(ctx->host.ctx, false);
	if (e)
		aml_val_put(ctx, out);
	return e;
}

// ---- field units
// -----------------------------------------------------------------

static unsigned aml_access_width(const struct aml_obj *fu)
{
	return fu->field.access;
}

// Reads or writes one access unit (byte offset `off`, `w` bytes) of a field.
static err_t aml_unit_io(struct aml_ctx *ctx, struct aml_obj *fu, bool write,
                         uint64_t off, unsigned w, uint64_t *val)
{
	struct aml_value v;
	err_t e;

	switch (fu->field.kind) {
	case AML_FK_BANK:
		v = aml_int(fu->field.bank_val);
		e = aml_fu_write(ctx, NULL, fu->field.bank, &v, UINT64_MAX);
		if (e)
			return e;
		// fall through
	case AML_FK_FIELD:
		return aml_region_io(ctx, fu->field.region, write, off, w, val);
	default: // AML_FK_INDEX: select with the index register, then data
		v = aml_int(off);
		e = aml_fu_write(ctx, NULL, fu->field.index, &v, UINT64_MAX);
		if (e)
			return e;
		if (write) {
			v = aml_int(*val);
			return aml_fu_write(ctx, NULL, fu->field.data, &v,
			                    UINT64_MAX);
		}
		e = aml_fu_read(ctx, NULL, fu->field.data, UINT64_MAX, &v);
		if (!e && aml_to_int(ctx, &v, UINT64_MAX, false, val))
			e = E_INVAL;
		aml_val_put(ctx, &v);
		return e;
	}
}

static uint64_t aml_field_units(const struct aml_obj *fu)
{
	uint32_t ubits = aml_access_width(fu) * 8u;

	return (fu->field.bit_off % ubits + (uint64_t)fu->field.bit_len +
	        ubits - 1) /
	       ubits;
}

// Work units (aml_work) of one access to a field: its access units, each
// with the register writes (and reads) it needs. Those registers charge
// their own accesses again when they run: the sum stays bounded.
static uint64_t aml_field_cost(const struct aml_obj *fu)
{
	uint64_t per = 1;

	if (fu->field.kind == AML_FK_INDEX)
		per += aml_field_units(fu->field.index) +
		       aml_field_units(fu->field.data);
	else if (fu->field.kind == AML_FK_BANK)
		per += aml_field_units(fu->field.bank);
	return aml_field_units(fu) * per;
}

// Walks the access units a field overlaps; reads into / writes from data.
static err_t aml_field_xfer(struct aml_ctx *ctx, struct aml_obj *fu,
                            uint8_t *data, bool write)
{
	unsigned w = aml_access_width(fu), ubits = w * 8, lo, n;
	uint32_t fs = fu->field.bit_off, fe = fs + fu->field.bit_len, ub;
	uint8_t rule = (fu->field.flags >> 5) & 3;
	uint64_t val, m;
	err_t e;

	// Charged before the first access, registers included, so a field
	// too wide for the budget is not touched at all.
	e = aml_work(ctx, aml_field_cost(fu), "field access");
	if (e)
		return e;
	if (fu->field.flags & 0x10 && ctx->host.global_lock)
		ctx->host.global_lock(ctx->host.ctx, true);
	for (ub = fs - fs % ubits; ub < fe && !e; ub += ubits) {
		lo = ub < fs ? fs - ub : 0;
		n = (unsigned)(MIN(fe, ub + ubits) - ub) - lo;
		if (!write) {
			e = aml_unit_io(ctx, fu, false, ub / 8, w, &val);
			if (!e)
				aml_bits_put(data, ub + lo - fs, val >> lo, n);
			continue;
		}
		m = aml_mask(n) << lo;
		val = 0;
		if (m != aml_mask(ubits)) {
			if (rule == 0)
				e = aml_unit_io(ctx, fu, false, ub / 8, w,
				                &val);
			else if (rule == 1)
				val = aml_mask(ubits);
		}
		val = (val & ~m) |
		      ((aml_bits_get(data, ub + lo - fs, n) << lo) & m);
		if (!e)
			e = aml_unit_io(ctx, fu, true, ub / 8, w, &val);
	}
	if (fu->field.flags & 0x10 && ctx->host.global_lock)
		ctx->host.global_lock(ctx->host.ctx, false);
	return e;
}

// Field and buffer-field values: Integer when they fit, Buffer otherwise.
static err_t aml_bits_value(struct aml_ctx *ctx, uint32_t bits, uint64_t ones,
                            struct aml_value *out, uint8_t **data)
{
	static uint8_t dummy[8];

	if (bits <= (ones == UINT64_MAX ? 64u : 32u)) {
		*out = aml_int(0);
		*data = (uint8_t *)&out->i; // little-endian: bytes of the value
		return 0;
	}
	out->o = aml_buf_new(ctx, NULL, (bits + 7) / 8);
	if (!out->o) {
		*data = dummy;
		return E_NOMEM;
	}
	out->type = AML_BUFFER;
	out->aux = 0;
	*data = out->o->buf.data;
	return 0;
}

// A field unit's value; node is its name (NULL for the registers of an
// IndexField or BankField, which the unit holds as objects).
static err_t aml_fu_read(struct aml_ctx *ctx, struct aml_node *node,
                         struct aml_obj *fu, uint64_t ones,
                         struct aml_value *out)
{
	uint8_t *data;
	err_t e;

	if (aml_field_is_bufacc(fu))
		return aml_field_bufacc(ctx, node, fu, NULL, ones, out);
	e = aml_bits_value(ctx, fu->field.bit_len, ones, out, &data);
	if (!e)
		e = aml_field_xfer(ctx, fu, data, false);
	if (e)
		aml_val_put(ctx, out);
	return e;
}

// The source value as little-endian bytes, zero-extended to `bits`.
static err_t aml_bits_source(struct aml_ctx *ctx, const struct aml_value *v,
                             uint32_t bits, uint8_t **data, size_t *alloc)
{
	size_t n = (bits + 7) / 8 + 8, len = 0;
	const uint8_t *src = NULL;
	uint64_t x = 0;
	unsigned i;

	*data = aml_alloc(ctx, n);
	if (!*data)
		return E_NOMEM;
	*alloc = n;
	memset(*data, 0, n);
	if (v->type == AML_INTEGER) {
		x = v->i;
		for (i = 0; i < 8 && i < n; i++)
			(*data)[i] = (uint8_t)(x >> (8 * i));
		return 0;
	}
	if (v->type != AML_BUFFER && v->type != AML_STRING)
		return E_INVAL;
	src = v->o->buf.data;
	len = MIN((size_t)v->o->buf.len, n);
	memcpy(*data, src, len);
	return 0;
}

err_t aml_field_read(struct aml_ctx *ctx, struct aml_node *node, uint64_t ones,
                     struct aml_value *out)
{
	return aml_fu_read(ctx, node, node->val.o, ones, out);
}

static err_t aml_fu_write(struct aml_ctx *ctx, struct aml_node *node,
                          struct aml_obj *fu, const struct aml_value *v,
                          uint64_t ones)
{
	uint8_t *data = NULL;
	struct aml_value ret;
	size_t n = 0;
	err_t e;

	if (aml_field_is_bufacc(fu)) {
		e = aml_field_bufacc(ctx, node, fu, v, ones, &ret);
		if (!e) { // the response: the Store's result (aml_op_store)
			aml_val_put(ctx, &ctx->field_ret);
			aml_val_move(&ctx->field_ret, &ret);
		}
		return e;
	}
	e = aml_bits_source(ctx, v, fu->field.bit_len, &data, &n);
	if (!e)
		e = aml_field_xfer(ctx, fu, data, true);
	if (data)
		aml_free(ctx, data, n);
	return e;
}

err_t aml_field_write(struct aml_ctx *ctx, struct aml_node *node,
                      const struct aml_value *v, uint64_t ones)
{
	return aml_fu_write(ctx, node, node->val.o, v, ones);
}

err_t aml_bfield_read(struct aml_ctx *ctx, struct aml_obj *bf, uint64_t ones,
                      struct aml_value *out)
{
	const uint8_t *src = bf->bfield.buf->buf.data;
	uint32_t i, n = bf->bfield.bit_len, chunk;
	uint8_t *data;
	err_t e = aml_bits_value(ctx, n, ones, out, &data);

	if (e)
		return e;
	if ((uint64_t)bf->bfield.bit_off + n >
	    (uint64_t)bf->bfield.buf->buf.len * 8)
		return 0; // buffer shrank under the field: reads as zero
	for (i = 0; i < n; i += chunk) {
		chunk = MIN(n - i, 64u);
		aml_bits_put(data, i,
		             aml_bits_get(src, bf->bfield.bit_off + i, chunk),
		             chunk);
	}
	return 0;
}

err_t aml_bfield_write(struct aml_ctx *ctx, struct aml_obj *bf,
                       const struct aml_value *v, uint64_t ones)
{
	uint8_t *dst = bf->bfield.buf->buf.data, *data = NULL;
	uint32_t i, n = bf->bfield.bit_len, chunk;
	size_t alloc = 0;
	err_t e = aml_bits_source(ctx, v, n, &data, &alloc);

	if (!e && (uint64_t)bf->bfield.bit_off + n >
	              (uint64_t)bf->bfield.buf->buf.len * 8)
		e = E_RANGE;
	for (i = 0; !e && i < n; i += chunk) {
		chunk = MIN(n - i, 64u);
		aml_bits_put(dst, bf->bfield.bit_off + i,
		             aml_bits_get(data, i, chunk), chunk);
	}
	if (data)
		aml_free(ctx, data, alloc);
	return e;
}

// ---- field lists
// -------------------------------------------------------------------

// AnyAcc: the smallest of 1, 2, 4 bytes that holds the field in one aligned
// unit; byte access otherwise.
static uint8_t aml_any_width(uint32_t off, uint32_t len)
{
	unsigned w;

	for (w = 1; w <= 4; w *= 2)
		if (off / (w * 8) == (off + len - 1) / (w * 8))
			return (uint8_t)w;
	return 1;
}

static uint8_t aml_width_of(uint8_t acc, uint32_t off, uint32_t len)
{
	switch (acc & 0x0f) {
	case 1: return 1;
	case 2: return 2;
	case 3: return 4;
	case 4: return 8;
	default: return aml_any_width(off, len);
	}
}

static err_t aml_field_unit_new(struct aml_ctx *ctx, struct aml_frame *f,
                                const uint8_t *name, const struct aml_obj *tmpl,
                                uint32_t off, uint32_t len)
{
	struct aml_obj *fu = aml_obj_new(ctx, AML_FIELD_UNIT, 0);
	struct aml_node *n;
	struct aml_obj *prev, *next;
	uint32_t rc, size;

	if (!fu)
		return E_NOMEM;
	rc = fu->refcnt; // the template's header is not this object's
	size = fu->size;
	prev = fu->all_prev;
	next = fu->all_next;
	*fu = *tmpl;
	fu->refcnt = rc;
	fu->size = size;
	fu->all_prev = prev;
	fu->all_next = next;
	// The unit's own references (released with it, object.c).
	if (fu->field.region)
		aml_obj_get(fu->field.region);
	if (fu->field.index)
		aml_obj_get(fu->field.index);
	if (fu->field.data)
		aml_obj_get(fu->field.data);
	if (fu->field.bank)
		aml_obj_get(fu->field.bank);
	fu->size = sizeof(*fu);
	fu->field.bit_off = off;
	fu->field.bit_len = len;
	fu->field.access = aml_width_of(tmpl->field.flags, off, len);
	(void)aml_do_create(ctx, f, name, AML_FIELD_UNIT, fu, &n);
	return 0;
}

// ConnectField(BufferData): Buffer's size operand (a constant, as iasl
// emits it) then the resource bytes up to end.
static void aml_conn_buffer(struct aml_obj *t, const uint8_t *q,
                            const uint8_t *end)
{
	static const uint8_t sizes[] = {[0x0a] = 1, [0x0b] = 2, [0x0c] = 4};
	uint32_t n = 0, i, w;

	t->field.conn_name = NULL;
	t->field.conn = NULL;
	t->field.conn_len = 0;
	if (q >= end)
		return;
	if (*q == 0x00 || *q == 0x01) {
		n = *q++;
	} else if (*q < sizeof(sizes) && sizes[*q]) {
		w = sizes[*q++];
		if ((size_t)(end - q) < w)
			return;
		for (i = 0; i < w; i++)
			n |= (uint32_t)q[i] << (8 * i);
		q += w;
	} else {
		return;
	}
	t->field.conn = q;
	t->field.conn_len = MIN(n, (uint32_t)(end - q));
}

err_t aml_field_list(struct aml_ctx *ctx, struct aml_frame *f, const uint8_t *p,
                     const uint8_t *end, const struct aml_obj *tmpl)
{
	struct aml_obj t = *tmpl;
	uint32_t off = 0, len;
	const uint8_t *q;
	struct aml_name nm;
	bool ok;
	err_t e;

	while (p < end) {
		switch (*p) {
		case 0x00: // ReservedField
			p++;
			off += aml_pkglen(&p, end, &ok);
			break;
		case 0x01: // AccessField: AccessType, AccessAttrib
		case 0x03: // ExtendedAccessField: + AccessLength
			if (end - p < (*p == 1 ? 3 : 4))
				return E_TRUNC;
			t.field.flags =
			    (uint8_t)((t.field.flags & 0xf0) | (p[1] & 0x0f));
			t.field.attrib = p[2];
			t.field.access_len = *p == 3 ? p[3] : 0;
			p += *p == 1 ? 3 : 4;
			ok = true;
			break;
		case 0x02: // ConnectField: NameString or BufferData
			p++;
			if (p < end && *p == 0x11) {
				q = ++p;
				len = aml_pkglen(&q, end, &ok);
				ok = ok && len <= (size_t)(end - p);
				if (ok)
					aml_conn_buffer(&t, q, p + len);
				p += ok ? len : 0;
			} else {
				q = p;
				ok = !aml_name_parse(&p, end, &nm);
				t.field.conn = NULL;
				t.field.conn_name = q;
				t.field.conn_len = (uint32_t)(p - q);
			}
			break;
		default:
			if (end - p < 5)
				return E_TRUNC;
			q = p;
			p += 4;
			len = aml_pkglen(&p, end, &ok);
			if (!ok)
				break;
			if (len) {
				e = aml_field_unit_new(ctx, f, q, &t, off, len);
				if (e)
					return e;
			}
			off += len;
			break;
		}
		if (!ok) {
			aml_error(ctx, p, "malformed field list");
			return E_CORRUPT;
		}
	}
	return 0;
}
