// SPDX-License-Identifier: MIT
// Host helpers for the topology tests (see topology_util.h).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <acpi/acpi.h>
#include <hal/cacheid.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <tests/unit/acpi_build.h>
#include <topology/build.h>
#include <tests/host/hal/host_util.h>
#include "topology_util.h"

char *topo_test_read(const char *path, size_t *len)
{
	return host_read_file(path, len);
}

static const char *parse_table(const char *p, const char *end,
                               struct topo_input *in)
{
	struct host_hex_table t;

	p = host_hex_table_parse(p, end, &t);
	if (t.buf && in->ntables < 32) {
		in->tables[in->ntables] = t.buf;
		in->lens[in->ntables++] = t.len;
	} else {
		free(t.buf);
	}
	return p;
}

void topo_test_parse_dump(const char *text, struct topo_input *in)
{
	const char *end = text + strlen(text);

	memset(in, 0, sizeof(*in));
	in->leaves = calloc(256, sizeof(*in->leaves));
	in->nleaves = host_cpuid_parse(text, in->leaves, 256);
	in->have_cacheid = host_cacheid_parse(text, &in->cacheid);
	in->ncpu_cacheid = host_cacheid_parse_cpus(
	    text, in->cpu_hwid, in->cpu_cacheid, ARRAY_SIZE(in->cpu_hwid));
	for (const char *p = text; p && *p;) {
		if (!strncmp(p, "table ", 6)) {
			p = parse_table(p, end, in);
			continue;
		}
		if (!strncmp(p, "memory ", 7))
			in->usable_mem = strtoull(p + 7, NULL, 10);
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
	topology_set_usable_memory(in->usable_mem);
	host_cacheid_load(in->have_cacheid ? &in->cacheid : NULL);
	topology_cacheid_clear();
	for (unsigned i = 0; i < in->ncpu_cacheid; i++)
		topology_cacheid_set(in->cpu_hwid[i], &in->cpu_cacheid[i]);
	return topology_build(in->dtb, in->dtb_size);
}

void topo_test_free(struct topo_input *in)
{
	acpi_reset();
	host_cpuid_load(NULL, 0);
	topology_set_usable_memory(0);
	host_cacheid_load(NULL);
	topology_cacheid_clear();
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

int topo_test_setup_lapics(unsigned n, const struct host_cpuid_leaf *l,
                           size_t nl)
{
	static uint8_t buf[4096];
	struct acpi_tb b;

	acpi_tb_init(&b, buf, sizeof(buf), "APIC", 5);
	acpi_tb_add(&b, 0xfee00000, 4); // local APIC address
	acpi_tb_add(&b, 1, 4);          // flags: PC-AT compatible
	for (unsigned i = 0; i < n; i++) {
		uint32_t o = acpi_tb_entry(&b, 0, 8);

		acpi_tb_put(&b, o + 2, i, 1); // ACPI processor UID
		acpi_tb_put(&b, o + 3, i, 1); // APIC ID
		acpi_tb_put(&b, o + 4, 1, 4); // enabled
	}
	acpi_reset();
	host_cpuid_load(l, nl);
	return acpi_table_register(acpi_tb_finish(&b), sizeof(buf));
}
