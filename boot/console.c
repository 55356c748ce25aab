// SPDX-License-Identifier: MIT
// Loader console: printf to the firmware's ConOut (ASCII, formatted by the
// kernel's own formatter, lib/format.c), plus the three line kinds the
// loader prints: errors, warnings and verbose steps. Only usable while boot
// services are up.
#include <boot/loader.h>

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

	kvsnprintf(buf, sizeof(buf), fmt, ap);
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
