// SPDX-License-Identifier: MIT
// Tests of the kernel's own formatter (kvsnprintf) and the printk log.
#include <string.h>
#include <lib/printk.h>
#include <tests/ktest.h>

static const char *fmt(char *buf, size_t n, const char *f, ...)
    __printf_like(3, 4);
static const char *fmt(char *buf, size_t n, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	kvsnprintf(buf, n, f, ap);
	va_end(ap);
	return buf;
}

KTEST(printk, integers)
{
	char b[64];

	KT_EXPECT_STR(fmt(b, sizeof(b), "%d %i %u", -42, 7, 4000000000u),
	              "-42 7 4000000000");
	KT_EXPECT_STR(fmt(b, sizeof(b), "%ld", (long)INT64_MIN),
	              "-9223372036854775808");
	KT_EXPECT_STR(fmt(b, sizeof(b), "%lu", (unsigned long)UINT64_MAX),
	              "18446744073709551615");
	KT_EXPECT_STR(fmt(b, sizeof(b), "%x %X %#x %o", 0xbeef, 0xbeef, 255, 8),
	              "beef BEEF 0xff 10");
	// Deliberately wider arguments: hh / h must truncate them.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
	KT_EXPECT_STR(fmt(b, sizeof(b), "%hhu %hd %zu", 300, 70000, (size_t)12),
	              "44 4464 12");
#pragma clang diagnostic pop
}

KTEST(printk, width_and_flags)
{
	char b[64];

	KT_EXPECT_STR(fmt(b, sizeof(b), "[%5d][%-5d][%05d]", 42, 42, -42),
	              "[   42][42   ][-0042]");
	KT_EXPECT_STR(fmt(b, sizeof(b), "[%08lx][%#010x]", 0xabcUL, 0x1f),
	              "[00000abc][0x0000001f]");
	KT_EXPECT_STR(fmt(b, sizeof(b), "[%.3d][%+d][% d]", 7, 5, 5),
	              "[007][+5][ 5]");
	KT_EXPECT_STR(fmt(b, sizeof(b), "[%*d][%-*s]", 4, 1, 3, "a"),
	              "[   1][a  ]");
}

KTEST(printk, strings_and_chars)
{
	char b[64];

	KT_EXPECT_STR(fmt(b, sizeof(b), "%s|%.2s|%c|%%", "abc", "xyz", 'q'),
	              "abc|xy|q|%");
	KT_EXPECT_STR(fmt(b, sizeof(b), "%s", (char *)NULL), "(null)");
	KT_EXPECT_STR(fmt(b, sizeof(b), "%p", (void *)0x1000), "0x1000");
}

KTEST(printk, truncation)
{
	char b[8];
	int n = ksnprintf(b, sizeof(b), "%s", "0123456789");

	KT_EXPECT_EQ(n, 10);
	KT_EXPECT_STR(b, "0123456");
	KT_EXPECT_EQ(ksnprintf(NULL, 0, "%d", 12345), 5);
}

static char captured[256];
static size_t captured_len;

// Keeps the last sizeof(captured)-1 bytes written.
static void capture_write(struct console *c, const char *s, size_t n)
{
	size_t cap = sizeof(captured) - 1;

	if (n >= cap) {
		s += n - cap;
		n = cap;
	}
	if (captured_len + n > cap) {
		size_t drop = captured_len + n - cap;

		memmove(captured, captured + drop, captured_len - drop);
		captured_len -= drop;
	}
	memcpy(captured + captured_len, s, n);
	captured_len += n;
	captured[captured_len] = '\0';
}

KTEST(printk, levels_and_replay)
{
	struct console cap = {.name = "capture", .write = capture_write};

	captured_len = 0;
	captured[0] = '\0';
	printk("replay-marker-1\n");
	console_register(&cap); // replays the log: the marker must arrive
	KT_EXPECT(captured_len >= 16 && memcmp(captured + captured_len - 16,
	                                       "replay-marker-1\n", 16) == 0);
	captured_len = 0;
	printk(KERN_DEBUG "hidden\n");
	printk(KERN_ERR "shown %d\n", 3);
	console_unregister(&cap);
	printk("after\n");
	KT_EXPECT_STR(captured, "shown 3\n");
}
