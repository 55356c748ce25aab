// SPDX-License-Identifier: MIT
// AML object model: counted objects (strings, buffers, packages, methods,
// fields, references, ...), value copies and the implicit and explicit
// conversions between Integer, String and Buffer. Strings and buffers keep
// their bytes in the same allocation as the header.
//
// Locking: everything here runs under the interpreter lock (struct
// aml_host); reference counts are plain integers for that reason.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

struct aml_obj *aml_obj_new(struct aml_ctx *ctx, uint8_t type, size_t extra)
{
	size_t size = sizeof(struct aml_obj) + extra;
	struct aml_obj *o;

	if (extra > (1u << 30))
		return NULL;
	o = aml_alloc(ctx, size);
	if (!o)
		return NULL;
	memset(o, 0, sizeof(*o));
	o->refcnt = 1;
	o->type = type;
	o->size = (uint32_t)size;
	o->all_next = ctx->objs;
	if (ctx->objs)
		ctx->objs->all_prev = o;
	ctx->objs = o;
	return o;
}

struct aml_obj *aml_buf_new(struct aml_ctx *ctx, const void *d, size_t len)
{
	struct aml_obj *o = aml_obj_new(ctx, AML_BUFFER, len + 1);

	if (!o)
		return NULL;
	o->buf.len = (uint32_t)len;
	o->buf.data = (uint8_t *)(o + 1);
	if (d)
		memcpy(o->buf.data, d, len);
	else
		memset(o->buf.data, 0, len);
	o->buf.data[len] = 0;
	return o;
}

struct aml_obj *aml_str_new(struct aml_ctx *ctx, const char *s, size_t len)
{
	struct aml_obj *o = aml_buf_new(ctx, s, len);

	if (o)
		o->type = AML_STRING;
	return o;
}

struct aml_obj *aml_pkg_new(struct aml_ctx *ctx, uint32_t count)
{
	struct aml_obj *o;

	if (count > (1u << 20))
		return NULL;
	o = aml_obj_new(ctx, AML_PACKAGE, count * sizeof(struct aml_value));
	if (!o)
		return NULL;
	o->pkg.count = count;
	o->pkg.elems = (struct aml_value *)(o + 1);
	memset(o->pkg.elems, 0, count * sizeof(struct aml_value));
	return o;
}

void aml_obj_get(struct aml_obj *o)
{
	o->refcnt++;
}

static void aml_obj_release_members(struct aml_ctx *ctx, struct aml_obj *o)
{
	uint32_t i;

	switch (o->type) {
	case AML_PACKAGE:
		for (i = 0; i < o->pkg.count; i++)
			aml_val_put(ctx, &o->pkg.elems[i]);
		break;
	case AML_BUFFER_FIELD:
		aml_obj_put(ctx, o->bfield.buf);
		o->bfield.buf = NULL;
		break;
	case AML_FIELD_UNIT:
		aml_obj_put(ctx, o->field.region);
		aml_obj_put(ctx, o->field.index);
		aml_obj_put(ctx, o->field.data);
		aml_obj_put(ctx, o->field.bank);
		o->field.region = o->field.index = NULL;
		o->field.data = o->field.bank = NULL;
		break;
	case AML_MUTEX:
		if (o->mutex.host && ctx->host.sync_free)
			ctx->host.sync_free(ctx->host.ctx, o->mutex.host, true);
		break;
	case AML_EVENT:
		if (o->event.host && ctx->host.sync_free)
			ctx->host.sync_free(ctx->host.ctx, o->event.host,
			                    false);
		break;
	case AML_REFERENCE:
		aml_lref_unlink(o);
		if (o->ref.node)
			aml_node_put(ctx, o->ref.node);
		aml_obj_put(ctx, o->ref.obj);
		o->ref.node = NULL;
		o->ref.obj = NULL;
		break;
	default: break;
	}
}

// An object whose count reaches zero leaves the live list for ctx->dying;
// the outermost put frees that list in a loop, so releasing a chain of
// nested packages (`PKG0 [0] = PKG0` in a loop nests them one level per
// store: the stack overflowed at aml_destroy after 200 000 stores) takes
// no stack. Everything dropped is freed before the outermost put returns.
void aml_obj_put(struct aml_ctx *ctx, struct aml_obj *o)
{
	if (!o || --o->refcnt)
		return;
	if (o->all_prev)
		o->all_prev->all_next = o->all_next;
	else
		ctx->objs = o->all_next;
	if (o->all_next)
		o->all_next->all_prev = o->all_prev;
	o->all_prev = NULL;
	o->all_next = ctx->dying;
	ctx->dying = o;
	if (ctx->freeing)
		return;
	ctx->freeing = true;
	while ((o = ctx->dying)) {
		ctx->dying = o->all_next;
		aml_obj_release_members(ctx, o);
		aml_free(ctx, o, o->size);
	}
	ctx->freeing = false;
}

// At aml_destroy, once every name's value is released: what is left lives
// only through cycles (a package element referring to its package through
// a longer chain, found by the aml_methods fuzz target). Each object lets
// go of what it holds (held itself meanwhile, so it cannot vanish under
// the walk); that frees the rest of its cycle, and it goes last.
void aml_obj_sweep(struct aml_ctx *ctx)
{
	struct aml_obj *o = ctx->objs, *next;

	while (o) {
		aml_obj_get(o);
		aml_obj_release_members(ctx, o);
		next = o->all_next;
		aml_obj_put(ctx, o);
		o = next;
	}
}

void aml_val_get(struct aml_value *v)
{
	if (aml_is_obj_type(v->type) && v->o)
		aml_obj_get(v->o);
}

void aml_val_put(struct aml_ctx *ctx, struct aml_value *v)
{
	if (aml_is_obj_type(v->type) && v->o)
		aml_obj_put(ctx, v->o);
	else if (v->type == AML_NODE && v->aux && v->n)
		aml_node_put(ctx, v->n); // counted name inside a package
	v->type = AML_UNINIT;
	v->aux = 0;
	v->i = 0;
}

void aml_val_move(struct aml_value *dst, struct aml_value *src)
{
	*dst = *src;
	src->type = AML_UNINIT;
	src->aux = 0;
	src->i = 0;
}

void aml_node_get(struct aml_node *n)
{
	n->refcnt++;
}

void aml_node_val_put(struct aml_ctx *ctx, struct aml_node *n)
{
	if (n->val.type == AML_REGION && n->val.o && n->val.o->region.node == n)
		n->val.o->region.node = NULL;
	aml_val_put(ctx, &n->val);
}

// A node holds a reference on its parent (taken by aml_ns_add), so a
// removed node that something still refers to keeps a valid parent chain
// for its path and its scope. Iterative: chains can be long.
void aml_node_put(struct aml_ctx *ctx, struct aml_node *n)
{
	struct aml_node *p;

	while (n && !ctx->destroying && !--n->refcnt) {
		p = n->parent;
		aml_node_val_put(ctx, n);
		aml_free(ctx, n, sizeof(*n));
		n = p;
	}
}

void aml_lref_link(struct aml_frame *f, struct aml_obj *r)
{
	r->ref.lnext = f->lrefs;
	if (f->lrefs)
		f->lrefs->ref.lpprev = &r->ref.lnext;
	r->ref.lpprev = &f->lrefs;
	f->lrefs = r;
}

void aml_lref_unlink(struct aml_obj *r)
{
	if (!r->ref.lpprev)
		return;
	*r->ref.lpprev = r->ref.lnext;
	if (r->ref.lnext)
		r->ref.lnext->ref.lpprev = r->ref.lpprev;
	r->ref.lnext = NULL;
	r->ref.lpprev = NULL;
}

// Past 32 levels down a copy shares nested packages instead of copying
// them (the C recursion stays bounded); every element copied is charged
// to the statement's work budget (aml_work).
static err_t aml_pkg_copy(struct aml_ctx *ctx, struct aml_value *dst,
                          const struct aml_obj *src, unsigned depth)
{
	struct aml_obj *p;
	uint32_t i;
	err_t e = aml_work(ctx, src->pkg.count, "package copy");

	if (e)
		return e;
	p = aml_pkg_new(ctx, src->pkg.count);
	if (!p)
		return E_NOMEM;
	for (i = 0; i < src->pkg.count; i++) {
		const struct aml_value *s = &src->pkg.elems[i];

		if (s->type == AML_PACKAGE && depth < 32) {
			e = aml_pkg_copy(ctx, &p->pkg.elems[i], s->o,
			                 depth + 1);
			if (e) {
				aml_obj_put(ctx, p);
				return e;
			}
			continue;
		}
		p->pkg.elems[i] = *s;
		aml_val_get(&p->pkg.elems[i]);
		if (s->type == AML_NODE && s->aux)
			aml_node_get(s->n);
	}
	dst->type = AML_PACKAGE;
	dst->aux = 0;
	dst->o = p;
	return 0;
}

// Deep copy for strings, buffers and packages (Store semantics); shared
// reference for everything else.
err_t aml_val_copy(struct aml_ctx *ctx, struct aml_value *dst,
                   const struct aml_value *src)
{
	struct aml_obj *o;

	switch (src->type) {
	case AML_STRING:
	case AML_BUFFER:
		o = aml_buf_new(ctx, src->o->buf.data, src->o->buf.len);
		if (!o)
			return E_NOMEM;
		o->type = (uint8_t)src->type;
		dst->type = src->type;
		dst->aux = 0;
		dst->o = o;
		return 0;
	case AML_PACKAGE: return aml_pkg_copy(ctx, dst, src->o, 0);
	default:
		*dst = *src;
		aml_val_get(dst);
		if (src->type == AML_NODE && src->aux)
			aml_node_get(src->n);
		return 0;
	}
}

int aml_hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// String to integer. Implicit conversion reads hex digits; ToInteger reads
// decimal unless the string starts with 0x. Leading blanks are skipped and
// conversion stops at the first character that is not a digit.
static uint64_t aml_str_to_int(const uint8_t *s, uint32_t len, bool explicit)
{
	uint32_t i = 0;
	uint64_t v = 0;
	int base = explicit ? 10 : 16, d;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 1 < len && s[i] == '0' &&
	    (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	for (; i < len; i++) {
		d = aml_hexval(s[i]);
		if (d < 0 || d >= base)
			break;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	return v;
}

err_t aml_to_int(struct aml_ctx *ctx, const struct aml_value *v, uint64_t ones,
                 bool explicit, uint64_t *out)
{
	uint32_t n, i;
	uint64_t r = 0;

	switch (v->type) {
	case AML_INTEGER: *out = v->i & ones; return 0;
	case AML_DDB_HANDLE: *out = ones; return 0; // "loaded" (ACPI 6.4)
	case AML_STRING:
		*out = aml_str_to_int(v->o->buf.data, v->o->buf.len, explicit) &
		       ones;
		return 0;
	case AML_BUFFER:
		n = MIN(v->o->buf.len, ones == UINT64_MAX ? 8u : 4u);
		for (i = 0; i < n; i++)
			r |= (uint64_t)v->o->buf.data[i] << (8 * i);
		*out = r;
		return 0;
	default: return E_INVAL;
	}
}

err_t aml_to_buf(struct aml_ctx *ctx, const struct aml_value *v, uint64_t ones,
                 struct aml_value *out)
{
	uint8_t tmp[8];
	struct aml_obj *o;
	unsigned i, n;

	switch (v->type) {
	case AML_INTEGER:
		n = ones == UINT64_MAX ? 8 : 4;
		for (i = 0; i < n; i++)
			tmp[i] = (uint8_t)(v->i >> (8 * i));
		o = aml_buf_new(ctx, tmp, n);
		break;
	case AML_STRING:
		// The terminating NUL comes along, as in ToBuffer.
		o = aml_buf_new(ctx, v->o->buf.data,
		                v->o->buf.len ? v->o->buf.len + 1 : 0);
		break;
	case AML_BUFFER:
		out->type = AML_BUFFER;
		out->aux = 0;
		out->o = v->o;
		aml_obj_get(v->o);
		return 0;
	default: return E_INVAL;
	}
	if (!o)
		return E_NOMEM;
	out->type = AML_BUFFER;
	out->aux = 0;
	out->o = o;
	return 0;
}

// Formats buffer bytes: "0x01 0x02" (implicit), "0x01,0x02" (ToHexString)
// or "1,2" (ToDecimalString), as ACPICA does.
static struct aml_obj *aml_buf_format(struct aml_ctx *ctx,
                                      const struct aml_obj *b, int mode)
{
	static const char *const fmts[] = {"0x%02X", "0x%02X", "%u"};
	size_t cap = (size_t)b->buf.len * 5 + 1, len = 0;
	struct aml_obj *o = aml_str_new(ctx, NULL, cap);
	uint32_t i;

	if (!o)
		return NULL;
	for (i = 0; i < b->buf.len; i++) {
		if (i)
			o->buf.data[len++] = mode == 0 ? ' ' : ',';
		len += (size_t)ksnprintf((char *)o->buf.data + len, cap - len,
		                         fmts[mode], b->buf.data[i]);
	}
	o->buf.data[len] = 0;
	o->buf.len = (uint32_t)len;
	return o;
}

// mode: AML_STR_IMPLICIT, AML_STR_HEX (ToHexString), AML_STR_DEC.
err_t aml_to_str(struct aml_ctx *ctx, const struct aml_value *v, uint64_t ones,
                 int mode, struct aml_value *out)
{
	char tmp[24];
	struct aml_obj *o;
	int n;

	switch (v->type) {
	case AML_INTEGER:
		if (mode == AML_STR_DEC)
			n = ksnprintf(tmp, sizeof(tmp), "%lu", v->i & ones);
		else if (ones == UINT64_MAX)
			n = ksnprintf(tmp, sizeof(tmp), "%016lX", v->i);
		else
			n = ksnprintf(tmp, sizeof(tmp), "%08lX", v->i & ones);
		o = aml_str_new(ctx, tmp, (size_t)n);
		break;
	case AML_STRING:
		out->type = AML_STRING;
		out->aux = 0;
		out->o = v->o;
		aml_obj_get(v->o);
		return 0;
	case AML_BUFFER: o = aml_buf_format(ctx, v->o, mode); break;
	default: return E_INVAL;
	}
	if (!o)
		return E_NOMEM;
	out->type = AML_STRING;
	out->aux = 0;
	out->o = o;
	return 0;
}

static int aml_bytes_cmp(const uint8_t *a, uint32_t la, const uint8_t *b,
                         uint32_t lb)
{
	int c = memcmp(a, b, MIN(la, lb));

	if (c)
		return c < 0 ? -1 : 1;
	return la < lb ? -1 : la > lb;
}

err_t aml_compare(struct aml_ctx *ctx, const struct aml_value *a,
                  const struct aml_value *b, uint64_t ones, int *out)
{
	struct aml_value t = {0};
	uint64_t x, y;
	err_t e;

	switch (a->type) {
	case AML_INTEGER:
		e = aml_to_int(ctx, b, ones, false, &y);
		if (e)
			return e;
		x = a->i & ones;
		*out = x < y ? -1 : x > y;
		return 0;
	case AML_STRING:
		e = aml_to_str(ctx, b, ones, AML_STR_IMPLICIT, &t);
		break;
	case AML_BUFFER: e = aml_to_buf(ctx, b, ones, &t); break;
	default: return E_INVAL;
	}
	if (e)
		return e;
	*out = aml_bytes_cmp(a->o->buf.data, a->o->buf.len, t.o->buf.data,
	                     t.o->buf.len);
	aml_val_put(ctx, &t);
	return 0;
}

const char *aml_type_name(enum aml_type t)
{
	static const char *const names[] = {
	    "Uninitialized", "Integer",     "String",      "Buffer",
	    "Package",       "FieldUnit",   "Device",      "Event",
	    "Method",        "Mutex",       "OpRegion",    "PowerResource",
	    "Processor",     "ThermalZone", "BufferField", "DDBHandle",
	    "Debug"};

	if ((unsigned)t < ARRAY_SIZE(names))
		return names[t];
	switch (t) {
	case AML_REFERENCE: return "Reference";
	case AML_ALIAS: return "Alias";
	case AML_SCOPE: return "Scope";
	case AML_LOCALREF: return "LocalX/ArgX";
	default: return "None";
	}
}

void aml_value_put(struct aml_ctx *ctx, struct aml_value *v)
{
	aml_val_put(ctx, v);
}

const char *aml_value_str(const struct aml_value *v)
{
	return v->type == AML_STRING ? (const char *)v->o->buf.data : NULL;
}

const uint8_t *aml_value_buf(const struct aml_value *v, size_t *len)
{
	if (v->type != AML_BUFFER && v->type != AML_STRING) {
		*len = 0;
		return NULL;
	}
	*len = v->o->buf.len;
	return v->o->buf.data;
}

const struct aml_value *aml_value_pkg(const struct aml_value *v, uint32_t i)
{
	if (v->type != AML_PACKAGE || i >= v->o->pkg.count)
		return NULL;
	return &v->o->pkg.elems[i];
}
