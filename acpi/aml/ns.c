// SPDX-License-Identifier: MIT
// The ACPI namespace. Every node lives in one hash table keyed on (parent
// node, 4-byte NameSeg), so finding a child costs the same whether its scope
// holds three names or three thousand. Nodes also sit on their parent's
// child list (creation order) for walks and dumps. NameStrings are parsed in
// place from the AML: no path is ever copied or allocated.
//
// Locking: the interpreter lock guards everything here.
#include <string.h>
#include <acpi/aml/internal.h>
#include <lib/printk.h>

#define AML_NS_MIN_BUCKETS 256u

static uint32_t aml_ns_hash(const struct aml_node *parent, uint32_t seg)
{
	uint64_t k = (uint64_t)(uintptr_t)parent * 0x9e3779b97f4a7c15ull;

	k ^= (uint64_t)seg * 0xc2b2ae3d27d4eb4full;
	return (uint32_t)(k >> 32) ^ (uint32_t)k;
}

static err_t aml_ns_resize(struct aml_ctx *ctx, uint32_t nbuckets)
{
	struct aml_ns *ns = &ctx->ns;
	struct aml_node **h = aml_alloc(ctx, nbuckets * sizeof(*h));
	struct aml_node *n, *next;
	uint32_t i, b;

	if (!h)
		return E_NOMEM;
	memset(h, 0, nbuckets * sizeof(*h));
	for (i = 0; ns->hash && i <= ns->hash_mask; i++) {
		for (n = ns->hash[i]; n; n = next) {
			next = n->hnext;
			b = aml_ns_hash(n->parent, n->name) & (nbuckets - 1);
			n->hnext = h[b];
			h[b] = n;
		}
	}
	if (ns->hash)
		aml_free(ctx, ns->hash, (ns->hash_mask + 1) * sizeof(*h));
	ns->hash = h;
	ns->hash_mask = nbuckets - 1;
	return 0;
}

err_t aml_ns_init(struct aml_ctx *ctx)
{
	struct aml_node *root = aml_alloc(ctx, sizeof(*root));

	if (!root)
		return E_NOMEM;
	memset(root, 0, sizeof(*root));
	root->name = AML_NAMESEG_ROOT;
	root->refcnt = 1;
	root->val.type = AML_SCOPE;
	ctx->ns.root = root;
	return aml_ns_resize(ctx, AML_NS_MIN_BUCKETS);
}

struct aml_node *aml_ns_child(struct aml_ctx *ctx, struct aml_node *parent,
                              uint32_t seg)
{
	struct aml_node *n;

	n = ctx->ns.hash[aml_ns_hash(parent, seg) & ctx->ns.hash_mask];
	for (; n; n = n->hnext)
		if (n->name == seg && n->parent == parent)
			return n;
	return NULL;
}

// Creates parent.seg. E_EXIST (with *out set to the old node) if present.
err_t aml_ns_add(struct aml_ctx *ctx, struct aml_node *parent, uint32_t seg,
                 struct aml_node **out)
{
	struct aml_ns *ns = &ctx->ns;
	struct aml_node *n = aml_ns_child(ctx, parent, seg);
	uint32_t b;

	*out = n;
	if (n)
		return E_EXIST;
	if (ns->count >= ns->hash_mask + 1 &&
	    aml_ns_resize(ctx, (ns->hash_mask + 1) * 2))
		return E_NOMEM;
	n = aml_alloc(ctx, sizeof(*n));
	if (!n)
		return E_NOMEM;
	memset(n, 0, sizeof(*n));
	n->name = seg;
	n->refcnt = 1;
	n->owner = ctx->cur_owner;
	n->parent = parent;
	aml_node_get(parent); // dropped when n is freed (aml_node_put)
	n->prev = parent->last_child;
	if (parent->last_child)
		parent->last_child->next = n;
	else
		parent->child = n;
	parent->last_child = n;
	b = aml_ns_hash(parent, seg) & ns->hash_mask;
	n->hnext = ns->hash[b];
	ns->hash[b] = n;
	ns->count++;
	*out = n;
	return 0;
}

static void aml_ns_unlink(struct aml_ctx *ctx, struct aml_node *n)
{
	struct aml_node **pp;
	struct aml_node *p = n->parent;

	pp = &ctx->ns.hash[aml_ns_hash(p, n->name) & ctx->ns.hash_mask];
	while (*pp && *pp != n)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = n->hnext;
	if (n->prev)
		n->prev->next = n->next;
	else
		p->child = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		p->last_child = n->prev;
	n->dead = true;
	ctx->ns.count--;
}

struct aml_node *aml_ns_after_subtree(struct aml_ctx *ctx, struct aml_node *n,
                                      unsigned *up)
{
	unsigned climbed = 0;

	while (n && n != ctx->ns.root && !n->next) {
		n = n->parent;
		climbed++;
	}
	if (up)
		*up = climbed;
	return n && n != ctx->ns.root ? n->next : NULL;
}

struct aml_node *aml_ns_next(struct aml_ctx *ctx, struct aml_node *n,
                             bool descend)
{
	if (descend && n->child)
		return n->child;
	return aml_ns_after_subtree(ctx, n, NULL);
}

// Removes n and everything below it (children first, without recursion).
void aml_ns_remove(struct aml_ctx *ctx, struct aml_node *n)
{
	struct aml_node *c;

	if (n->dead || n == ctx->ns.root)
		return;
	for (;;) {
		c = n;
		while (c->child) // descend to a leaf of n's subtree
			c = c->child;
		aml_ns_unlink(ctx, c);
		aml_node_put(ctx, c);
		if (c == n)
			return;
	}
}

void aml_ns_fini(struct aml_ctx *ctx)
{
	struct aml_ns *ns = &ctx->ns;
	struct aml_node *n, *next;
	uint32_t i;

	if (!ns->hash)
		goto root;
	// Values first: releasing them drops references between nodes, so
	// dead nodes still referenced from live objects are freed here.
	for (i = 0; i <= ns->hash_mask; i++)
		for (n = ns->hash[i]; n; n = n->hnext)
			aml_val_put(ctx, &n->val);
	aml_val_put(ctx, &ns->root->val); // not in the hash (a Scope)
	aml_obj_sweep(ctx); // objects in cycles, and the names they hold
	ctx->destroying = true;
	for (i = 0; i <= ns->hash_mask; i++) {
		for (n = ns->hash[i]; n; n = next) {
			next = n->hnext;
			aml_free(ctx, n, sizeof(*n));
		}
	}
	aml_free(ctx, ns->hash, (ns->hash_mask + 1) * sizeof(*ns->hash));
	ns->hash = NULL;
root:
	if (ns->root)
		aml_free(ctx, ns->root, sizeof(*ns->root));
	ns->root = NULL;
}

static bool aml_seg_valid(const uint8_t *s)
{
	unsigned i;

	if (!((s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (i = 1; i < 4; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		      (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

err_t aml_name_parse(const uint8_t **pc, const uint8_t *end,
                     struct aml_name *out)
{
	const uint8_t *p = *pc;
	uint32_t i;

	memset(out, 0, sizeof(*out));
	if (p < end && *p == '\\') {
		out->root = true;
		p++;
	} else {
		while (p < end && *p == '^') {
			out->up++;
			p++;
		}
	}
	if (p >= end)
		return E_TRUNC;
	if (*p == 0x00) {
		p++;
	} else if (*p == 0x2e) {
		out->nseg = 2;
		p++;
	} else if (*p == 0x2f) {
		if (p + 1 >= end)
			return E_TRUNC;
		out->nseg = p[1];
		p += 2;
	} else {
		out->nseg = 1;
	}
	if ((size_t)(end - p) < (size_t)out->nseg * 4)
		return E_TRUNC;
	out->segs = p;
	for (i = 0; i < out->nseg; i++)
		if (!aml_seg_valid(p + 4 * i))
			return E_CORRUPT;
	*pc = p + 4 * out->nseg;
	return 0;
}

static uint32_t aml_seg_at(const struct aml_name *nm, uint32_t i)
{
	uint32_t s;

	memcpy(&s, nm->segs + 4 * i, 4);
	return s;
}

struct aml_node *aml_node_follow(struct aml_node *n)
{
	unsigned hops = 0;

	while (n && n->val.type == AML_ALIAS && hops++ < 16)
		n = n->val.n;
	return n;
}

static struct aml_node *aml_ns_start(struct aml_ctx *ctx,
                                     struct aml_node *scope,
                                     const struct aml_name *nm)
{
	struct aml_node *s = nm->root ? ctx->ns.root : scope;
	uint32_t i;

	for (i = 0; i < nm->up && s; i++)
		s = s->parent;
	return s;
}

struct aml_node *aml_ns_lookup(struct aml_ctx *ctx, struct aml_node *scope,
                               const struct aml_name *nm)
{
	struct aml_node *s = aml_ns_start(ctx, scope, nm), *n = NULL;
	uint32_t i;

	if (!s)
		return NULL;
	if (!nm->root && !nm->up && nm->nseg == 1) {
		for (; s; s = s->parent) {
			n = aml_ns_child(ctx, s, aml_seg_at(nm, 0));
			if (n)
				return aml_node_follow(n);
		}
		return NULL;
	}
	for (i = 0; i < nm->nseg && s; i++)
		s = aml_node_follow(aml_ns_child(ctx, s, aml_seg_at(nm, i)));
	return s;
}

struct aml_node *aml_ns_parent_for(struct aml_ctx *ctx, struct aml_node *scope,
                                   const struct aml_name *nm, uint32_t *seg)
{
	struct aml_node *s = aml_ns_start(ctx, scope, nm);
	uint32_t i;

	if (!s || nm->nseg == 0)
		return NULL;
	for (i = 0; i + 1 < nm->nseg && s; i++)
		s = aml_node_follow(aml_ns_child(ctx, s, aml_seg_at(nm, i)));
	*seg = aml_seg_at(nm, nm->nseg - 1);
	return s;
}

// Looks up a C string path: "\\_SB.PCI0", "_SB_.PCI0", "^FOO"; segments
// shorter than four characters are padded with '_'.
struct aml_node *aml_ns_lookup_path(struct aml_ctx *ctx, struct aml_node *scope,
                                    const char *path)
{
	uint8_t segs[4 * 32];
	struct aml_name nm = {.segs = segs};
	unsigned len;

	if (*path == '\\') {
		nm.root = true;
		path++;
	}
	while (*path == '^') {
		nm.up++;
		path++;
	}
	while (*path && nm.nseg < 32) {
		memset(segs + 4 * nm.nseg, '_', 4);
		for (len = 0; *path && *path != '.'; len++, path++)
			if (len < 4)
				segs[4 * nm.nseg + len] = (uint8_t)*path;
		if (len == 0 || len > 4)
			return NULL;
		nm.nseg++;
		if (*path == '.')
			path++;
	}
	return aml_ns_lookup(ctx, scope ? scope : ctx->ns.root, &nm);
}

size_t aml_node_path(const struct aml_node *n, char *buf, size_t size)
{
	const struct aml_node *chain[64];
	unsigned depth = 0, i;
	size_t len = 0;

	for (; n && n->parent && depth < ARRAY_SIZE(chain); n = n->parent)
		chain[depth++] = n;
	if (size < 2) {
		if (size)
			buf[0] = 0;
		return 0;
	}
	buf[len++] = '\\';
	for (i = depth; i-- > 0;) {
		if (i != depth - 1 && len + 1 < size)
			buf[len++] = '.';
		if (len + 4 < size) {
			memcpy(buf + len, &chain[i]->name, 4);
			len += 4;
		}
	}
	buf[len < size ? len : size - 1] = 0;
	return len;
}

void aml_name_str(const struct aml_name *nm, char *buf, size_t size)
{
	size_t len = 0;
	uint32_t i;

	if (size < 2)
		return;
	if (nm->root)
		buf[len++] = '\\';
	for (i = 0; i < nm->up && len + 1 < size; i++)
		buf[len++] = '^';
	for (i = 0; i < nm->nseg && len + 5 < size; i++) {
		if (i)
			buf[len++] = '.';
		memcpy(buf + len, nm->segs + 4 * i, 4);
		len += 4;
	}
	buf[len] = 0;
}
