// SPDX-License-Identifier: MIT
// PPTT decoder (a table decoder: node extraction, then a validation pass
// over every reference). References are checked by walking the node list
// from the start; tables hold at most a few thousand nodes, so the
// quadratic worst case stays small and needs no allocation.
//
// Locking: none; pure functions of the table bytes.
#include <acpi/pptt.h>

#define PPTT_HDR_LEN 36u
#define PPTT_PROC_LEN 20u
#define PPTT_CACHE_LEN 24u
#define PPTT_CACHE_V3_LEN 28u
#define PPTT_ID_LEN 30u

const char *acpi_pptt_cache_type_name(uint8_t type)
{
	static const char *const names[] = {"data", "instruction", "unified"};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

static void pptt_decode_proc(const uint8_t *p, struct acpi_pptt_node *n)
{
	n->proc.flags = acpi_rd32(p, 4);
	n->proc.parent = acpi_rd32(p, 8);
	n->proc.acpi_id = acpi_rd32(p, 12);
	n->proc.nprivate = acpi_rd32(p, 16);
	n->proc.id_valid = n->proc.flags & ACPI_PPTT_ID_VALID;
	n->proc.id = n->proc.id_valid ? n->proc.acpi_id : n->offset;
}

static void pptt_decode_cache(const struct acpi_sdt_header *t, const uint8_t *p,
                              struct acpi_pptt_node *n)
{
	uint8_t attr = p[21];

	n->cache.flags = acpi_rd32(p, 4);
	n->cache.next_level = acpi_rd32(p, 8);
	n->cache.size = acpi_rd32(p, 12);
	n->cache.sets = acpi_rd32(p, 16);
	n->cache.assoc = p[20];
	n->cache.alloc = attr & 3;
	n->cache.type = (attr >> 2) & 3;
	if (n->cache.type == 3)
		n->cache.type = ACPI_PPTT_CACHE_UNIFIED;
	n->cache.write_through = attr & 0x10;
	n->cache.line_size = acpi_rd16(p, 22);
	if (t->revision >= 3 && n->length >= PPTT_CACHE_V3_LEN &&
	    (n->cache.flags & ACPI_PPTT_CACHE_ID_VALID))
		n->cache.cache_id = acpi_rd32(p, 24);
}

static void pptt_decode_id(const uint8_t *p, struct acpi_pptt_node *n)
{
	n->id.vendor_id = acpi_rd32(p, 4);
	n->id.level1_id = acpi_rd64(p, 8);
	n->id.level2_id = acpi_rd64(p, 16);
	n->id.major = acpi_rd16(p, 24);
	n->id.minor = acpi_rd16(p, 26);
	n->id.spin = acpi_rd16(p, 28);
}

static uint32_t pptt_min_len(const struct acpi_sdt_header *t, uint8_t type)
{
	switch (type) {
	case ACPI_PPTT_PROCESSOR: return PPTT_PROC_LEN;
	case ACPI_PPTT_CACHE: return PPTT_CACHE_LEN;
	case ACPI_PPTT_ID: return PPTT_ID_LEN;
	}
	return 2;
}

// Decodes the node at off without validating references. Returns false if
// no well-formed node fits there.
static bool pptt_decode(const struct acpi_pptt *pp, uint32_t off,
                        struct acpi_pptt_node *n)
{
	const struct acpi_sdt_header *t = pp->t;
	const uint8_t *p = (const uint8_t *)t + off;

	if (off < PPTT_HDR_LEN || off >= t->length || t->length - off < 2)
		return false;
	*n = (struct acpi_pptt_node){
	    .type = p[0], .length = p[1], .offset = off};
	if (n->length < pptt_min_len(t, n->type) || n->length > t->length - off)
		return false;
	if (n->type == ACPI_PPTT_PROCESSOR) {
		pptt_decode_proc(p, n);
		if (n->proc.nprivate > (n->length - PPTT_PROC_LEN) / 4u)
			return false;
	} else if (n->type == ACPI_PPTT_CACHE) {
		pptt_decode_cache(t, p, n);
	} else if (n->type == ACPI_PPTT_ID) {
		pptt_decode_id(p, n);
	}
	return true;
}

bool acpi_pptt_next(const struct acpi_pptt *p, uint32_t *pos,
                    struct acpi_pptt_node *n)
{
	uint32_t off = *pos ? *pos : PPTT_HDR_LEN;

	if (!pptt_decode(p, off, n))
		return false;
	*pos = off + n->length;
	return true;
}

err_t acpi_pptt_node_at(const struct acpi_pptt *p, uint32_t off,
                        struct acpi_pptt_node *n)
{
	struct acpi_pptt_node tmp;

	// Only offsets reached by walking from the start are node starts.
	for (uint32_t pos = 0; acpi_pptt_next(p, &pos, &tmp);) {
		if (tmp.offset == off) {
			*n = tmp;
			return E_OK;
		}
		if (tmp.offset > off)
			break;
	}
	return E_NOENT;
}

uint32_t acpi_pptt_private(const struct acpi_pptt *p,
                           const struct acpi_pptt_node *n, uint32_t idx)
{
	if (n->type != ACPI_PPTT_PROCESSOR || idx >= n->proc.nprivate)
		return 0;
	return acpi_rd32(p->t, n->offset + PPTT_PROC_LEN + 4 * idx);
}

// Reports why the node at off could not be decoded.
static err_t pptt_report_node(const struct acpi_pptt *p, uint32_t off)
{
	const struct acpi_sdt_header *t = p->t;
	uint8_t type, len;

	if (t->length - off < 2)
		return acpi_report(E_TRUNC, "PPTT", off,
		                   "%u stray bytes after the last node",
		                   t->length - off);
	type = acpi_rd8(t, off);
	len = acpi_rd8(t, off + 1);
	if (len > t->length - off)
		return acpi_report(E_TRUNC, "PPTT", off,
		                   "node type %u length %u runs past the "
		                   "table end (0x%x)",
		                   type, len, t->length);
	if (len < pptt_min_len(t, type))
		return acpi_report(E_CORRUPT, "PPTT", off,
		                   "node type %u length %u is below the "
		                   "minimum %u",
		                   type, len, pptt_min_len(t, type));
	return acpi_report(E_CORRUPT, "PPTT", off + 16,
	                   "%u private resources do not fit in node length "
	                   "%u",
	                   acpi_rd32(t, off + 16), len);
}

// Checks that the reference held at field offset fo names a node of type
// want (walks at most the node count to catch chains that loop).
static err_t pptt_check_ref(const struct acpi_pptt *p, uint32_t fo,
                            uint32_t ref, uint8_t want, const char *what)
{
	struct acpi_pptt_node n;

	if (acpi_pptt_node_at(p, ref, &n) != E_OK)
		return acpi_report(E_CORRUPT, "PPTT", fo,
		                   "%s reference 0x%x is not the start of a "
		                   "node",
		                   what, ref);
	if (n.type != want &&
	    !(want == ACPI_PPTT_CACHE && n.type == ACPI_PPTT_ID))
		return acpi_report(E_CORRUPT, "PPTT", fo,
		                   "%s reference 0x%x leads to a node of "
		                   "type %u",
		                   what, ref, n.type);
	return E_OK;
}

// Follows parent (processor) or next-level (cache) links from n; a chain
// longer than the number of nodes must loop. Returns the chain length.
static err_t pptt_check_chain(const struct acpi_pptt *p,
                              const struct acpi_pptt_node *start,
                              unsigned *depth)
{
	struct acpi_pptt_node n = *start;
	unsigned limit = p->nproc + p->ncache + 1, d = 1;

	for (;;) {
		uint32_t next = n.type == ACPI_PPTT_PROCESSOR
		                    ? n.proc.parent
		                    : n.cache.next_level;
		if (next == 0)
			break;
		if (++d > limit)
			return acpi_report(E_CORRUPT, "PPTT", start->offset,
			                   "%s chain from this node loops",
			                   n.type == ACPI_PPTT_PROCESSOR
			                       ? "parent"
			                       : "next-level cache");
		if (acpi_pptt_node_at(p, next, &n) != E_OK ||
		    n.type > ACPI_PPTT_CACHE)
			break; // reported by pptt_check_refs
	}
	*depth = d;
	return E_OK;
}

static err_t pptt_check_refs(struct acpi_pptt *p,
                             const struct acpi_pptt_node *n)
{
	unsigned depth;
	err_t err;

	if (n->type == ACPI_PPTT_PROCESSOR) {
		if (n->proc.parent &&
		    (err = pptt_check_ref(p, n->offset + 8, n->proc.parent,
		                          ACPI_PPTT_PROCESSOR, "parent")))
			return err;
		for (uint32_t i = 0; i < n->proc.nprivate; i++) {
			err =
			    pptt_check_ref(p, n->offset + 20 + 4 * i,
			                   acpi_pptt_private(p, n, i),
			                   ACPI_PPTT_CACHE, "private resource");
			if (err)
				return err;
		}
	} else if (n->type == ACPI_PPTT_CACHE) {
		if (n->cache.next_level &&
		    (err = pptt_check_ref(p, n->offset + 8, n->cache.next_level,
		                          ACPI_PPTT_CACHE, "next-level cache")))
			return err;
	} else {
		return E_OK;
	}
	err = pptt_check_chain(p, n, &depth);
	if (!err && n->type == ACPI_PPTT_PROCESSOR && depth > p->max_depth)
		p->max_depth = depth;
	return err;
}

err_t acpi_pptt_parse(const struct acpi_sdt_header *t, struct acpi_pptt *p)
{
	err_t err = acpi_table_check(t, "PPTT", PPTT_HDR_LEN);
	struct acpi_pptt_node n;
	uint32_t pos = 0;

	if (err)
		return err;
	*p = (struct acpi_pptt){.t = t};
	while (acpi_pptt_next(p, &pos, &n)) {
		p->nproc += n.type == ACPI_PPTT_PROCESSOR;
		p->ncache += n.type == ACPI_PPTT_CACHE;
		p->nid += n.type == ACPI_PPTT_ID;
		p->nother += n.type > ACPI_PPTT_ID;
		p->nleaves += n.type == ACPI_PPTT_PROCESSOR &&
		              (n.proc.flags & ACPI_PPTT_LEAF);
	}
	if ((pos ? pos : PPTT_HDR_LEN) != t->length)
		return pptt_report_node(p, pos ? pos : PPTT_HDR_LEN);
	for (pos = 0; acpi_pptt_next(p, &pos, &n);)
		if ((err = pptt_check_refs(p, &n)))
			return err;
	return E_OK;
}
