// SPDX-License-Identifier: MIT
// The simulator's machine: Cairn's topology layer (topology/) built from
//  - a directory of a machine's ACPI tables (as build/host/topo reads
//    them: acpixtract .dat files, raw tables, cpuid* dumps), or
//  - an hwloc XML file (lstopo's, or Cairn's own `topo=xml` output), or
//  - an hwloc synthetic description ("pack:2 numa:2 l3:2 core:8 pu:2"),
// the last two read by libhwloc and fed to the same builder calls
// (topology/build.h) the firmware readers use. NUMA distances of an hwloc
// input come from its distance matrix, else from --numa-distances, else
// 10 local / 20 remote. Errors name the input and what was wrong.
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <hwloc.h>
#include <acpi/acpi.h>
#include <hal/cacheid.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <topology/build.h>
#include <tests/host/hal/host_util.h>
#include <sim/topo.h>

#define MAX_FILES 512
#define MAX_LEAVES 256

static struct host_cpuid_leaf leaves[MAX_LEAVES];
static char *held[MAX_FILES]; // registered tables stay referenced
static unsigned nheld;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool looks_like_table(const char *buf, size_t len)
{
	if (len < 36)
		return false;
	for (int i = 0; i < 4; i++)
		if (!(buf[i] >= 'A' && buf[i] <= 'Z') &&
		    !(buf[i] >= '0' && buf[i] <= '9') && buf[i] != '_')
			return false;
	return true;
}

static unsigned load_file(const char *path, const char *base, unsigned nl)
{
	size_t len = 0;
	char *buf = host_read_file(path, &len);

	if (!buf)
		return nl;
	if (!strncmp(base, "cpuid", 5)) {
		nl += host_cpuid_parse(buf, leaves + nl, MAX_LEAVES - nl);
		free(buf);
	} else if (nheld < MAX_FILES && looks_like_table(buf, len) &&
	           acpi_table_register(buf, len) == E_OK) {
		held[nheld++] = buf;
	} else {
		free(buf); // SOURCE notes, READMEs: not tables
	}
	return nl;
}

static int load_acpi_dir(const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[MAX_FILES];
	unsigned n = 0, nl = 0;

	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) && n < MAX_FILES)
		if (e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	acpi_reset();
	for (unsigned i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (names[i] && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			nl = load_file(path, names[i], nl);
		free(names[i]);
	}
	host_cpuid_load(leaves, nl);
	host_cacheid_load(NULL);
	if (topology_build(NULL, 0) != E_OK || !topo_cpu_count()) {
		snprintf(err, errlen,
		         "%s: the ACPI tables describe no CPU "
		         "(no valid MADT)",
		         dir);
		return -1;
	}
	return 0;
}

// ---- hwloc
// ---------------------------------------------------------------------

static unsigned cache_type(hwloc_obj_t o)
{
	switch (o->attr->cache.type) {
	case HWLOC_OBJ_CACHE_DATA: return TOPO_CACHE_DATA;
	case HWLOC_OBJ_CACHE_INSTRUCTION: return TOPO_CACHE_INSTRUCTION;
	default: return TOPO_CACHE_UNIFIED;
	}
}

static void add_pu(hwloc_topology_t h, hwloc_obj_t pu, unsigned cpu)
{
	for (hwloc_obj_t a = pu->parent; a; a = a->parent) {
		if (a->type == HWLOC_OBJ_PACKAGE)
			topo_set_cpu_id(cpu, TOPO_PACKAGE, a->logical_index);
		else if (a->type == HWLOC_OBJ_DIE)
			topo_set_cpu_id(cpu, TOPO_DIE, a->logical_index);
		else if (a->type == HWLOC_OBJ_CORE)
			topo_set_cpu_id(cpu, TOPO_CORE, a->logical_index);
		else if (hwloc_obj_type_is_cache(a->type)) {
			struct topo_cache c = {
			    .level = (uint8_t)a->attr->cache.depth,
			    .type = (uint8_t)cache_type(a),
			    .size = a->attr->cache.size > 0xffffffffull
			                ? 0xffffffffu
			                : (uint32_t)a->attr->cache.size,
			    .line = a->attr->cache.linesize,
			    .key = (uint64_t)a->type << 48 | a->logical_index};

			if (a->attr->cache.associativity > 0)
				c.ways = (uint32_t)a->attr->cache.associativity;
			(void)topo_add_cache(cpu, &c);
		}
	}
	topo_set_cpu_id(cpu, TOPO_PU, pu->sibling_rank);
	(void)h;
}

// "10,20,20,10" or "10,20;20,10": n*n values, row by row.
static int parse_distances(const char *s, unsigned n, unsigned *d, char *err,
                           size_t errlen)
{
	unsigned k = 0;

	while (*s) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v < 10 || v > 254) {
			snprintf(err, errlen,
			         "--numa-distances: value %u is "
			         "not a number in 10..254",
			         k + 1);
			return -1;
		}
		if (k == n * n) {
			snprintf(err, errlen,
			         "--numa-distances: more than "
			         "%u values for %u nodes",
			         n * n, n);
			return -1;
		}
		d[k++] = (unsigned)v;
		s = end;
		if (*s == ',' || *s == ';' || *s == ' ')
			s++;
		else if (*s) {
			snprintf(err, errlen,
			         "--numa-distances: '%c' after "
			         "value %u",
			         *s, k);
			return -1;
		}
	}
	if (k != n * n) {
		snprintf(err, errlen,
		         "--numa-distances: %u values for %u "
		         "nodes (want %u, row by row)",
		         k, n, n * n);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		if (d[i * n + i] != 10) {
			snprintf(err, errlen,
			         "--numa-distances: node %u to "
			         "itself is %u, not 10",
			         i, d[i * n + i]);
			return -1;
		}
	return 0;
}

// Distances: the input's latency matrix, else the option, else 10/20.
static int set_distances(hwloc_topology_t h, const unsigned *node, unsigned n,
                         const char *opt, char *err, size_t errlen)
{
	static unsigned d[TOPO_MAX_NODES * TOPO_MAX_NODES];
	struct hwloc_distances_s *dist = NULL;
	unsigned nr = 1;

	for (unsigned i = 0; i < n * n; i++)
		d[i] = i / n == i % n ? 10 : 20;
	if (opt) {
		if (parse_distances(opt, n, d, err, errlen))
			return -1;
	} else if (hwloc_distances_get_by_type(
		       h, HWLOC_OBJ_NUMANODE, &nr, &dist,
		       HWLOC_DISTANCES_KIND_MEANS_LATENCY, 0) == 0 &&
	           nr == 1 && dist->nbobjs == n) {
		for (unsigned i = 0; i < n; i++)
			for (unsigned j = 0; j < n; j++) {
				hwloc_uint64_t v = dist->values[i * n + j];
				unsigned a = dist->objs[i]->logical_index;
				unsigned b = dist->objs[j]->logical_index;

				if (a < n && b < n)
					d[a * n + b] = v > 254  ? 254
					               : v < 10 ? 10
					                        : (unsigned)v;
			}
	}
	if (dist)
		hwloc_distances_release(h, dist);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++)
			topo_set_distance(node[i], node[j], d[i * n + j]);
	return 0;
}

static int add_nodes(hwloc_topology_t h, const char *opt, char *err,
                     size_t errlen)
{
	unsigned n = (unsigned)hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_NUMANODE);
	unsigned node[TOPO_MAX_NODES];

	if (n > TOPO_MAX_NODES) {
		snprintf(err, errlen, "%u NUMA nodes (at most %u)", n,
		         TOPO_MAX_NODES);
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(h, HWLOC_OBJ_NUMANODE, i);
		uint64_t mem = o->attr->numanode.local_memory;
		unsigned pu;

		if (topo_add_node(i, &node[i]) != E_OK)
			return snprintf(err, errlen, "node %u refused", i), -1;
		(void)topo_add_mem_range((uint64_t)i << 40,
		                         mem ? mem : 1ull << 30, node[i], false,
		                         false);
		hwloc_bitmap_foreach_begin(pu, o->cpuset)
		{
			hwloc_obj_t p = hwloc_get_pu_obj_by_os_index(h, pu);

			if (p && p->logical_index < MAX_CPUS)
				topo_set_cpu_node(p->logical_index, node[i]);
		}
		hwloc_bitmap_foreach_end();
	}
	if (!n && opt) {
		snprintf(err, errlen,
		         "--numa-distances given, but the "
		         "topology has no NUMA node");
		return -1;
	}
	return n ? set_distances(h, node, n, opt, err, errlen) : 0;
}

static int from_hwloc(hwloc_topology_t h, const char *opt, char *err,
                      size_t errlen)
{
	int n = hwloc_get_nbobjs_by_type(h, HWLOC_OBJ_PU);

	if (n <= 0 || n > MAX_CPUS) {
		snprintf(err, errlen, "%d processing units (want 1..%u)", n,
		         MAX_CPUS);
		return -1;
	}
	topo_reset();
	for (int i = 0; i < n; i++) {
		hwloc_obj_t pu =
		    hwloc_get_obj_by_type(h, HWLOC_OBJ_PU, (unsigned)i);
		unsigned cpu;

		if (topo_add_cpu(pu->os_index, (uint32_t)i, &cpu) != E_OK ||
		    cpu != (unsigned)i) {
			snprintf(err, errlen,
			         "PU %d (OS index %u) refused "
			         "(a duplicate?)",
			         i, pu->os_index);
			return -1;
		}
		add_pu(h, pu, cpu);
	}
	if (add_nodes(h, opt, err, errlen))
		return -1;
	topo_add_source("hwloc");
	topo_finish();
	return 0;
}

// libhwloc 2.9 (Debian 12) can crash on a malformed XML file (found by
// the sim_hwloc fuzz target: a NULL bitmap in hwloc_bitmap_set while
// inserting objects). The file is untrusted, so a child process reads it
// first; only when that went well does this process read it.
static bool hwloc_survives(const char *spec, bool xml)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return true; // cannot check: read it here
	if (pid == 0) {
		hwloc_topology_t h;
		int r = hwloc_topology_init(&h) ||
		        (xml ? hwloc_topology_set_xml(h, spec)
		             : hwloc_topology_set_synthetic(h, spec));

		_exit(r ? 1 : hwloc_topology_load(h) ? 1 : 0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return true;
	return !WIFSIGNALED(st);
}

static int load_hwloc(const char *spec, bool xml, const char *opt, char *err,
                      size_t errlen)
{
	hwloc_topology_t h;
	int r;

	if (!hwloc_survives(spec, xml)) {
		snprintf(err, errlen,
		         "%s: libhwloc crashed reading it (a "
		         "malformed file; hwloc's bug)",
		         spec);
		return -1;
	}

	if (hwloc_topology_init(&h)) {
		snprintf(err, errlen, "hwloc_topology_init failed");
		return -1;
	}
	r = xml ? hwloc_topology_set_xml(h, spec)
	        : hwloc_topology_set_synthetic(h, spec);
	if (r || hwloc_topology_load(h)) {
		snprintf(err, errlen, "%s%s%s: hwloc cannot read it as %s",
		         xml ? "" : "\"", spec, xml ? "" : "\"",
		         xml ? "a topology XML file"
		             : "a synthetic description "
		               "(e.g. \"pack:2 core:4 pu:2\")");
		hwloc_topology_destroy(h);
		return -1;
	}
	r = from_hwloc(h, opt, err, errlen);
	hwloc_topology_destroy(h);
	return r;
}

int sim_topo_load_xml_buffer(const char *buf, size_t len, const char *distances,
                             char *err, size_t errlen)
{
	hwloc_topology_t h;
	int r;

	if (hwloc_topology_init(&h)) {
		snprintf(err, errlen, "hwloc_topology_init failed");
		return -1;
	}
	if (len > INT32_MAX || hwloc_topology_set_xmlbuffer(h, buf, (int)len) ||
	    hwloc_topology_load(h)) {
		snprintf(err, errlen, "hwloc cannot read the XML");
		hwloc_topology_destroy(h);
		return -1;
	}
	r = from_hwloc(h, distances, err, errlen);
	hwloc_topology_destroy(h);
	return r;
}

int sim_topo_load(const char *spec, const char *distances, char *err,
                  size_t errlen)
{
	struct stat st;
	int r;

	if (stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (distances) {
			snprintf(err, errlen,
			         "--numa-distances is for hwloc "
			         "inputs; ACPI tables carry a SLIT");
			return -1;
		}
		r = load_acpi_dir(spec, err, errlen);
	} else if (stat(spec, &st) == 0) {
		r = load_hwloc(spec, true, distances, err, errlen);
	} else if (strchr(spec, '/') || strstr(spec, ".xml")) {
		snprintf(err, errlen, "%s: %s", spec, strerror(ENOENT));
		return -1;
	} else {
		r = load_hwloc(spec, false, distances, err, errlen);
	}
	if (!r && topo_cpu_count() > MAX_CPUS) {
		snprintf(err, errlen, "%u CPUs (the simulator runs up to %u)",
		         topo_cpu_count(), MAX_CPUS);
		return -1;
	}
	return r;
}

void sim_topo_release(void)
{
	acpi_reset();
	for (unsigned i = 0; i < nheld; i++)
		free(held[i]);
	nheld = 0;
}
