// SPDX-License-Identifier: MIT
// The serial line editor (kernel/lineedit.h). Every edit that is not a
// plain append redraws the whole line: CR, prompt, text, spaces over what
// was longer before, then backspaces to the cursor. Lines are short, so
// that is cheap, and it needs no terminal escape sequences on output.
#include <string.h>
#include <kernel/lineedit.h>

#define CTRL(c) ((c)&0x1f)
#define ESC 0x1b

static void put(struct lineedit *e, const char *s, size_t n)
{
	if (n)
		e->out(e->ctx, s, n);
}

static void put_n(struct lineedit *e, char c, unsigned n)
{
	char chunk[16];

	memset(chunk, c, sizeof(chunk));
	for (; n > sizeof(chunk); n -= sizeof(chunk))
		put(e, chunk, sizeof(chunk));
	put(e, chunk, n);
}

void lineedit_init(struct lineedit *e, const char *prompt,
                   void (*out)(void *ctx, const char *s, size_t len), void *ctx)
{
	memset(e, 0, sizeof(*e));
	e->prompt = prompt;
	e->out = out;
	e->ctx = ctx;
}

// Redraws after an edit; old_len is how long the line was on screen.
static void refresh(struct lineedit *e, unsigned old_len)
{
	unsigned pad = old_len > e->len ? old_len - e->len : 0;

	put(e, "\r", 1);
	put(e, e->prompt, strlen(e->prompt));
	put(e, e->buf, e->len);
	put_n(e, ' ', pad);
	put_n(e, '\b', pad + e->len - e->cur);
}

void lineedit_redraw(struct lineedit *e)
{
	put(e, e->prompt, strlen(e->prompt));
	put(e, e->buf, e->len);
	put_n(e, '\b', e->len - e->cur);
}

static void set_line(struct lineedit *e, const char *s)
{
	unsigned old = e->len;

	e->len = e->cur = (unsigned)strnlen(s, LINEEDIT_MAX - 1);
	memmove(e->buf, s, e->len);
	e->buf[e->len] = '\0';
	refresh(e, old);
}

static void insert(struct lineedit *e, char c)
{
	if (e->len + 1 >= LINEEDIT_MAX)
		return; // full: the byte is dropped
	memmove(e->buf + e->cur + 1, e->buf + e->cur, e->len - e->cur + 1);
	e->buf[e->cur] = c;
	e->len++;
	if (++e->cur == e->len)
		put(e, &c, 1); // appending: the echo is enough
	else
		refresh(e, e->len - 1);
}

static void erase_back(struct lineedit *e)
{
	if (!e->cur)
		return;
	memmove(e->buf + e->cur - 1, e->buf + e->cur, e->len - e->cur + 1);
	e->cur--;
	e->len--;
	refresh(e, e->len + 1);
}

// History: hist[(hist_count - k) % LINEEDIT_HIST] is the k-th newest line.
static const char *hist_get(const struct lineedit *e, unsigned k)
{
	return e->hist[(e->hist_count - k) % LINEEDIT_HIST];
}

static void hist_move(struct lineedit *e, bool older)
{
	unsigned kept =
	    e->hist_count < LINEEDIT_HIST ? e->hist_count : LINEEDIT_HIST;

	if (older && e->hist_back < kept) {
		if (!e->hist_back)
			memcpy(e->saved, e->buf, e->len + 1);
		e->hist_back++;
		set_line(e, hist_get(e, e->hist_back));
	} else if (!older && e->hist_back) {
		e->hist_back--;
		set_line(e,
		         e->hist_back ? hist_get(e, e->hist_back) : e->saved);
	}
}

static void escape(struct lineedit *e, uint8_t c)
{
	if (e->esc == 1) {
		e->esc = c == '[' ? 2 : 0;
		return;
	}
	e->esc = 0;
	if (c == 'A' || c == 'B')
		hist_move(e, c == 'A');
	else if (c == 'C' && e->cur < e->len)
		put(e, &e->buf[e->cur++], 1);
	else if (c == 'D' && e->cur > 0) {
		e->cur--;
		put(e, "\b", 1);
	} else if ((c >= '0' && c <= '9') || c == ';')
		e->esc = 2; // parameters (ESC [ 3 ~, ESC [ 1 ; 5 D): skip
}

static void finish(struct lineedit *e)
{
	memcpy(e->line, e->buf, e->len + 1);
	if (e->len && (!e->hist_count || strcmp(hist_get(e, 1), e->buf))) {
		memcpy(e->hist[e->hist_count % LINEEDIT_HIST], e->buf,
		       e->len + 1);
		e->hist_count++;
	}
	e->len = e->cur = e->hist_back = 0;
	e->buf[0] = '\0';
	put(e, "\n", 1);
}

bool lineedit_feed(struct lineedit *e, uint8_t c)
{
	bool lf_after_cr = c == '\n' && e->after_cr;

	e->after_cr = c == '\r';
	if (e->esc) {
		escape(e, c);
		return false;
	}
	if (lf_after_cr)
		return false;
	if (c == '\r' || c == '\n') {
		finish(e);
		return true;
	}
	if (c == ESC)
		e->esc = 1;
	else if (c == 0x7f || c == '\b')
		erase_back(e);
	else if (c == CTRL('U')) {
		unsigned old = e->len;

		e->cur = e->len = 0;
		e->buf[0] = '\0';
		refresh(e, old);
	} else if (c == CTRL('C')) {
		put(e, "^C\n", 3);
		e->len = e->cur = e->hist_back = 0;
		e->buf[0] = '\0';
		lineedit_redraw(e);
	} else if (c >= 0x20 && c < 0x7f)
		insert(e, (char)c);
	return false; // other control bytes are ignored
}
