// SPDX-License-Identifier: MIT
// The bounded walk over tables built as a header followed by a list of
// subtables that each start with a type byte and a length (MADT, SRAT,
// IORT): one set of bounds checks and one wording for their reports, so
// that every such decoder rejects a malformed list the same way.
//
// Locking: none; pure functions of the table bytes (reports go through
// acpi_report(), see acpi/acpi.h).
#include <acpi/acpi.h>

static uint32_t subtable_rd_len(const struct acpi_sdt_header *t,
                                const struct acpi_subtables *s, uint32_t off)
{
	return s->len_size == 2 ? acpi_rd16(t, off + 1) : acpi_rd8(t, off + 1);
}

bool acpi_subtable_short(const struct acpi_subtables *s, uint8_t type,
                         uint32_t len)
{
	return type < s->nmin && len < s->min_len[type];
}

// The header checks: the subtable at off must hold its header, and its
// length must cover the header and stay inside the table.
static uint32_t subtable_hdr_check(const struct acpi_sdt_header *t,
                                   const struct acpi_subtables *s, uint32_t off,
                                   bool report)
{
	uint32_t type, len;

	if (off >= t->length || t->length - off < s->hdr_len) {
		if (report)
			acpi_report(E_CORRUPT, s->sig, off,
			            "%s header runs past the table end",
			            s->noun);
		return 0;
	}
	type = acpi_rd8(t, off);
	len = subtable_rd_len(t, s, off);
	if (len < s->hdr_len) {
		if (report)
			acpi_report(E_CORRUPT, s->sig, off,
			            "%s type %u has length %u (< %u)", s->noun,
			            type, len, s->hdr_len);
		return 0;
	}
	if (len > t->length - off) {
		if (report)
			acpi_report(E_TRUNC, s->sig, off,
			            "%s type %u length %u runs past the table "
			            "end (0x%x)",
			            s->noun, type, len, t->length);
		return 0;
	}
	return len;
}

uint32_t acpi_subtable_len(const struct acpi_sdt_header *t,
                           const struct acpi_subtables *s, uint32_t off)
{
	return subtable_hdr_check(t, s, off, false);
}

uint32_t acpi_subtable_check(const struct acpi_sdt_header *t,
                             const struct acpi_subtables *s, uint32_t off,
                             bool report)
{
	uint32_t len = subtable_hdr_check(t, s, off, report), field = 0;
	const char *why;
	uint8_t type;

	if (len == 0)
		return 0;
	type = acpi_rd8(t, off);
	if (acpi_subtable_short(s, type, len)) {
		if (report)
			acpi_report(E_CORRUPT, s->sig, off,
			            "%s %s length %u is below the minimum %u",
			            s->type_name(type), s->noun, len,
			            s->min_len[type]);
		return 0;
	}
	if (s->problem &&
	    (why = s->problem((const uint8_t *)t + off, len, &field))) {
		if (report)
			acpi_report(E_CORRUPT, s->sig, off + field, "%s", why);
		return 0;
	}
	return len;
}

// Checks subtables from off: count of them, or with to_end as many as fill
// the table (count unused). *end is set on success only.
static err_t subtables_walk(const struct acpi_sdt_header *t,
                            const struct acpi_subtables *s, uint32_t off,
                            bool to_end, uint32_t count, uint32_t *end)
{
	for (uint32_t i = 0; to_end ? off < t->length : i < count; i++) {
		uint32_t len;

		// Filling the table to its end, a tail too short for another
		// header is not a truncated subtable but bytes left over.
		if (to_end && t->length - off < s->hdr_len) {
			acpi_report(E_TRUNC, s->sig, off,
			            "%u stray bytes after the last %s",
			            t->length - off, s->noun);
			return E_CORRUPT;
		}
		len = acpi_subtable_check(t, s, off, true);
		if (len == 0)
			return E_CORRUPT;
		off += len;
	}
	*end = off;
	return E_OK;
}

err_t acpi_subtables_check(const struct acpi_sdt_header *t,
                           const struct acpi_subtables *s, uint32_t off)
{
	uint32_t end;

	return subtables_walk(t, s, off, true, 0, &end);
}

err_t acpi_subtables_check_n(const struct acpi_sdt_header *t,
                             const struct acpi_subtables *s, uint32_t off,
                             uint32_t count, uint32_t *end)
{
	return subtables_walk(t, s, off, false, count, end);
}
