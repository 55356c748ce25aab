// SPDX-License-Identifier: MIT
// Host stand-in for the CPUID instruction: a table of leaves from a dump
// (tests and build/host/topo load one). Leaves not in the table read as
// zeros when they are within the dump's maximum basic / extended leaf, as
// on real CPUs, and do not exist above it. Single-threaded use only.
#include <stdio.h>
#include <string.h>
#include <hal/cpuid.h>

static const struct host_cpuid_leaf *host_leaves;
static unsigned host_nleaves;

void host_cpuid_load(const struct host_cpuid_leaf *leaves, unsigned n)
{
	host_leaves = leaves;
	host_nleaves = n;
}

bool host_cpuid_loaded(void)
{
	return host_nleaves > 0;
}

static const struct host_cpuid_leaf *host_find(uint32_t leaf, uint32_t sub)
{
	for (unsigned i = 0; i < host_nleaves; i++)
		if (host_leaves[i].leaf == leaf && host_leaves[i].sub == sub)
			return &host_leaves[i];
	return NULL;
}

bool host_cpuid_lookup(uint32_t leaf, uint32_t sub, struct hal_cpuid_regs *r)
{
	const struct host_cpuid_leaf *max = host_find(leaf & 0x80000000u, 0);
	const struct host_cpuid_leaf *l;

	if (!max || leaf > max->r.eax)
		return false;
	l = host_find(leaf, sub);
	if (!l && sub) // leaves without sub-leaves ignore ECX
		l = NULL;
	if (l)
		*r = l->r;
	else
		memset(r, 0, sizeof(*r));
	return true;
}

static bool host_parse_cairn(const char *line, struct host_cpuid_leaf *l)
{
	return sscanf(line, "cpuid %x %x %x %x %x %x", &l->leaf, &l->sub,
	              &l->r.eax, &l->r.ebx, &l->r.ecx, &l->r.edx) == 6;
}

static bool host_parse_cpuid_r(const char *line, struct host_cpuid_leaf *l)
{
	return sscanf(line, " 0x%x 0x%x: eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x",
	              &l->leaf, &l->sub, &l->r.eax, &l->r.ebx, &l->r.ecx,
	              &l->r.edx) == 6;
}

unsigned host_cpuid_parse(const char *text, struct host_cpuid_leaf *out,
                          unsigned max)
{
	unsigned n = 0, cpus = 0;

	while (*text && n < max) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		text += len + (nl != NULL);
		if (!strncmp(line, "CPU ", 4) && ++cpus > 1)
			break; // `cpuid -r`: only the first CPU
		if (host_parse_cairn(line, &out[n]) ||
		    host_parse_cpuid_r(line, &out[n]))
			n++;
	}
	return n;
}
