// SPDX-License-Identifier: MIT
// Operators that build the namespace (Name, Scope, Device, Method, Field,
// OperationRegion, Create*Field, ...), the data constructors Buffer and
// Package, and the opcode lookup table that ties all handlers together.
//
// Firmware tolerance lives here: a Scope (or the parent path of a new name)
// that does not resolve is reported and its body skipped; a name defined
// twice keeps its first definition and the second one's body is skipped.
//
// Locking: caller holds the interpreter lock.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

extern const struct aml_opdesc aml_ctl_ops[];
extern const struct aml_opdesc aml_expr_ops[];
static const struct aml_opdesc aml_ns_ops[];

err_t aml_do_create(struct aml_ctx *ctx, struct aml_frame *f,
                    const uint8_t *name, uint8_t type, struct aml_obj *obj,
                    struct aml_node **out)
{
	const uint8_t *p = name;
	struct aml_node *parent, *n;
	struct aml_name nm;
	char path[128];
	uint32_t seg;
	err_t e;

	*out = NULL;
	e = aml_name_parse(&p, f->end, &nm);
	if (e)
		goto fail;
	parent = aml_ns_parent_for(ctx, f->scope, &nm, &seg);
	if (!parent) {
		aml_name_str(&nm, path, sizeof(path));
		aml_error(ctx, name, "cannot create %s: scope not found", path);
		e = E_NOENT;
		goto fail;
	}
	e = aml_ns_add(ctx, parent, seg, &n);
	if (e == E_EXIST && f->is_load && ctx->cur_owner &&
	    ctx->tables[ctx->cur_owner - 1].reload) {
		// A table loaded again: its names exist, skipped quietly.
	} else if (e == E_EXIST) {
		aml_node_path(n, path, sizeof(path));
		aml_error(ctx, name, "%s already exists (keeping the first)",
		          path);
	}
	if (e)
		goto fail;
	n->val.type = type;
	n->val.o = obj;
	if (type == AML_METHOD)
		obj->method.node = n;
	else if (type == AML_REGION)
		obj->region.node = n;
	aml_node_created(ctx, f, n);
	*out = n;
	return 0;
fail:
	if (obj)
		aml_obj_put(ctx, obj);
	return e;
}

static err_t aml_op_name(struct aml_ctx *ctx, struct aml_frame *f,
                         struct aml_op *op, struct aml_value *res)
{
	struct aml_value *v = &op->val[0];
	struct aml_node *n;

	if (v->type == AML_NODE || v->type == AML_DEBUG) {
		aml_error(ctx, op->start, "Name: unsupported initial value");
		return 0;
	}
	if (aml_do_create(ctx, f, op->names[0], (uint8_t)v->type, NULL, &n))
		return 0;
	aml_val_move(&n->val, v);
	return 0;
}

static err_t aml_op_alias(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	const uint8_t *p = op->names[0];
	struct aml_node *src, *n;
	struct aml_name nm;
	char path[128];

	if (aml_name_parse(&p, f->end, &nm))
		return E_CORRUPT;
	src = aml_ns_lookup(ctx, f->scope, &nm);
	if (!src) {
		aml_name_str(&nm, path, sizeof(path));
		aml_error(ctx, op->start, "Alias of unknown %s", path);
		return 0;
	}
	if (!aml_do_create(ctx, f, op->names[1], AML_ALIAS, NULL, &n))
		n->val.n = src;
	return 0;
}

static err_t aml_enter_scope(struct aml_ctx *ctx, struct aml_frame *f,
                             struct aml_op *op, struct aml_node *n)
{
	err_t e;

	if (!n) { // reported already: skip the body
		f->pc = op->end;
		return 0;
	}
	e = aml_block_push(ctx, f, AML_BLK_SCOPE, op->end);
	if (!e)
		f->scope = n;
	return e;
}

static err_t aml_op_scope(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	const uint8_t *p = op->names[0];
	struct aml_node *n;
	struct aml_name nm;
	char path[128];

	if (aml_name_parse(&p, f->end, &nm))
		return E_CORRUPT;
	n = aml_ns_lookup(ctx, f->scope, &nm);
	if (!n) {
		aml_name_str(&nm, path, sizeof(path));
		aml_error(ctx, op->start, "Scope(%s): not found, skipped",
		          path);
	}
	return aml_enter_scope(ctx, f, op, n);
}

// Device, ThermalZone, Processor, PowerResource: a named scope.
static err_t aml_op_device(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_obj *o = NULL;
	struct aml_node *n;
	uint8_t type;

	switch (op->desc->code & 0xff) {
	case 0x83:
		type = AML_PROCESSOR;
		o = aml_obj_new(ctx, type, 0);
		if (o) {
			o->proc.id = (uint8_t)op->imm[0];
			o->proc.pblk = (uint32_t)op->imm[1];
			o->proc.pblk_len = (uint8_t)op->imm[2];
		}
		break;
	case 0x84:
		type = AML_POWER_RES;
		o = aml_obj_new(ctx, type, 0);
		if (o) {
			o->power.level = (uint8_t)op->imm[0];
			o->power.order = (uint16_t)op->imm[1];
		}
		break;
	case 0x85: type = AML_THERMAL; break;
	default: type = AML_DEVICE; break;
	}
	if (aml_is_obj_type(type) && !o)
		return E_NOMEM;
	if (aml_do_create(ctx, f, op->names[0], type, o, &n))
		n = NULL;
	return aml_enter_scope(ctx, f, op, n);
}

static err_t aml_op_method(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_obj *m = aml_obj_new(ctx, AML_METHOD, 0);
	struct aml_node *n;

	if (!m)
		return E_NOMEM;
	m->method.code = f->pc;
	m->method.len = (uint32_t)(op->end - f->pc);
	m->method.flags = (uint8_t)op->imm[0];
	m->method.int64 = f->ones == UINT64_MAX;
	f->pc = op->end;
	(void)aml_do_create(ctx, f, op->names[0], AML_METHOD, m, &n);
	return 0;
}

static err_t aml_op_external(struct aml_ctx *ctx, struct aml_frame *f,
                             struct aml_op *op, struct aml_value *res)
{
	return 0; // a declaration for the compiler; nothing to do at run time
}

// DataTableRegion(Name, Signature, OEMID, OEMTableID): a read-only region
// over a firmware table (found through the host's table list).
static void aml_data_table_region(struct aml_ctx *ctx, struct aml_frame *f,
                                  struct aml_op *op, struct aml_obj *r)
{
	struct aml_value s[3];
	const uint8_t *t = NULL;
	size_t len = 0;
	unsigned i, n = 0;

	for (; n < 3; n++)
		if (aml_to_str(ctx, &op->val[n], f->ones, AML_STR_IMPLICIT,
		               &s[n]))
			break;
	if (n == 3)
		t = aml_table_find(ctx, aml_value_str(&s[0]),
		                   aml_value_str(&s[1]), aml_value_str(&s[2]),
		                   &len);
	if (t) {
		r->region.tdata = t;
		r->region.len = len;
	} else {
		aml_error(ctx, op->start, "DataTableRegion: no table %s%s%s",
		          n == 3 ? "'" : "(operands are not strings)",
		          n == 3 ? aml_value_str(&s[0]) : "",
		          n == 3 ? "'" : "");
	}
	for (i = 0; i < n; i++)
		aml_val_put(ctx, &s[i]);
}

static err_t aml_op_region(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_obj *r;
	struct aml_node *n;
	uint64_t base = 0, len = 0;

	if (op->desc->code == (AML_OP_EXT | 0x80)) {
		if (aml_to_int(ctx, &op->val[0], f->ones, false, &base) ||
		    aml_to_int(ctx, &op->val[1], f->ones, false, &len)) {
			aml_error(ctx, op->start,
			          "OperationRegion: offset or length is not "
			          "an integer");
			return 0;
		}
	}
	r = aml_obj_new(ctx, AML_REGION, 0);
	if (!r)
		return E_NOMEM;
	if (op->desc->code == (AML_OP_EXT | 0x88))
		aml_data_table_region(ctx, f, op, r);
	r->region.space =
	    op->desc->code == (AML_OP_EXT | 0x80) ? (uint8_t)op->imm[0] : 0;
	r->region.base = base;
	r->region.len = r->region.tdata ? r->region.len : len;
	// A region a method creates is connected at once (_REG), and
	// disconnected when the method ends (aml_frame_pop).
	if (!aml_do_create(ctx, f, op->names[0], AML_REGION, r, &n) &&
	    f->method)
		aml_reg_region(ctx, n, true);
	return 0;
}

static struct aml_node *aml_find_typed(struct aml_ctx *ctx, struct aml_frame *f,
                                       struct aml_op *op, unsigned i,
                                       uint32_t type)
{
	const uint8_t *p = op->names[i];
	struct aml_node *n;
	struct aml_name nm;
	char path[128];

	if (aml_name_parse(&p, f->end, &nm))
		return NULL;
	n = aml_ns_lookup(ctx, f->scope, &nm);
	if (!n || n->val.type != type) {
		aml_name_str(&nm, path, sizeof(path));
		aml_error(ctx, op->start, "%s: %s is %s, not %s",
		          op->desc->name, path,
		          n ? aml_type_name(n->val.type) : "missing",
		          aml_type_name(type));
		return NULL;
	}
	return n;
}

// The object of the name operand i (not counted: the field units take
// their own references), or NULL.
static struct aml_obj *aml_find_obj(struct aml_ctx *ctx, struct aml_frame *f,
                                    struct aml_op *op, unsigned i,
                                    uint32_t type)
{
	struct aml_node *n = aml_find_typed(ctx, f, op, i, type);

	return n ? n->val.o : NULL;
}

static err_t aml_op_field(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_obj tmpl;
	uint16_t c = op->desc->code & 0xff;
	err_t e;

	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.type = AML_FIELD_UNIT;
	tmpl.field.flags = (uint8_t)op->imm[0];
	if (c == 0x81) {
		tmpl.field.kind = AML_FK_FIELD;
		tmpl.field.region = aml_find_obj(ctx, f, op, 0, AML_REGION);
		e = tmpl.field.region ? 0 : E_NOENT;
	} else if (c == 0x86) {
		tmpl.field.kind = AML_FK_INDEX;
		tmpl.field.index = aml_find_obj(ctx, f, op, 0, AML_FIELD_UNIT);
		tmpl.field.data = aml_find_obj(ctx, f, op, 1, AML_FIELD_UNIT);
		e = tmpl.field.index && tmpl.field.data ? 0 : E_NOENT;
	} else {
		tmpl.field.kind = AML_FK_BANK;
		tmpl.field.region = aml_find_obj(ctx, f, op, 0, AML_REGION);
		tmpl.field.bank = aml_find_obj(ctx, f, op, 1, AML_FIELD_UNIT);
		e = tmpl.field.region && tmpl.field.bank ? 0 : E_NOENT;
		if (!e)
			e = aml_to_int(ctx, &op->val[0], f->ones, false,
			               &tmpl.field.bank_val);
	}
	if (!e)
		e = aml_field_list(ctx, f, f->pc, op->end, &tmpl);
	f->pc = op->end;
	return e == E_NOMEM ? e : 0;
}

static err_t aml_op_mutex_new(struct aml_ctx *ctx, struct aml_frame *f,
                              struct aml_op *op, struct aml_value *res)
{
	bool is_mutex = op->desc->code == (AML_OP_EXT | 0x01);
	struct aml_obj *o =
	    aml_obj_new(ctx, is_mutex ? AML_MUTEX : AML_EVENT, 0);
	struct aml_node *n;

	if (!o)
		return E_NOMEM;
	if (is_mutex)
		o->mutex.sync = (uint8_t)(op->imm[0] & 0x0f);
	(void)aml_do_create(ctx, f, op->names[0], o->type, o, &n);
	return 0;
}

// A byte index as a bit index, saturated (never wraps past 2^64).
static uint64_t aml_byte_bits(uint64_t idx)
{
	return idx > UINT64_MAX / 8 ? UINT64_MAX : idx * 8;
}

static err_t aml_op_create_field(struct aml_ctx *ctx, struct aml_frame *f,
                                 struct aml_op *op, struct aml_value *res)
{
	uint16_t c = op->desc->code;
	uint64_t idx, bits;
	struct aml_obj *bf, *buf;
	struct aml_node *n;

	if (op->val[0].type != AML_BUFFER ||
	    aml_to_int(ctx, &op->val[1], f->ones, false, &idx)) {
		aml_error(ctx, op->start, "%s: source is %s, not a buffer",
		          op->desc->name, aml_type_name(op->val[0].type));
		return E_INVAL;
	}
	switch (c) {
	case 0x8d: bits = 1; break;
	case 0x8c:
		bits = 8;
		idx = aml_byte_bits(idx);
		break;
	case 0x8b:
		bits = 16;
		idx = aml_byte_bits(idx);
		break;
	case 0x8a:
		bits = 32;
		idx = aml_byte_bits(idx);
		break;
	case 0x8f:
		bits = 64;
		idx = aml_byte_bits(idx);
		break;
	default:
		if (aml_to_int(ctx, &op->val[2], f->ones, false, &bits))
			return E_INVAL;
		break;
	}
	buf = op->val[0].o;
	// Compared without overflowing: a byte index past 2^61 scaled by 8,
	// or idx + bits near 2^64, wrapped and passed the bound with a bit
	// offset 4 GB out (the aml_load fuzz target: SEGV reading the field).
	if (!bits || bits > (uint64_t)buf->buf.len * 8 ||
	    idx > (uint64_t)buf->buf.len * 8 - bits ||
	    idx + bits > UINT32_MAX) {
		aml_error(ctx, op->start,
		          "%s: bits %lu..%lu outside a %u-byte buffer",
		          op->desc->name, (unsigned long)idx,
		          (unsigned long)(idx + bits), buf->buf.len);
		return E_INVAL; // the byte stream is intact: go on after it
	}
	bf = aml_obj_new(ctx, AML_BUFFER_FIELD, 0);
	if (!bf)
		return E_NOMEM;
	bf->bfield.buf = buf;
	aml_obj_get(buf);
	bf->bfield.bit_off = (uint32_t)idx;
	bf->bfield.bit_len = (uint32_t)bits;
	(void)aml_do_create(ctx, f, op->names[0], AML_BUFFER_FIELD, bf, &n);
	return 0;
}

static err_t aml_op_buffer(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	size_t init = (size_t)(op->end - f->pc);
	struct aml_obj *o;
	uint64_t size;

	if (aml_to_int(ctx, &op->val[0], f->ones, false, &size)) {
		aml_error(ctx, op->start, "Buffer: size is not an integer");
		return E_INVAL;
	}
	if (size > (1u << 24)) {
		aml_error(ctx, op->start, "Buffer: size %lu too large",
		          (unsigned long)size);
		return E_RANGE;
	}
	o = aml_buf_new(ctx, NULL, MAX((size_t)size, init));
	if (!o)
		return E_NOMEM;
	memcpy(o->buf.data, f->pc, init);
	f->pc = op->end;
	res->type = AML_BUFFER;
	res->o = o;
	return 0;
}

static err_t aml_op_package(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_op *op, struct aml_value *res)
{
	f->pc = op->end;
	res->type = AML_PACKAGE;
	res->o = op->pkg;
	op->pkg = NULL;
	return 0;
}

static const struct aml_opdesc aml_ns_ops[] = {
    {0x08, "Name", "NT", aml_op_name},
    {0x06, "Alias", "NN", aml_op_alias},
    {0x10, "Scope", "pN", aml_op_scope},
    {0x11, "Buffer", "pT", aml_op_buffer},
    {0x12, "Package", "pbE", aml_op_package},
    {0x13, "VarPackage", "pTE", aml_op_package},
    {0x14, "Method", "pNb", aml_op_method},
    {0x15, "External", "Nbb", aml_op_external},
    {0x8a, "CreateDWordField", "TTN", aml_op_create_field},
    {0x8b, "CreateWordField", "TTN", aml_op_create_field},
    {0x8c, "CreateByteField", "TTN", aml_op_create_field},
    {0x8d, "CreateBitField", "TTN", aml_op_create_field},
    {0x8f, "CreateQWordField", "TTN", aml_op_create_field},
    {AML_OP_EXT | 0x13, "CreateField", "TTTN", aml_op_create_field},
    {AML_OP_EXT | 0x01, "Mutex", "Nb", aml_op_mutex_new},
    {AML_OP_EXT | 0x02, "Event", "N", aml_op_mutex_new},
    {AML_OP_EXT | 0x80, "OperationRegion", "NbTT", aml_op_region},
    {AML_OP_EXT | 0x88, "DataTableRegion", "NTTT", aml_op_region},
    {AML_OP_EXT | 0x81, "Field", "pNb", aml_op_field},
    {AML_OP_EXT | 0x86, "IndexField", "pNNb", aml_op_field},
    {AML_OP_EXT | 0x87, "BankField", "pNNTb", aml_op_field},
    {AML_OP_EXT | 0x82, "Device", "pN", aml_op_device},
    {AML_OP_EXT | 0x83, "Processor", "pNbdb", aml_op_device},
    {AML_OP_EXT | 0x84, "PowerResource", "pNbw", aml_op_device},
    {AML_OP_EXT | 0x85, "ThermalZone", "pN", aml_op_device},
    {0},
};

// Opcode -> descriptor, filled on first use from the three lists.
static const struct aml_opdesc *aml_optab[0x300];
static bool aml_optab_ready;

static void aml_optab_fill(const struct aml_opdesc *d)
{
	for (; d->name; d++)
		aml_optab[d->code] = d;
}

const struct aml_opdesc *aml_opdesc_find(uint16_t code)
{
	if (!aml_optab_ready) {
		aml_optab_fill(aml_ctl_ops);
		aml_optab_fill(aml_expr_ops);
		aml_optab_fill(aml_ns_ops);
		aml_optab_ready = true;
	}
	return code < ARRAY_SIZE(aml_optab) ? aml_optab[code] : NULL;
}
