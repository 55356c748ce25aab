// SPDX-License-Identifier: MIT
// A small JSON reader (RFC 8259) for workload files: the host
// simulator (sim/) and, later, the kernel read the same files with it.
//
// Neutral code: no floating point (the kernel is built with
// -mgeneral-regs-only), so numbers are kept as an integer part and a value
// in millionths, both exact for the magnitudes workload files use. Nodes
// come from the kernel heap (mm/heap.h); json_free() releases a tree.
// Errors name the line and column (both from 1) of the offending byte.
// Like json-c (rt-app's parser, whose example files rely on it), C
// comments and a trailing comma before '}' or ']' are accepted.
// Nesting is limited (JSON_MAX_DEPTH) so hostile input cannot exhaust
// the stack.
#pragma once

#include <lib/types.h>

#define JSON_MAX_DEPTH 32
#define JSON_MAX_INPUT (16u << 20) // bytes

enum json_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	unsigned line, col;   // where the value starts
	unsigned kline, kcol; // where its member name starts (in an object)
	char *key;            // member name (inside an object), else NULL
	struct json *next;    // next element or member, in file order
	struct json *child;   // first element or member
	unsigned count;       // elements or members
	char *str;            // JSON_STRING: NUL-terminated (no NUL inside)
	bool boolean;         // JSON_BOOL
	bool integral;        // JSON_NUMBER: no fraction and no exponent
	int64_t num;          // JSON_NUMBER: integer part (toward zero)
	int64_t micro;        // JSON_NUMBER: value * 1e6, truncated toward zero
};

struct json_error {
	unsigned line, col;
	char msg[120];
};

// Parses len bytes of text (need not be NUL-terminated) into *out.
// E_INVAL with e filled on a syntax error, E_NOMEM when the heap ran out.
__must_check err_t json_parse(const char *text, size_t len, struct json **out,
                              struct json_error *e);
void json_free(struct json *j);

// The member of object o named key, or NULL (o may be NULL or no object).
const struct json *json_get(const struct json *o, const char *key);
const char *json_type_name(enum json_type t);
