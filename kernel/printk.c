// SPDX-License-Identifier: MIT
// printk and the formatter behind it. Each call formats into a stack buffer
// and writes the result to every registered console under console_lock, so
// lines from different CPUs do not interleave. console_lock (c) guards the
// console list and the consoles' own state.
#include <string.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

static spinlock_t console_lock = SPINLOCK_INIT;
static struct console *consoles; // c
static int console_level = LOGLEVEL_DEFAULT;

// The log: everything printed, kept so a console registered late (the
// framebuffer, or the serial port once firmware tables name it) can replay
// the boot log from the start. When full, the oldest text is dropped.
#define LOG_SIZE 32768
static char log_buf[LOG_SIZE]; // c
static size_t log_head;        // c: total bytes ever logged

struct outbuf {
	char *buf;
	size_t size, len; // len counts everything, even what did not fit
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

struct spec {
	bool left, zero, alt, plus, space;
	int width, prec; // prec < 0: none
	int lenmod; // 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t
	char conv;
};

static void out_str(struct outbuf *o, const char *s, const struct spec *sp)
{
	size_t n =
	    s ? strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : SIZE_MAX) : 6;

	if (!s)
		s = "(null)";
	if (!sp->left)
		out_pad(o, ' ', sp->width - (int)n);
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_pad(o, ' ', sp->width - (int)n);
}

static void out_num(struct outbuf *o, uint64_t v, bool neg, unsigned base,
                    const struct spec *sp)
{
	const char *digits =
	    sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, prec = sp->prec;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (neg)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	if (sp->alt && base == 16 && (n > 1 || tmp[0] != '0'))
		prefix = sp->conv == 'X' ? "0X" : "0x";
	if (sp->alt && base == 8)
		prefix = "0";
	len = MAX(n, prec) + (int)strlen(prefix);
	if (!sp->left && !(sp->zero && prec < 0))
		out_pad(o, ' ', sp->width - len);
	for (const char *p = prefix; *p; p++)
		out_char(o, *p);
	if (!sp->left && sp->zero && prec < 0)
		out_pad(o, '0', sp->width - len);
	out_pad(o, '0', prec - n);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_pad(o, ' ', sp->width - len);
}

// Parses flags, width, precision and length of one conversion; returns the
// pointer to the conversion character.
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			sp->lenmod = sp->lenmod == 1 ? 2 : 1;
		else if (*f == 'h')
			sp->lenmod = sp->lenmod == -1 ? -2 : -1;
		else if (*f == 'z' || *f == 'j' || *f == 't')
			sp->lenmod = 3;
		else
			break;
	}
	sp->conv = *f;
	return f;
}

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->lenmod) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->lenmod) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static void format_one(struct outbuf *o, struct spec *sp, va_list *ap)
{
	int64_t s;
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		s = arg_signed(sp, ap);
		out_num(o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, sp);
		break;
	case 'u': out_num(o, arg_unsigned(sp, ap), false, 10, sp); break;
	case 'x':
	case 'X': out_num(o, arg_unsigned(sp, ap), false, 16, sp); break;
	case 'o': out_num(o, arg_unsigned(sp, ap), false, 8, sp); break;
	case 'p':
		sp->alt = true;
		sp->conv = 'x';
		out_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, sp);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->prec = 1;
		out_str(o, &c, sp);
		break;
	case 's': out_str(o, va_arg(*ap, const char *), sp); break;
	case '%': out_char(o, '%'); break;
	default: // unknown conversion: print it literally
		out_char(o, '%');
		if (sp->conv)
			out_char(o, sp->conv);
		break;
	}
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct outbuf o = {buf, n, 0};
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			out_char(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &aq);
		format_one(&o, &sp, &aq);
		if (!*f)
			break;
	}
	va_end(aq);
	if (n)
		buf[MIN(o.len, n - 1)] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

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
