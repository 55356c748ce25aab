// SPDX-License-Identifier: MIT
// Host helpers for the topology tests (see topology_util.h).
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <acpi/acpi.h>
#include <hal/cpuid.h>
#include <kernel/err.h>
#include <topology/build.h>
#include <tests/host/hal/host_util.h>
#include "topology_util.h"

char *topo_test_read(const char *path, size_t *len)
{
	return host_read_file(path, len);
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

static const char *parse_table(const char *p, struct topo_input *in)
{
	unsigned len;
	char sig[5];
	uint8_t *buf;
	size_t got = 0;

	if (sscanf(p, "table %4s %u", sig, &len) != 2 || len > (1u << 20) ||
	    in->ntables >= 32)
		return strchr(p, '\n');
	buf = malloc(len ? len : 1);
	p = strchr(p, '\n');
	while (p && got < len) {
		p++;
		if (isxdigit((unsigned char)p[0]) &&
		    isxdigit((unsigned char)p[1])) {
			buf[got++] =
			    (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
			p++;
		} else if (*p != '\n' && *p != '\r') {
			break;
		}
	}
	if (got == len) {
		in->tables[in->ntables] = buf;
		in->lens[in->ntables++] = len;
	} else {
		free(buf);
	}
	return p;
}

void topo_test_parse_dump(const char *text, struct topo_input *in)
{
	memset(in, 0, sizeof(*in));
	in->leaves = calloc(256, sizeof(*in->leaves));
	in->nleaves = host_cpuid_parse(text, in->leaves, 256);
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, "table ", 6)) {
			p = parse_table(p, in);
			continue;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

err_t topo_test_build(const struct topo_input *in)
{
	acpi_reset();
	for (unsigned i = 0; i < in->ntables; i++)
		(void)acpi_table_register(in->tables[i], in->lens[i]);
	host_cpuid_load(in->leaves, in->nleaves);
	return topology_build(in->dtb, in->dtb_size);
}

void topo_test_free(struct topo_input *in)
{
	acpi_reset();
	host_cpuid_load(NULL, 0);
	for (unsigned i = 0; i < in->ntables; i++)
		free(in->tables[i]);
	free(in->leaves);
	free(in->dtb);
	memset(in, 0, sizeof(*in));
}

struct membuf {
	char *s;
	size_t len, cap;
};

static void mem_write(void *ctx, const char *s, size_t n)
{
	struct membuf *m = ctx;

	if (m->len + n + 1 > m->cap) {
		m->cap = (m->len + n + 1) * 2;
		m->s = realloc(m->s, m->cap);
	}
	memcpy(m->s + m->len, s, n);
	m->len += n;
	m->s[m->len] = 0;
}

static char *capture(void (*print)(const struct topo_out *))
{
	struct membuf m = {calloc(1, 1), 0, 1};
	struct topo_out o = {mem_write, &m};

	print(&o);
	return m.s;
}

char *topo_test_tree(void)
{
	return capture(topo_print_tree);
}

char *topo_test_xml(void)
{
	return capture(topo_print_xml);
}

const char *topo_test_fixtures_dir(void)
{
	static const char *const dir = "build/topology-fixtures";
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? dir : NULL;
}
