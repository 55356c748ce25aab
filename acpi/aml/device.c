// SPDX-License-Identifier: MIT
// Device enumeration: identification objects (_HID, _CID, _UID, _ADR,
// _STA) of one device, and a walk over the devices that are present or
// functioning, in namespace order, as an OS would enumerate them.
//
// EISA IDs (integers) are decoded to their 7-character form ("PNP0A08");
// strings are copied (truncated to AML_ID_LEN - 1). Evaluation errors in a
// firmware method are reported by the interpreter and leave the field
// absent.
//
// Locking: the public functions take the interpreter lock.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

// The compressed EISA ID: 3 letters in 5 bits each, then 4 hex digits; the
// 32-bit value is stored with its bytes in big-endian order.
void aml_eisa_id_str(uint32_t id, char out[8])
{
	static const char hex[] = "0123456789ABCDEF";
	uint32_t be = (id >> 24) | ((id >> 8) & 0xff00) |
	              ((id << 8) & 0xff0000) | (id << 24);

	out[0] = (char)('@' + ((be >> 26) & 0x1f));
	out[1] = (char)('@' + ((be >> 21) & 0x1f));
	out[2] = (char)('@' + ((be >> 16) & 0x1f));
	out[3] = hex[(be >> 12) & 0xf];
	out[4] = hex[(be >> 8) & 0xf];
	out[5] = hex[(be >> 4) & 0xf];
	out[6] = hex[be & 0xf];
	out[7] = 0;
}

// An ID object (integer EISA ID or string) into out; false if neither.
static bool aml_id_of(const struct aml_value *v, char out[AML_ID_LEN])
{
	size_t n;

	if (v->type == AML_INTEGER) {
		aml_eisa_id_str((uint32_t)v->i, out);
		return true;
	}
	if (v->type != AML_STRING)
		return false;
	n = MIN((size_t)v->o->buf.len, (size_t)AML_ID_LEN - 1);
	memcpy(out, v->o->buf.data, n);
	out[n] = 0;
	return true;
}

static err_t aml_dev_eval(struct aml_ctx *ctx, struct aml_node *dev,
                          const char *seg, struct aml_value *out)
{
	struct aml_node *c;
	uint32_t s;

	memcpy(&s, seg, 4);
	c = aml_ns_child(ctx, dev, s);
	out->type = AML_NONE;
	if (!c)
		return E_NOENT;
	return aml_eval_node(ctx, c, NULL, 0, out);
}

static void aml_dev_cid(struct aml_ctx *ctx, const struct aml_value *v,
                        struct aml_device_info *d)
{
	uint32_t i;

	if (v->type != AML_PACKAGE) {
		if (aml_id_of(v, d->cid[0]))
			d->ncid = 1;
		return;
	}
	for (i = 0; i < v->o->pkg.count && d->ncid < AML_MAX_CID; i++)
		if (aml_id_of(&v->o->pkg.elems[i], d->cid[d->ncid]))
			d->ncid++;
}

static void aml_dev_info_locked(struct aml_ctx *ctx, struct aml_node *n,
                                struct aml_device_info *d)
{
	struct aml_value v;
	uint64_t x;

	memset(d, 0, sizeof(*d));
	aml_node_path(n, d->path, sizeof(d->path));
	d->type = (enum aml_type)n->val.type;
	d->sta = 0x0f;
	if (!aml_dev_eval(ctx, n, "_STA", &v) &&
	    !aml_to_int(ctx, &v, UINT64_MAX, false, &x))
		d->sta = (uint32_t)x;
	aml_val_put(ctx, &v);
	if (!aml_dev_eval(ctx, n, "_HID", &v))
		d->has_hid = aml_id_of(&v, d->hid);
	aml_val_put(ctx, &v);
	if (!aml_dev_eval(ctx, n, "_CID", &v))
		aml_dev_cid(ctx, &v, d);
	aml_val_put(ctx, &v);
	if (!aml_dev_eval(ctx, n, "_UID", &v)) {
		if (v.type == AML_INTEGER)
			ksnprintf(d->uid, sizeof(d->uid), "%lu",
			          (unsigned long)v.i);
		d->has_uid = v.type == AML_INTEGER || aml_id_of(&v, d->uid);
	}
	aml_val_put(ctx, &v);
	if (!aml_dev_eval(ctx, n, "_ADR", &v) &&
	    !aml_to_int(ctx, &v, UINT64_MAX, false, &d->adr))
		d->has_adr = true;
	aml_val_put(ctx, &v);
}

err_t aml_device_info(struct aml_ctx *ctx, const char *path,
                      struct aml_device_info *out)
{
	struct aml_node *n;
	err_t e = 0;

	aml_ctx_lock(ctx);
	n = aml_ns_lookup_path(ctx, NULL, path);
	if (n)
		n = aml_node_follow(n);
	if (n && n->val.type != AML_DEVICE && n->val.type != AML_PROCESSOR &&
	    n->val.type != AML_THERMAL)
		e = E_INVAL;
	else if (!n)
		e = E_NOENT;
	else
		aml_dev_info_locked(ctx, n, out);
	aml_ctx_unlock(ctx);
	return e;
}

// Depth first over Device, Processor and ThermalZone objects; a device
// neither present nor functioning hides its subtree (as in the _INI walk).
void aml_device_walk(struct aml_ctx *ctx,
                     bool (*fn)(void *arg, const struct aml_device_info *d),
                     void *arg)
{
	struct aml_node *n = ctx->ns.root->child;
	struct aml_device_info *d = aml_alloc(ctx, sizeof(*d));
	bool descend;

	if (!d)
		return;
	aml_ctx_lock(ctx);
	while (n) {
		descend = true;
		if (n->val.type == AML_DEVICE || n->val.type == AML_PROCESSOR ||
		    n->val.type == AML_THERMAL) {
			aml_dev_info_locked(ctx, n, d);
			descend =
			    d->sta & (AML_STA_PRESENT | AML_STA_FUNCTIONING);
			if ((d->sta & AML_STA_PRESENT) && !fn(arg, d))
				break;
		}
		n = aml_ns_next(ctx, n, descend);
	}
	aml_ctx_unlock(ctx);
	aml_free(ctx, d, sizeof(*d));
}
