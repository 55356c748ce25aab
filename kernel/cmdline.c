// SPDX-License-Identifier: MIT
// Command-line parser. Words are copied into one static buffer, keys and
// values NUL-terminated in place, so lookups return stable pointers.
// Written once on the boot CPU before anything else reads it: no lock.
#include <string.h>
#include <kernel/cmdline.h>
#include <lib/err.h>
#include <lib/printk.h>

static char store[CMDLINE_MAX_LEN + 1];
static struct {
	const char *key, *value;
} opts[CMDLINE_MAX_OPTS];
static unsigned nopts;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Copies one word starting at s[*pos] into store at *out; returns false
// (after reporting) when the word is malformed.
static bool copy_word(const char *s, size_t len, size_t *pos, size_t *out)
{
	bool quoted = false;
	size_t start = *pos;

	for (; *pos < len && (quoted || !is_space(s[*pos])); (*pos)++) {
		char c = s[*pos];

		if (c == '\0')
			break;
		if ((unsigned char)c < 0x20 || c == 0x7f) {
			pr_err(
			    "cmdline: control character 0x%02x at offset %zu\n",
			    (unsigned char)c, *pos);
			return false;
		}
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		store[(*out)++] = c;
	}
	if (quoted) {
		pr_err(
		    "cmdline: unterminated quote in the word at offset %zu\n",
		    start);
		return false;
	}
	store[(*out)++] = '\0';
	return true;
}

static void skip_word(const char *s, size_t len, size_t *pos)
{
	while (*pos < len && s[*pos] && !is_space(s[*pos]))
		(*pos)++;
}

err_t cmdline_parse(const char *s, size_t len)
{
	size_t pos = 0, out = 0;
	err_t err = 0;

	nopts = 0;
	len = strnlen(s, len);
	if (len > CMDLINE_MAX_LEN) {
		pr_err("cmdline: %zu bytes long, only the first %u are used\n",
		       len, CMDLINE_MAX_LEN);
		len = CMDLINE_MAX_LEN;
		err = E_CORRUPT;
	}
	while (pos < len) {
		size_t word = out, at = pos;
		char *eq;

		if (is_space(s[pos])) {
			pos++;
			continue;
		}
		if (nopts == CMDLINE_MAX_OPTS) {
			pr_err("cmdline: more than %u options; ignoring from "
			       "offset %zu\n",
			       CMDLINE_MAX_OPTS, pos);
			return E_CORRUPT;
		}
		if (!copy_word(s, len, &pos, &out)) {
			out = word;
			skip_word(s, len, &pos);
			err = E_CORRUPT;
			continue;
		}
		eq = strchr(&store[word], '=');
		if (eq == &store[word] || store[word] == '\0') {
			pr_err("cmdline: empty option name at offset %zu\n",
			       at);
			out = word;
			err = E_CORRUPT;
			continue;
		}
		if (eq)
			*eq = '\0';
		opts[nopts].key = &store[word];
		opts[nopts].value = eq ? eq + 1 : "";
		nopts++;
	}
	return err;
}

const char *cmdline_get(const char *key)
{
	for (unsigned i = nopts; i-- > 0;)
		if (strcmp(opts[i].key, key) == 0)
			return opts[i].value;
	return NULL;
}

bool cmdline_has(const char *key)
{
	return cmdline_get(key) != NULL;
}

uint64_t cmdline_get_uint(const char *key, uint64_t def)
{
	const char *v = cmdline_get(key);
	uint64_t n = 0;
	unsigned base = 10;

	if (!v)
		return def;
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
		base = 16;
		v += 2;
	}
	if (!*v)
		goto bad;
	for (; *v; v++) {
		unsigned d;

		if (*v >= '0' && *v <= '9')
			d = (unsigned)(*v - '0');
		else if (base == 16 && (*v | 0x20) >= 'a' && (*v | 0x20) <= 'f')
			d = (unsigned)((*v | 0x20) - 'a' + 10);
		else
			goto bad;
		if (n > (UINT64_MAX - d) / base)
			goto bad;
		n = n * base + d;
	}
	return n;
bad:
	pr_err("cmdline: %s=%s is not a number; using %lu\n", key,
	       cmdline_get(key), (unsigned long)def);
	return def;
}

void cmdline_for_each(void (*fn)(const char *key, const char *value))
{
	for (unsigned i = 0; i < nopts; i++)
		fn(opts[i].key, opts[i].value);
}
