// SPDX-License-Identifier: MIT
// Expression operators: Store and references, integer arithmetic and logic,
// comparisons, string/buffer/package operators, conversions, and the
// synchronisation and timing operators. Each handler receives its operands
// fully evaluated in op->val[] (in encoding order) and leaves its result in
// *res. This file is mostly the opcode dispatch table's handlers, hence its
// length.
//
// Locking: caller holds the interpreter lock.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

#define OPS_REVISION 0x20261121 // returned by the Revision opcode

// ---- references and stores
// ---------------------------------------------------

static err_t aml_index_read(struct aml_ctx *ctx, struct aml_frame *f,
                            const struct aml_obj *ref, struct aml_value *out)
{
	struct aml_obj *o = ref->ref.obj;
	struct aml_value *e;

	if (o->type == AML_PACKAGE) {
		if (ref->ref.index >= o->pkg.count)
			return E_RANGE;
		e = &o->pkg.elems[ref->ref.index];
		if (e->type == AML_NODE)
			return aml_node_value(ctx, f, e->n, out);
		*out = *e;
		aml_val_get(out);
		if (out->type == AML_UNINIT)
			out->type = AML_NONE;
		return 0;
	}
	if (ref->ref.index >= o->buf.len)
		return E_RANGE;
	*out = aml_int(o->buf.data[ref->ref.index]);
	return 0;
}

// The LocalX/ArgX slot a REF_LOCAL designates, or NULL when the method
// owning it has returned (the reference outlived its frame).
static struct aml_value *aml_ref_slot(struct aml_ctx *ctx,
                                      const struct aml_obj *r,
                                      struct aml_frame **fr)
{
	struct aml_frame *f;

	if (r->ref.frame >= ctx->nframes)
		return NULL;
	f = &ctx->frames[r->ref.frame];
	if (f->gen != r->ref.gen)
		return NULL;
	*fr = f;
	return r->ref.index >= 8 ? &f->args[r->ref.index - 8]
	                         : &f->locals[r->ref.index];
}

static err_t aml_local_read(struct aml_ctx *ctx, const struct aml_obj *r,
                            struct aml_value *out)
{
	struct aml_frame *fr;
	struct aml_value *slot = aml_ref_slot(ctx, r, &fr);

	if (!slot)
		return E_NOENT;
	if (slot->type == AML_UNINIT)
		return E_INVAL;
	*out = *slot;
	aml_val_get(out);
	if (out->type == AML_NODE)
		out->aux = 0; // operands never own node references
	return 0;
}

// How many levels of reference a read or a store follows: a local holding a
// reference to itself would otherwise loop.
#define AML_REF_MAX_DEPTH 16

// One level: the value a reference designates.
static err_t aml_deref1(struct aml_ctx *ctx, struct aml_frame *f,
                        const struct aml_obj *r, struct aml_value *out)
{
	switch (r->ref.kind) {
	case AML_REF_NODE: return aml_node_value(ctx, f, r->ref.node, out);
	case AML_REF_LOCAL: return aml_local_read(ctx, r, out);
	default: return aml_index_read(ctx, f, r, out);
	}
}

// DerefOf: the value a reference (or a path string) designates. As in
// Windows, every level of reference is followed down to the first value
// that is not one (ACPICA follows one level: DerefOf(RefOf(Local1)) with
// Local1 = RefOf(X) gives X's value here, a reference to X there).
static err_t aml_deref(struct aml_ctx *ctx, struct aml_frame *f,
                       const struct aml_value *v, struct aml_value *out)
{
	struct aml_value cur, next;
	struct aml_node *n;
	unsigned depth;
	err_t e;

	switch (v->type) {
	case AML_REFERENCE: break;
	case AML_STRING:
		n = aml_ns_lookup_path(ctx, f ? f->scope : NULL,
		                       (const char *)v->o->buf.data);
		if (!n)
			return E_NOENT;
		return aml_node_value(ctx, f, n, out);
	case AML_NODE: return aml_node_value(ctx, f, v->n, out);
	default: return E_INVAL;
	}
	cur = *v;
	aml_val_get(&cur);
	for (depth = 0; cur.type == AML_REFERENCE; depth++) {
		e = depth < AML_REF_MAX_DEPTH ? aml_deref1(ctx, f, cur.o, &next)
		                              : E_RANGE;
		aml_val_put(ctx, &cur);
		if (e)
			return e;
		cur = next;
	}
	*out = cur;
	return 0;
}

err_t aml_target_read(struct aml_ctx *ctx, struct aml_frame *f,
                      const struct aml_value *t, struct aml_value *out)
{
	const struct aml_value *slot;

	switch (t->type) {
	case AML_LOCALREF:
		slot = t->aux >= 8 ? &f->args[t->aux - 8] : &f->locals[t->aux];
		if (slot->type == AML_REFERENCE) // stands for its target
			return aml_deref(ctx, f, slot, out);
		*out = *slot;
		aml_val_get(out);
		if (out->type == AML_NODE)
			out->aux = 0;
		return 0;
	case AML_NODE:
	case AML_REFERENCE: return aml_deref(ctx, f, t, out);
	case AML_DEBUG:
	case AML_NONE: return E_INVAL;
	default:
		*out = *t;
		aml_val_get(out);
		return 0;
	}
}

// Resolves index references (Add(Index(P, 1), 2) reads the element).
static err_t aml_resolve(struct aml_ctx *ctx, struct aml_frame *f,
                         struct aml_value *v)
{
	struct aml_value t;
	err_t e;

	if (v->type != AML_REFERENCE && v->type != AML_NODE)
		return 0;
	e = aml_deref(ctx, f, v, &t);
	if (e)
		return e;
	aml_val_put(ctx, v);
	*v = t;
	return 0;
}

static err_t aml_op_int(struct aml_ctx *ctx, struct aml_frame *f,
                        struct aml_op *op, unsigned i, uint64_t *out)
{
	err_t e = aml_resolve(ctx, f, &op->val[i]);

	if (!e)
		e = aml_to_int(ctx, &op->val[i], f->ones, false, out);
	if (e)
		aml_error(
		    ctx, op->start, "%s: operand %u is %s, not an integer",
		    op->desc->name, i + 1, aml_type_name(op->val[i].type));
	return e;
}

static void aml_debug_print(struct aml_ctx *ctx, const struct aml_value *v)
{
	switch (v->type) {
	case AML_INTEGER:
		aml_log(ctx, 6, "[Debug] 0x%lx", (unsigned long)v->i);
		break;
	case AML_STRING:
		aml_log(ctx, 6, "[Debug] \"%s\"", (const char *)v->o->buf.data);
		break;
	case AML_BUFFER:
		aml_log(ctx, 6, "[Debug] Buffer (%u bytes)", v->o->buf.len);
		break;
	case AML_PACKAGE:
		aml_log(ctx, 6, "[Debug] Package (%u elements)",
		        v->o->pkg.count);
		break;
	default: aml_log(ctx, 6, "[Debug] %s", aml_type_name(v->type)); break;
	}
}

static err_t aml_replace(struct aml_ctx *ctx, struct aml_value *slot,
                         const struct aml_value *v)
{
	struct aml_value c;
	err_t e = aml_val_copy(ctx, &c, v);

	if (e)
		return e;
	if (c.type == AML_NODE && !c.aux) {
		aml_node_get(c.n); // stored names own their node
		c.aux = 1;
	}
	aml_val_put(ctx, slot);
	*slot = c;
	return 0;
}

// Store to a named Buffer (ACPI 6.5 chapter 19, implicit source-to-target
// conversion): the source converted to a buffer is copied into the target,
// which keeps its length: a shorter source leaves the rest zeroed, a
// longer one is truncated. The object is written in place, so Index
// references into it see the new bytes.
static err_t aml_store_buffer(struct aml_ctx *ctx, struct aml_obj *dst,
                              const struct aml_value *v, uint64_t ones)
{
	struct aml_value t;
	err_t e = aml_to_buf(ctx, v, ones, &t);

	if (e)
		return e;
	if (t.o != dst) {
		memset(dst->buf.data, 0, dst->buf.len);
		memcpy(dst->buf.data, t.o->buf.data,
		       MIN(dst->buf.len, t.o->buf.len));
	}
	aml_val_put(ctx, &t);
	return 0;
}

// Store to a String target, as Windows does (uACPI's README and its
// object_assign_with_implicit_cast(), built to match NT): the source's raw
// bytes -- an Integer's 8 (4 in a 32-bit table) little-endian bytes, a
// String's characters without the NUL, a Buffer's bytes -- are copied into
// the target, which keeps its length: a shorter source leaves the rest
// zeroed, a longer one is truncated, so `Name (S, "BAR")  S = 0x4f4f46`
// gives "FOO" and an empty String stays empty. The specification (and
// ACPICA) would convert (an Integer to 16 hex digits) and take the
// source's length. Written in place, like a Buffer target.
static err_t aml_store_string(struct aml_ctx *ctx, struct aml_obj *dst,
                              const struct aml_value *v, uint64_t ones)
{
	uint8_t le[8];
	const uint8_t *src;
	uint32_t len, i;

	switch (v->type) {
	case AML_INTEGER:
		len = ones == UINT64_MAX ? 8 : 4;
		for (i = 0; i < len; i++)
			le[i] = (uint8_t)(v->i >> (8 * i));
		src = le;
		break;
	case AML_STRING:
	case AML_BUFFER:
		src = v->o->buf.data;
		len = v->o->buf.len;
		break;
	default: return E_INVAL;
	}
	if (src != dst->buf.data) {
		memmove(dst->buf.data, src, MIN(dst->buf.len, len));
		if (len < dst->buf.len)
			memset(dst->buf.data + len, 0, dst->buf.len - len);
	}
	return 0;
}

// How a store treats the object it lands on:
//   CONVERT   Store to a name, or through a reference held by a LocalX:
//             Integer/String/Buffer targets keep their type (implicit
//             conversion), fields are written, others are replaced;
//   OVERWRITE through a reference held by an ArgX (ACPI 6.5 chapter 19,
//             Store to ArgX: no implicit conversion): the value is
//             replaced, but fields and buffer fields are still written
//             (ACPICA does the same);
//   COPY      CopyObject: the object is replaced whatever it is.
enum aml_store_mode { AML_ST_CONVERT, AML_ST_OVERWRITE, AML_ST_COPY };

// Store to a value that is not a name's (a local, a package element) in
// CONVERT mode: data types keep their type, anything else is replaced.
static err_t aml_store_convert(struct aml_ctx *ctx, struct aml_frame *f,
                               struct aml_value *dst, const struct aml_value *v)
{
	uint64_t ones = f ? f->ones : UINT64_MAX, x;
	err_t e;

	switch (dst->type) {
	case AML_INTEGER:
		// A String's bytes are copied (Windows), not parsed as hex.
		e = v->type == AML_STRING
		        ? aml_to_int(ctx,
		                     &(struct aml_value){.type = AML_BUFFER,
		                                         .o = v->o},
		                     ones, false, &x)
		        : aml_to_int(ctx, v, ones, false, &x);
		if (!e)
			dst->i = x;
		return e;
	case AML_STRING: return aml_store_string(ctx, dst->o, v, ones);
	case AML_BUFFER: return aml_store_buffer(ctx, dst->o, v, ones);
	default: return aml_replace(ctx, dst, v);
	}
}

// Replaces a name's object. Whatever else still holds the old object (a
// Field its region, a running frame its method) keeps it alive; a region
// forgets this name.
static err_t aml_node_replace(struct aml_ctx *ctx, struct aml_node *n,
                              const struct aml_value *v)
{
	if (n->val.type == AML_REGION && n->val.o->region.node == n)
		n->val.o->region.node = NULL;
	return aml_replace(ctx, &n->val, v);
}

// Store to a named object (see enum aml_store_mode).
static err_t aml_store_node(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_node *n, const struct aml_value *v,
                            int mode)
{
	uint64_t ones = f ? f->ones : UINT64_MAX;

	n = aml_node_follow(n);
	// The root `\` is the namespace, not an object a store can replace:
	// ACPICA refuses a Store to it (the root is a Device there) and
	// acpiexec 20200925 dies on `CopyObject (0x55, \)`. Replaced, its
	// value was never released either (the aml_load fuzz target: a
	// reference left by `CondRefOf (FOO, \)` after a CopyObject to `\`).
	if (n == ctx->ns.root)
		return E_INVAL;
	if (v->type == AML_DDB_HANDLE && n->val.type == AML_INTEGER)
		mode = AML_ST_COPY; // a handle is kept, never converted
	switch (mode == AML_ST_COPY ? AML_UNINIT : n->val.type) {
	case AML_FIELD_UNIT: return aml_field_write(ctx, n, v, ones);
	case AML_BUFFER_FIELD: return aml_bfield_write(ctx, n->val.o, v, ones);
	case AML_INTEGER:
	case AML_STRING:
	case AML_BUFFER:
		if (mode == AML_ST_CONVERT)
			return aml_store_convert(ctx, f, &n->val, v);
		return aml_replace(ctx, &n->val, v);
	case AML_METHOD:
	case AML_DEVICE:
	case AML_MUTEX:
	case AML_EVENT:
	case AML_REGION:
	case AML_POWER_RES:
	case AML_PROCESSOR:
	case AML_THERMAL:
	case AML_SCOPE:
		// Through an ArgX reference the object is overwritten, as
		// CopyObject does (ACPI 6.5 19.3.5.5); a plain Store to such
		// a name is an error.
		if (mode == AML_ST_CONVERT)
			return E_INVAL;
		return aml_node_replace(ctx, n, v);
	default: return aml_node_replace(ctx, n, v);
	}
}

static err_t aml_store_byte(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_obj *ref, const struct aml_value *v)
{
	struct aml_obj *o = ref->ref.obj;
	uint64_t x;
	err_t e;

	if (ref->ref.index >= o->buf.len)
		return E_RANGE;
	e = aml_to_int(ctx, v, f ? f->ones : UINT64_MAX, false, &x);
	if (!e)
		o->buf.data[ref->ref.index] = (uint8_t)x;
	return e;
}

// The value a LOCAL or package INDEX reference designates (NULL: gone).
static struct aml_value *aml_ref_value(struct aml_ctx *ctx, struct aml_obj *r)
{
	struct aml_frame *fr;

	if (r->ref.kind == AML_REF_LOCAL)
		return aml_ref_slot(ctx, r, &fr);
	if (r->ref.index >= r->ref.obj->pkg.count)
		return NULL;
	return &r->ref.obj->pkg.elems[r->ref.index];
}

// A package element referring to its own package (a heap cell of a
// variable included) is a cycle counts never free: refused.
static bool aml_elem_cycle(const struct aml_obj *r, const struct aml_value *v)
{
	return v->type == AML_REFERENCE && r->ref.kind == AML_REF_INDEX &&
	       v->o->ref.kind == AML_REF_INDEX && v->o->ref.obj == r->ref.obj;
}

// Store through a reference, following every level down to an object that
// is not a reference (as Windows does), then storing there in `mode`.
static err_t aml_store_ref(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_obj *r, const struct aml_value *v,
                           int mode)
{
	struct aml_value *dst;
	unsigned depth;

	for (depth = 0; depth < AML_REF_MAX_DEPTH; depth++) {
		if (r->ref.kind == AML_REF_NODE)
			return aml_store_node(ctx, f, r->ref.node, v, mode);
		if (r->ref.kind == AML_REF_INDEX &&
		    r->ref.obj->type != AML_PACKAGE)
			return aml_store_byte(ctx, f, r, v);
		dst = aml_ref_value(ctx, r);
		if (!dst)
			return r->ref.kind == AML_REF_LOCAL ? E_NOENT : E_RANGE;
		if (dst->type != AML_REFERENCE && aml_elem_cycle(r, v))
			return E_INVAL;
		if (dst->type != AML_REFERENCE)
			return mode == AML_ST_CONVERT
			           ? aml_store_convert(ctx, f, dst, v)
			           : aml_replace(ctx, dst, v);
		r = dst->o;
	}
	return E_RANGE;
}

// Whether a reference leads to data (an Integer, String, Buffer, Package,
// field or a variable's value) rather than to an object such as a Method
// or a Device. A LocalX holding a reference to such an object is simply
// overwritten: firmware does `If (CondRefOf (_OSI, Local0)) {...}` and
// later reuses Local0 (Dell PowerEdge R820).
static bool aml_ref_to_data(struct aml_ctx *ctx, struct aml_obj *r)
{
	struct aml_value *v;
	unsigned depth;

	for (depth = 0; depth < AML_REF_MAX_DEPTH; depth++) {
		if (r->ref.kind == AML_REF_NODE) {
			switch (aml_node_follow(r->ref.node)->val.type) {
			case AML_INTEGER:
			case AML_STRING:
			case AML_BUFFER:
			case AML_PACKAGE:
			case AML_FIELD_UNIT:
			case AML_BUFFER_FIELD: return true;
			default: return false;
			}
		}
		if (r->ref.kind == AML_REF_INDEX &&
		    r->ref.obj->type != AML_PACKAGE)
			return true;
		v = aml_ref_value(ctx, r);
		if (!v || v->type != AML_REFERENCE)
			return true;
		r = v->o;
	}
	return false;
}

// Store to LocalX / ArgX of frame f. Empty or holding a value: the
// variable is overwritten. Holding a reference: the variable stands for
// the referenced object, which receives the store, converted for LocalX,
// overwritten for ArgX (Windows; ACPICA overwrites a LocalX whatever it
// holds). A reference stored to a LocalX rebinds it instead, so
// `Local0 = Index (PKG, Local1)` in a loop moves along the package, and so
// does any store to a LocalX whose reference leads to a non-data object.
// CopyObject to a LocalX replaces it; to an ArgX holding a reference it
// replaces the referenced object.
static err_t aml_store_slot(struct aml_ctx *ctx, struct aml_frame *f,
                            unsigned idx, const struct aml_value *v,
                            bool copy_object)
{
	bool arg = idx >= 8;
	struct aml_value *slot = arg ? &f->args[idx - 8] : &f->locals[idx];

	if (slot->type != AML_REFERENCE ||
	    (!arg && (copy_object || v->type == AML_REFERENCE ||
	              !aml_ref_to_data(ctx, slot->o))))
		return aml_replace(ctx, slot, v);
	if (copy_object)
		return aml_store_ref(ctx, f, slot->o, v, AML_ST_COPY);
	return aml_store_ref(ctx, f, slot->o, v,
	                     arg ? AML_ST_OVERWRITE : AML_ST_CONVERT);
}

// Store with a reference as the target: Store(x, RefOf(N)),
// Store(x, Index(P, i)), DerefOf(Local0) = x. An Index element is
// overwritten unless it holds a reference itself.
static err_t aml_store_target_ref(struct aml_ctx *ctx, struct aml_frame *f,
                                  struct aml_obj *r, const struct aml_value *v,
                                  bool copy_object)
{
	struct aml_frame *fr;
	struct aml_value *e;

	switch (r->ref.kind) {
	case AML_REF_NODE:
		return aml_store_node(ctx, f, r->ref.node, v,
		                      copy_object ? AML_ST_COPY
		                                  : AML_ST_CONVERT);
	case AML_REF_LOCAL:
		if (!aml_ref_slot(ctx, r, &fr))
			return E_NOENT;
		return aml_store_slot(ctx, fr, r->ref.index, v, copy_object);
	default:
		if (r->ref.obj->type != AML_PACKAGE)
			return aml_store_byte(ctx, f, r, v);
		e = aml_ref_value(ctx, r);
		if (!e)
			return E_RANGE;
		if (e->type == AML_REFERENCE && !copy_object)
			return aml_store_ref(ctx, f, e->o, v, AML_ST_CONVERT);
		// `DerefOf (Local0) = Local0` with Local0 an Index into a heap
		// cell (found by the aml_methods fuzz target).
		if (aml_elem_cycle(r, v))
			return E_INVAL;
		return aml_replace(ctx, e, v);
	}
}

static err_t aml_store2(struct aml_ctx *ctx, struct aml_frame *f,
                        const struct aml_value *t, struct aml_value *v,
                        bool copy_object)
{
	switch (t->type) {
	case AML_NONE: return 0;
	case AML_DEBUG: aml_debug_print(ctx, v); return 0;
	case AML_LOCALREF:
		return aml_store_slot(ctx, f, t->aux, v, copy_object);
	case AML_NODE:
		return aml_store_node(ctx, f, t->n, v,
		                      copy_object ? AML_ST_COPY
		                                  : AML_ST_CONVERT);
	case AML_REFERENCE:
		return aml_store_target_ref(ctx, f, t->o, v, copy_object);
	default: return E_INVAL;
	}
}

err_t aml_store(struct aml_ctx *ctx, struct aml_frame *f,
                const struct aml_value *t, struct aml_value *v)
{
	return aml_store2(ctx, f, t, v, false);
}

// Stores v to target i (if any) and makes v the result.
static err_t aml_result(struct aml_ctx *ctx, struct aml_frame *f,
                        struct aml_op *op, unsigned i, struct aml_value *v,
                        struct aml_value *res)
{
	err_t e = 0;

	if (i < op->nval)
		e = aml_store(ctx, f, &op->val[i], v);
	if (e)
		aml_error(ctx, op->start, "%s: cannot store result",
		          op->desc->name);
	aml_val_move(res, v);
	return e;
}

static err_t aml_op_store(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	err_t e;

	aml_val_put(ctx, &ctx->field_ret);
	// CopyObject of a region, mutex, event, method, ... name copies the
	// object itself (shared: such objects have no value to copy).
	if (op->desc->code == 0x9d && op->val[0].type == AML_NODE &&
	    aml_is_obj_type(op->val[0].n->val.type) && op->val[0].n->val.o) {
		struct aml_node *src = op->val[0].n;

		aml_val_put(ctx, &op->val[0]);
		op->val[0] = src->val;
		aml_val_get(&op->val[0]);
	}
	e = aml_store2(ctx, f, &op->val[1], &op->val[0],
	               op->desc->code == 0x9d);

	if (e) {
		aml_error(ctx, op->start, "%s of %s to %s failed: %s",
		          op->desc->name, aml_type_name(op->val[0].type),
		          aml_type_name(op->val[1].type), err_name(e));
		return e;
	}
	// A buffer-access field's response is the result (ACPI 6.5
	// 5.5.2.4: Store (Store (BUFF, FLD), BUFF) reads it back).
	if (ctx->field_ret.type == AML_BUFFER) {
		aml_val_put(ctx, &op->val[0]);
		aml_val_move(res, &ctx->field_ret);
		return 0;
	}
	aml_val_move(res, &op->val[0]);
	return 0;
}

static struct aml_obj *aml_ref_new(struct aml_ctx *ctx, uint8_t kind,
                                   struct aml_value *out)
{
	struct aml_obj *r = aml_obj_new(ctx, AML_REFERENCE, 0);

	if (!r)
		return NULL;
	r->ref.kind = kind;
	out->type = AML_REFERENCE;
	out->aux = 0;
	out->o = r;
	return r;
}

// RefOf(target). LocalX (whatever it holds, even nothing yet) and ArgX
// holding a non-reference give a reference to the variable itself: reading
// through it sees later stores, storing through it writes the variable, and
// RefOf of a local that holds a reference is a reference to a reference.
// ArgX holding a reference stands for the referenced object (ACPI 6.5
// chapter 19, ArgX), so RefOf(ArgX) is that same reference.
static err_t aml_make_ref(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_value *target, struct aml_value *out)
{
	struct aml_obj *r;

	if (target->type == AML_REFERENCE) {
		aml_val_move(out, target);
		return 0;
	}
	if (target->type == AML_LOCALREF) {
		bool arg = target->aux >= 8;
		struct aml_value *slot = arg ? &f->args[target->aux - 8] : NULL;
		if (arg && slot->type == AML_REFERENCE) {
			*out = *slot;
			aml_val_get(out);
			return 0;
		}
		r = aml_ref_new(ctx, AML_REF_LOCAL, out);
		if (!r)
			return E_NOMEM;
		r->ref.frame = (uint32_t)(f - ctx->frames);
		r->ref.gen = f->gen;
		r->ref.index = target->aux;
		aml_lref_link(f, r);
		return 0;
	}
	if (target->type != AML_NODE)
		return E_INVAL;
	r = aml_ref_new(ctx, AML_REF_NODE, out);
	if (!r)
		return E_NOMEM;
	r->ref.node = aml_node_follow(target->n);
	aml_node_get(r->ref.node);
	return 0;
}

static err_t aml_op_refof(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	err_t e = aml_make_ref(ctx, f, &op->val[0], res);

	if (e)
		aml_error(ctx, op->start, "RefOf: unsupported operand %s",
		          aml_type_name(op->val[0].type));
	return e;
}

static err_t aml_op_condrefof(struct aml_ctx *ctx, struct aml_frame *f,
                              struct aml_op *op, struct aml_value *res)
{
	struct aml_value r;

	if (op->val[0].type == AML_NONE) {
		*res = aml_int(0);
		return 0;
	}
	if (aml_make_ref(ctx, f, &op->val[0], &r)) {
		*res = aml_int(f->ones); // exists, but no reference to it
		return 0;
	}
	*res = aml_int(f->ones);
	if (aml_store(ctx, f, &op->val[1], &r))
		aml_error(ctx, op->start, "CondRefOf: cannot store result");
	aml_val_put(ctx, &r);
	return 0;
}

static err_t aml_op_derefof(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_op *op, struct aml_value *res)
{
	err_t e;

	if (op->want_ref && op->val[0].type == AML_REFERENCE) {
		aml_val_move(res, &op->val[0]); // DerefOf as a store target
		return 0;
	}
	e = aml_deref(ctx, f, &op->val[0], res);
	if (e)
		aml_error(ctx, op->start, "DerefOf: cannot dereference %s: %s",
		          aml_type_name(op->val[0].type), err_name(e));
	return e;
}

static err_t aml_op_index(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_value *src = &op->val[0], r;
	uint64_t i;
	uint32_t n;
	struct aml_obj *o;
	err_t e;

	e = aml_resolve(ctx, f, src);
	if (!e)
		e = aml_op_int(ctx, f, op, 1, &i);
	if (e)
		return e;
	if (src->type == AML_PACKAGE)
		n = src->o->pkg.count;
	else if (src->type == AML_BUFFER || src->type == AML_STRING)
		n = src->o->buf.len;
	else {
		aml_error(ctx, op->start, "Index of %s",
		          aml_type_name(src->type));
		return E_INVAL;
	}
	if (i >= n) {
		aml_error(ctx, op->start, "Index %lu past the end (%u)",
		          (unsigned long)i, n);
		return E_RANGE;
	}
	o = aml_obj_new(ctx, AML_REFERENCE, 0);
	if (!o)
		return E_NOMEM;
	o->ref.kind = AML_REF_INDEX;
	o->ref.obj = src->o;
	aml_obj_get(src->o);
	o->ref.index = (uint32_t)i;
	r.type = AML_REFERENCE;
	r.aux = 0;
	r.o = o;
	return aml_result(ctx, f, op, 2, &r, res);
}

// ---- integer arithmetic and logic -------------------------------------------

static uint64_t aml_bcd_from(uint64_t v)
{
	uint64_t r = 0, m = 1;

	for (; v; v >>= 4, m *= 10)
		r += (v & 0xf) * m;
	return r;
}

static uint64_t aml_bcd_to(uint64_t v)
{
	uint64_t r = 0;
	unsigned s = 0;

	for (; v && s < 64; v /= 10, s += 4)
		r |= (v % 10) << s;
	return r;
}

static unsigned aml_fls(uint64_t v)
{
	return v ? 64 - (unsigned)__builtin_clzll(v) : 0;
}

static err_t aml_op_binary(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	uint64_t a, b, r, w = f->ones == UINT64_MAX ? 64 : 32;
	struct aml_value v;
	err_t e;

	e = aml_op_int(ctx, f, op, 0, &a);
	if (!e)
		e = aml_op_int(ctx, f, op, 1, &b);
	if (e)
		return e;
	switch (op->desc->code) {
	case 0x72: r = a + b; break;
	case 0x74: r = a - b; break;
	case 0x77: r = a * b; break;
	case 0x79: r = b >= w ? 0 : a << b; break;
	case 0x7a: r = b >= w ? 0 : a >> b; break;
	case 0x7b: r = a & b; break;
	case 0x7c: r = ~(a & b); break;
	case 0x7d: r = a | b; break;
	case 0x7e: r = ~(a | b); break;
	case 0x7f: r = a ^ b; break;
	case 0x85:
		if (!b) {
			aml_error(ctx, op->start, "Mod by zero");
			return E_INVAL;
		}
		r = a % b;
		break;
	default: return E_INVAL;
	}
	v = aml_int(r & f->ones);
	return aml_result(ctx, f, op, 2, &v, res);
}

static err_t aml_op_divide(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_value q, r;
	uint64_t a, b;
	err_t e;

	e = aml_op_int(ctx, f, op, 0, &a);
	if (!e)
		e = aml_op_int(ctx, f, op, 1, &b);
	if (e)
		return e;
	if (!b) {
		aml_error(ctx, op->start, "Divide by zero");
		return E_INVAL;
	}
	r = aml_int(a % b);
	q = aml_int(a / b);
	e = aml_store(ctx, f, &op->val[2], &r);
	if (e)
		return e;
	return aml_result(ctx, f, op, 3, &q, res);
}

static err_t aml_op_unary(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_value v;
	uint64_t a, r;
	err_t e = aml_op_int(ctx, f, op, 0, &a);

	if (e)
		return e;
	switch (op->desc->code) {
	case 0x80: r = ~a; break;
	case 0x81: r = aml_fls(a); break;
	case 0x82: r = a ? (uint64_t)__builtin_ctzll(a) + 1 : 0; break;
	case AML_OP_EXT | 0x28: r = aml_bcd_from(a); break;
	case AML_OP_EXT | 0x29: r = aml_bcd_to(a); break;
	default: return E_INVAL;
	}
	v = aml_int(r & f->ones);
	return aml_result(ctx, f, op, 1, &v, res);
}

static err_t aml_op_incdec(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_value cur, v;
	uint64_t a;
	err_t e = aml_target_read(ctx, f, &op->val[0], &cur);

	if (!e) {
		e = aml_to_int(ctx, &cur, f->ones, false, &a);
		aml_val_put(ctx, &cur);
	}
	if (e) {
		aml_error(ctx, op->start, "%s: operand is not an integer",
		          op->desc->name);
		return e;
	}
	a = op->desc->code == 0x75 ? a + 1 : a - 1;
	v = aml_int(a & f->ones);
	e = aml_store(ctx, f, &op->val[0], &v);
	*res = v;
	return e;
}

static err_t aml_op_logic(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	uint16_t c = op->desc->code;
	uint64_t a, b = 0;
	bool r;
	int cmp = 0;
	err_t e;

	if (c == 0x90 || c == 0x91 || c == 0x92) {
		e = aml_op_int(ctx, f, op, 0, &a);
		if (!e && c != 0x92)
			e = aml_op_int(ctx, f, op, 1, &b);
		if (e)
			return e;
		r = c == 0x90 ? a && b : c == 0x91 ? a || b : !a;
		*res = aml_int(r ? f->ones : 0);
		return 0;
	}
	e = aml_resolve(ctx, f, &op->val[0]);
	if (!e)
		e = aml_resolve(ctx, f, &op->val[1]);
	if (!e)
		e = aml_compare(ctx, &op->val[0], &op->val[1], f->ones, &cmp);
	if (e) {
		aml_error(ctx, op->start, "%s: cannot compare %s with %s",
		          op->desc->name, aml_type_name(op->val[0].type),
		          aml_type_name(op->val[1].type));
		return e;
	}
	switch (c) {
	case 0x93: r = cmp == 0; break;
	case 0x94: r = cmp > 0; break;
	case 0x95: r = cmp < 0; break;
	case AML_OP_LNOT2 | 0x93: r = cmp != 0; break;
	case AML_OP_LNOT2 | 0x94: r = cmp <= 0; break;
	default: r = cmp >= 0; break;
	}
	*res = aml_int(r ? f->ones : 0);
	return 0;
}

// ---- strings, buffers, packages
// --------------------------------------------------

// Concatenate's second operand as a String. An Integer becomes its short
// form, lower-case hex without leading zeros ("1a"), as Windows does
// (docs/aml.md, "Differences"), not the zero-padded implicit conversion.
static err_t aml_concat_str(struct aml_ctx *ctx, const struct aml_value *v,
                            uint64_t ones, struct aml_value *out)
{
	char tmp[24];
	int n;

	if (v->type != AML_INTEGER)
		return aml_to_str(ctx, v, ones, AML_STR_IMPLICIT, out);
	n = ksnprintf(tmp, sizeof(tmp), "%lx", v->i & ones);
	out->o = aml_str_new(ctx, tmp, (size_t)n);
	if (!out->o)
		return E_NOMEM;
	out->type = AML_STRING;
	out->aux = 0;
	return 0;
}

static err_t aml_op_concat(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_value *a = &op->val[0], b = {0}, v;
	struct aml_obj *o;
	unsigned w = f->ones == UINT64_MAX ? 8 : 4;
	uint64_t x, y;
	err_t e;

	e = aml_resolve(ctx, f, a);
	if (!e)
		e = aml_resolve(ctx, f, &op->val[1]);
	if (e)
		return e;
	if (a->type == AML_INTEGER) {
		e = aml_to_int(ctx, &op->val[1], f->ones, false, &y);
		if (e)
			goto bad;
		x = a->i;
		o = aml_buf_new(ctx, NULL, 2 * w);
		if (!o)
			return E_NOMEM;
		memcpy(o->buf.data, &x, w); // little-endian hosts only
		memcpy(o->buf.data + w, &y, w);
	} else if (a->type == AML_STRING || a->type == AML_BUFFER) {
		e = a->type == AML_STRING
		        ? aml_concat_str(ctx, &op->val[1], f->ones, &b)
		        : aml_to_buf(ctx, &op->val[1], f->ones, &b);
		if (e)
			goto bad;
		o = aml_buf_new(ctx, NULL,
		                (size_t)a->o->buf.len + b.o->buf.len);
		if (o) {
			o->type = (uint8_t)a->type;
			memcpy(o->buf.data, a->o->buf.data, a->o->buf.len);
			memcpy(o->buf.data + a->o->buf.len, b.o->buf.data,
			       b.o->buf.len);
		}
		aml_val_put(ctx, &b);
		if (!o)
			return E_NOMEM;
	} else {
		goto bad;
	}
	v.type = o->type;
	v.aux = 0;
	v.o = o;
	return aml_result(ctx, f, op, 2, &v, res);
bad:
	aml_error(ctx, op->start, "Concatenate: unsupported operands %s, %s",
	          aml_type_name(a->type), aml_type_name(op->val[1].type));
	return E_INVAL;
}

// ConcatenateResTemplate: drop the first template's end tag, join, and end
// with an end tag whose checksum byte is zero.
static err_t aml_op_concatres(struct aml_ctx *ctx, struct aml_frame *f,
                              struct aml_op *op, struct aml_value *res)
{
	struct aml_obj *a, *b, *o;
	struct aml_value v;
	uint32_t la, lb;

	if (op->val[0].type != AML_BUFFER || op->val[1].type != AML_BUFFER) {
		aml_error(ctx, op->start,
		          "ConcatenateResTemplate needs buffers");
		return E_INVAL;
	}
	a = op->val[0].o;
	b = op->val[1].o;
	la = a->buf.len >= 2 && a->buf.data[a->buf.len - 2] == 0x79
	         ? a->buf.len - 2
	         : a->buf.len;
	lb = b->buf.len >= 2 && b->buf.data[b->buf.len - 2] == 0x79
	         ? b->buf.len - 2
	         : b->buf.len;
	o = aml_buf_new(ctx, NULL, (size_t)la + lb + 2);
	if (!o)
		return E_NOMEM;
	memcpy(o->buf.data, a->buf.data, la);
	memcpy(o->buf.data + la, b->buf.data, lb);
	o->buf.data[la + lb] = 0x79;
	o->buf.data[la + lb + 1] = 0;
	v.type = AML_BUFFER;
	v.aux = 0;
	v.o = o;
	return aml_result(ctx, f, op, 2, &v, res);
}

static err_t aml_op_mid(struct aml_ctx *ctx, struct aml_frame *f,
                        struct aml_op *op, struct aml_value *res)
{
	struct aml_value *s = &op->val[0], v;
	uint64_t idx, len;
	struct aml_obj *o;
	uint32_t n;
	err_t e;

	e = aml_resolve(ctx, f, s);
	if (!e)
		e = aml_op_int(ctx, f, op, 1, &idx);
	if (!e)
		e = aml_op_int(ctx, f, op, 2, &len);
	if (e)
		return e;
	if (s->type != AML_STRING && s->type != AML_BUFFER) {
		aml_error(ctx, op->start, "Mid of %s", aml_type_name(s->type));
		return E_INVAL;
	}
	n = s->o->buf.len;
	if (idx > n)
		idx = n;
	if (len > n - idx)
		len = n - idx;
	o = aml_buf_new(ctx, s->o->buf.data + idx, (size_t)len);
	if (!o)
		return E_NOMEM;
	o->type = (uint8_t)s->type;
	v.type = s->type;
	v.aux = 0;
	v.o = o;
	return aml_result(ctx, f, op, 3, &v, res);
}

static err_t aml_op_sizeof(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_value v;
	uint64_t n;
	err_t e = aml_target_read(ctx, f, &op->val[0], &v);

	// A reference whose chain cannot be followed to a value (longer than
	// AML_REF_MAX_DEPTH, or a cycle) fails to resolve and leaves v
	// holding it: released here (the aml_load fuzz target: a leaked
	// Index reference per SizeOf).
	if (!e && v.type == AML_REFERENCE) {
		e = aml_resolve(ctx, f, &v);
		if (e)
			aml_val_put(ctx, &v);
	}
	if (e)
		goto bad;
	if (v.type == AML_STRING || v.type == AML_BUFFER)
		n = v.o->buf.len;
	else if (v.type == AML_PACKAGE)
		n = v.o->pkg.count;
	else {
		aml_val_put(ctx, &v);
		goto bad;
	}
	aml_val_put(ctx, &v);
	*res = aml_int(n);
	return 0;
bad:
	aml_error(ctx, op->start, "SizeOf: operand has no size");
	return E_INVAL;
}

static uint64_t aml_node_type(struct aml_node *n)
{
	n = aml_node_follow(n);
	return n->val.type == AML_SCOPE ? AML_UNINIT : n->val.type;
}

static err_t aml_op_objtype(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_op *op, struct aml_value *res)
{
	struct aml_value *t = &op->val[0], v;
	uint64_t type;

	switch (t->type) {
	case AML_NODE: type = aml_node_type(t->n); break;
	case AML_DEBUG: type = AML_DEBUG; break;
	case AML_LOCALREF:
	case AML_REFERENCE:
		if (t->type == AML_REFERENCE &&
		    t->o->ref.kind == AML_REF_NODE) {
			type = aml_node_type(t->o->ref.node);
			break;
		}
		if (aml_target_read(ctx, f, t, &v))
			return E_INVAL;
		if (v.type == AML_REFERENCE && v.o->ref.kind == AML_REF_NODE)
			type = aml_node_type(v.o->ref.node);
		else if (v.type == AML_NODE)
			type = aml_node_type(v.n);
		else
			type = v.type <= AML_DEBUG ? v.type : AML_UNINIT;
		aml_val_put(ctx, &v);
		break;
	default:
		aml_error(ctx, op->start, "ObjectType of a missing object");
		return E_NOENT;
	}
	if (ctx->opt.opstats && type <= AML_DEBUG)
		ctx->opt.opstats->type[type]++;
	*res = aml_int(type);
	return 0;
}

static bool aml_match_one(struct aml_ctx *ctx, uint64_t mop,
                          const struct aml_value *elem,
                          const struct aml_value *val, uint64_t ones)
{
	int c;

	if (mop == 0)
		return true;
	if (aml_compare(ctx, elem, val, ones, &c))
		return false;
	switch (mop) {
	case 1: return c == 0;
	case 2: return c <= 0;
	case 3: return c < 0;
	case 4: return c >= 0;
	case 5: return c > 0;
	default: return false;
	}
}

static err_t aml_op_match(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_value *p = &op->val[0], *e;
	uint64_t start, i;
	err_t err;

	err = aml_resolve(ctx, f, p);
	if (!err)
		err = aml_op_int(ctx, f, op, 3, &start);
	if (err)
		return err;
	if (p->type != AML_PACKAGE || op->imm[0] > 5 || op->imm[1] > 5) {
		aml_error(ctx, op->start, "Match: bad operands");
		return E_INVAL;
	}
	*res = aml_int(f->ones);
	for (i = start; i < p->o->pkg.count; i++) {
		e = &p->o->pkg.elems[i];
		if (e->type != AML_INTEGER && e->type != AML_STRING &&
		    e->type != AML_BUFFER)
			continue;
		if (aml_match_one(ctx, op->imm[0], e, &op->val[1], f->ones) &&
		    aml_match_one(ctx, op->imm[1], e, &op->val[2], f->ones)) {
			*res = aml_int(i);
			break;
		}
	}
	return 0;
}

static err_t aml_op_convert(struct aml_ctx *ctx, struct aml_frame *f,
                            struct aml_op *op, struct aml_value *res)
{
	struct aml_value v = {0};
	uint64_t x;
	err_t e = aml_resolve(ctx, f, &op->val[0]);

	if (e)
		return e;
	switch (op->desc->code) {
	case 0x96: e = aml_to_buf(ctx, &op->val[0], f->ones, &v); break;
	case 0x97:
		e = aml_to_str(ctx, &op->val[0], f->ones, AML_STR_DEC, &v);
		break;
	case 0x98:
		e = aml_to_str(ctx, &op->val[0], f->ones, AML_STR_HEX, &v);
		break;
	default: // ToInteger
		e = aml_to_int(ctx, &op->val[0], f->ones, true, &x);
		v = aml_int(x);
		break;
	}
	if (e) {
		aml_error(ctx, op->start, "%s of %s", op->desc->name,
		          aml_type_name(op->val[0].type));
		return e;
	}
	return aml_result(ctx, f, op, 1, &v, res);
}

static err_t aml_op_tostring(struct aml_ctx *ctx, struct aml_frame *f,
                             struct aml_op *op, struct aml_value *res)
{
	struct aml_value v;
	const uint8_t *nul;
	uint64_t max;
	size_t n;
	err_t e = aml_resolve(ctx, f, &op->val[0]);

	if (!e)
		e = aml_op_int(ctx, f, op, 1, &max);
	if (e)
		return e;
	if (op->val[0].type != AML_BUFFER) {
		aml_error(ctx, op->start, "ToString of %s",
		          aml_type_name(op->val[0].type));
		return E_INVAL;
	}
	n = op->val[0].o->buf.len;
	nul = memchr(op->val[0].o->buf.data, 0, n);
	if (nul)
		n = (size_t)(nul - op->val[0].o->buf.data);
	if (max < n)
		n = (size_t)max;
	v.o = aml_str_new(ctx, (const char *)op->val[0].o->buf.data, n);
	if (!v.o)
		return E_NOMEM;
	v.type = AML_STRING;
	v.aux = 0;
	return aml_result(ctx, f, op, 2, &v, res);
}

// ---- events, mutexes, time, notification
// -------------------------------------------

static struct aml_node *aml_op_node(struct aml_ctx *ctx, struct aml_op *op,
                                    unsigned i, uint32_t type)
{
	struct aml_value *v = &op->val[i];
	struct aml_node *n = NULL;

	if (v->type == AML_NODE)
		n = aml_node_follow(v->n);
	else if (v->type == AML_REFERENCE && v->o->ref.kind == AML_REF_NODE)
		n = v->o->ref.node;
	if (n && (type == AML_NONE || n->val.type == type))
		return n;
	aml_error(ctx, op->start, "%s: operand is not a %s", op->desc->name,
	          aml_type_name(type));
	return NULL;
}

static err_t aml_op_notify(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_node *n = aml_op_node(ctx, op, 0, AML_NONE);
	char path[160];
	uint64_t v;

	if (!n || aml_op_int(ctx, f, op, 1, &v))
		return E_INVAL;
	aml_node_path(n, path, sizeof(path));
	if (ctx->host.notify)
		ctx->host.notify(ctx->host.ctx, path, v);
	else
		aml_log(ctx, 7, "Notify(%s, 0x%lx)", path, (unsigned long)v);
	return 0;
}

static err_t aml_op_delay(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	bool sleep = op->desc->code == (AML_OP_EXT | 0x22);
	uint64_t v, max = ctx->opt.loop_timeout_ms * (sleep ? 1 : 1000);

	if (aml_op_int(ctx, f, op, 0, &v))
		return E_INVAL;
	// No wait longer than a whole While loop may run: Sleep (Ones) (the
	// aml_load fuzz target) made a host's clock wrap, and in the kernel
	// it would sleep for ever.
	if (v > max) {
		aml_log(ctx, 4,
		        "%s(%lu) longer than the loop budget: cut to %lu",
		        sleep ? "Sleep" : "Stall", (unsigned long)v,
		        (unsigned long)max);
		v = max;
	}
	if (sleep) {
		if (ctx->host.sleep_ms)
			ctx->host.sleep_ms(ctx->host.ctx, v);
	} else {
		if (v > 100)
			aml_log(ctx, 4, "Stall(%lu) longer than 100 us",
			        (unsigned long)v);
		if (ctx->host.stall_us)
			ctx->host.stall_us(ctx->host.ctx, v);
	}
	return 0;
}

// The host's primitive behind a Mutex or Event object, made on first use
// (host.sync_new); NULL with *e = 0 when the host has none (the stand-in
// below is used), NULL with *e = E_NOMEM when making it failed.
void *aml_sync_host(struct aml_ctx *ctx, struct aml_obj *o, err_t *e)
{
	void **h = o->type == AML_MUTEX ? &o->mutex.host : &o->event.host;

	*e = 0;
	if (!ctx->host.sync_new)
		return NULL;
	if (!*h)
		*h = ctx->host.sync_new(ctx->host.ctx, o->type == AML_MUTEX);
	if (!*h)
		*e = E_NOMEM;
	return *h;
}

// Acquire (timeout: a word, 0xFFFF none) returns Zero when it got the
// mutex, Ones on timeout. On the host's primitives it may sleep; the
// stand-in nests and never waits (one thread runs AML at a time, so a
// stand-in mutex is free or held by the running thread).
static err_t aml_op_mutex(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_node *n = aml_op_node(ctx, op, 0, AML_MUTEX);
	struct aml_obj *m;
	bool got = true;
	void *h;
	err_t e;

	if (!n)
		return E_INVAL;
	m = n->val.o;
	if (!(h = aml_sync_host(ctx, m, &e)) && e)
		return e;
	if (op->desc->code == (AML_OP_EXT | 0x23)) { // Acquire
		if (m->mutex.sync < f->sync_level)
			aml_log(ctx, 4, "Acquire: sync level %u below %u",
			        m->mutex.sync, f->sync_level);
		if (h)
			got = ctx->host.mutex_acquire(ctx->host.ctx, h,
			                              op->imm[0]);
		else
			m->mutex.depth++;
		if (!got && op->imm[0] == 0xffff)
			aml_log(ctx, 3,
			        "Acquire without timeout: the host "
			        "gave up waiting");
		*res = aml_int(got ? 0 : f->ones);
		return 0;
	}
	if (h ? ctx->host.mutex_release(ctx->host.ctx, h) != 0
	      : !m->mutex.depth) {
		aml_error(ctx, op->start, "Release of a mutex not held");
		return E_INVAL;
	}
	if (!h)
		m->mutex.depth--;
	return 0;
}

// Wait on the stand-in: a signal is taken at once; otherwise nobody else
// can signal while this thread holds the lock, so it times out (after
// sleeping the timeout, as the firmware expects time to pass).
static bool aml_event_wait_standin(struct aml_ctx *ctx, struct aml_obj *ev,
                                   uint64_t t)
{
	if (ev->event.count) {
		ev->event.count--;
		return true;
	}
	if (ctx->host.sleep_ms && t != 0xffff)
		ctx->host.sleep_ms(ctx->host.ctx, t);
	return false;
}

static err_t aml_op_event(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_node *n = aml_op_node(ctx, op, 0, AML_EVENT);
	struct aml_obj *ev;
	uint64_t t;
	bool got;
	void *h;
	err_t e;

	if (!n)
		return E_INVAL;
	ev = n->val.o;
	if (!(h = aml_sync_host(ctx, ev, &e)) && e)
		return e;
	switch (op->desc->code & 0xff) {
	case 0x24: // Signal
		if (h)
			ctx->host.event_signal(ctx->host.ctx, h);
		else
			ev->event.count++;
		break;
	case 0x26: // Reset
		if (h)
			ctx->host.event_reset(ctx->host.ctx, h);
		else
			ev->event.count = 0;
		break;
	default: // Wait: Zero when signalled, Ones on timeout
		if (aml_op_int(ctx, f, op, 1, &t))
			return E_INVAL;
		t = MIN(t, 0xffffull); // 0xFFFF and above: no timeout
		got = h ? ctx->host.event_wait(ctx->host.ctx, h, t)
		        : aml_event_wait_standin(ctx, ev, t);
		*res = aml_int(got ? 0 : f->ones);
		break;
	}
	return 0;
}

static err_t aml_op_fatal(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	uint64_t arg = 0;

	(void)aml_op_int(ctx, f, op, 0, &arg);
	aml_error(ctx, op->start, "Fatal(0x%x, 0x%x, 0x%lx)",
	          (unsigned)op->imm[0], (unsigned)op->imm[1],
	          (unsigned long)arg);
	if (ctx->host.fatal)
		ctx->host.fatal(ctx->host.ctx, (uint8_t)op->imm[0],
		                (uint32_t)op->imm[1], arg);
	return 0;
}

static err_t aml_op_const(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	if (op->desc->code == (AML_OP_EXT | 0x33))
		*res = aml_int(aml_now(ctx) & f->ones);
	else
		*res = aml_int(OPS_REVISION);
	return 0;
}

const struct aml_opdesc aml_expr_ops[] = {
    {0x70, "Store", "TS", aml_op_store},
    {0x9d, "CopyObject", "TS", aml_op_store},
    {0x71, "RefOf", "O", aml_op_refof},
    {AML_OP_EXT | 0x12, "CondRefOf", "OR", aml_op_condrefof},
    {0x83, "DerefOf", "T", aml_op_derefof},
    {0x88, "Index", "TTR", aml_op_index},
    {0x72, "Add", "TTR", aml_op_binary},
    {0x74, "Subtract", "TTR", aml_op_binary},
    {0x77, "Multiply", "TTR", aml_op_binary},
    {0x79, "ShiftLeft", "TTR", aml_op_binary},
    {0x7a, "ShiftRight", "TTR", aml_op_binary},
    {0x7b, "And", "TTR", aml_op_binary},
    {0x7c, "NAnd", "TTR", aml_op_binary},
    {0x7d, "Or", "TTR", aml_op_binary},
    {0x7e, "NOr", "TTR", aml_op_binary},
    {0x7f, "XOr", "TTR", aml_op_binary},
    {0x85, "Mod", "TTR", aml_op_binary},
    {0x78, "Divide", "TTRR", aml_op_divide},
    {0x80, "Not", "TR", aml_op_unary},
    {0x81, "FindSetLeftBit", "TR", aml_op_unary},
    {0x82, "FindSetRightBit", "TR", aml_op_unary},
    {AML_OP_EXT | 0x28, "FromBCD", "TR", aml_op_unary},
    {AML_OP_EXT | 0x29, "ToBCD", "TR", aml_op_unary},
    {0x75, "Increment", "S", aml_op_incdec},
    {0x76, "Decrement", "S", aml_op_incdec},
    {0x90, "LAnd", "TT", aml_op_logic},
    {0x91, "LOr", "TT", aml_op_logic},
    {0x92, "LNot", "T", aml_op_logic},
    {0x93, "LEqual", "TT", aml_op_logic},
    {0x94, "LGreater", "TT", aml_op_logic},
    {0x95, "LLess", "TT", aml_op_logic},
    {AML_OP_LNOT2 | 0x93, "LNotEqual", "TT", aml_op_logic},
    {AML_OP_LNOT2 | 0x94, "LLessEqual", "TT", aml_op_logic},
    {AML_OP_LNOT2 | 0x95, "LGreaterEqual", "TT", aml_op_logic},
    {0x73, "Concatenate", "TTR", aml_op_concat},
    {0x84, "ConcatenateResTemplate", "TTR", aml_op_concatres},
    {0x9e, "Mid", "TTTR", aml_op_mid},
    {0x87, "SizeOf", "O", aml_op_sizeof},
    {0x8e, "ObjectType", "O", aml_op_objtype},
    {0x89, "Match", "TbTbTT", aml_op_match},
    {0x96, "ToBuffer", "TR", aml_op_convert},
    {0x97, "ToDecimalString", "TR", aml_op_convert},
    {0x98, "ToHexString", "TR", aml_op_convert},
    {0x99, "ToInteger", "TR", aml_op_convert},
    {0x9c, "ToString", "TTR", aml_op_tostring},
    {0x86, "Notify", "ST", aml_op_notify},
    {AML_OP_EXT | 0x21, "Stall", "T", aml_op_delay},
    {AML_OP_EXT | 0x22, "Sleep", "T", aml_op_delay},
    {AML_OP_EXT | 0x23, "Acquire", "Sw", aml_op_mutex},
    {AML_OP_EXT | 0x27, "Release", "S", aml_op_mutex},
    {AML_OP_EXT | 0x24, "Signal", "S", aml_op_event},
    {AML_OP_EXT | 0x25, "Wait", "ST", aml_op_event},
    {AML_OP_EXT | 0x26, "Reset", "S", aml_op_event},
    {AML_OP_EXT | 0x32, "Fatal", "bdT", aml_op_fatal},
    {AML_OP_EXT | 0x33, "Timer", "", aml_op_const},
    {AML_OP_EXT | 0x30, "Revision", "", aml_op_const},
    {AML_OP_EXT | 0x20, "Load", "NS", aml_op_load},
    {AML_OP_EXT | 0x1f, "LoadTable", "TTTTTT", aml_op_loadtable},
    {AML_OP_EXT | 0x2a, "Unload", "S", aml_op_unload},
    {0},
};
