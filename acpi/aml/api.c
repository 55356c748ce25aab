// SPDX-License-Identifier: MIT
// The interpreter's public entry points (acpi/aml/aml.h): context set-up
// with the predefined namespace, table loading, namespace initialisation
// (_REG, \_SB._INI, the _STA/_INI walk), evaluation, walks and statistics;
// plus the small helpers every file uses (allocation, logging, time).
//
// Locking: each public function takes the host lock for its duration; the
// internal helpers expect it held.
#include <stdarg.h>
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

#define AML_MAX_ERRORS_LOGGED 200

void *aml_alloc(struct aml_ctx *ctx, size_t size)
{
	void *p = ctx->host.alloc(ctx->host.ctx, size);

	if (p)
		ctx->stats.heap_bytes += size;
	return p;
}

void aml_free(struct aml_ctx *ctx, void *p, size_t size)
{
	ctx->stats.heap_bytes -= size;
	ctx->host.free(ctx->host.ctx, p, size);
}

uint64_t aml_now(struct aml_ctx *ctx)
{
	return ctx->host.timer_100ns(ctx->host.ctx);
}

static void aml_vlog(struct aml_ctx *ctx, int level, const char *fmt,
                     va_list ap)
{
	char line[256];

	kvsnprintf(line, sizeof(line), fmt, ap);
	if (ctx->host.log)
		ctx->host.log(ctx->host.ctx, level, line);
	else
		printk(KERN_SOH "%c"
		                "aml: %s\n",
		       '0' + level, line);
}

void aml_log(struct aml_ctx *ctx, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aml_vlog(ctx, level, fmt, ap);
	va_end(ap);
}

// "\_SB_.PCI0._CRS+0x12" for method code, "table+0x1234" for table code.
static void aml_where(struct aml_ctx *ctx, const uint8_t *pc, char *buf,
                      size_t size)
{
	struct aml_frame *f;
	size_t n;

	buf[0] = 0;
	if (!ctx->nframes)
		return;
	f = &ctx->frames[ctx->nframes - 1];
	if (!pc || pc < f->start || pc > f->end)
		pc = f->pc;
	if (f->method || !ctx->cur_table) {
		n = aml_node_path(f->method, buf, size);
		ksnprintf(buf + n, size - n, "+0x%lx",
		          (unsigned long)(pc - f->start));
	} else {
		ksnprintf(buf, size, "%.4s %.8s+0x%lx",
		          (const char *)ctx->cur_table,
		          (const char *)ctx->cur_table + 16,
		          (unsigned long)(pc - ctx->cur_table));
	}
}

void aml_error(struct aml_ctx *ctx, const uint8_t *pc, const char *fmt, ...)
{
	char where[160], msg[200];
	va_list ap;

	if (++ctx->stats.errors > AML_MAX_ERRORS_LOGGED)
		return;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	aml_where(ctx, pc, where, sizeof(where));
	aml_log(ctx, 3, "%s: %s", where, msg);
	if (ctx->stats.errors == AML_MAX_ERRORS_LOGGED)
		aml_log(ctx, 3, "too many errors; counting silently");
}

// ---- context
// --------------------------------------------------------------------

static err_t aml_predef(struct aml_ctx *ctx, const char *seg, uint8_t type,
                        struct aml_obj *o, struct aml_node **out)
{
	uint32_t s;
	err_t e;

	memcpy(&s, seg, 4);
	e = aml_ns_add(ctx, ctx->ns.root, s, out);
	if (e) {
		if (o)
			aml_obj_put(ctx, o);
		return e;
	}
	(*out)->val.type = type;
	(*out)->val.o = o;
	return 0;
}

// \_GPE \_PR_ \_SB_ \_SI_ \_TZ_ scopes, \_OS_, \_REV, \_GL_ and \_OSI.
static err_t aml_predef_all(struct aml_ctx *ctx)
{
	static const char *const scopes[] = {"_GPE", "_PR_", "_SB_", "_SI_",
	                                     "_TZ_"};
	static const char os[] = "Microsoft Windows NT";
	struct aml_node *n;
	struct aml_obj *o;
	unsigned i;
	err_t e = 0;

	for (i = 0; i < ARRAY_SIZE(scopes) && !e; i++)
		e = aml_predef(ctx, scopes[i], i == 2 ? AML_DEVICE : AML_SCOPE,
		               NULL, &n);
	if (!e)
		e = aml_predef(ctx, "_OS_", AML_STRING,
		               aml_str_new(ctx, os, sizeof(os) - 1), &n);
	if (!e && !(n->val.o))
		e = E_NOMEM;
	if (!e) {
		e = aml_predef(ctx, "_REV", AML_INTEGER, NULL, &n);
		if (!e)
			n->val.i = 2;
	}
	if (!e && !(o = aml_obj_new(ctx, AML_MUTEX, 0)))
		e = E_NOMEM;
	if (!e)
		e = aml_predef(ctx, "_GL_", AML_MUTEX, o, &n);
	if (!e && !(o = aml_obj_new(ctx, AML_METHOD, 0)))
		e = E_NOMEM;
	if (!e) {
		o->method.flags = 1;
		o->method.native = AML_NATIVE_OSI;
		o->method.int64 = true;
		e = aml_predef(ctx, "_OSI", AML_METHOD, o, &n);
		if (!e)
			o->method.node = n;
	}
	return e;
}

err_t aml_create(const struct aml_host *host, const struct aml_options *opt,
                 struct aml_ctx **out)
{
	struct aml_ctx *ctx = host->alloc(host->ctx, sizeof(*ctx));
	err_t e;

	*out = NULL;
	if (!ctx)
		return E_NOMEM;
	memset(ctx, 0, sizeof(*ctx));
	aml_work_reset(ctx);
	ctx->host = *host;
	if (opt)
		ctx->opt = *opt;
	if (!ctx->opt.loop_timeout_ms)
		ctx->opt.loop_timeout_ms = 10000;
	if (!ctx->opt.max_frames)
		ctx->opt.max_frames = 256;
	if (!ctx->opt.max_steps)
		ctx->opt.max_steps = AML_EVAL_STEPS;
	ctx->steps = ctx->opt.max_steps;
	if (!ctx->opt.max_ops)
		ctx->opt.max_ops = 4096;
	if (!ctx->opt.max_blocks)
		ctx->opt.max_blocks = 2048;
	ctx->frames =
	    aml_alloc(ctx, ctx->opt.max_frames * sizeof(*ctx->frames));
	ctx->ops = aml_alloc(ctx, ctx->opt.max_ops * sizeof(*ctx->ops));
	ctx->blocks =
	    aml_alloc(ctx, ctx->opt.max_blocks * sizeof(*ctx->blocks));
	e = ctx->frames && ctx->ops && ctx->blocks ? 0 : E_NOMEM;
	if (!e)
		e = aml_ns_init(ctx);
	if (!e)
		e = aml_predef_all(ctx);
	if (e) {
		aml_destroy(ctx);
		return e;
	}
	*out = ctx;
	return 0;
}

void aml_destroy(struct aml_ctx *ctx)
{
	struct aml_host host;

	if (!ctx)
		return;
	host = ctx->host;
	aml_val_put(ctx, &ctx->result);
	aml_val_put(ctx, &ctx->field_ret);
	aml_ns_fini(ctx);
	aml_tables_free(ctx);
	if (ctx->frames)
		aml_free(ctx, ctx->frames,
		         ctx->opt.max_frames * sizeof(*ctx->frames));
	if (ctx->ops)
		aml_free(ctx, ctx->ops, ctx->opt.max_ops * sizeof(*ctx->ops));
	if (ctx->blocks)
		aml_free(ctx, ctx->blocks,
		         ctx->opt.max_blocks * sizeof(*ctx->blocks));
	host.free(host.ctx, ctx, sizeof(*ctx));
}

void aml_ctx_lock(struct aml_ctx *ctx)
{
	if (ctx->host.lock)
		ctx->host.lock(ctx->host.ctx);
}

void aml_ctx_unlock(struct aml_ctx *ctx)
{
	if (ctx->host.unlock)
		ctx->host.unlock(ctx->host.ctx);
}

// ---- tables
// --------------------------------------------------------------------------

err_t aml_load_table(struct aml_ctx *ctx, const void *table, size_t len)
{
	const uint8_t *t = table;
	uint32_t tlen, idx;
	uint64_t t0;
	err_t e;

	if (len < 36) {
		aml_log(ctx, 3, "table of %zu bytes has no header", len);
		ctx->stats.errors++;
		return E_TRUNC;
	}
	memcpy(&tlen, t + 4, 4);
	if (tlen < 36 || tlen > len) {
		aml_log(ctx, 3,
		        "%.4s: length %u does not fit the %zu bytes "
		        "given",
		        (const char *)t, tlen, len);
		ctx->stats.errors++;
		return E_TRUNC;
	}
	aml_ctx_lock(ctx);
	t0 = aml_now(ctx);
	e = aml_table_run(ctx, t, tlen, false, NULL, &idx);
	ctx->stats.load_100ns += aml_now(ctx) - t0;
	aml_ctx_unlock(ctx);
	return e == E_NOMEM ? e : 0;
}

// ---- namespace initialisation
// ---------------------------------------------------------

static struct aml_node *aml_child(struct aml_ctx *ctx, struct aml_node *n,
                                  const char *seg)
{
	uint32_t s;

	memcpy(&s, seg, 4);
	return aml_ns_child(ctx, n, s);
}

// Evaluates n.seg if it exists; E_NOENT otherwise. Errors are counted.
static err_t aml_run_child(struct aml_ctx *ctx, struct aml_node *n,
                           const char *seg, struct aml_value *args,
                           unsigned nargs, struct aml_value *out)
{
	struct aml_node *c = aml_child(ctx, n, seg);
	struct aml_value v;
	err_t e;

	if (!c)
		return E_NOENT;
	e = aml_eval_node(ctx, c, args, nargs, &v);
	if (out)
		*out = v;
	else
		aml_val_put(ctx, &v);
	return e;
}

void aml_reg_connect_dev(struct aml_ctx *ctx, struct aml_node *dev,
                         uint8_t space)
{
	struct aml_value args[2];
	bool pending = false;

	// One call per (device, space): mark all its regions of the space.
	for (struct aml_node *s = dev->child; s; s = s->next)
		if (s->val.type == AML_REGION && !s->val.o->region.tdata &&
		    s->val.o->region.space == space &&
		    !s->val.o->region.reg_done) {
			s->val.o->region.reg_done = true;
			pending = true;
		}
	if (!pending)
		return;
	args[0] = aml_int(space);
	args[1] = aml_int(1);
	(void)aml_run_child(ctx, dev, "_REG", args, 2, NULL);
}

// SystemMemory and SystemIO are always available: Windows runs no _REG for
// them (nor for DataTableRegions), and firmware written for it can loop
// for seconds when called (docs/aml.md, "Differences").
bool aml_space_has_reg(uint8_t space)
{
	return space != ACPI_SPACE_MEMORY && space != ACPI_SPACE_IO;
}

static bool aml_space_ready(struct aml_ctx *ctx, uint8_t space)
{
	return space == ACPI_SPACE_PCI_CONFIG || aml_space_handled(ctx, space);
}

// The node whose _REG serves region rn: its parent; for a region a method
// created (a child of the method node), the method's own _REG if it made
// one, else the device around the method.
static struct aml_node *aml_reg_owner(struct aml_ctx *ctx, struct aml_node *rn)
{
	struct aml_node *p = rn->parent;

	if (p && p->val.type == AML_METHOD && !aml_child(ctx, p, "_REG"))
		p = p->parent;
	return p;
}

void aml_reg_region(struct aml_ctx *ctx, struct aml_node *rn, bool connect)
{
	struct aml_obj *r = rn->val.o;
	struct aml_value args[2];
	struct aml_node *owner = aml_reg_owner(ctx, rn);

	if (r->region.tdata || !aml_space_has_reg(r->region.space) || !owner ||
	    r->region.reg_done != !connect || ctx->reg_depth >= 4)
		return;
	if (connect && !aml_space_ready(ctx, r->region.space))
		return;
	r->region.reg_done = connect;
	args[0] = aml_int(r->region.space);
	args[1] = aml_int(connect);
	ctx->reg_depth++;
	(void)aml_run_child(ctx, owner, "_REG", args, 2, NULL);
	ctx->reg_depth--;
}

// _REG(space, 1) for each device that has regions not connected yet: of
// one space (space >= 0), or PCI_Config (the built-in space that needs
// _REG) when `builtin`, or all spaces with registered handlers when not. A
// space without a handler is left for later (aml_region_handler_add).
void aml_reg_connect(struct aml_ctx *ctx, int space, bool builtin)
{
	struct aml_node *n = ctx->ns.root;
	struct aml_obj *r;
	uint8_t sp;

	while (n) {
		r = n->val.type == AML_REGION ? n->val.o : NULL;
		sp = r ? r->region.space : 0;
		if (r && !r->region.reg_done && !r->region.tdata &&
		    aml_space_has_reg(sp) &&
		    (space >= 0 ? sp == space
		                : (sp == ACPI_SPACE_PCI_CONFIG) == builtin) &&
		    aml_space_ready(ctx, sp))
			aml_reg_connect_dev(ctx, n->parent, sp);
		n = aml_ns_next(ctx, n, true);
	}
}

err_t aml_region_handler_add(struct aml_ctx *ctx, uint8_t space,
                             aml_region_fn fn, void *arg)
{
	aml_ctx_lock(ctx);
	ctx->handlers[space].fn = fn;
	ctx->handlers[space].arg = arg;
	// Installed after initialisation: the space becomes available now.
	if (ctx->inited && fn)
		aml_reg_connect(ctx, space, false);
	aml_ctx_unlock(ctx);
	return 0;
}

err_t aml_region_bufacc_add(struct aml_ctx *ctx, uint8_t space,
                            aml_bufacc_fn fn, void *arg)
{
	aml_ctx_lock(ctx);
	ctx->handlers[space].bfn = fn;
	ctx->handlers[space].barg = arg;
	if (ctx->inited && fn)
		aml_reg_connect(ctx, space, false);
	aml_ctx_unlock(ctx);
	return 0;
}

static bool aml_is_device_like(struct aml_node *n)
{
	uint32_t t = n->val.type;

	return t == AML_DEVICE || t == AML_PROCESSOR || t == AML_THERMAL ||
	       t == AML_POWER_RES;
}

// _STA then, if present, _INI of one device; returns whether its children
// are visited (present, or functioning though not present).
static bool aml_dev_init(struct aml_ctx *ctx, struct aml_node *n)
{
	struct aml_value v;
	uint64_t sta = 0x0f;

	if (!aml_run_child(ctx, n, "_STA", NULL, 0, &v) &&
	    aml_to_int(ctx, &v, UINT64_MAX, false, &sta))
		sta = 0x0f;
	aml_val_put(ctx, &v);
	if (sta & 1)
		(void)aml_run_child(ctx, n, "_INI", NULL, 0, NULL);
	return (sta & 1) || (sta & 8);
}

// The _STA/_INI walk, depth first, without recursion: a device that is
// neither present nor functioning hides its whole subtree; present devices
// get _INI before their children are visited. skip: \_SB (its _INI ran
// first). owner 0: every device (and the statistics are counted); else
// only the devices table owner - 1 created (after a Load: the devices
// already there are not run again, and their subtrees are searched).
void aml_dev_init_walk(struct aml_ctx *ctx, struct aml_node *skip,
                       uint16_t owner)
{
	struct aml_node *n = ctx->ns.root->child;
	bool descend;

	while (n) {
		descend = true;
		if (!owner && n->val.type == AML_DEVICE && n != skip)
			ctx->stats.devices++;
		if (!owner && n->val.type == AML_THERMAL)
			ctx->stats.thermal++;
		if (aml_is_device_like(n) && n != skip &&
		    (!owner || n->owner == owner))
			descend = aml_dev_init(ctx, n);
		n = aml_ns_next(ctx, n, descend);
	}
}

err_t aml_init_namespace(struct aml_ctx *ctx)
{
	struct aml_node *sb;
	uint64_t t0;

	aml_ctx_lock(ctx);
	t0 = aml_now(ctx);
	ctx->stats.devices = ctx->stats.thermal = 0;
	// The ECDT's EC is usable before any method runs (ACPI 6.5, 5.2.15).
	if (ctx->ecdt_dev && ctx->handlers[AML_SPACE_EC].fn)
		aml_reg_connect_dev(ctx, ctx->ecdt_dev, AML_SPACE_EC);
	sb = aml_child(ctx, ctx->ns.root, "_SB_");
	if (sb)
		(void)aml_run_child(ctx, sb, "_INI", NULL, 0, NULL);
	aml_reg_connect(ctx, -1, true);
	aml_dev_init_walk(ctx, sb, 0);
	// Other spaces (EmbeddedControl, ...) become available when their
	// drivers attach, after the devices are initialised: firmware's _REG
	// for them often depends on state _INI set up (OSYS from _OSI).
	aml_reg_connect(ctx, -1, false);
	ctx->inited = true;
	ctx->stats.init_100ns += aml_now(ctx) - t0;
	aml_ctx_unlock(ctx);
	return 0;
}

// ---- AML mutexes for kernel code
// ----------------------------------------------------

err_t aml_mutex_get(struct aml_ctx *ctx, const char *path, void **handle)
{
	struct aml_node *n;
	err_t e = E_NOTSUP;

	*handle = NULL;
	if (!ctx->host.sync_new)
		return e;
	aml_ctx_lock(ctx);
	n = aml_ns_lookup_path(ctx, NULL, path);
	n = n ? aml_node_follow(n) : NULL;
	if (!n || n->val.type != AML_MUTEX)
		e = E_NOENT;
	else
		*handle = aml_sync_host(ctx, n->val.o, &e);
	aml_ctx_unlock(ctx);
	return e;
}

bool aml_mutex_acquire(struct aml_ctx *ctx, void *handle, uint64_t timeout_ms)
{
	return ctx->host.mutex_acquire(ctx->host.ctx, handle, timeout_ms);
}

err_t aml_mutex_release(struct aml_ctx *ctx, void *handle)
{
	return ctx->host.mutex_release(ctx->host.ctx, handle);
}

// ---- evaluation, walks, statistics
// ---------------------------------------------------

err_t aml_eval(struct aml_ctx *ctx, const char *path,
               const struct aml_value *args, unsigned nargs,
               struct aml_value *result)
{
	struct aml_value copy[7];
	struct aml_node *n;
	unsigned i;
	err_t e = 0;

	result->type = AML_NONE;
	aml_ctx_lock(ctx);
	n = aml_ns_lookup_path(ctx, NULL, path);
	if (!n) {
		aml_ctx_unlock(ctx);
		return E_NOENT;
	}
	nargs = MIN(nargs, 7u);
	for (i = 0; i < nargs; i++) {
		e = aml_val_copy(ctx, &copy[i], &args[i]);
		if (e)
			break;
	}
	if (!e)
		e = aml_eval_node(ctx, n, copy, nargs, result); // consumes
	else
		while (i--)
			aml_val_put(ctx, &copy[i]);
	aml_ctx_unlock(ctx);
	return e;
}

void aml_ns_walk(struct aml_ctx *ctx,
                 bool (*fn)(void *arg, const char *path, unsigned depth,
                            enum aml_type type),
                 void *arg)
{
	struct aml_node *n = ctx->ns.root->child;
	unsigned depth = 1, up;
	char path[256];

	aml_ctx_lock(ctx);
	while (n) {
		aml_node_path(n, path, sizeof(path));
		if (!fn(arg, path, depth, (enum aml_type)n->val.type))
			break;
		if (n->child) {
			n = n->child;
			depth++;
			continue;
		}
		n = aml_ns_after_subtree(ctx, n, &up);
		depth -= up;
	}
	aml_ctx_unlock(ctx);
}

void aml_stats_get(struct aml_ctx *ctx, struct aml_stats *out)
{
	*out = ctx->stats;
	out->nodes = ctx->ns.count;
}
