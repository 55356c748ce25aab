// SPDX-License-Identifier: MIT
// Definition blocks: the table list every load registers in, and the
// dynamic loading operators Load, LoadTable and Unload, plus
// DataTableRegion's table lookup.
//
// Every node remembers which table created it (node->owner, the table's
// index + 1), so Unload removes exactly the names a table added. Table bytes
// stay allocated until aml_destroy even after Unload: method objects (and a
// method being run) point into them.
//
// Semantics chosen where the specification changed over time: Load stores
// a DDBHandle into its target and LoadTable returns one (ACPI <= 6.3); a
// DDBHandle converts to Ones as an integer, so code written for ACPI 6.4
// ("returns True on success") tests it correctly too. A failed Load or
// LoadTable yields Zero and reports the cause.
//
// Locking: called with the interpreter lock held (from the engine).
#include <string.h>
#include <acpi/aml/internal.h>

#define AML_MAX_TABLES 4096
// Load and LoadTable run the new table's code through a nested aml_run (C
// recursion, like the PCI_Config evaluation): a table whose code loads
// another is fine, a chain deeper than this is firmware gone wrong.
#define AML_MAX_LOAD_DEPTH 4

static err_t aml_table_add(struct aml_ctx *ctx, const uint8_t *t, uint32_t len,
                           bool owned, uint32_t *index)
{
	struct aml_table *nt;
	uint32_t cap;

	if (ctx->ntables >= AML_MAX_TABLES)
		return E_RANGE;
	if (ctx->ntables == ctx->cap_tables) {
		cap = ctx->cap_tables ? ctx->cap_tables * 2 : 16;
		nt = aml_alloc(ctx, cap * sizeof(*nt));
		if (!nt)
			return E_NOMEM;
		if (ctx->tables) {
			memcpy(nt, ctx->tables, ctx->ntables * sizeof(*nt));
			aml_free(ctx, ctx->tables,
			         ctx->cap_tables * sizeof(*nt));
		}
		ctx->tables = nt;
		ctx->cap_tables = cap;
	}
	nt = &ctx->tables[ctx->ntables];
	nt->data = t;
	nt->len = len;
	nt->owned = owned;
	nt->loaded = true;
	*index = ctx->ntables++;
	return 0;
}

void aml_tables_free(struct aml_ctx *ctx)
{
	uint32_t i;

	for (i = 0; i < ctx->ntables; i++)
		if (ctx->tables[i].owned)
			aml_free(ctx, (void *)ctx->tables[i].data,
			         ctx->tables[i].len);
	if (ctx->tables)
		aml_free(ctx, ctx->tables,
		         ctx->cap_tables * sizeof(*ctx->tables));
	ctx->tables = NULL;
	ctx->ntables = ctx->cap_tables = 0;
}

// Whether a table before index `idx` holds the same bytes and is loaded.
static bool aml_table_is_loaded_before(struct aml_ctx *ctx, uint32_t idx)
{
	const uint8_t *t = ctx->tables[idx].data;
	uint32_t len = ctx->tables[idx].len, i;

	for (i = 0; i < idx; i++) {
		const struct aml_table *x = &ctx->tables[i];

		if (x->loaded && x->len == len &&
		    (x->data == t || !memcmp(x->data, t, len)))
			return true;
	}
	return false;
}

err_t aml_table_run(struct aml_ctx *ctx, const uint8_t *t, uint32_t len,
                    bool owned, struct aml_node *scope, uint32_t *index)
{
	const uint8_t *saved_table = ctx->cur_table;
	uint16_t saved_owner = ctx->cur_owner;
	err_t e = ctx->load_depth >= AML_MAX_LOAD_DEPTH
	              ? E_RANGE
	              : aml_table_add(ctx, t, len, owned, index);

	if (e) {
		if (ctx->load_depth >= AML_MAX_LOAD_DEPTH)
			aml_error(ctx, NULL,
			          "tables loading tables nested "
			          "deeper than %u",
			          AML_MAX_LOAD_DEPTH);
		*index = UINT32_MAX; // not registered: the caller keeps t
		return e;
	}
	// A table identical to one already loaded loads again, its
	// existing names skipped without errors (as Windows does).
	ctx->tables[*index].reload = aml_table_is_loaded_before(ctx, *index);
	ctx->cur_table = t;
	ctx->cur_owner = (uint16_t)(*index + 1);
	ctx->load_depth++;
	// Revision 2 and later: 64-bit integers.
	e = aml_exec_table(ctx, t + 36, len - 36, t[8] >= 2, scope);
	ctx->load_depth--;
	ctx->cur_table = saved_table;
	ctx->cur_owner = saved_owner;
	ctx->stats.tables++;
	return e;
}

// ---- header checks
// -----------------------------------------------------------

static uint8_t aml_checksum(const uint8_t *t, uint32_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *t++);
	return sum;
}

// A table Load may run: SSDT, PSDT or OEMx and a length that fits. Then
// aml_table_checksum: a bad checksum is reported but tolerated, as
// firmware that patches its tables often forgets to fix it.
static err_t aml_table_check(struct aml_ctx *ctx, const uint8_t *pc,
                             const uint8_t *t, size_t avail, uint32_t *len)
{
	if (avail < 36) {
		aml_error(ctx, pc, "Load: %zu bytes cannot hold a table header",
		          avail);
		return E_TRUNC;
	}
	memcpy(len, t + 4, 4);
	if (*len < 36 || *len > avail) {
		aml_error(ctx, pc, "Load: table length %u, %zu bytes available",
		          *len, avail);
		return E_TRUNC;
	}
	if (memcmp(t, "SSDT", 4) && memcmp(t, "PSDT", 4) &&
	    memcmp(t, "DSDT", 4) && memcmp(t, "OEM", 3)) {
		aml_error(ctx, pc,
		          "Load: signature '%.4s' is not a definition "
		          "block",
		          (const char *)t);
		return E_INVAL;
	}
	return 0;
}

static void aml_table_checksum(struct aml_ctx *ctx, const uint8_t *t,
                               uint32_t len)
{
	if (aml_checksum(t, len)) {
		aml_log(ctx, 4, "Load: %.4s %.8s: bad checksum (loaded anyway)",
		        (const char *)t, (const char *)t + 16);
		ctx->stats.warnings++;
	}
}

// After a dynamic load into an initialised namespace: _REG(space, 1) for
// the new regions, then the _STA/_INI walk over the devices the table
// added (the order of initial loading: regions are usable before any
// _INI runs, ACPI 6.5 6.5.1 and 6.5.4). Before initialisation the
// initial walk covers them.
static void aml_table_reg(struct aml_ctx *ctx)
{
	if (ctx->inited) {
		aml_reg_connect(ctx, -1, true);
		aml_reg_connect(ctx, -1, false);
	}
}

static void aml_table_ini(struct aml_ctx *ctx, uint32_t idx)
{
	if (ctx->inited && idx < UINT16_MAX)
		aml_dev_init_walk(ctx, NULL, (uint16_t)(idx + 1));
}

static void aml_ddb_handle(struct aml_value *v, uint32_t index)
{
	v->type = AML_DDB_HANDLE;
	v->aux = 0;
	v->i = index;
}

// ---- Load(Object, DDBHandle)
// -------------------------------------------------

// Copies the table out of a region, a field unit or a buffer.
static err_t aml_load_source(struct aml_ctx *ctx, struct aml_frame *f,
                             struct aml_op *op, struct aml_node *n,
                             uint8_t **out, uint32_t *len)
{
	struct aml_value v = {.type = AML_NONE};
	uint8_t hdr[36], *t;
	const uint8_t *src = NULL;
	size_t avail = 0;
	err_t e;

	if (n->val.type == AML_REGION) {
		avail = n->val.o->region.len;
		e = aml_region_read_bytes(ctx, n, 0, avail < 36 ? 0 : 36, hdr);
		if (e)
			return e;
		src = hdr;
	} else {
		e = aml_node_value(ctx, f, n, &v);
		if (e)
			return e;
		if (v.type != AML_BUFFER) {
			aml_error(ctx, op->start,
			          "Load: source is %s, not a "
			          "region, field or buffer",
			          aml_type_name(v.type));
			aml_val_put(ctx, &v);
			return E_INVAL;
		}
		src = v.o->buf.data;
		avail = v.o->buf.len;
	}
	e = aml_table_check(ctx, op->start, src, avail, len);
	if (!e && !(t = aml_alloc(ctx, *len)))
		e = E_NOMEM;
	if (!e && v.type == AML_BUFFER)
		memcpy(t, src, *len);
	else if (!e)
		e = aml_region_read_bytes(ctx, n, 0, *len, t);
	aml_val_put(ctx, &v);
	if (e)
		return e;
	aml_table_checksum(ctx, t, *len);
	*out = t;
	return 0;
}

err_t aml_op_load(struct aml_ctx *ctx, struct aml_frame *f, struct aml_op *op,
                  struct aml_value *res)
{
	const uint8_t *p = op->names[0];
	struct aml_value h = aml_int(0);
	struct aml_name nm;
	struct aml_node *n = NULL;
	uint32_t len = 0, idx;
	uint8_t *t = NULL;
	err_t e;

	if (!aml_name_parse(&p, f->end, &nm))
		n = aml_ns_lookup(ctx, f->scope, &nm);
	if (!n) {
		aml_error(ctx, op->start, "Load: source object not found");
		e = E_NOENT;
	} else {
		e = aml_load_source(ctx, f, op, aml_node_follow(n), &t, &len);
	}
	if (!e) {
		e = aml_table_run(ctx, t, len, true, NULL, &idx);
		if (idx == UINT32_MAX)
			aml_free(ctx, t, len);
		else
			aml_ddb_handle(&h, idx);
		if (!e) {
			aml_table_reg(ctx);
			aml_table_ini(ctx, idx);
		}
	}
	if (aml_store(ctx, f, &op->val[0], &h))
		aml_error(ctx, op->start, "Load: cannot store the handle");
	return e == E_NOMEM ? e : 0;
}

// ---- LoadTable(Signature, OEMID, OEMTableID, RootPath, ParameterPath,
// ParameterData)
// ----------------------------------------------------------------------------

// Compares a header field with a string operand: equal up to the field's
// width, the string shorter than the field only if the rest is NUL.
static bool aml_hdr_match(const uint8_t *field, size_t width, const char *s)
{
	size_t n = strnlen(s, width + 1), i;

	if (n > width)
		return false;
	for (i = 0; i < width; i++)
		if (field[i] != (i < n ? (uint8_t)s[i] : 0) &&
		    !(i >= n && field[i] == ' '))
			return false;
	return true;
}

const uint8_t *aml_table_find(struct aml_ctx *ctx, const char *sig,
                              const char *oemid, const char *oemtab,
                              size_t *len)
{
	const void *t;
	unsigned i;

	if (!ctx->host.table_get)
		return NULL;
	for (i = 0; i < 4096; i++) {
		if (ctx->host.table_get(ctx->host.ctx, i, &t, len))
			return NULL;
		if (!t || *len < 36)
			continue;
		if (aml_hdr_match(t, 4, sig) &&
		    (!*oemid ||
		     aml_hdr_match((const uint8_t *)t + 10, 6, oemid)) &&
		    (!*oemtab ||
		     aml_hdr_match((const uint8_t *)t + 16, 8, oemtab)))
			return t;
	}
	return NULL;
}

static err_t aml_loadtable_strs(struct aml_ctx *ctx, struct aml_frame *f,
                                struct aml_op *op, struct aml_value *s)
{
	unsigned i;

	for (i = 0; i < 5; i++) {
		if (aml_to_str(ctx, &op->val[i], f->ones, AML_STR_IMPLICIT,
		               &s[i])) {
			while (i--)
				aml_val_put(ctx, &s[i]);
			aml_error(ctx, op->start,
			          "LoadTable: operand %u is not a string", i);
			return E_INVAL;
		}
	}
	return 0;
}

// ParameterPath: stores ParameterData there once the table is loaded.
static void aml_loadtable_param(struct aml_ctx *ctx, struct aml_frame *f,
                                struct aml_op *op, struct aml_node *root,
                                const char *path)
{
	struct aml_node *n;
	struct aml_value t;

	if (!*path)
		return;
	n = aml_ns_lookup_path(ctx, root, path);
	if (!n) {
		aml_error(ctx, op->start,
		          "LoadTable: ParameterPath %s not "
		          "found",
		          path);
		return;
	}
	t.type = AML_NODE;
	t.aux = 0;
	t.n = n;
	if (aml_store(ctx, f, &t, &op->val[5]))
		aml_error(ctx, op->start,
		          "LoadTable: cannot store the "
		          "parameter to %s",
		          path);
}

err_t aml_op_loadtable(struct aml_ctx *ctx, struct aml_frame *f,
                       struct aml_op *op, struct aml_value *res)
{
	struct aml_value s[5];
	struct aml_node *root = ctx->ns.root;
	const uint8_t *t;
	size_t avail = 0;
	uint32_t len, idx;
	err_t e;

	*res = aml_int(0);
	e = aml_loadtable_strs(ctx, f, op, s);
	if (e)
		return 0;
	t = aml_table_find(ctx, aml_value_str(&s[0]), aml_value_str(&s[1]),
	                   aml_value_str(&s[2]), &avail);
	if (!t) {
		// Firmware probes for optional tables: not an error.
		aml_log(ctx, 6,
		        "LoadTable(\"%s\", \"%s\", \"%s\"): no such table",
		        aml_value_str(&s[0]), aml_value_str(&s[1]),
		        aml_value_str(&s[2]));
		goto out;
	}
	if (*aml_value_str(&s[3]) &&
	    !(root = aml_ns_lookup_path(ctx, f->scope, aml_value_str(&s[3])))) {
		aml_error(ctx, op->start, "LoadTable: RootPath %s not found",
		          aml_value_str(&s[3]));
		goto out;
	}
	if (aml_table_check(ctx, op->start, t, avail, &len))
		goto out;
	aml_table_checksum(ctx, t, len);
	e = aml_table_run(ctx, t, len, false, root, &idx);
	if (idx != UINT32_MAX)
		aml_ddb_handle(res, idx);
	if (!e) {
		aml_table_reg(ctx);
		// ParameterData is in place before the new devices' _INI.
		aml_loadtable_param(ctx, f, op, root, aml_value_str(&s[4]));
		aml_table_ini(ctx, idx);
	}
out:
	for (idx = 0; idx < 5; idx++)
		aml_val_put(ctx, &s[idx]);
	return e == E_NOMEM ? e : 0;
}

// ---- Unload(DDBHandle)
// -------------------------------------------------------

static bool aml_table_running(struct aml_ctx *ctx, const struct aml_table *t)
{
	uint32_t i;

	for (i = 0; i < ctx->nframes; i++) {
		const uint8_t *pc = ctx->frames[i].start;

		if (pc >= t->data && pc < t->data + t->len)
			return true;
	}
	return false;
}

err_t aml_op_unload(struct aml_ctx *ctx, struct aml_frame *f, struct aml_op *op,
                    struct aml_value *res)
{
	struct aml_value h = {.type = AML_NONE};
	struct aml_node *n, *next;
	struct aml_table *t;
	uint16_t owner;

	if (aml_target_read(ctx, f, &op->val[0], &h) ||
	    h.type != AML_DDB_HANDLE || h.i >= ctx->ntables) {
		aml_error(ctx, op->start,
		          "Unload: operand is %s, not a "
		          "DDBHandle",
		          aml_type_name(h.type));
		aml_val_put(ctx, &h);
		return 0;
	}
	t = &ctx->tables[h.i];
	owner = (uint16_t)(h.i + 1);
	if (!t->loaded || aml_table_running(ctx, t)) {
		aml_error(ctx, op->start, "Unload: table %u is %s",
		          (unsigned)h.i, t->loaded ? "running" : "not loaded");
		return 0;
	}
	t->loaded = false;
	for (n = ctx->ns.root->child; n; n = next) {
		if (n->owner == owner) {
			next = aml_ns_after_subtree(ctx, n, NULL);
			aml_ns_remove(ctx, n);
		} else {
			next = aml_ns_next(ctx, n, true);
		}
	}
	return 0;
}
