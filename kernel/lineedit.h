// SPDX-License-Identifier: MIT
// A line editor for a serial terminal (kernel/monitor.c): printable
// characters insert at the cursor, Backspace/Delete (0x7f, 0x08) erase
// before it, Ctrl-U clears the line, Ctrl-C drops it, the arrow keys (VT100
// ESC [ A/B/C/D) move left/right and through the history, Enter (CR, LF or
// CR LF) ends the line. Echo and redraws use only CR, BS and spaces, so any
// terminal shows them. One editor per terminal; no locking (one caller).
#pragma once

#include <lib/types.h>

#define LINEEDIT_MAX 128 // bytes per line, NUL included
#define LINEEDIT_HIST 16 // lines of history kept

struct lineedit {
	const char *prompt;
	void (*out)(void *ctx, const char *s, size_t len); // the echo
	void *ctx;
	char buf[LINEEDIT_MAX];  // the line being edited, NUL-terminated
	unsigned len, cur;       // its length and the cursor position
	char line[LINEEDIT_MAX]; // the last line ended with Enter
	char hist[LINEEDIT_HIST][LINEEDIT_MAX];
	unsigned hist_count;      // lines in hist (oldest dropped past the end)
	unsigned hist_back;       // browsing: 0 = the new line, k = k-th newest
	char saved[LINEEDIT_MAX]; // the new line while browsing the history
	unsigned esc;             // escape sequence: 0 none, 1 ESC, 2 ESC [
	bool after_cr; // the last byte was CR (so a LF is no new line)
};

void lineedit_init(struct lineedit *e, const char *prompt,
                   void (*out)(void *ctx, const char *s, size_t len),
                   void *ctx);
// Prints the prompt and the line as it stands (after other output).
void lineedit_redraw(struct lineedit *e);
// Feeds one received byte. True when it ended a line: e->line holds it
// (empty lines too; they are not added to the history) and the buffer is
// empty again; the caller prints the prompt when ready (lineedit_redraw).
bool lineedit_feed(struct lineedit *e, uint8_t c);
