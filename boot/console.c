// SPDX-License-Identifier: MIT
// Loader console: a small printf (%s %c %d %u %x %p with l/ll/z, width, '0'
// and '-') that writes ASCII to the firmware's ConOut, plus the three line
// kinds the loader prints: errors, warnings and verbose steps. Only usable
// while boot services are up.
#include <boot/loader.h>

struct outbuf {
	char *buf;
	size_t size, len; // len counts every character, even dropped ones
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_str(struct outbuf *o, const char *s, int width, bool left)
{
	int n = (int)strlen(s);

	for (; !left && width > n; width--)
		out_char(o, ' ');
	while (*s)
		out_char(o, *s++);
	for (; left && width > n; width--)
		out_char(o, ' ');
}

static void out_num(struct outbuf *o, uint64_t v, unsigned base, bool neg,
                    int width, char pad, bool left)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	width -= n;
	for (; !left && width > 0; width--)
		out_char(o, pad);
	while (n)
		out_char(o, tmp[--n]);
	for (; left && width > 0; width--)
		out_char(o, ' ');
}

// Reads one integer argument of the size given by the length modifier.
static uint64_t arg_uint(va_list *ap, int lmod, bool sign, bool *neg)
{
	int64_t s;

	*neg = false;
	if (!sign) {
		if (lmod >= 2)
			return va_arg(*ap, unsigned long long);
		return lmod == 1 ? va_arg(*ap, unsigned long)
		                 : va_arg(*ap, unsigned int);
	}
	if (lmod >= 2)
		s = va_arg(*ap, long long);
	else
		s = lmod == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
	if (s < 0) {
		*neg = true;
		return (uint64_t)0 - (uint64_t)s;
	}
	return (uint64_t)s;
}

size_t fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = {buf, size, 0};
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		bool left = false, neg;
		char pad = ' ';
		int width = 0, lmod = 0;
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lmod = *fmt == 'z' ? 2 : lmod + 1; // size_t is 64-bit
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(args, const char *);
			out_str(&o, s ? s : "(null)", width, left);
			break;
		}
		case 'c': out_char(&o, (char)va_arg(args, int)); break;
		case 'd':
		case 'i': {
			uint64_t v = arg_uint(&args, lmod, true, &neg);
			out_num(&o, v, 10, neg, width, pad, left);
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = arg_uint(&args, lmod, false, &neg);
			out_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad,
			        left);
			break;
		}
		case 'p':
			out_str(&o, "0x", 0, false);
			out_num(&o, (uintptr_t)va_arg(args, void *), 16, false,
			        16, '0', false);
			break;
		case '%': out_char(&o, '%'); break;
		default: // unknown conversion: print it verbatim
			out_char(&o, '%');
			if (*fmt)
				out_char(&o, *fmt);
			else
				fmt--;
		}
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}

size_t fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

// Sends ASCII to ConOut in chunks, turning '\n' into CR LF.
static void con_write(const char *s)
{
	CHAR16 wbuf[128];
	size_t n = 0;

	if (!g_st->ConOut) // headless firmware: nowhere to print
		return;
	for (;; s++) {
		if (*s == 0 || n + 3 >= ARRAY_LEN(wbuf)) {
			wbuf[n] = 0;
			g_st->ConOut->OutputString(g_st->ConOut, wbuf);
			n = 0;
			if (*s == 0)
				break;
		}
		if (*s == '\n')
			wbuf[n++] = '\r';
		wbuf[n++] = (CHAR16)(uint8_t)*s;
	}
}

void con_vprintf(const char *fmt, va_list ap)
{
	char buf[512];

	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	con_write(buf);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

static void con_line(const char *prefix, const char *fmt, va_list ap)
{
	con_write(prefix);
	con_vprintf(fmt, ap);
	con_write("\n");
}

void loader_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_line("cairn-loader: error: ", fmt, ap);
	va_end(ap);
}

void loader_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	con_line("cairn-loader: warning: ", fmt, ap);
	va_end(ap);
}

void loader_step(const char *fmt, ...)
{
	va_list ap;

	if (!g_verbose)
		return;
	va_start(ap, fmt);
	con_line("cairn-loader: ", fmt, ap);
	va_end(ap);
}

const char *efi_status_str(EFI_STATUS st)
{
	switch (st) {
	case EFI_SUCCESS: return "success";
	case EFI_LOAD_ERROR: return "load error";
	case EFI_INVALID_PARAMETER: return "invalid parameter";
	case EFI_UNSUPPORTED: return "unsupported";
	case EFI_BUFFER_TOO_SMALL: return "buffer too small";
	case EFI_DEVICE_ERROR: return "device error";
	case EFI_OUT_OF_RESOURCES: return "out of resources";
	case EFI_VOLUME_CORRUPTED: return "volume corrupted";
	case EFI_NOT_FOUND: return "not found";
	case EFI_ACCESS_DENIED: return "access denied";
	case EFI_NO_MEDIA: return "no media";
	default: return "EFI error";
	}
}
