// SPDX-License-Identifier: MIT
// Helpers for the ACPI unit tests: build a table in a byte buffer (header,
// little-endian fields, checksum). Neutral: no libc beyond <string.h>.
#pragma once

#include <string.h>
#include <acpi/acpi.h>

struct acpi_tb {
	uint8_t *buf;
	uint32_t cap, len;
};

static inline void acpi_tb_init(struct acpi_tb *b, uint8_t *buf, uint32_t cap,
                                const char sig[4], uint8_t rev)
{
	memset(buf, 0, cap);
	b->buf = buf;
	b->cap = cap;
	b->len = ACPI_SDT_HEADER_LEN;
	memcpy(buf, sig, 4);
	buf[8] = rev;
	memcpy(buf + 10, "CAIRN ", 6);
	memcpy(buf + 16, "UNITTEST", 8);
}

static inline void acpi_tb_put(struct acpi_tb *b, uint32_t off, uint64_t v,
                               unsigned size)
{
	for (unsigned i = 0; i < size && off + i < b->cap; i++)
		b->buf[off + i] = (uint8_t)(v >> (8 * i));
	if (off + size > b->len)
		b->len = off + size;
}

// Appends size bytes holding v; returns the offset written.
static inline uint32_t acpi_tb_add(struct acpi_tb *b, uint64_t v, unsigned size)
{
	uint32_t off = b->len;

	acpi_tb_put(b, off, v, size);
	return off;
}

// Appends a zeroed subtable with a 1-byte type and 1-byte length (MADT,
// SRAT, PPTT style); returns its offset.
static inline uint32_t acpi_tb_entry(struct acpi_tb *b, uint8_t type,
                                     uint8_t len)
{
	uint32_t off = b->len;

	acpi_tb_put(b, off, type, 1);
	acpi_tb_put(b, off + 1, len, 1);
	if (off + len > b->len)
		b->len = off + len;
	return off;
}

// Writes the length and checksum; returns the table.
static inline const struct acpi_sdt_header *acpi_tb_finish(struct acpi_tb *b)
{
	uint8_t sum = 0;

	acpi_tb_put(b, 4, b->len, 4);
	b->buf[9] = 0;
	for (uint32_t i = 0; i < b->len; i++)
		sum = (uint8_t)(sum + b->buf[i]);
	b->buf[9] = (uint8_t)-sum;
	return (const struct acpi_sdt_header *)b->buf;
}
