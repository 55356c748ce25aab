// SPDX-License-Identifier: MIT
// Kernel logging. printk() formats into a line buffer and hands the text to
// every registered console. A message may start with a KERN_* level marker;
// messages above the console log level are dropped. The formatter
// (kvsnprintf, lib/format.h) is shared with the loader and the host tools.
//
// May be called from any context; the consoles are serialised by a lock so
// concurrent lines do not interleave.
#pragma once

#include <stdarg.h>
#include <lib/format.h>
#include <lib/types.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"

#define LOGLEVEL_DEFAULT 6 // messages without a marker are INFO

void printk(const char *fmt, ...) __printf_like(1, 2);
void vprintk(const char *fmt, va_list ap);

// Writes text to every console as it is, whatever the log level (the
// monitor's replies: asked for, so always shown). Logged like printk.
void console_write(const char *s, size_t len);

// Sets the highest level printed (0..7). Default: 6 (everything but debug).
void printk_set_level(int level);

#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

// A console receives already-formatted text. write() may be called with
// interrupts off and must not call printk.
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	struct console *next;
};

void console_register(struct console *con);
void console_unregister(struct console *con);
