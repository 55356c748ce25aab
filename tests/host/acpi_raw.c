// SPDX-License-Identifier: MIT
// Raw-byte readers for acpi_raw.h. Deliberately simple and separate from
// acpi/: little-endian loads, bounds from the header's length and the file
// size, entries walked by their length bytes.
#include <string.h>
#include "acpi_raw.h"

#define HDR 36 // standard table header

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static size_t table_len(const uint8_t *t, size_t len)
{
	size_t n = len >= HDR ? rd32(t + 4) : 0;

	return n < len ? n : len;
}

static bool add_once(uint32_t *seen, unsigned *n, unsigned max, uint32_t id)
{
	for (unsigned i = 0; i < *n; i++)
		if (seen[i] == id)
			return false;
	if (*n < max)
		seen[(*n)++] = id;
	return true;
}

unsigned raw_madt_cpus(const uint8_t *t, size_t len)
{
	static uint32_t ids[4096];
	size_t end = table_len(t, len);
	unsigned n = 0;

	// Entries start after the header, the LAPIC address and the flags.
	for (size_t p = HDR + 8; p + 2 <= end && t[p + 1] >= 2; p += t[p + 1]) {
		const uint8_t *e = t + p;

		if (p + e[1] > end)
			break;
		if (e[0] == 0 && e[1] >= 8 && (rd32(e + 4) & 1)) // LAPIC
			(void)add_once(ids, &n, 4096, e[3]);
		else if (e[0] == 9 && e[1] >= 16 && (rd32(e + 8) & 1)) // x2APIC
			(void)add_once(ids, &n, 4096, rd32(e + 4));
		else if (e[0] == 11 && e[1] >= 16 && (rd32(e + 12) & 1)) // GICC
			(void)add_once(ids, &n, 4096, rd32(e + 8));
	}
	return n;
}

unsigned raw_srat_domains(const uint8_t *t, size_t len, bool gicc)
{
	uint32_t doms[256];
	size_t end = table_len(t, len);
	bool rev2 = len > 8 && t[8] >= 2; // 32-bit domains from revision 2
	unsigned n = 0;

	// Entries start after the header and 12 reserved bytes.
	for (size_t p = HDR + 12; p + 2 <= end && t[p + 1] >= 2;
	     p += t[p + 1]) {
		const uint8_t *e = t + p;
		uint32_t d;

		if (p + e[1] > end)
			break;
		if (e[0] == 0 && e[1] >= 16 && !gicc && (rd32(e + 4) & 1)) {
			d = e[2];
			if (rev2)
				d |= (uint32_t)e[9] << 8 |
				     (uint32_t)e[10] << 16 |
				     (uint32_t)e[11] << 24;
		} else if (e[0] == 1 && e[1] >= 40 && (rd32(e + 28) & 1) &&
		           rd64(e + 16)) {
			d = rev2 ? rd32(e + 2) : e[2];
		} else if (e[0] == 2 && e[1] >= 24 && !gicc &&
		           (rd32(e + 12) & 1)) {
			d = rd32(e + 4);
		} else if (e[0] == 3 && e[1] >= 18 && (rd32(e + 10) & 1)) {
			d = rd32(e + 2);
		} else {
			continue;
		}
		(void)add_once(doms, &n, 256, d);
	}
	return n;
}

int raw_slit_distance(const uint8_t *t, size_t len, uint32_t a, uint32_t b)
{
	size_t end = table_len(t, len);
	uint64_t n = end >= HDR + 8 ? rd64(t + HDR) : 0;

	if (a >= n || b >= n || HDR + 8 + n * n > end)
		return -1;
	return t[HDR + 8 + a * n + b];
}

const uint8_t *raw_find(const char *sig, uint8_t *const *bufs,
                        const size_t *lens, unsigned n, size_t *len)
{
	for (unsigned i = 0; i < n; i++)
		if (lens[i] >= HDR && memcmp(bufs[i], sig, 4) == 0) {
			*len = lens[i];
			return bufs[i];
		}
	return NULL;
}
