// SPDX-License-Identifier: MIT
// The kernel command line: whitespace-separated `key` or `key=value` words;
// a value may be double-quoted to hold spaces. Parsed once at boot into a
// fixed table (no allocation); read-only afterwards.
#pragma once

#include <lib/types.h>

#define CMDLINE_MAX_OPTS 32
#define CMDLINE_MAX_LEN 1024

// Parses s (need not be NUL-terminated within len). On malformed input
// (unterminated quote, control characters, too long, too many words, empty
// key) it prints what was wrong and where, keeps every option that parsed
// cleanly and returns E_CORRUPT; the kernel carries on.
err_t cmdline_parse(const char *s, size_t len);

// Value of key ("" for a bare `key`), or NULL when absent. The last
// occurrence wins.
const char *cmdline_get(const char *key);
bool cmdline_has(const char *key);
// Integer value (decimal or 0x hex); def when absent or not a number
// (a warning names the option).
uint64_t cmdline_get_uint(const char *key, uint64_t def);

// Calls fn for each option in order (for warnings about unknown keys).
void cmdline_for_each(void (*fn)(const char *key, const char *value));
