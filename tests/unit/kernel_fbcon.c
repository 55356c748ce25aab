// SPDX-License-Identifier: MIT
// Tests of the framebuffer console: glyphs land where the font says, in the
// framebuffer's pixel format; scrolling moves rows up; bad descriptions are
// refused.
#include <string.h>
#include <lib/err.h>
#include <kernel/fbcon.h>
#include <tests/ktest.h>

#define W 64
#define H 64
static uint32_t pixels[W * H];

static struct cairn_framebuffer fb_desc(uint32_t format)
{
	return (struct cairn_framebuffer){.base = 1,
	                                  .size = sizeof(pixels),
	                                  .width = W,
	                                  .height = H,
	                                  .pitch = W * 4,
	                                  .bpp = 32,
	                                  .format = format};
}

// True when the character cell (col,row) shows exactly glyph c.
static bool cell_matches(const struct fbcon *con, unsigned col, unsigned row,
                         unsigned char c)
{
	const struct font *f = con->font;
	const uint8_t *g = f->glyphs + (size_t)c * f->height * f->stride;

	for (unsigned y = 0; y < f->height; y++)
		for (unsigned x = 0; x < f->width; x++) {
			bool on = g[y * f->stride + x / 8] & (0x80 >> (x % 8));
			uint32_t px = pixels[(row * f->height + y) * W +
			                     col * f->width + x];
			if (px != (on ? con->fg : con->bg))
				return false;
		}
	return true;
}

KTEST(fbcon, draws_glyphs)
{
	struct cairn_framebuffer fb = fb_desc(CAIRN_FB_BGRX);
	struct fbcon con;

	KT_ASSERT_EQ(fbcon_init(&con, &fb, pixels, &font_builtin), 0);
	KT_EXPECT_EQ(con.cols, W / font_builtin.width);
	fbcon_write(&con, "Hi\n!", 4);
	KT_EXPECT(cell_matches(&con, 0, 0, 'H'));
	KT_EXPECT(cell_matches(&con, 1, 0, 'i'));
	KT_EXPECT(cell_matches(&con, 0, 1, '!'));
	KT_EXPECT(cell_matches(&con, 2, 0, ' '));
	KT_EXPECT(!cell_matches(&con, 0, 0, 'X'));
	// BGRX: red is the third byte.
	KT_EXPECT_EQ_U(con.fg, 0xd0d0d0);
	KT_EXPECT_EQ_U(con.bg, 0x101018);
}

KTEST(fbcon, scrolls)
{
	struct cairn_framebuffer fb = fb_desc(CAIRN_FB_RGBX);
	struct fbcon con;
	char line[2] = {'a', '\n'};

	KT_ASSERT_EQ(fbcon_init(&con, &fb, pixels, &font_builtin), 0);
	// rows lines, each ending in a newline: the last newline scrolls once.
	for (unsigned r = 0; r < con.rows; r++) {
		line[0] = (char)('a' + r);
		fbcon_write(&con, line, 2);
	}
	// 'a' scrolled away; 'b' is now the top row.
	KT_EXPECT(cell_matches(&con, 0, 0, 'b'));
	KT_EXPECT_EQ(con.row, con.rows - 1);
}

KTEST(fbcon, rejects_bad_descriptions)
{
	struct cairn_framebuffer fb;
	struct fbcon con;

	fb = fb_desc(CAIRN_FB_RGBX);
	fb.bpp = 24;
	KT_EXPECT_EQ(fbcon_init(&con, &fb, pixels, &font_builtin), E_INVAL);
	fb = fb_desc(CAIRN_FB_RGBX);
	fb.pitch = W * 2;
	KT_EXPECT_EQ(fbcon_init(&con, &fb, pixels, &font_builtin), E_INVAL);
	fb = fb_desc(CAIRN_FB_RGBX);
	fb.size = 100;
	KT_EXPECT_EQ(fbcon_init(&con, &fb, pixels, &font_builtin), E_INVAL);
	fb = fb_desc(9);
	KT_EXPECT_EQ(fbcon_init(&con, &fb, pixels, &font_builtin), E_INVAL);
}
