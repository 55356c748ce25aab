// SPDX-License-Identifier: MIT
// Text console on a linear framebuffer (the GOP framebuffer the loader
// found). Registers itself as a printk console.
#pragma once

#include <lib/bootinfo.h>
#include <kernel/font.h>
#include <lib/types.h>

struct fbcon {
	uint8_t *base; // mapped framebuffer
	uint32_t width, height, pitch, bpp;
	uint32_t fg, bg; // pixel values in the framebuffer's format
	unsigned cols, rows, col, row;
	const struct font *font;
};

// Validates the framebuffer description (sizes, pitch, format) and sets up
// con over it. Returns E_INVAL, naming the problem, for a description that
// does not add up.
err_t fbcon_init(struct fbcon *con, const struct cairn_framebuffer *fb,
                 void *mapped, const struct font *font);

// Draws text (handles \n, \r, \t, \b; scrolls at the bottom).
void fbcon_write(struct fbcon *con, const char *s, size_t len);

// Brings up the boot framebuffer console from the boot info and registers
// it with printk. Does nothing when there is no framebuffer.
void fbcon_boot_init(const struct boot_info *bi);
