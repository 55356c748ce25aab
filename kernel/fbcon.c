// SPDX-License-Identifier: MIT
// Framebuffer text console. Characters are drawn from the built-in bitmap
// font; at the bottom the screen scrolls up one text row with memmove.
// State is guarded by the printk console lock (writes come only through
// printk's console list) or owned by the caller (tests).
#include <string.h>
#include <lib/err.h>
#include <kernel/fbcon.h>
#include <mm/phys.h>
#include <lib/printk.h>

static uint32_t pack_rgb(const struct cairn_framebuffer *fb, uint8_t r,
                         uint8_t g, uint8_t b)
{
	switch (fb->format) {
	case CAIRN_FB_RGBX: return r | (uint32_t)g << 8 | (uint32_t)b << 16;
	case CAIRN_FB_BGRX: return b | (uint32_t)g << 8 | (uint32_t)r << 16;
	default: // masks: scale each 8-bit channel into its mask
		return (uint32_t)(((uint64_t)r * fb->red_mask / 255) &
		                  fb->red_mask) |
		       (uint32_t)(((uint64_t)g * fb->green_mask / 255) &
		                  fb->green_mask) |
		       (uint32_t)(((uint64_t)b * fb->blue_mask / 255) &
		                  fb->blue_mask);
	}
}

err_t fbcon_init(struct fbcon *con, const struct cairn_framebuffer *fb,
                 void *mapped, const struct font *font)
{
	const char *why = NULL;

	if (fb->bpp != 32)
		why = "only 32 bits per pixel is supported";
	else if (fb->width < font->width || fb->height < font->height)
		why = "smaller than one character";
	else if (fb->pitch < fb->width * 4)
		why = "pitch shorter than a scan line";
	else if ((uint64_t)fb->pitch * fb->height > fb->size)
		why = "pitch * height exceeds its size";
	else if (fb->format < CAIRN_FB_RGBX || fb->format > CAIRN_FB_MASK)
		why = "unknown pixel format";
	if (why) {
		pr_err("fbcon: framebuffer %ux%u pitch %u: %s\n", fb->width,
		       fb->height, fb->pitch, why);
		return E_INVAL;
	}
	memset(con, 0, sizeof(*con));
	con->base = mapped;
	con->width = fb->width;
	con->height = fb->height;
	con->pitch = fb->pitch;
	con->bpp = fb->bpp;
	con->font = font;
	con->cols = fb->width / font->width;
	con->rows = fb->height / font->height;
	con->fg = pack_rgb(fb, 0xd0, 0xd0, 0xd0);
	con->bg = pack_rgb(fb, 0x10, 0x10, 0x18);
	for (uint32_t y = 0; y < con->height; y++) {
		uint32_t *row =
		    (uint32_t *)(void *)(con->base + y * con->pitch);
		for (uint32_t x = 0; x < con->width; x++)
			row[x] = con->bg;
	}
	return 0;
}

static void draw_glyph(struct fbcon *con, unsigned col, unsigned row,
                       unsigned char c)
{
	const struct font *f = con->font;
	const uint8_t *g = f->glyphs + (size_t)c * f->height * f->stride;

	for (unsigned y = 0; y < f->height; y++) {
		uint32_t *px =
		    (uint32_t *)(void *)(con->base +
		                         (row * f->height + y) * con->pitch) +
		    col * f->width;
		const uint8_t *bits = g + y * f->stride;

		for (unsigned x = 0; x < f->width; x++)
			px[x] =
			    bits[x / 8] & (0x80 >> (x % 8)) ? con->fg : con->bg;
	}
}

static void scroll(struct fbcon *con)
{
	size_t line = (size_t)con->font->height * con->pitch;
	size_t used = line * con->rows;

	memmove(con->base, con->base + line, used - line);
	for (size_t y = 0; y < con->font->height; y++) {
		uint32_t *px = (uint32_t *)(void *)(con->base + used - line +
		                                    y * con->pitch);
		for (uint32_t x = 0; x < con->width; x++)
			px[x] = con->bg;
	}
	con->row = con->rows - 1;
}

static void newline(struct fbcon *con)
{
	con->col = 0;
	if (++con->row >= con->rows)
		scroll(con);
}

void fbcon_write(struct fbcon *con, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\n': newline(con); continue;
		case '\r': con->col = 0; continue;
		case '\t': con->col = (con->col + 8) & ~7u; break;
		case '\b':
			if (con->col)
				con->col--;
			continue;
		default:
			if (c < 0x20)
				continue;
			draw_glyph(con, con->col++, con->row, c);
			break;
		}
		if (con->col >= con->cols)
			newline(con);
	}
}

static struct fbcon boot_fbcon;

static void boot_fbcon_write(struct console *c, const char *s, size_t len)
{
	fbcon_write(&boot_fbcon, s, len);
}

static struct console boot_fbcon_console = {.name = "fb0",
                                            .write = boot_fbcon_write};

void fbcon_boot_init(const struct boot_info *bi)
{
	const struct cairn_framebuffer *fb = &bi->fb;

	if (!fb->base)
		return;
	if (fb->base + fb->size > bi->direct_map_size) {
		pr_err("fbcon: framebuffer at %#lx is outside the direct map\n",
		       (unsigned long)fb->base);
		return;
	}
	if (fbcon_init(&boot_fbcon, fb, phys_to_virt(fb->base), &font_builtin))
		return;
	console_register(&boot_fbcon_console);
	pr_info("fbcon: %ux%u framebuffer at %#lx, %ux%u text\n", fb->width,
	        fb->height, (unsigned long)fb->base, boot_fbcon.cols,
	        boot_fbcon.rows);
}
