// SPDX-License-Identifier: MIT
// The JSON reader of workload/json.h: a recursive-descent parser over a
// byte range with a cursor that tracks line and column. Every read checks
// the end of the input; every allocation failure unwinds through the
// caller, which frees the partial tree. No locks: one parse per caller.
#include <string.h>
#include <lib/err.h>
#include <lib/format.h>
#include <mm/heap.h>
#include <workload/json.h>

struct jp {
	const char *p, *end;
	unsigned line, col;
	struct json_error *e;
	err_t err; // first error (E_INVAL / E_NOMEM)
};

static bool jp_fail(struct jp *s, const char *what)
{
	if (!s->err) {
		s->err = E_INVAL;
		s->e->line = s->line;
		s->e->col = s->col;
		ksnprintf(s->e->msg, sizeof(s->e->msg), "%s", what);
	}
	return false;
}

static bool jp_nomem(struct jp *s)
{
	if (!s->err) {
		s->err = E_NOMEM;
		s->e->line = s->line;
		s->e->col = s->col;
		ksnprintf(s->e->msg, sizeof(s->e->msg), "out of memory");
	}
	return false;
}

static void jp_advance(struct jp *s)
{
	if (*s->p == '\n') {
		s->line++;
		s->col = 1;
	} else {
		s->col++;
	}
	s->p++;
}

// Skips white space and, as json-c (rt-app's parser) does, C comments:
// rt-app's own example files carry them. An unterminated comment runs to
// the end, where the caller reports what was missing.
static void jp_skip_ws(struct jp *s)
{
	while (s->p < s->end) {
		if (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' ||
		    *s->p == '\r') {
			jp_advance(s);
		} else if (*s->p == '/' && s->p + 1 < s->end &&
		           s->p[1] == '/') {
			while (s->p < s->end && *s->p != '\n')
				jp_advance(s);
		} else if (*s->p == '/' && s->p + 1 < s->end &&
		           s->p[1] == '*') {
			jp_advance(s);
			jp_advance(s);
			while (s->p < s->end &&
			       !(*s->p == '*' && s->p + 1 < s->end &&
			         s->p[1] == '/'))
				jp_advance(s);
			if (s->p < s->end) {
				jp_advance(s);
				jp_advance(s);
			}
		} else {
			return;
		}
	}
}

static bool jp_eat(struct jp *s, char c)
{
	jp_skip_ws(s);
	if (s->p < s->end && *s->p == c) {
		jp_advance(s);
		return true;
	}
	return false;
}

static bool jp_literal(struct jp *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
		return jp_fail(s, "unknown literal (expected a value)");
	for (size_t i = 0; i < n; i++)
		jp_advance(s);
	return true;
}

static int jp_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// \uXXXX: workload names are ASCII; other code points become '?' (a
// surrogate pair is consumed whole) and NUL is refused.
static bool jp_unicode(struct jp *s, char *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		int h = s->p < s->end ? jp_hex(*s->p) : -1;

		if (h < 0)
			return jp_fail(s, "bad \\u escape");
		v = v << 4 | (unsigned)h;
		jp_advance(s);
	}
	if (v == 0)
		return jp_fail(s, "\\u0000 in a string");
	*out = v < 0x80 ? (char)v : '?';
	return true;
}

static bool jp_escape(struct jp *s, char *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (s->p >= s->end)
		return jp_fail(s, "unterminated string");
	if (*s->p == 'u') {
		jp_advance(s);
		return jp_unicode(s, out);
	}
	k = strchr(from, *s->p);
	if (!k || !*s->p)
		return jp_fail(s, "bad escape in a string");
	*out = to[k - from];
	jp_advance(s);
	return true;
}

// At the opening quote. Two passes: measure, then copy.
static bool jp_string(struct jp *s, char **out)
{
	struct jp save;
	size_t n = 0;
	char *buf = NULL;

	jp_advance(s);
	save = *s;
	for (int pass = 0; pass < 2; pass++) {
		*s = save;
		n = 0;
		while (s->p < s->end && *s->p != '"') {
			char c = *s->p;

			if ((unsigned char)c < 0x20)
				return jp_fail(s, "control character in a "
				                  "string");
			if (c == '\\') {
				jp_advance(s);
				if (!jp_escape(s, &c))
					goto fail;
			} else {
				jp_advance(s);
			}
			if (buf)
				buf[n] = c;
			n++;
		}
		if (s->p >= s->end)
			return jp_fail(s, "unterminated string");
		if (!buf && !(buf = kmalloc(n + 1)))
			return jp_nomem(s);
	}
	buf[n] = 0;
	jp_advance(s); // closing quote
	*out = buf;
	return true;
fail:
	kfree(buf);
	return false;
}

static bool jp_digits(struct jp *s, int64_t *v, unsigned *ndig, bool keep)
{
	*ndig = 0;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
		if (keep) {
			if (*v > (INT64_MAX - 9) / 10)
				return jp_fail(s, "number out of range");
			*v = *v * 10 + (*s->p - '0');
		}
		(*ndig)++;
		jp_advance(s);
	}
	return true;
}

// value * 10^6 from integer part, 6 fraction digits and a small exponent.
// Magnitudes up to about 9.2e12 (INT64_MAX / 1e6) are representable.
static bool jp_scale(struct jp *s, struct json *j, int64_t ip, int64_t frac6,
                     int64_t ex, bool neg)
{
	int64_t v;

	if (ip > (INT64_MAX - 999999) / 1000000)
		return jp_fail(s, "number out of range");
	v = ip * 1000000 + frac6;
	for (; ex > 0; ex--) {
		if (v > INT64_MAX / 10)
			return jp_fail(s, "number out of range");
		v *= 10;
	}
	for (; ex < 0; ex++)
		v /= 10;
	j->micro = neg ? -v : v;
	j->num = neg ? -(v / 1000000) : v / 1000000;
	return true;
}

static bool jp_number(struct jp *s, struct json *j)
{
	int64_t ip = 0, frac6 = 0, ex = 0, tmp;
	unsigned nd;
	bool neg = false, eneg = false;

	if (*s->p == '-') {
		neg = true;
		jp_advance(s);
	}
	if (s->p >= s->end || *s->p < '0' || *s->p > '9')
		return jp_fail(s, "bad number");
	if (*s->p == '0' && s->p + 1 < s->end && s->p[1] >= '0' &&
	    s->p[1] <= '9')
		return jp_fail(s, "leading zero in a number");
	if (!jp_digits(s, &ip, &nd, true))
		return false;
	j->integral = true;
	if (s->p < s->end && *s->p == '.') {
		jp_advance(s);
		j->integral = false;
		for (nd = 0; s->p < s->end && *s->p >= '0' && *s->p <= '9';
		     nd++, jp_advance(s))
			if (nd < 6)
				frac6 = frac6 * 10 + (*s->p - '0');
		if (!nd)
			return jp_fail(s, "digits expected after '.'");
		for (; nd < 6; nd++)
			frac6 *= 10;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		jp_advance(s);
		j->integral = false;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-')) {
			eneg = *s->p == '-';
			jp_advance(s);
		}
		tmp = 0;
		if (!jp_digits(s, &tmp, &nd, true) || !nd)
			return jp_fail(s, "digits expected in the exponent");
		if (tmp > 30)
			return jp_fail(s, "number out of range");
		ex = eneg ? -tmp : tmp;
	}
	return jp_scale(s, j, ip, frac6, ex, neg);
}

static struct json *jp_value(struct jp *s, unsigned depth);

static bool jp_members(struct jp *s, struct json *j, unsigned depth,
                       bool object)
{
	struct json **tail = &j->child;
	char close = object ? '}' : ']';

	jp_advance(s); // the opening bracket
	if (jp_eat(s, close))
		return true;
	for (;;) {
		char *key = NULL;
		struct json *v;

		unsigned kline, kcol;

		jp_skip_ws(s);
		kline = s->line;
		kcol = s->col;
		if (object) {
			if (s->p >= s->end || *s->p != '"')
				return jp_fail(s, "member name (a string) "
				                  "expected");
			if (!jp_string(s, &key))
				return false;
			if (!jp_eat(s, ':')) {
				kfree(key);
				return jp_fail(s, "':' expected");
			}
		}
		v = jp_value(s, depth + 1);
		if (!v) {
			kfree(key);
			return false;
		}
		v->key = key;
		v->kline = kline;
		v->kcol = kcol;
		*tail = v;
		tail = &v->next;
		j->count++;
		if (jp_eat(s, close))
			return true;
		if (!jp_eat(s, ','))
			return jp_fail(s, object ? "',' or '}' expected"
			                         : "',' or ']' expected");
		if (jp_eat(s, close)) // a trailing comma, as json-c allows
			return true;
	}
}

static bool jp_fill(struct jp *s, struct json *j, unsigned depth)
{
	switch (*s->p) {
	case '{':
	case '[':
		if (depth >= JSON_MAX_DEPTH)
			return jp_fail(s, "nested too deeply");
		j->type = *s->p == '{' ? JSON_OBJECT : JSON_ARRAY;
		return jp_members(s, j, depth, j->type == JSON_OBJECT);
	case '"': j->type = JSON_STRING; return jp_string(s, &j->str);
	case 't':
		j->type = JSON_BOOL;
		j->boolean = true;
		return jp_literal(s, "true");
	case 'f': j->type = JSON_BOOL; return jp_literal(s, "false");
	case 'n': j->type = JSON_NULL; return jp_literal(s, "null");
	default: j->type = JSON_NUMBER; return jp_number(s, j);
	}
}

static struct json *jp_value(struct jp *s, unsigned depth)
{
	struct json *j;

	jp_skip_ws(s);
	if (s->p >= s->end) {
		jp_fail(s, "unexpected end of input (a value expected)");
		return NULL;
	}
	j = kzalloc(sizeof(*j));
	if (!j) {
		jp_nomem(s);
		return NULL;
	}
	j->line = s->line;
	j->col = s->col;
	if (!jp_fill(s, j, depth)) {
		json_free(j);
		return NULL;
	}
	return j;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		kfree(j->key);
		kfree(j->str);
		kfree(j);
		j = next;
	}
}

err_t json_parse(const char *text, size_t len, struct json **out,
                 struct json_error *e)
{
	struct jp s = {text, text + len, 1, 1, e, E_OK};
	struct json *j;

	*out = NULL;
	if (len > JSON_MAX_INPUT) {
		jp_fail(&s, "file too large");
		return s.err;
	}
	j = jp_value(&s, 0);
	if (!j)
		return s.err ? s.err : E_INVAL;
	jp_skip_ws(&s);
	if (s.p < s.end) {
		json_free(j);
		jp_fail(&s, "trailing characters after the JSON value");
		return s.err;
	}
	*out = j;
	return E_OK;
}

const struct json *json_get(const struct json *o, const char *key)
{
	if (!o || o->type != JSON_OBJECT)
		return NULL;
	for (const struct json *m = o->child; m; m = m->next)
		if (!strcmp(m->key, key))
			return m;
	return NULL;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = {"null",     "a boolean",
	                                    "a number", "a string",
	                                    "an array", "an object"};

	return (unsigned)t < 6 ? names[t] : "?";
}
