// SPDX-License-Identifier: MIT
// A bitmap font for the framebuffer console: 256 glyphs indexed by Latin-1
// code point, each `height` rows of `stride` bytes, most significant bit =
// leftmost pixel. The built-in one is generated at build time from a PSF
// font of Debian's console-setup package (tools/psf2c.py).
#pragma once

#include <lib/types.h>

struct font {
	unsigned width, height, stride;
	const uint8_t *glyphs; // 256 * height * stride bytes
};

extern const struct font font_builtin;
