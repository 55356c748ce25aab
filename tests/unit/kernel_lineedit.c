// SPDX-License-Identifier: MIT
// The monitor's line editor (kernel/lineedit.c) fed byte by byte as a
// terminal sends them: what line comes out, what history it keeps, and
// what it echoes (a VT100 would show the echo; here it is replayed onto a
// screen line to check the text and cursor the user sees).
#include <string.h>
#include <kernel/lineedit.h>
#include <tests/ktest.h>

// A one-line screen: CR goes to column 0, BS left, others overwrite.
struct screen {
	char text[LINEEDIT_MAX + 16];
	unsigned col, newlines;
};

static void screen_out(void *ctx, const char *s, size_t len)
{
	struct screen *sc = ctx;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r')
			sc->col = 0;
		else if (s[i] == '\b')
			sc->col -= sc->col > 0;
		else if (s[i] == '\n') {
			sc->newlines++;
			memset(sc->text, 0, sizeof(sc->text));
			sc->col = 0;
		} else if (sc->col + 1 < sizeof(sc->text))
			sc->text[sc->col++] = s[i];
	}
}

static bool feed(struct lineedit *e, const char *keys)
{
	bool done = false;

	for (; *keys; keys++)
		done = lineedit_feed(e, (uint8_t)*keys);
	return done;
}

// The screen's text without trailing spaces.
static const char *shown(struct screen *sc)
{
	size_t n = strnlen(sc->text, sizeof(sc->text));

	while (n && sc->text[n - 1] == ' ')
		sc->text[--n] = '\0';
	return sc->text;
}

KTEST(kernel_lineedit, typing_and_enter)
{
	struct lineedit e;
	struct screen sc = {0};

	lineedit_init(&e, "> ", screen_out, &sc);
	lineedit_redraw(&e);
	KT_EXPECT(!feed(&e, "help"));
	KT_EXPECT_STR(shown(&sc), "> help");
	KT_EXPECT(feed(&e, "\r"));
	KT_EXPECT_STR(e.line, "help");
	KT_EXPECT_EQ_U(sc.newlines, 1);
	KT_EXPECT(!feed(&e, "\n")); // the LF of a CR LF is no second line
	KT_EXPECT(feed(&e, "\n"));  // a lone LF is
	KT_EXPECT_STR(e.line, "");
}

KTEST(kernel_lineedit, editing_keys)
{
	struct lineedit e;
	struct screen sc = {0};

	lineedit_init(&e, "> ", screen_out, &sc);
	lineedit_redraw(&e);
	feed(&e, "cpuz\x7fs"); // Backspace (DEL, as terminals send)
	KT_EXPECT_STR(shown(&sc), "> cpus");
	feed(&e, "\x1b[D\x1b[D"
	         "X"); // two Left, insert
	KT_EXPECT_STR(shown(&sc), "> cpXus");
	KT_EXPECT_EQ_U(sc.col, 5); // cursor after the X
	feed(&e, "\b\x1b[C\x1b[C"
	         "!"); // ^H, Right twice, append
	KT_EXPECT_STR(shown(&sc), "> cpus!");
	feed(&e, "\x15"); // Ctrl-U
	KT_EXPECT_STR(shown(&sc), ">");
	KT_EXPECT(feed(&e, "mem\r"));
	KT_EXPECT_STR(e.line, "mem");
	feed(&e, "junk\x03"); // Ctrl-C drops the line
	KT_EXPECT(feed(&e, "\r"));
	KT_EXPECT_STR(e.line, "");
}

KTEST(kernel_lineedit, history)
{
	struct lineedit e;
	struct screen sc = {0};

	lineedit_init(&e, "> ", screen_out, &sc);
	feed(&e, "one\rtwo\rtwo\r\rthree\r"); // repeats and blanks not kept
	KT_EXPECT_EQ_U(e.hist_count, 3);
	feed(&e, "new\x1b[A");
	KT_EXPECT_STR(e.buf, "three");
	feed(&e, "\x1b[A\x1b[A\x1b[A"); // past the oldest: stays there
	KT_EXPECT_STR(e.buf, "one");
	feed(&e, "\x1b[B\x1b[B\x1b[B"); // back to the line being typed
	KT_EXPECT_STR(e.buf, "new");
	KT_EXPECT(feed(&e, "\x1b[A\r"));
	KT_EXPECT_STR(e.line, "three");
	for (unsigned i = 0; i < LINEEDIT_HIST + 3; i++) { // wraps around
		char cmd[8] = {'c', (char)('a' + i), '\r', 0};

		feed(&e, cmd);
	}
	feed(&e, "\x1b[A");
	KT_EXPECT_STR(e.buf, "cs"); // 'a' + LINEEDIT_HIST + 2
	for (unsigned i = 0; i < LINEEDIT_HIST + 5; i++)
		feed(&e, "\x1b[A");
	KT_EXPECT_STR(e.buf, "cd"); // the oldest of the 16 kept
}

KTEST(kernel_lineedit, long_line_and_noise)
{
	struct lineedit e;
	struct screen sc = {0};

	lineedit_init(&e, "> ", screen_out, &sc);
	for (unsigned i = 0; i < LINEEDIT_MAX + 20; i++)
		feed(&e, "x");
	KT_EXPECT_EQ_U(strlen(e.buf), LINEEDIT_MAX - 1); // the rest dropped
	feed(&e, "\x15\x01\x02\x1b[3~\x1b[1;5Dok\x80\xff");
	KT_EXPECT_STR(e.buf, "ok"); // control bytes and sequences ignored
}
