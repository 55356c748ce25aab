// SPDX-License-Identifier: MIT
// GTDT decoder (a table decoder): fixed part (96 bytes, 104 from revision
// 3), then nplatform structures with a 1-byte type and 2-byte length. A GT
// block carries up to 8 frames of 40 bytes at an offset inside the block.
//
// Locking: none; pure functions of the table bytes.
#include <acpi/gtdt.h>

#define GTDT_V2_LEN 96u
#define GTDT_V3_LEN 104u
#define GTDT_BLOCK_LEN 20u
#define GTDT_FRAME_LEN 40u
#define GTDT_WDOG_LEN 28u

static void gtdt_timer(const void *base, uint32_t off,
                       struct acpi_gtdt_timer *tm)
{
	tm->gsiv = acpi_rd32(base, off);
	tm->flags = acpi_rd32(base, off + 4);
}

// Checks a GT block's frame array; returns 0 or reports.
static err_t gtdt_check_block(const uint8_t *p, uint32_t off, uint16_t len)
{
	uint32_t n = acpi_rd32(p, 12), foff = acpi_rd32(p, 16);

	if (n > ACPI_GTDT_MAX_FRAMES)
		return acpi_report(E_CORRUPT, "GTDT", off + 12,
		                   "GT block has %u frames (max 8)", n);
	if (n && (foff < GTDT_BLOCK_LEN || foff > len ||
	          (len - foff) / GTDT_FRAME_LEN < n))
		return acpi_report(E_CORRUPT, "GTDT", off + 16,
		                   "%u GT frames at offset %u do not fit in "
		                   "the block's %u bytes",
		                   n, foff, len);
	return E_OK;
}

static err_t gtdt_check_platform(const struct acpi_sdt_header *t, uint32_t off,
                                 uint32_t *len_out)
{
	const uint8_t *p = (const uint8_t *)t + off;
	uint16_t len;
	uint8_t type;

	if (t->length - off < 3)
		return acpi_report(E_TRUNC, "GTDT", off,
		                   "platform timer header runs past the table "
		                   "end");
	type = p[0];
	len = acpi_rd16(p, 1);
	if (len < 3 || len > t->length - off)
		return acpi_report(len < 3 ? E_CORRUPT : E_TRUNC, "GTDT", off,
		                   "platform timer type %u length %u is %s",
		                   type, len,
		                   len < 3 ? "below 3" : "past the table end");
	if ((type == ACPI_GTDT_GT_BLOCK && len < GTDT_BLOCK_LEN) ||
	    (type == ACPI_GTDT_WATCHDOG && len < GTDT_WDOG_LEN))
		return acpi_report(E_CORRUPT, "GTDT", off,
		                   "platform timer type %u length %u is too "
		                   "short",
		                   type, len);
	*len_out = len;
	if (type == ACPI_GTDT_GT_BLOCK)
		return gtdt_check_block(p, off, len);
	return E_OK;
}

static void gtdt_decode_fixed(const struct acpi_sdt_header *t,
                              struct acpi_gtdt *g)
{
	g->cnt_control_base = acpi_rd64(t, 36);
	gtdt_timer(t, 48, &g->secure_el1);
	gtdt_timer(t, 56, &g->nonsecure_el1);
	gtdt_timer(t, 64, &g->virtual_el1);
	gtdt_timer(t, 72, &g->el2);
	g->cnt_read_base = acpi_rd64(t, 80);
	g->nplatform = acpi_rd32(t, 88);
	g->platform_off = acpi_rd32(t, 92);
	if (t->revision >= 3 && t->length >= GTDT_V3_LEN)
		gtdt_timer(t, 96, &g->virtual_el2);
}

err_t acpi_gtdt_parse(const struct acpi_sdt_header *t, struct acpi_gtdt *g)
{
	err_t err = acpi_table_check(t, "GTDT", GTDT_V2_LEN);
	uint32_t fixed, off, len = 0;

	if (err)
		return err;
	*g = (struct acpi_gtdt){.t = t};
	gtdt_decode_fixed(t, g);
	fixed = t->revision >= 3 ? GTDT_V3_LEN : GTDT_V2_LEN;
	if (t->length < fixed)
		return acpi_report(E_TRUNC, "GTDT", 4,
		                   "revision %u needs %u bytes, length is %u",
		                   t->revision, fixed, t->length);
	if (g->nplatform == 0)
		return E_OK;
	if (g->platform_off < fixed || g->platform_off >= t->length)
		return acpi_report(E_CORRUPT, "GTDT", 92,
		                   "platform timer offset 0x%x is outside "
		                   "0x%x..0x%x",
		                   g->platform_off, fixed, t->length);
	off = g->platform_off;
	for (uint32_t i = 0; i < g->nplatform; i++, off += len) {
		if (off >= t->length)
			return acpi_report(E_TRUNC, "GTDT", 88,
			                   "%u platform timers declared, "
			                   "table ends after %u",
			                   g->nplatform, i);
		if ((err = gtdt_check_platform(t, off, &len)))
			return err;
		g->nblocks += acpi_rd8(t, off) == ACPI_GTDT_GT_BLOCK;
		g->nwatchdogs += acpi_rd8(t, off) == ACPI_GTDT_WATCHDOG;
	}
	g->platform_end = off;
	return E_OK;
}

static void gtdt_decode_block(const uint8_t *p, struct acpi_gtdt_platform *pl)
{
	uint32_t foff = acpi_rd32(p, 16);

	pl->block.cnt_ctl_base = acpi_rd64(p, 4);
	pl->block.nframes = acpi_rd32(p, 12);
	for (uint32_t i = 0; i < pl->block.nframes; i++) {
		const uint8_t *f = p + foff + i * GTDT_FRAME_LEN;

		pl->block.frames[i].frame = f[0];
		pl->block.frames[i].cnt_base = acpi_rd64(f, 4);
		pl->block.frames[i].cnt_el0_base = acpi_rd64(f, 12);
		gtdt_timer(f, 20, &pl->block.frames[i].phys);
		gtdt_timer(f, 28, &pl->block.frames[i].virt);
		pl->block.frames[i].common_flags = acpi_rd32(f, 36);
	}
}

// The same checks as gtdt_check_platform(), without reporting: iteration
// stays in bounds even on a table that failed acpi_gtdt_parse().
static uint32_t gtdt_platform_len(const struct acpi_sdt_header *t, uint32_t off)
{
	const uint8_t *p = (const uint8_t *)t + off;
	uint32_t len, n, foff;

	if (off >= t->length || t->length - off < 3)
		return 0;
	len = acpi_rd16(p, 1);
	if (len < 3 || len > t->length - off)
		return 0;
	if (p[0] == ACPI_GTDT_WATCHDOG && len < GTDT_WDOG_LEN)
		return 0;
	if (p[0] != ACPI_GTDT_GT_BLOCK)
		return len;
	if (len < GTDT_BLOCK_LEN)
		return 0;
	n = acpi_rd32(p, 12);
	foff = acpi_rd32(p, 16);
	if (n > ACPI_GTDT_MAX_FRAMES ||
	    (n && (foff < GTDT_BLOCK_LEN || foff > len ||
	           (len - foff) / GTDT_FRAME_LEN < n)))
		return 0;
	return len;
}

bool acpi_gtdt_next(const struct acpi_gtdt *g, uint32_t *pos,
                    struct acpi_gtdt_platform *pl)
{
	uint32_t off = *pos ? *pos : g->platform_off, len;
	const uint8_t *p = (const uint8_t *)g->t + off;

	if (off >= g->platform_end)
		return false;
	len = gtdt_platform_len(g->t, off);
	if (len == 0)
		return false;
	*pl = (struct acpi_gtdt_platform){
	    .type = p[0], .length = (uint16_t)len, .offset = off};
	if (pl->type == ACPI_GTDT_GT_BLOCK) {
		gtdt_decode_block(p, pl);
	} else if (pl->type == ACPI_GTDT_WATCHDOG) {
		pl->wdog.refresh_base = acpi_rd64(p, 4);
		pl->wdog.control_base = acpi_rd64(p, 12);
		gtdt_timer(p, 20, &pl->wdog.irq);
		pl->wdog.secure = pl->wdog.irq.flags & 4;
	}
	*pos = off + len;
	return true;
}
