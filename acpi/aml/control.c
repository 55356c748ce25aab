// SPDX-License-Identifier: MIT
// Control-flow operators (If / Else / While / Break / Continue / Return)
// and method calls, including the built-in _OSI. Blocks they open are
// closed by the engine in interp.c when execution reaches their end; a
// While block's predicate is re-evaluated there, and its deadline checked.
//
// Locking: caller holds the interpreter lock.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

// ---- control flow ----------------------------------------------------------

static err_t aml_pred(struct aml_ctx *ctx, struct aml_frame *f,
                      struct aml_op *op, bool *out)
{
	uint64_t v;
	err_t e = aml_to_int(ctx, &op->val[0], f->ones, false, &v);

	if (e)
		aml_error(ctx, op->start, "predicate is not an integer");
	*out = v != 0;
	return e;
}

static err_t aml_op_if(struct aml_ctx *ctx, struct aml_frame *f,
                       struct aml_op *op, struct aml_value *res)
{
	const uint8_t *p;
	uint32_t len;
	bool t, ok;
	err_t e = aml_pred(ctx, f, op, &t);

	if (e)
		return e;
	if (t)
		return aml_block_push(ctx, f, AML_BLK_IF, op->end);
	f->pc = op->end;
	if (f->pc < f->end && *f->pc == 0xa1) {
		p = f->pc + 1;
		len = aml_pkglen(&p, f->end, &ok);
		if (!ok || len == 0 || len > (size_t)(f->end - f->pc - 1))
			return E_CORRUPT;
		e = aml_block_push(ctx, f, AML_BLK_ELSE, f->pc + 1 + len);
		f->pc = p;
		if (ctx->opt.opstats) // decoded here, not by aml_term
			ctx->opt.opstats->op[0xa1]++;
	}
	return e;
}

// An Else not consumed by its If (stray): skip its body.
static err_t aml_op_else(struct aml_ctx *ctx, struct aml_frame *f,
                         struct aml_op *op, struct aml_value *res)
{
	f->pc = op->end;
	return 0;
}

static err_t aml_op_while(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_block *b;
	bool t;
	err_t e = aml_pred(ctx, f, op, &t);

	if (e)
		return e;
	if (!t) {
		f->pc = op->end;
		return 0;
	}
	e = aml_block_push(ctx, f, AML_BLK_WHILE, op->end);
	if (e)
		return e;
	b = &ctx->blocks[ctx->nblocks - 1];
	b->pred = op->mark;
	b->deadline = aml_now(ctx) + ctx->opt.loop_timeout_ms * 10000;
	return 0;
}

static err_t aml_op_while_pred(struct aml_ctx *ctx, struct aml_frame *f,
                               struct aml_op *op, struct aml_value *res)
{
	bool t;
	err_t e = aml_pred(ctx, f, op, &t);

	if (e)
		return e;
	if (!t) {
		f->pc = ctx->blocks[ctx->nblocks - 1].end;
		aml_block_pop(ctx, f);
	}
	return 0;
}

static struct aml_block *aml_find_while(struct aml_ctx *ctx,
                                        struct aml_frame *f)
{
	uint32_t i;

	for (i = ctx->nblocks; i-- > f->blk_base;)
		if (ctx->blocks[i].kind == AML_BLK_WHILE)
			return &ctx->blocks[i];
	return NULL;
}

static err_t aml_op_break(struct aml_ctx *ctx, struct aml_frame *f,
                          struct aml_op *op, struct aml_value *res)
{
	struct aml_block *w = aml_find_while(ctx, f);
	const uint8_t *end;

	if (!w) {
		aml_error(ctx, op->start, "Break outside While");
		return E_INVAL;
	}
	end = w->end;
	while (&ctx->blocks[ctx->nblocks - 1] != w)
		aml_block_pop(ctx, f);
	aml_block_pop(ctx, f);
	f->pc = end;
	return 0;
}

static err_t aml_op_continue(struct aml_ctx *ctx, struct aml_frame *f,
                             struct aml_op *op, struct aml_value *res)
{
	struct aml_block *w = aml_find_while(ctx, f);

	if (!w) {
		aml_error(ctx, op->start, "Continue outside While");
		return E_INVAL;
	}
	while (&ctx->blocks[ctx->nblocks - 1] != w)
		aml_block_pop(ctx, f);
	f->pc = w->end; // the block-end logic re-evaluates the predicate
	return 0;
}

static err_t aml_op_return(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res)
{
	struct aml_value v;
	err_t e;

	if (f->is_load) { // Return in table-level code ends the table
		f->pc = f->end;
		return 0;
	}
	// A returned name or local is a copy, as with Store.
	e = aml_val_copy(ctx, &v, &op->val[0]);
	if (e)
		return e;
	if (v.type == AML_NODE)
		v.aux = 0;
	e = aml_method_return(ctx, &v);
	return e ? e : AML_OP_DONE;
}

static err_t aml_op_noop(struct aml_ctx *ctx, struct aml_frame *f,
                         struct aml_op *op, struct aml_value *res)
{
	return 0;
}

err_t aml_op_call(struct aml_ctx *ctx, struct aml_frame *f, struct aml_op *op,
                  struct aml_value *res)
{
	struct aml_obj *m = op->callee;
	const char *s;
	size_t len;
	err_t e;

	if (m->method.native == AML_NATIVE_OSI) {
		if (op->nval < 1 || op->val[0].type != AML_STRING) {
			*res = aml_int(0);
			return 0;
		}
		s = (const char *)op->val[0].o->buf.data;
		len = op->val[0].o->buf.len;
		*res = aml_int(
		    aml_osi_supported(s, len) ? (f ? f->ones : UINT64_MAX) : 0);
		return 0;
	}
	e = aml_frame_push(ctx, op->call, m, op->val, op->nval);
	if (e)
		return e;
	op->nval = 0; // moved into the frame
	op->waiting = true;
	return 0;
}

const struct aml_opdesc aml_call_desc[8] = {
    {0, "call", "", aml_op_call},       {0, "call", "T", aml_op_call},
    {0, "call", "TT", aml_op_call},     {0, "call", "TTT", aml_op_call},
    {0, "call", "TTTT", aml_op_call},   {0, "call", "TTTTT", aml_op_call},
    {0, "call", "TTTTTT", aml_op_call}, {0, "call", "TTTTTTT", aml_op_call},
};

const struct aml_opdesc aml_while_pred_desc = {0, "While", "T",
                                               aml_op_while_pred};

const struct aml_opdesc aml_ctl_ops[] = {
    {0xa0, "If", "pT", aml_op_if},
    {0xa1, "Else", "p", aml_op_else},
    {0xa2, "While", "pT", aml_op_while},
    {0xa5, "Break", "", aml_op_break},
    {0x9f, "Continue", "", aml_op_continue},
    {0xa4, "Return", "T", aml_op_return},
    {0xa3, "Noop", "", aml_op_noop},
    {0xcc, "BreakPoint", "", aml_op_noop},
    {0},
};
