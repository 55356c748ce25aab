// SPDX-License-Identifier: MIT
// Tests of the command-line parser, including malformed input.
#include <string.h>
#include <kernel/cmdline.h>
#include <lib/err.h>
#include <lib/printk.h>
#include <tests/ktest.h>

static err_t parse(const char *s)
{
	return cmdline_parse(s, strlen(s));
}

KTEST(cmdline, keys_values_quotes)
{
	KT_ASSERT_EQ(parse("  test  loglevel=7 name=\"a b\" x= exit"), 0);
	KT_EXPECT_STR(cmdline_get("test"), "");
	KT_EXPECT_STR(cmdline_get("name"), "a b");
	KT_EXPECT_STR(cmdline_get("x"), "");
	KT_EXPECT_EQ(cmdline_get_uint("loglevel", 1), 7);
	KT_EXPECT(cmdline_has("exit"));
	KT_EXPECT(!cmdline_has("tes"));
	KT_EXPECT(cmdline_get("missing") == NULL);
}

KTEST(cmdline, last_wins_and_numbers)
{
	KT_ASSERT_EQ(parse("n=1 n=0x20 bad=12z big=99999999999999999999"), 0);
	KT_EXPECT_EQ(cmdline_get_uint("n", 0), 0x20);
	KT_EXPECT_EQ(cmdline_get_uint("bad", 5), 5);
	KT_EXPECT_EQ(cmdline_get_uint("big", 6), 6);
}

KTEST(cmdline, malformed_input_keeps_the_rest)
{
	KT_EXPECT_EQ(parse("a=1 q=\"open b=2"), E_CORRUPT);
	KT_EXPECT_STR(cmdline_get("a"), "1");
	KT_EXPECT(cmdline_get("q") == NULL);

	KT_EXPECT_EQ(parse("=x c=3"), E_CORRUPT);
	KT_EXPECT_STR(cmdline_get("c"), "3");

	KT_EXPECT_EQ(parse("d=\x01 e=4"), E_CORRUPT);
	KT_EXPECT(cmdline_get("d") == NULL);
	KT_EXPECT_STR(cmdline_get("e"), "4");
}

KTEST(cmdline, limits)
{
	static char big[CMDLINE_MAX_LEN + 64];
	size_t n = 0;

	for (int i = 0; n + 4 < sizeof(big) - 1; i++)
		n +=
		    (size_t)ksnprintf(big + n, sizeof(big) - n, "k%d ", i % 10);
	KT_EXPECT_EQ(cmdline_parse(big, n), E_CORRUPT); // too many / too long
	KT_EXPECT(cmdline_has("k0"));
	KT_EXPECT_EQ(parse(""), 0);
	KT_EXPECT(!cmdline_has("k0"));
}
