// SPDX-License-Identifier: MIT
// printk. Each call formats into a stack buffer (kvsnprintf, lib/format.c)
// and writes the result to every registered console under console_lock, so
// lines from different CPUs do not interleave. console_lock (c) guards the
// console list and the consoles' own state.
#include <string.h>
#include <lib/printk.h>
#include <lib/spinlock.h>

static spinlock_t console_lock = SPINLOCK_INIT;
static struct console *consoles; // c
static int console_level = LOGLEVEL_DEFAULT;

// The log: everything printed, kept so a console registered late (the
// framebuffer, or the serial port once firmware tables name it) can replay
// the boot log from the start. When full, the oldest text is dropped.
#define LOG_SIZE 32768
static char log_buf[LOG_SIZE]; // c
static size_t log_head;        // c: total bytes ever logged

void printk_set_level(int level)
{
	console_level = level;
}

void vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int level = LOGLEVEL_DEFAULT, len;
	irqflags_t f;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	if (level > console_level)
		return;
	len = kvsnprintf(line, sizeof(line), fmt, ap);
	if (len >= (int)sizeof(line)) {
		len = sizeof(line) - 1;
		line[len - 1] = '\n'; // a cut line still ends the line
	}
	f = spin_lock_irqsave(&console_lock);
	for (int i = 0; i < len; i++)
		log_buf[log_head++ % LOG_SIZE] = line[i];
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, line, (size_t)len);
	spin_unlock_irqrestore(&console_lock, f);
}

void console_write(const char *s, size_t len)
{
	irqflags_t f = spin_lock_irqsave(&console_lock);

	for (size_t i = 0; i < len; i++)
		log_buf[log_head++ % LOG_SIZE] = s[i];
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
	spin_unlock_irqrestore(&console_lock, f);
}

// Caller holds console_lock.
static void log_replay_locked(struct console *con)
{
	size_t start = log_head > LOG_SIZE ? log_head - LOG_SIZE : 0;
	size_t from = start % LOG_SIZE, to = log_head % LOG_SIZE;

	if (log_head == start)
		return;
	if (from < to) {
		con->write(con, log_buf + from, to - from);
	} else {
		con->write(con, log_buf + from, LOG_SIZE - from);
		con->write(con, log_buf, to);
	}
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void console_register(struct console *con)
{
	irqflags_t f = spin_lock_irqsave(&console_lock);
	struct console **pp = &consoles;

	while (*pp) // keep registration order: early consoles print first
		pp = &(*pp)->next;
	con->next = NULL;
	*pp = con;
	log_replay_locked(con);
	spin_unlock_irqrestore(&console_lock, f);
}

void console_unregister(struct console *con)
{
	irqflags_t f = spin_lock_irqsave(&console_lock);

	for (struct console **pp = &consoles; *pp; pp = &(*pp)->next) {
		if (*pp == con) {
			*pp = con->next;
			break;
		}
	}
	spin_unlock_irqrestore(&console_lock, f);
}
