// SPDX-License-Identifier: MIT
// IORT decoder (a table decoder). Validation has two passes: every node's
// own arrays must lie inside the node; then every reference (ID mapping
// outputs, a PMCG's node reference) must be the offset of a node start.
//
// Locking: none; pure functions of the table bytes.
#include <string.h>
#include <acpi/iort.h>

#define IORT_HDR_LEN 48u
#define IORT_NODE_LEN 16u
#define IORT_MAP_LEN 20u
#define IORT_RMR_DESC_LEN 20u

static const uint8_t iort_min_len[] = {
    [ACPI_IORT_ITS_GROUP] = 20,    [ACPI_IORT_NAMED] = 30,
    [ACPI_IORT_ROOT_COMPLEX] = 32, [ACPI_IORT_SMMU] = 60,
    [ACPI_IORT_SMMU_V3] = 68,      [ACPI_IORT_PMCG] = 32,
    [ACPI_IORT_RMR] = 28,
};

const char *acpi_iort_type_name(uint8_t type)
{
	static const char *const names[] = {
	    "its-group", "named-component", "root-complex",
	    "smmu",      "smmu-v3",         "pmcg",
	    "rmr",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

static bool iort_fits(uint32_t off, uint64_t len, uint32_t nlen)
{
	return off <= nlen && len <= nlen - off;
}

// Checks node-internal layout (acpi_subtables.problem): every array a node
// points to must lie inside the node.
static const char *iort_node_problem(const uint8_t *p, uint32_t len,
                                     uint32_t *field)
{
	uint8_t type = p[0];

	*field = 12;
	if (!iort_fits(acpi_rd32(p, 12), 20ull * acpi_rd32(p, 8), len) ||
	    (acpi_rd32(p, 8) && acpi_rd32(p, 12) < IORT_NODE_LEN))
		return "ID mapping array lies outside the node";
	*field = 16;
	if (type == ACPI_IORT_ITS_GROUP &&
	    !iort_fits(20, 4ull * acpi_rd32(p, 16), len))
		return "ITS identifier array lies outside the node";
	*field = 29;
	if (type == ACPI_IORT_NAMED && !memchr(p + 29, 0, len - 29))
		return "device object name is not NUL-terminated";
	*field = 44;
	if (type == ACPI_IORT_SMMU &&
	    (!iort_fits(acpi_rd32(p, 40), 16, len) ||
	     !iort_fits(acpi_rd32(p, 48), 8ull * acpi_rd32(p, 44), len) ||
	     !iort_fits(acpi_rd32(p, 56), 8ull * acpi_rd32(p, 52), len)))
		return "SMMU interrupt arrays lie outside the node";
	*field = 20;
	if (type == ACPI_IORT_RMR &&
	    !iort_fits(acpi_rd32(p, 24), 20ull * acpi_rd32(p, 20), len))
		return "RMR memory range array lies outside the node";
	return NULL;
}

static const struct acpi_subtables iort_nodes = {
    .sig = "IORT",
    .noun = "node",
    .hdr_len = IORT_NODE_LEN,
    .len_size = 2,
    .min_len = iort_min_len,
    .nmin = ARRAY_SIZE(iort_min_len),
    .type_name = acpi_iort_type_name,
    .problem = iort_node_problem,
};

static bool iort_is_node(const struct acpi_iort *io, uint32_t ref)
{
	struct acpi_iort_node n;

	for (uint32_t pos = 0; acpi_iort_next(io, &pos, &n);)
		if (n.offset == ref)
			return true;
	return false;
}

static err_t iort_check_refs(const struct acpi_iort *io,
                             const struct acpi_iort_node *n)
{
	struct acpi_iort_map m;

	for (uint32_t i = 0; i < n->nmaps; i++) {
		acpi_iort_map_get(io, n, i, &m);
		if (!iort_is_node(io, m.output_ref))
			return acpi_report(E_CORRUPT, "IORT",
			                   n->maps_off + i * IORT_MAP_LEN + 12,
			                   "ID mapping output reference 0x%x "
			                   "is not a node",
			                   m.output_ref);
	}
	if (n->type == ACPI_IORT_PMCG && !iort_is_node(io, n->pmcg.node_ref) &&
	    n->pmcg.node_ref != 0)
		return acpi_report(E_CORRUPT, "IORT", n->offset + 28,
		                   "PMCG node reference 0x%x is not a node",
		                   n->pmcg.node_ref);
	return E_OK;
}

err_t acpi_iort_parse(const struct acpi_sdt_header *t, struct acpi_iort *io)
{
	err_t err = acpi_table_check(t, "IORT", IORT_HDR_LEN);
	struct acpi_iort_node n;

	if (err)
		return err;
	*io = (struct acpi_iort){.t = t};
	io->nnodes = acpi_rd32(t, 36);
	io->first_off = acpi_rd32(t, 40);
	if (io->nnodes && io->first_off < IORT_HDR_LEN)
		return acpi_report(E_CORRUPT, "IORT", 40,
		                   "node array offset 0x%x is inside the "
		                   "header",
		                   io->first_off);
	err = acpi_subtables_check_n(t, &iort_nodes, io->first_off, io->nnodes,
	                             &io->end_off);
	if (err)
		return err;
	for (uint32_t pos = 0; acpi_iort_next(io, &pos, &n);) {
		if ((err = iort_check_refs(io, &n)))
			return err;
		if (n.type < ARRAY_SIZE(io->count))
			io->count[n.type]++;
	}
	return E_OK;
}

static void iort_decode_body(const uint8_t *p, uint32_t off,
                             struct acpi_iort_node *n)
{
	switch (n->type) {
	case ACPI_IORT_ITS_GROUP:
		n->its.nits = acpi_rd32(p, 16);
		n->its.ids_off = off + 20;
		break;
	case ACPI_IORT_NAMED:
		n->named.flags = acpi_rd32(p, 16);
		n->named.mem_props = acpi_rd64(p, 20);
		n->named.addr_limit = p[28];
		n->named.name = (const char *)p + 29;
		break;
	case ACPI_IORT_ROOT_COMPLEX:
		n->rc.mem_props = acpi_rd64(p, 16);
		n->rc.ats = acpi_rd32(p, 24);
		n->rc.segment = acpi_rd32(p, 28);
		if (n->revision >= 1 && n->length >= 33)
			n->rc.addr_limit = p[32];
		break;
	case ACPI_IORT_SMMU:
		n->smmu.base = acpi_rd64(p, 16);
		n->smmu.span = acpi_rd64(p, 24);
		n->smmu.model = acpi_rd32(p, 32);
		n->smmu.flags = acpi_rd32(p, 36);
		n->smmu.nctx_irqs = acpi_rd32(p, 44);
		n->smmu.npmu_irqs = acpi_rd32(p, 52);
		break;
	case ACPI_IORT_SMMU_V3:
		n->smmu3.base = acpi_rd64(p, 16);
		n->smmu3.flags = acpi_rd32(p, 24);
		n->smmu3.vatos = acpi_rd64(p, 32);
		n->smmu3.model = acpi_rd32(p, 40);
		n->smmu3.event_gsiv = acpi_rd32(p, 44);
		n->smmu3.pri_gsiv = acpi_rd32(p, 48);
		n->smmu3.gerr_gsiv = acpi_rd32(p, 52);
		n->smmu3.sync_gsiv = acpi_rd32(p, 56);
		n->smmu3.proximity = acpi_rd32(p, 60);
		n->smmu3.id_map_index = acpi_rd32(p, 64);
		break;
	case ACPI_IORT_PMCG:
		n->pmcg.page0 = acpi_rd64(p, 16);
		n->pmcg.gsiv = acpi_rd32(p, 24);
		n->pmcg.node_ref = acpi_rd32(p, 28);
		if (n->length >= 40)
			n->pmcg.page1 = acpi_rd64(p, 32);
		break;
	case ACPI_IORT_RMR:
		n->rmr.flags = acpi_rd32(p, 16);
		n->rmr.nranges = acpi_rd32(p, 20);
		n->rmr.ranges_off = off + acpi_rd32(p, 24);
		break;
	}
}

bool acpi_iort_next(const struct acpi_iort *io, uint32_t *pos,
                    struct acpi_iort_node *n)
{
	uint32_t off = *pos ? *pos : io->first_off, len;
	const uint8_t *p = (const uint8_t *)io->t + off;

	if (off >= io->end_off ||
	    (len = acpi_subtable_check(io->t, &iort_nodes, off, false)) == 0)
		return false;
	*n = (struct acpi_iort_node){.type = p[0],
	                             .length = (uint16_t)len,
	                             .revision = p[3],
	                             .offset = off};
	n->id = acpi_rd32(p, 4);
	n->nmaps = acpi_rd32(p, 8);
	n->maps_off = off + acpi_rd32(p, 12);
	iort_decode_body(p, off, n);
	*pos = off + len;
	return true;
}

void acpi_iort_map_get(const struct acpi_iort *io,
                       const struct acpi_iort_node *n, uint32_t i,
                       struct acpi_iort_map *m)
{
	uint32_t o = n->maps_off + i * IORT_MAP_LEN;

	*m = (struct acpi_iort_map){0};
	if (i >= n->nmaps)
		return;
	m->input_base = acpi_rd32(io->t, o);
	m->count = acpi_rd32(io->t, o + 4);
	m->output_base = acpi_rd32(io->t, o + 8);
	m->output_ref = acpi_rd32(io->t, o + 12);
	m->single = acpi_rd32(io->t, o + 16) & 1;
}

void acpi_iort_rmr_range(const struct acpi_iort *io,
                         const struct acpi_iort_node *n, uint32_t i,
                         uint64_t *base, uint64_t *length)
{
	uint32_t o = n->rmr.ranges_off + i * IORT_RMR_DESC_LEN;

	*base = *length = 0;
	if (n->type != ACPI_IORT_RMR || i >= n->rmr.nranges)
		return;
	*base = acpi_rd64(io->t, o);
	*length = acpi_rd64(io->t, o + 8);
}
