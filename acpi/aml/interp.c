// SPDX-License-Identifier: MIT
// The AML execution engine. Table loading and method execution are the same
// thing here: a frame runs a stretch of AML. Nothing recurses on the C stack:
//   - ctx->frames: one per method invocation (or table being loaded);
//   - ctx->ops: operators whose operands are still being collected, e.g.
//     Add(Local0, FOO(1), Local1) has an Add state that waits while FOO's
//     frame runs; the callee's return value becomes Add's second operand;
//   - ctx->blocks: open Scope / If / Else / While bodies (with their end).
// All three are fixed-size arrays allocated once, so pointers into them stay
// valid while nested evaluations push and pop above them.
//
// Errors: inside a method an error aborts the whole evaluation (every frame
// down to the one aml_run was started for), except a While loop timeout,
// which aborts only the method that spun. In table-level code an error
// skips the offending construct and loading continues.
//
// Locking: caller holds the interpreter lock (see aml.h).
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

uint32_t aml_pkglen(const uint8_t **pp, const uint8_t *end, bool *ok)
{
	const uint8_t *p = *pp;
	uint32_t n, len, i;

	*ok = false;
	if (p >= end)
		return 0;
	n = p[0] >> 6;
	if ((size_t)(end - p) < n + 1)
		return 0;
	if (n == 0) {
		len = p[0] & 0x3f;
	} else {
		if (p[0] & 0x30)
			return 0; // bits 4-5 must be zero in multi-byte form
		len = p[0] & 0x0f;
		for (i = 0; i < n; i++)
			len |= (uint32_t)p[1 + i] << (4 + 8 * i);
	}
	*pp = p + 1 + n;
	*ok = true;
	return len;
}

static uint64_t aml_read_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

// The tightest end any construct enclosing ops[idx] imposes.
static const uint8_t *aml_limit(struct aml_ctx *ctx, struct aml_frame *f,
                                uint32_t idx)
{
	while (idx-- > f->op_base)
		if (ctx->ops[idx].end)
			return ctx->ops[idx].end;
	if (ctx->nblocks > f->blk_base)
		return ctx->blocks[ctx->nblocks - 1].end;
	return f->end;
}

static void aml_op_release(struct aml_ctx *ctx, struct aml_op *op)
{
	unsigned i;

	for (i = 0; i < op->nval; i++)
		aml_val_put(ctx, &op->val[i]);
	if (op->pkg)
		aml_obj_put(ctx, op->pkg);
	if (op->callee)
		aml_obj_put(ctx, op->callee);
	op->nval = 0;
	op->pkg = NULL;
	op->callee = NULL;
}

// The call op runs method node n: it holds n's method object for the
// whole call (aml_op_release drops it), so a CopyObject over n by the
// arguments' evaluation cannot change what runs.
static void aml_op_call_set(struct aml_op *op, struct aml_node *n)
{
	op->call = n;
	op->callee = n->val.o;
	aml_obj_get(op->callee);
}

static err_t aml_op_push(struct aml_ctx *ctx, struct aml_frame *f,
                         const struct aml_opdesc *d, const uint8_t *start,
                         bool want_ref)
{
	struct aml_op *op;

	if (ctx->nops >= ctx->opt.max_ops) {
		aml_error(ctx, start, "operator nesting deeper than %u",
		          ctx->opt.max_ops);
		return E_DEPTH;
	}
	op = &ctx->ops[ctx->nops++];
	memset(op, 0, sizeof(*op));
	op->desc = d;
	op->spec = d->spec;
	op->start = start;
	op->want_ref = want_ref;
	return 0;
}

// Hands a finished operand (or a statement's result) to whoever waits.
static void aml_deliver(struct aml_ctx *ctx, struct aml_frame *f,
                        struct aml_value *v)
{
	struct aml_op *p;

	if (ctx->nops == f->op_base) {
		aml_val_put(ctx, v);
		return;
	}
	p = &ctx->ops[ctx->nops - 1];
	if (*p->spec == 'E') {
		if (p->pkg && p->pkg_idx < p->pkg->pkg.count)
			aml_val_move(&p->pkg->pkg.elems[p->pkg_idx], v);
		else
			aml_val_put(ctx, v);
		p->pkg_idx++;
		return;
	}
	aml_val_move(&p->val[p->nval++], v);
	p->spec++;
}

static void aml_op_finish(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_value *res)
{
	aml_op_release(ctx, &ctx->ops[--ctx->nops]);
	aml_deliver(ctx, f, res);
}

err_t aml_block_push(struct aml_ctx *ctx, struct aml_frame *f, uint8_t kind,
                     const uint8_t *end)
{
	struct aml_block *b;

	if (ctx->nblocks >= ctx->opt.max_blocks) {
		aml_error(ctx, f->pc, "blocks nested deeper than %u",
		          ctx->opt.max_blocks);
		return E_DEPTH;
	}
	b = &ctx->blocks[ctx->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->end = end;
	b->prev_scope = f->scope;
	return 0;
}

void aml_block_pop(struct aml_ctx *ctx, struct aml_frame *f)
{
	struct aml_block *b = &ctx->blocks[--ctx->nblocks];

	if (b->kind == AML_BLK_SCOPE)
		f->scope = b->prev_scope;
}

void aml_node_created(struct aml_ctx *ctx, struct aml_frame *f,
                      struct aml_node *n)
{
	if (f && f->method) {
		aml_node_get(n); // the frame's temp list holds a reference
		n->temp_next = f->temps;
		f->temps = n;
	}
}

static void aml_frame_init(struct aml_ctx *ctx, struct aml_frame *f)
{
	memset(f, 0, sizeof(*f));
	f->gen = ++ctx->frame_gen;
	f->op_base = ctx->nops;
	f->blk_base = ctx->nblocks;
}

err_t aml_frame_push(struct aml_ctx *ctx, struct aml_node *method,
                     struct aml_obj *m, struct aml_value *args, unsigned nargs)
{
	struct aml_frame *f;
	unsigned i;

	if (ctx->nframes >= ctx->opt.max_frames) {
		aml_error(ctx, NULL, "method calls nested deeper than %u",
		          ctx->opt.max_frames);
		return E_RANGE;
	}
	f = &ctx->frames[ctx->nframes];
	aml_frame_init(ctx, f);
	f->method = method;
	f->mobj = m;
	aml_obj_get(m);
	f->start = f->pc = m->method.code;
	f->end = m->method.code + m->method.len;
	f->scope = method;
	f->ones = m->method.int64 ? UINT64_MAX : 0xffffffffull;
	for (i = 0; i < nargs && i < 7; i++)
		aml_val_move(&f->args[i], &args[i]);
	if (m->method.flags & 0x08) { // Serialized
		m->method.depth++;
		f->sync_level = m->method.flags >> 4;
	} else if (ctx->nframes) {
		f->sync_level = ctx->frames[ctx->nframes - 1].sync_level;
	}
	ctx->nframes++;
	return 0;
}

// Table-level code: runs in \ with the table's integer width.
static err_t aml_frame_push_table(struct aml_ctx *ctx, const uint8_t *code,
                                  size_t len, bool int64,
                                  struct aml_node *scope)
{
	struct aml_frame *f;

	if (ctx->nframes >= ctx->opt.max_frames)
		return E_RANGE;
	f = &ctx->frames[ctx->nframes++];
	aml_frame_init(ctx, f);
	f->start = f->pc = code;
	f->end = code + len;
	f->scope = scope ? scope : ctx->ns.root;
	f->ones = int64 ? UINT64_MAX : 0xffffffffull;
	f->is_load = true;
	return 0;
}

// Whether v holds (itself, as an element of a package, or through an Index
// reference into a package such as an older frame's heap cell, a few
// levels deep) a reference to a variable of frame f: moving it into a cell
// would make a cycle the counts never free. The fuzz target aml_methods
// found the path through a cell: Local0 refers to a callee's cell whose
// element refers back to Local0 (`CondRefOf (Local0, Local0)`).
static bool aml_holds_lref(const struct aml_frame *f, const struct aml_value *v,
                           unsigned depth)
{
	const struct aml_obj *pkg;
	uint32_t i;

	if (depth > 4)
		return false;
	if (v->type == AML_REFERENCE && v->o->ref.kind == AML_REF_LOCAL)
		return v->o->ref.gen == f->gen;
	if (v->type == AML_REFERENCE && v->o->ref.kind == AML_REF_INDEX &&
	    v->o->ref.obj->type == AML_PACKAGE)
		pkg = v->o->ref.obj;
	else if (v->type == AML_PACKAGE)
		pkg = v->o;
	else
		return false;
	for (i = 0; i < pkg->pkg.count && i < 64; i++)
		if (aml_holds_lref(f, &pkg->pkg.elems[i], depth + 1))
			return true;
	return pkg->pkg.count > 64; // not looked at in full: keep it out
}

// A frame ends while references to its LocalX/ArgX are alive (returned,
// stored in a package the caller keeps): each such variable moves into a
// heap cell, a one-element package, and its references become Index
// references to that element, so they go on reading and writing the same
// object, as in Windows. A value holding a reference to one of the frame's
// own variables stays out of the cells (a cycle; the cell reads as
// uninitialised then). Other cycles (a package element referring back to
// the cell) are the known limit of counting (docs/aml.md).
static void aml_frame_keep_refs(struct aml_ctx *ctx, struct aml_frame *f)
{
	struct aml_obj *cells[15] = {0}, *r;
	struct aml_value *slot;
	bool keep[15];
	unsigned i, k;

	if (!f->lrefs)
		return;
	for (k = 0; k < 15; k++) // before any reference is converted
		keep[k] = !aml_holds_lref(
		    f, k >= 8 ? &f->args[k - 8] : &f->locals[k], 0);
	while ((r = f->lrefs)) {
		aml_lref_unlink(r);
		k = r->ref.index < 15 ? r->ref.index : 0;
		slot = k >= 8 ? &f->args[k - 8] : &f->locals[k];
		if (!cells[k] && (cells[k] = aml_pkg_new(ctx, 1)) && keep[k])
			aml_val_move(&cells[k]->pkg.elems[0], slot);
		if (!cells[k])
			continue; // out of memory: stays stale, reads fail
		r->ref.kind = AML_REF_INDEX;
		r->ref.index = 0;
		r->ref.obj = cells[k];
		aml_obj_get(cells[k]);
	}
	for (i = 0; i < 15; i++)
		aml_obj_put(ctx, cells[i]);
}

static void aml_frame_pop(struct aml_ctx *ctx)
{
	struct aml_frame *f = &ctx->frames[ctx->nframes - 1];
	struct aml_node *n;
	unsigned i;

	while (ctx->nops > f->op_base)
		aml_op_release(ctx, &ctx->ops[--ctx->nops]);
	ctx->nblocks = f->blk_base;
	aml_frame_keep_refs(ctx, f);
	for (i = 0; i < 7; i++)
		aml_val_put(ctx, &f->args[i]);
	for (i = 0; i < 8; i++)
		aml_val_put(ctx, &f->locals[i]);
	// Regions the method made are disconnected while it still exists.
	for (n = f->temps; n; n = n->temp_next)
		if (n->val.type == AML_REGION && n->val.o->region.node == n)
			aml_reg_region(ctx, n, false);
	// Newest first, so names created inside a temporary scope go first.
	while ((n = f->temps)) {
		f->temps = n->temp_next;
		aml_ns_remove(ctx, n);
		aml_node_put(ctx, n);
	}
	if (f->mobj) {
		if ((f->mobj->method.flags & 0x08) && f->mobj->method.depth)
			f->mobj->method.depth--;
		aml_obj_put(ctx, f->mobj);
	}
	ctx->nframes--;
}

// Pops the top frame and gives ret to its caller (or to ctx->result).
err_t aml_method_return(struct aml_ctx *ctx, struct aml_value *ret)
{
	struct aml_value v;
	struct aml_frame *f;
	struct aml_op *op;

	aml_val_move(&v, ret);
	aml_frame_pop(ctx);
	if (ctx->nframes == 0) {
		aml_val_put(ctx, &ctx->result);
		aml_val_move(&ctx->result, &v);
		return 0;
	}
	f = &ctx->frames[ctx->nframes - 1];
	if (ctx->nops > f->op_base && ctx->ops[ctx->nops - 1].waiting) {
		op = &ctx->ops[ctx->nops - 1];
		op->waiting = false;
		aml_op_finish(ctx, f, &v);
		return 0;
	}
	// The frame was started by aml_eval_node(): keep the result there.
	aml_val_put(ctx, &ctx->result);
	aml_val_move(&ctx->result, &v);
	return 0;
}

err_t aml_node_value(struct aml_ctx *ctx, struct aml_frame *f,
                     struct aml_node *n, struct aml_value *out)
{
	uint64_t ones = f ? f->ones : UINT64_MAX;

	n = aml_node_follow(n);
	switch (n->val.type) {
	case AML_INTEGER:
	case AML_STRING:
	case AML_BUFFER:
	case AML_PACKAGE:
	case AML_REFERENCE:
	case AML_DDB_HANDLE:
		*out = n->val;
		aml_val_get(out);
		return 0;
	case AML_FIELD_UNIT: return aml_field_read(ctx, n, ones, out);
	case AML_BUFFER_FIELD: return aml_bfield_read(ctx, n->val.o, ones, out);
	default:
		out->type = AML_NODE;
		out->aux = 0;
		out->n = n;
		return 0;
	}
}

// Coverage counting (struct aml_opstats): off unless the host asks.
static inline void aml_opstat(struct aml_ctx *ctx, uint16_t code)
{
	if (ctx->opt.opstats)
		ctx->opt.opstats->op[code]++;
}

// The prefixes of the NameString at p: RootChar, ParentPrefixChar,
// DualNamePrefix, MultiNamePrefix (p is known to hold a parsed name).
static void aml_opstat_name(struct aml_ctx *ctx, const uint8_t *p)
{
	if (!ctx->opt.opstats)
		return;
	if (*p == '\\')
		aml_opstat(ctx, *p++);
	else if (*p == '^')
		aml_opstat(ctx, '^');
	while (*p == '^')
		p++;
	if (*p == 0x2e || *p == 0x2f)
		aml_opstat(ctx, *p);
}

static bool aml_is_name_lead(uint8_t b)
{
	return b == '\\' || b == '^' || b == 0x2e || b == 0x2f || b == '_' ||
	       (b >= 'A' && b <= 'Z');
}

static err_t aml_term_name(struct aml_ctx *ctx, struct aml_frame *f, char kind)
{
	const uint8_t *start = f->pc;
	struct aml_value v = {.type = AML_NONE};
	struct aml_name nm;
	struct aml_node *n;
	char path[128];
	err_t e;

	e = aml_name_parse(&f->pc, f->end, &nm);
	if (e) {
		aml_error(ctx, start, "malformed name");
		return e;
	}
	aml_opstat_name(ctx, start);
	n = aml_ns_lookup(ctx, f->scope, &nm);
	if (!n && kind != 'O') {
		aml_name_str(&nm, path, sizeof(path));
		aml_error(ctx, start, "unresolved name %s", path);
		if (!f->is_load)
			return E_NOENT;
		// Table-level code: go on with Zero (or a null target).
		if (kind == 'T')
			v = aml_int(0);
		aml_deliver(ctx, f, &v);
		return 0;
	}
	if (n && kind == 'T' && n->val.type == AML_METHOD) {
		e = aml_op_push(ctx, f,
		                &aml_call_desc[n->val.o->method.flags & 7],
		                start, false);
		if (!e)
			aml_op_call_set(&ctx->ops[ctx->nops - 1], n);
		return e;
	}
	if (n && kind == 'T') {
		e = aml_node_value(ctx, f, n, &v);
		if (e) {
			aml_error(ctx, start, "cannot read %s",
			          aml_type_name(n->val.type));
			return e;
		}
	} else if (n) {
		v.type = AML_NODE;
		v.n = n;
	}
	aml_deliver(ctx, f, &v);
	return 0;
}

static err_t aml_term_local(struct aml_ctx *ctx, struct aml_frame *f, char kind,
                            uint8_t b)
{
	unsigned idx = b >= 0x68 ? b - 0x68 + 8 : b - 0x60;
	struct aml_value *slot = idx >= 8 ? &f->args[idx - 8] : &f->locals[idx];
	struct aml_value v = {.type = AML_LOCALREF, .aux = idx};

	f->pc++;
	aml_opstat(ctx, b);
	if (kind == 'T') {
		if (slot->type == AML_UNINIT) {
			aml_error(ctx, f->pc - 1, "%s%u used before set",
			          idx >= 8 ? "Arg" : "Local", idx & 7);
			return E_INVAL;
		}
		v = *slot;
		aml_val_get(&v);
		if (v.type == AML_NODE && v.aux)
			v.aux = 0; // operands never own node references
	}
	aml_deliver(ctx, f, &v);
	return 0;
}

// Literal data objects; returns 1 when the byte is not one.
static err_t aml_term_data(struct aml_ctx *ctx, struct aml_frame *f, uint8_t b)
{
	static const uint8_t sizes[] = {
	    [0x0a] = 1, [0x0b] = 2, [0x0c] = 4, [0x0e] = 8};
	const uint8_t *p = f->pc + 1, *nul;
	struct aml_value v;
	struct aml_obj *o;

	if (b == 0x00 || b == 0x01 || b == 0xff) {
		v = aml_int(b == 0xff ? f->ones : b);
	} else if (b == 0x0a || b == 0x0b || b == 0x0c || b == 0x0e) {
		if ((size_t)(f->end - p) < sizes[b])
			return E_TRUNC;
		v = aml_int(aml_read_le(p, sizes[b]) & f->ones);
		p += sizes[b];
	} else if (b == 0x0d) {
		nul = memchr(p, 0, (size_t)(f->end - p));
		if (!nul)
			return E_TRUNC;
		o = aml_str_new(ctx, (const char *)p, (size_t)(nul - p));
		if (!o)
			return E_NOMEM;
		v.type = AML_STRING;
		v.aux = 0;
		v.o = o;
		p = nul + 1;
	} else {
		return 1;
	}
	aml_opstat(ctx, b);
	f->pc = p;
	aml_deliver(ctx, f, &v);
	return 0;
}

static err_t aml_term_opcode(struct aml_ctx *ctx, struct aml_frame *f,
                             char kind)
{
	const uint8_t *start = f->pc, *p = f->pc;
	const struct aml_opdesc *d;
	uint16_t code = *p++;

	if (code == 0x5b) {
		if (p >= f->end)
			return E_TRUNC;
		code = AML_OP_EXT | *p++;
	} else if (code == 0x92 && p < f->end && *p >= 0x93 && *p <= 0x95) {
		code = AML_OP_LNOT2 | *p++;
	}
	d = aml_opdesc_find(code);
	if (!d) {
		aml_error(ctx, start, "unknown opcode 0x%x", code);
		return E_CORRUPT;
	}
	// If, Else, While, Break and Continue are statements: they move the
	// position and the blocks, which only the statement loop follows. As
	// an operand (a package element, say) `While (One) { Continue }`
	// jumped back to its own Continue for ever without a statement step
	// (the aml_load fuzz target, seventh campaign).
	if (ctx->nops > f->op_base &&
	    (code == 0xa0 || code == 0xa1 || code == 0xa2 || code == 0xa5 ||
	     code == 0x9f)) {
		aml_error(ctx, start, "%s is a statement, not an operand",
		          d->name);
		return E_CORRUPT;
	}
	aml_opstat(ctx, code);
	f->pc = p;
	return aml_op_push(ctx, f, d, start, kind != 'T');
}

// Decodes one term at f->pc in context `kind` (T, S, R or O, see aml_opdesc)
// and delivers its value, or pushes the operator that will produce it.
static err_t aml_term(struct aml_ctx *ctx, struct aml_frame *f, char kind)
{
	struct aml_value v = {.type = AML_NONE};
	uint8_t b;
	err_t e;

	if (f->pc >= f->end) {
		aml_error(ctx, f->pc, "AML ends inside an expression");
		return E_TRUNC;
	}
	ctx->stats.ops++;
	b = *f->pc;
	if (aml_is_name_lead(b))
		return aml_term_name(ctx, f, kind);
	if (b >= 0x60 && b <= 0x6e)
		return aml_term_local(ctx, f, kind, b);
	if (b == 0x00 && kind != 'T') {
		f->pc++;
		aml_deliver(ctx, f, &v);
		return 0;
	}
	if (b == 0x5b && f->pc + 1 < f->end && f->pc[1] == 0x31) {
		f->pc += 2;
		aml_opstat(ctx, AML_OPSTAT_EXT | 0x31);
		v.type = AML_DEBUG;
		aml_deliver(ctx, f, &v);
		return 0;
	}
	e = aml_term_data(ctx, f, b);
	if (e <= 0)
		return e;
	return aml_term_opcode(ctx, f, kind);
}

// Reads the next immediate operand ('p', 'N', 'b', 'w', 'd').
static err_t aml_op_immediate(struct aml_ctx *ctx, struct aml_frame *f,
                              struct aml_op *op, char c)
{
	static const uint8_t sizes[] = {['b'] = 1, ['w'] = 2, ['d'] = 4};
	const uint8_t *p = f->pc, *lim;
	struct aml_name nm;
	uint32_t len;
	bool ok;

	if (c == 'p') {
		len = aml_pkglen(&p, f->end, &ok);
		lim = aml_limit(ctx, f, (uint32_t)(op - ctx->ops));
		// lim < pc: operands already ran past an enclosing PkgLength
		if (!ok || lim < f->pc || len > (size_t)(lim - f->pc) ||
		    len == 0) {
			aml_error(ctx, op->start, "bad PkgLength");
			return E_CORRUPT;
		}
		op->end = f->pc + len;
		op->mark = p;
	} else if (c == 'N') {
		op->names[op->nname++ & 1] = p;
		if (aml_name_parse(&p, f->end, &nm)) {
			aml_error(ctx, op->start, "malformed name");
			return E_CORRUPT;
		}
		aml_opstat_name(ctx, op->names[(op->nname - 1) & 1]);
	} else {
		if (p > f->end || (size_t)(f->end - p) < sizes[(int)c])
			return E_TRUNC;
		op->imm[op->nimm++ % 3] = aml_read_le(p, sizes[(int)c]);
		p += sizes[(int)c];
	}
	f->pc = p;
	op->spec++;
	return 0;
}

// Package elements: names are not evaluated, they become references.
static err_t aml_op_element(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_op *op)
{
	struct aml_value v = {.type = AML_NODE, .aux = 1};
	const uint8_t *start = f->pc;
	struct aml_name nm;
	struct aml_node *n;
	char path[128];
	uint32_t count;

	if (!op->pkg) {
		count =
		    op->nval ? (uint32_t)op->val[0].i : (uint32_t)op->imm[0];
		if (op->nval && op->val[0].type != AML_INTEGER)
			return E_INVAL;
		op->pkg = aml_pkg_new(ctx, count);
		if (!op->pkg)
			return count > (1u << 20) ? E_RANGE : E_NOMEM;
	}
	if (f->pc >= op->end) {
		op->spec++;
		return 0;
	}
	if (!aml_is_name_lead(*f->pc))
		return aml_term(ctx, f, 'T');
	ctx->stats.ops++;
	if (aml_name_parse(&f->pc, op->end, &nm)) {
		aml_error(ctx, start, "malformed name in package");
		return E_CORRUPT;
	}
	aml_opstat_name(ctx, start);
	n = aml_ns_lookup(ctx, f->scope, &nm);
	if (n) {
		aml_node_get(n);
		v.n = n;
	} else {
		// Not (yet) defined: keep the path, as a string.
		aml_name_str(&nm, path, sizeof(path));
		v.type = AML_STRING;
		v.aux = 0;
		v.o = aml_str_new(ctx, path, strlen(path));
		if (!v.o)
			return E_NOMEM;
	}
	aml_deliver(ctx, f, &v);
	return 0;
}

static err_t aml_op_step(struct aml_ctx *ctx, struct aml_frame *f,
                         struct aml_op *op)
{
	struct aml_value res = {.type = AML_NONE};
	char c = *op->spec;
	err_t e;

	switch (c) {
	case 'p':
	case 'N':
	case 'b':
	case 'w':
	case 'd': return aml_op_immediate(ctx, f, op, c);
	case 'E': return aml_op_element(ctx, f, op);
	case 'T':
	case 'S':
	case 'R':
	case 'O': return aml_term(ctx, f, c);
	}
	if (op->end && f->pc > op->end) {
		aml_error(ctx, op->start, "%s: operands overrun its PkgLength",
		          op->desc->name);
		return E_CORRUPT;
	}
	ctx->stats.ops++;
	e = op->desc->fn(ctx, f, op, &res);
	if (e == AML_OP_DONE)
		return 0;
	if (e) {
		aml_val_put(ctx, &res);
		return e;
	}
	if (op->waiting)
		return 0;
	aml_op_finish(ctx, f, &res);
	return 0;
}

// The loop timeout: aborts the method that spins (or skips the loop in
// table-level code); its caller carries on with Zero as the result.
static err_t aml_loop_timeout(struct aml_ctx *ctx, uint32_t base)
{
	struct aml_frame *f = &ctx->frames[ctx->nframes - 1];
	struct aml_value zero = aml_int(0);

	ctx->stats.timeouts++;
	aml_error(ctx, f->pc, "While loop ran past %lu ms: aborting",
	          (unsigned long)ctx->opt.loop_timeout_ms);
	if (f->is_load) {
		f->pc = ctx->blocks[ctx->nblocks - 1].end;
		aml_block_pop(ctx, f);
		return 0;
	}
	if (ctx->nframes - 1 == base) {
		aml_frame_pop(ctx);
		return E_TIMEOUT;
	}
	return aml_method_return(ctx, &zero);
}

static void aml_skip_else(struct aml_frame *f)
{
	const uint8_t *p = f->pc + 1;
	uint32_t len;
	bool ok;

	if (f->pc >= f->end || *f->pc != 0xa1)
		return;
	len = aml_pkglen(&p, f->end, &ok);
	if (ok && len <= (size_t)(f->end - f->pc - 1))
		f->pc = f->pc + 1 + len;
}

// Closes every block whose end has been reached. Returns 1 when a While
// loop needs its predicate evaluated again.
static err_t aml_blocks_close(struct aml_ctx *ctx, struct aml_frame *f,
                              uint32_t base)
{
	struct aml_block *b;
	err_t e;

	while (ctx->nblocks > f->blk_base) {
		b = &ctx->blocks[ctx->nblocks - 1];
		if (f->pc < b->end)
			return 0;
		switch (b->kind) {
		case AML_BLK_WHILE:
			if (aml_now(ctx) > b->deadline)
				return aml_loop_timeout(ctx, base) ?: 2;
			f->pc = b->pred;
			e = aml_op_push(ctx, f, &aml_while_pred_desc, f->pc,
			                false);
			return e ? e : 1;
		case AML_BLK_IF:
			aml_block_pop(ctx, f);
			aml_skip_else(f);
			break;
		default: aml_block_pop(ctx, f); break;
		}
	}
	return 0;
}

void aml_steps_reset(struct aml_ctx *ctx)
{
	uint64_t used = ctx->opt.max_steps - ctx->steps;

	if (used > ctx->stats.steps_max)
		ctx->stats.steps_max = used;
	ctx->steps = ctx->opt.max_steps;
	ctx->steps_out = false;
}

err_t aml_steps_out(struct aml_ctx *ctx)
{
	const struct aml_frame *root = ctx->frames;
	char path[128] = "a table-level statement";

	ctx->steps = 0;
	if (ctx->steps_out)
		return E_ABORT;
	ctx->steps_out = true;
	ctx->stats.overruns++;
	if (ctx->nframes && root->method)
		aml_node_path(root->method, path, sizeof(path));
	aml_error(ctx, NULL,
	          "the evaluation of %s ran past its budget of %lu steps: "
	          "aborting it",
	          path, (unsigned long)ctx->opt.max_steps);
	return E_ABORT;
}

err_t aml_work(struct aml_ctx *ctx, uint64_t n, const char *what)
{
	if (n > ctx->steps)
		return aml_steps_out(ctx);
	if (n <= ctx->work) {
		ctx->work -= (uint32_t)n;
		ctx->steps -= n;
		return 0;
	}
	if (!ctx->work_out)
		aml_error(ctx, NULL,
		          "%s: the statement ran past its work budget (%u "
		          "units): aborting it",
		          what, AML_STMT_WORK);
	ctx->work = 0;
	ctx->work_out = true;
	return E_NOSPC;
}

static err_t aml_stmt_step(struct aml_ctx *ctx, struct aml_frame *f,
                           uint32_t base)
{
	struct aml_value zero = aml_int(0);
	err_t e;

	aml_work_reset(ctx);
	// Each top-level statement of a table is an evaluation of its own,
	// so one runaway method call costs only its own statement.
	if (f == ctx->frames && f->is_load)
		aml_steps_reset(ctx);
	if (!ctx->steps)
		return aml_steps_out(ctx);
	ctx->steps--;
	e = aml_blocks_close(ctx, f, base);

	if (e)
		return e < 0 ? e : 0;
	if (f->pc >= f->end) {
		if (f->is_load) {
			aml_frame_pop(ctx);
			return 0;
		}
		// No Return: the caller gets Zero (Windows behaves alike).
		return aml_method_return(ctx, &zero);
	}
	return aml_term(ctx, f, 'T');
}

// After an error in frame f (top): decide how far to unwind. Returns 0 when
// execution can go on, the error when the evaluation is over.
static err_t aml_recover(struct aml_ctx *ctx, uint32_t base, err_t err)
{
	struct aml_frame *f;
	struct aml_op *op;
	const uint8_t *resume = NULL;
	bool callee = false;

	while (ctx->nframes > base && !ctx->frames[ctx->nframes - 1].is_load) {
		aml_frame_pop(ctx);
		callee = true;
	}
	if (ctx->nframes == base)
		return err;
	// An error inside a method called from table-level code (the nesting
	// limit of a runaway recursion, say) says nothing about the table's
	// byte stream: its position is just after the call's operands.
	if (callee)
		err = E_ABORT;
	f = &ctx->frames[ctx->nframes - 1];
	// The statement's operators are dropped. If one has a PkgLength (a
	// Buffer's or Package's initialiser, the failing operator's own or an
	// enclosing one's), the table goes on after the farthest of them;
	// otherwise the failing operator had parsed all its operands, and it
	// goes on from there.
	while (ctx->nops > f->op_base) {
		op = &ctx->ops[--ctx->nops];
		if (op->end && (!resume || op->end > resume))
			resume = op->end;
		aml_op_release(ctx, op);
	}
	// Errors of the byte stream itself (and operators or blocks nested
	// past their limits while decoding): the position cannot be trusted.
	// An operator's own error (E_RANGE for an Index past the end, say)
	// is not one of them; it used to be, and skipped the rest of the
	// table.
	if (err == E_CORRUPT || err == E_TRUNC || err == E_DEPTH) {
		if (!resume)
			resume = ctx->nblocks > f->blk_base
			             ? ctx->blocks[ctx->nblocks - 1].end
			             : f->end;
	}
	if (resume && resume > f->pc)
		f->pc = resume;
	else if (resume && ctx->nblocks > f->blk_base &&
	         resume == ctx->blocks[ctx->nblocks - 1].end)
		f->pc = resume; // operands overran the block: go on after it
	else if (resume && (err == E_CORRUPT || err == E_TRUNC))
		f->pc = f->end; // no way forward
	return 0;
}

err_t aml_run(struct aml_ctx *ctx, uint32_t base)
{
	struct aml_frame *f;
	uint32_t errors;
	err_t e;

	while (ctx->nframes > base) {
		f = &ctx->frames[ctx->nframes - 1];
		errors = ctx->stats.errors;
		if (ctx->nops > f->op_base)
			e = aml_op_step(ctx, f, &ctx->ops[ctx->nops - 1]);
		else
			e = aml_stmt_step(ctx, f, base);
		if (e == E_TIMEOUT && ctx->nframes == base)
			return e;
		// Not reported yet (after a budget overrun: its consequence).
		if (e && ctx->stats.errors == errors && !ctx->steps_out)
			aml_error(ctx, NULL, "%s", err_name(e));
		if (e) {
			e = aml_recover(ctx, base, e);
			if (e)
				return e;
		}
	}
	return 0;
}

// Evaluates n: runs it if it is a method, else reads its value. Consumes
// args (they are moved into the new frame or released).
err_t aml_eval_node(struct aml_ctx *ctx, struct aml_node *n,
                    struct aml_value *args, unsigned nargs,
                    struct aml_value *out)
{
	uint32_t base = ctx->nframes;
	struct aml_op op;
	unsigned i;
	err_t e;

	n = aml_node_follow(n);
	out->type = AML_NONE;
	aml_work_reset(ctx);
	if (!base)
		aml_steps_reset(ctx);
	if (n->val.type != AML_METHOD || n->val.o->method.native) {
		memset(&op, 0, sizeof(op));
		op.call = n;
		for (i = 0; i < nargs && i < 7; i++)
			aml_val_move(&op.val[op.nval++], &args[i]);
		if (n->val.type == AML_METHOD) {
			aml_op_call_set(&op, n);
			e = aml_op_call(ctx, NULL, &op, out);
		} else
			e = aml_node_value(ctx, NULL, n, out);
		aml_op_release(ctx, &op);
		return e;
	}
	e = aml_frame_push(ctx, n, n->val.o, args, nargs);
	if (e)
		return e;
	e = aml_run(ctx, base);
	if (!base)
		aml_steps_reset(ctx); // records the steps this one took
	aml_val_move(out, &ctx->result);
	if (out->type == AML_UNINIT)
		out->type = AML_NONE;
	return e;
}

err_t aml_exec_table(struct aml_ctx *ctx, const uint8_t *code, size_t len,
                     bool int64, struct aml_node *scope)
{
	uint32_t base = ctx->nframes;
	err_t e = aml_frame_push_table(ctx, code, len, int64, scope);

	if (e)
		return e;
	e = aml_run(ctx, base);
	if (!base)
		aml_steps_reset(ctx); // records the last statement's steps
	return e;
}
