// SPDX-License-Identifier: MIT
// Checks and error reporting shared by the table decoders: checksums, the
// header check every decoder starts with, the Generic Address Structure, and
// acpi_report(), which logs one line naming the table, the offset and the
// problem and keeps it as the "last error" for callers and tests.
//
// Locking: none. The last-error buffer and the quiet flag are plain globals;
// decoders run at boot on one CPU or in single-threaded host programs.
#include <string.h>
#include <acpi/acpi.h>
#include <lib/printk.h>

static char acpi_err_buf[192];
static bool acpi_quiet;
static unsigned acpi_warnings;
static void (*acpi_report_fn)(const char *msg, bool warning);

void acpi_set_report_hook(void (*fn)(const char *msg, bool warning))
{
	acpi_report_fn = fn;
}

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return sum;
}

// Copies a 4-character signature into a printable, NUL-terminated string.
static void acpi_sig_str(const char *sig, char out[5])
{
	for (int i = 0; i < 4; i++) {
		char c = sig[i];
		out[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	out[4] = '\0';
}

// Formats "SIG: offset 0xOFF: <prefix><message>" into the last-error buffer.
static void acpi_format(const char *sig, uint32_t off, const char *prefix,
                        const char *fmt, va_list ap)
{
	char s[5];
	int n;

	acpi_sig_str(sig, s);
	n = ksnprintf(acpi_err_buf, sizeof(acpi_err_buf), "%s: offset 0x%x: %s",
	              s, off, prefix);
	if (n < 0 || (size_t)n >= sizeof(acpi_err_buf))
		n = 0;
	kvsnprintf(acpi_err_buf + n, sizeof(acpi_err_buf) - (size_t)n, fmt, ap);
}

err_t acpi_report(err_t err, const char *sig, uint32_t off, const char *fmt,
                  ...)
{
	va_list ap;

	va_start(ap, fmt);
	acpi_format(sig, off, "", fmt, ap);
	va_end(ap);
	if (!acpi_quiet)
		printk(KERN_ERR "acpi: %s\n", acpi_err_buf);
	if (acpi_report_fn)
		acpi_report_fn(acpi_err_buf, false);
	return err;
}

void acpi_warn(const char *sig, uint32_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	acpi_format(sig, off, "warning: ", fmt, ap);
	va_end(ap);
	acpi_warnings++;
	if (!acpi_quiet)
		printk(KERN_WARNING "acpi: %s\n", acpi_err_buf);
	if (acpi_report_fn)
		acpi_report_fn(acpi_err_buf, true);
}

unsigned acpi_warning_count(void)
{
	return acpi_warnings;
}

const char *acpi_last_error(void)
{
	return acpi_err_buf;
}

void acpi_clear_error(void)
{
	acpi_err_buf[0] = '\0';
}

void acpi_set_quiet(bool quiet)
{
	acpi_quiet = quiet;
}

err_t acpi_table_check_len(const struct acpi_sdt_header *t, uint32_t len,
                           uint32_t min_len)
{
	uint8_t sum;

	if (len < min_len)
		return acpi_report(E_TRUNC, t->signature, 4,
		                   "table length %u is below the minimum %u",
		                   len, min_len);
	sum = acpi_checksum(t, len);
	if (sum != 0)
		return acpi_report(E_CHECKSUM, t->signature, 9,
		                   "checksum 0x%02x is wrong (bytes sum to "
		                   "0x%02x, should be 0)",
		                   t->checksum, sum);
	return E_OK;
}

err_t acpi_table_check(const struct acpi_sdt_header *t, const char sig[4],
                       uint32_t min_len)
{
	if (memcmp(t->signature, sig, 4) != 0)
		return acpi_report(E_INVAL, sig, 0,
		                   "signature is \"%.4s\", not %.4s",
		                   t->signature, sig);
	return acpi_table_check_len(t, t->length, min_len);
}

void acpi_rd_gas(const void *base, uint32_t off, struct acpi_gas *out)
{
	out->space_id = acpi_rd8(base, off);
	out->bit_width = acpi_rd8(base, off + 1);
	out->bit_offset = acpi_rd8(base, off + 2);
	out->access_size = acpi_rd8(base, off + 3);
	out->address = acpi_rd64(base, off + 4);
}

const char *acpi_space_name(uint8_t space_id)
{
	static const char *const names[] = {
	    "mmio",   "io",   "pcicfg", "ec",        "smbus", "cmos",
	    "pcibar", "ipmi", "gpio",   "serialbus", "pcc",   "prm",
	};

	if (space_id < ARRAY_SIZE(names))
		return names[space_id];
	if (space_id == ACPI_SPACE_FFH)
		return "ffh";
	return "unknown";
}
