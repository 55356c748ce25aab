// SPDX-License-Identifier: MIT
// HMAT decoder (a table decoder). Structures have a 2-byte type and a
// 4-byte length; the locality structure's size follows from its initiator
// and target counts, checked with 64-bit arithmetic so huge counts cannot
// wrap.
//
// Locking: none; pure functions of the table bytes.
#include <acpi/hmat.h>

#define HMAT_HDR_LEN 40u
#define HMAT_SUB_HDR 8u

static const uint32_t hmat_min_len[] = {
    [ACPI_HMAT_PROXIMITY] = 40,
    [ACPI_HMAT_LOCALITY] = 32,
    [ACPI_HMAT_CACHE] = 32,
};

const char *acpi_hmat_data_type_name(uint8_t type)
{
	static const char *const names[] = {
	    "access-latency",   "read-latency",   "write-latency",
	    "access-bandwidth", "read-bandwidth", "write-bandwidth",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

static void hmat_decode_lb(const uint8_t *p, struct acpi_hmat_entry *e)
{
	e->lb.flags = p[8];
	e->lb.hierarchy = p[8] & 0xf;
	e->lb.data_type = p[9];
	e->lb.min_transfer_size = p[10];
	e->lb.ninit = acpi_rd32(p, 12);
	e->lb.ntarget = acpi_rd32(p, 16);
	e->lb.base_unit = acpi_rd64(p, 24);
	e->lb.init_off = e->offset + 32;
	e->lb.target_off = e->lb.init_off + 4 * e->lb.ninit;
	e->lb.entries_off = e->lb.target_off + 4 * e->lb.ntarget;
}

static void hmat_decode_cache(const uint8_t *p, struct acpi_hmat_entry *e)
{
	uint32_t attr = acpi_rd32(p, 24);

	e->cache.memory = acpi_rd32(p, 8);
	e->cache.size = acpi_rd64(p, 16);
	e->cache.levels = attr & 0xf;
	e->cache.level = (attr >> 4) & 0xf;
	e->cache.assoc = (attr >> 8) & 0xf;
	e->cache.policy = (attr >> 12) & 0xf;
	e->cache.line_size = (uint16_t)(attr >> 16);
	e->cache.nsmbios = acpi_rd16(p, 30);
}

// Size a structure of this type needs given its counts (64-bit: no wrap).
static uint64_t hmat_need(const uint8_t *p, uint16_t type)
{
	if (type == ACPI_HMAT_LOCALITY) {
		uint64_t ni = acpi_rd32(p, 12), nt = acpi_rd32(p, 16);
		return 32 + 4 * ni + 4 * nt + 2 * ni * nt;
	}
	if (type == ACPI_HMAT_CACHE)
		return 32 + 2 * (uint64_t)acpi_rd16(p, 30);
	return type < ARRAY_SIZE(hmat_min_len) ? hmat_min_len[type]
	                                       : HMAT_SUB_HDR;
}

static uint32_t hmat_check_entry(const struct acpi_sdt_header *t, uint32_t off)
{
	const uint8_t *p = (const uint8_t *)t + off;
	uint32_t len;
	uint16_t type;

	if (t->length - off < HMAT_SUB_HDR) {
		acpi_report(E_TRUNC, "HMAT", off,
		            "%u stray bytes after the last structure",
		            t->length - off);
		return 0;
	}
	type = acpi_rd16(p, 0);
	len = acpi_rd32(p, 4);
	if (len < HMAT_SUB_HDR || len > t->length - off) {
		acpi_report(len < HMAT_SUB_HDR ? E_CORRUPT : E_TRUNC, "HMAT",
		            off + 4,
		            "structure type %u length %u %s (table end "
		            "0x%x)",
		            type, len,
		            len < HMAT_SUB_HDR ? "is below 8"
		                               : "runs past the table end",
		            t->length);
		return 0;
	}
	if (type < ARRAY_SIZE(hmat_min_len) && len < hmat_min_len[type]) {
		acpi_report(E_CORRUPT, "HMAT", off + 4,
		            "structure type %u length %u is below the minimum "
		            "%u",
		            type, len, hmat_min_len[type]);
		return 0;
	}
	if (hmat_need(p, type) > len) {
		acpi_report(E_CORRUPT, "HMAT", off + 4,
		            "structure type %u length %u, but its counts need "
		            "%lu bytes",
		            type, len, hmat_need(p, type));
		return 0;
	}
	return len;
}

err_t acpi_hmat_parse(const struct acpi_sdt_header *t, struct acpi_hmat *h)
{
	err_t err = acpi_table_check(t, "HMAT", HMAT_HDR_LEN);
	struct acpi_hmat_entry e;

	if (err)
		return err;
	*h = (struct acpi_hmat){.t = t};
	for (uint32_t off = HMAT_HDR_LEN; off < t->length;) {
		uint32_t len = hmat_check_entry(t, off);

		if (len == 0)
			return E_CORRUPT;
		off += len;
	}
	for (uint32_t pos = 0; acpi_hmat_next(h, &pos, &e);) {
		h->nentries++;
		if (e.type < ARRAY_SIZE(h->count))
			h->count[e.type]++;
		if (e.type == ACPI_HMAT_LOCALITY && e.lb.data_type > 5)
			acpi_warn("HMAT", e.offset + 9, "reserved data type %u",
			          e.lb.data_type);
	}
	return E_OK;
}

bool acpi_hmat_next(const struct acpi_hmat *h, uint32_t *pos,
                    struct acpi_hmat_entry *e)
{
	uint32_t off = *pos ? *pos : HMAT_HDR_LEN;
	const uint8_t *p;

	if (off >= h->t->length || h->t->length - off < HMAT_SUB_HDR)
		return false;
	p = (const uint8_t *)h->t + off;
	*e = (struct acpi_hmat_entry){
	    .type = acpi_rd16(p, 0), .length = acpi_rd32(p, 4), .offset = off};
	if (e->length < HMAT_SUB_HDR || e->length > h->t->length - off)
		return false; // not validated: acpi_hmat_parse() failed
	*pos = off + e->length;
	if (hmat_need(p, e->type) > e->length)
		return true; // likewise; fields stay zero
	if (e->type == ACPI_HMAT_PROXIMITY) {
		e->prox.initiator_valid = acpi_rd16(p, 8) & 1;
		e->prox.initiator = acpi_rd32(p, 12);
		e->prox.memory = acpi_rd32(p, 16);
	} else if (e->type == ACPI_HMAT_LOCALITY) {
		hmat_decode_lb(p, e);
	} else if (e->type == ACPI_HMAT_CACHE) {
		hmat_decode_cache(p, e);
	}
	return true;
}

uint32_t acpi_hmat_lb_initiator(const struct acpi_hmat *h,
                                const struct acpi_hmat_entry *e, uint32_t i)
{
	if (e->type != ACPI_HMAT_LOCALITY || i >= e->lb.ninit)
		return 0;
	return acpi_rd32(h->t, e->lb.init_off + 4 * i);
}

uint32_t acpi_hmat_lb_target(const struct acpi_hmat *h,
                             const struct acpi_hmat_entry *e, uint32_t j)
{
	if (e->type != ACPI_HMAT_LOCALITY || j >= e->lb.ntarget)
		return 0;
	return acpi_rd32(h->t, e->lb.target_off + 4 * j);
}

uint16_t acpi_hmat_lb_value(const struct acpi_hmat *h,
                            const struct acpi_hmat_entry *e, uint32_t i,
                            uint32_t j)
{
	if (e->type != ACPI_HMAT_LOCALITY || i >= e->lb.ninit ||
	    j >= e->lb.ntarget)
		return 0;
	return acpi_rd16(h->t, e->lb.entries_off + 2 * (i * e->lb.ntarget + j));
}
