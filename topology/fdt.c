// SPDX-License-Identifier: MIT
// Topology from a flattened device tree (AArch64 without ACPI), read with
// libfdt's read-only functions after fdt_check_full():
//   /cpus/cpu@N            CPUs (reg = MPIDR; status "disabled" left out),
//                          numa-node-id, L1 cache properties
//                          ({d-,i-,}cache-{size,line-size,sets}) and
//                          next-level-cache chains to "cache" nodes;
//   /cpus/cpu-map          socketN > clusterN (nested allowed) > coreN >
//                          threadN, leaves pointing at CPUs by phandle;
//                          without one, each CPU is a core of the package
//                          of its NUMA node (fdt_cpu_nodes);
//   memory@... nodes       memory ranges and their numa-node-id;
//   numa-distance-map-v1   distance-matrix triplets.
// Every value is checked for length; a bad one is reported and skipped.
// Runs during the single-threaded build: no locks.
#include <libfdt.h>
#include <string.h>
#include <lib/printk.h>
#include <lib/err.h>
#include <topology/build.h>

#define FDT_MAX_DEPTH 8

static bool fdt_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len < 4)
		return false;
	*out = fdt32_to_cpu(p[0]);
	return true;
}

static uint64_t fdt_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

static bool fdt_is(const void *fdt, int node, const char *prop,
                   const char *value)
{
	int len;
	const char *p = fdt_getprop(fdt, node, prop, &len);

	return p && len > 0 && strnlen(p, (size_t)len) < (size_t)len &&
	       strcmp(p, value) == 0;
}

static bool fdt_cpu_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	return !s || fdt_is(fdt, node, "status", "okay") ||
	       fdt_is(fdt, node, "status", "ok");
}

// Caches of one CPU: L1 from its own properties, then the chain.
static void fdt_cpu_l1(const void *fdt, int node, unsigned cpu, const char *pfx,
                       uint8_t type)
{
	char name[32];
	struct topo_cache c = {.level = 1, .type = type};
	uint32_t v;

	ksnprintf(name, sizeof(name), "%scache-size", pfx);
	if (!fdt_u32(fdt, node, name, &c.size))
		return;
	ksnprintf(name, sizeof(name), "%scache-line-size", pfx);
	if (fdt_u32(fdt, node, name, &v))
		c.line = v;
	ksnprintf(name, sizeof(name), "%scache-sets", pfx);
	if (fdt_u32(fdt, node, name, &v))
		c.sets = v;
	if (c.sets && c.line && c.size)
		c.ways = c.size / (c.sets * c.line);
	c.key = (uint64_t)(unsigned)node;
	(void)topo_add_cache(cpu, &c);
}

static void fdt_cpu_caches(const void *fdt, int node, unsigned cpu)
{
	uint32_t ph;
	uint8_t level = 1;
	int steps = 0; // bounds a next-level-cache cycle

	fdt_cpu_l1(fdt, node, cpu, "d-", TOPO_CACHE_DATA);
	fdt_cpu_l1(fdt, node, cpu, "i-", TOPO_CACHE_INSTRUCTION);
	fdt_cpu_l1(fdt, node, cpu, "", TOPO_CACHE_UNIFIED);
	for (int n = node; fdt_u32(fdt, n, "next-level-cache", &ph) &&
	                   steps++ < FDT_MAX_DEPTH;) {
		struct topo_cache c = {.type = TOPO_CACHE_UNIFIED};
		uint32_t v;

		n = fdt_node_offset_by_phandle(fdt, ph);
		if (n < 0)
			break;
		c.level = ++level;
		if (fdt_u32(fdt, n, "cache-level", &v) && v && v < 16)
			c.level = (uint8_t)(level = (uint8_t)v);
		(void)fdt_u32(fdt, n, "cache-size", &c.size);
		(void)fdt_u32(fdt, n, "cache-line-size", &c.line);
		(void)fdt_u32(fdt, n, "cache-sets", &c.sets);
		if (c.sets && c.line && c.size)
			c.ways = c.size / (c.sets * c.line);
		c.key = (uint64_t)(unsigned)n;
		(void)topo_add_cache(cpu, &c);
	}
}

static void fdt_cpus(const void *fdt, int cpus, unsigned *disabled)
{
	int ac = fdt_address_cells(fdt, cpus), node;
	uint32_t uid = 0;

	if (ac < 1 || ac > 2)
		ac = 1;
	fdt_for_each_subnode(node, fdt, cpus)
	{
		int len;
		const fdt32_t *reg;
		unsigned cpu;

		if (!fdt_is(fdt, node, "device_type", "cpu"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * 4) {
			pr_err("topology: DT %s: no usable reg\n",
			       fdt_get_name(fdt, node, NULL));
			continue;
		}
		if (!fdt_cpu_enabled(fdt, node)) {
			(*disabled)++;
			continue;
		}
		if (topo_add_cpu(fdt_cells(reg, ac), uid++, &cpu) != E_OK)
			return;
	}
}

// Index of the CPU whose DT node is `node` (CPUs were added in DT order).
static unsigned fdt_cpu_index(const void *fdt, int cpus, int target)
{
	unsigned i = 0;
	int node;

	fdt_for_each_subnode(node, fdt, cpus)
	{
		if (!fdt_is(fdt, node, "device_type", "cpu"))
			continue;
		if (!fdt_cpu_enabled(fdt, node))
			continue;
		if (node == target)
			return i < topo_cpu_count() ? i : TOPO_NONE;
		i++;
	}
	return TOPO_NONE;
}

static uint32_t fdt_name_num(const char *name, size_t skip)
{
	uint32_t v = 0;

	for (const char *p = name + skip; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint32_t)(*p - '0');
	return v;
}

struct fdt_path {
	uint32_t id[TOPO_NLEVELS];
	bool have[TOPO_NLEVELS];
};

static void fdt_map_leaf(const void *fdt, int cpus, int node,
                         const struct fdt_path *p)
{
	uint32_t ph;
	unsigned cpu;

	if (!fdt_u32(fdt, node, "cpu", &ph))
		return;
	cpu = fdt_cpu_index(fdt, cpus, fdt_node_offset_by_phandle(fdt, ph));
	if (cpu == TOPO_NONE)
		return;
	for (int l = TOPO_PACKAGE; l < TOPO_NLEVELS; l++)
		if (p->have[l])
			topo_set_cpu_id(cpu, l, p->id[l]);
}

static void fdt_map_walk(const void *fdt, int cpus, int parent,
                         struct fdt_path p, int depth)
{
	int node;

	if (depth > FDT_MAX_DEPTH)
		return;
	fdt_for_each_subnode(node, fdt, parent)
	{
		const char *name = fdt_get_name(fdt, node, NULL);
		struct fdt_path q = p;
		int l = -1;

		if (!name)
			continue;
		if (!strncmp(name, "socket", 6))
			l = TOPO_PACKAGE;
		else if (!strncmp(name, "cluster", 7))
			l = TOPO_CLUSTER;
		else if (!strncmp(name, "core", 4))
			l = TOPO_CORE;
		else if (!strncmp(name, "thread", 6))
			l = TOPO_PU;
		if (l < 0)
			continue;
		if (l == TOPO_CLUSTER && p.have[TOPO_CLUSTER]) {
			// nested clusters: the outer one is kept as a die
			q.id[TOPO_DIE] = p.id[TOPO_CLUSTER];
			q.have[TOPO_DIE] = true;
		}
		q.id[l] = fdt_name_num(name, l == TOPO_PACKAGE   ? 6
		                             : l == TOPO_CLUSTER ? 7
		                             : l == TOPO_CORE    ? 4
		                                                 : 6);
		q.have[l] = true;
		fdt_map_leaf(fdt, cpus, node, &q);
		fdt_map_walk(fdt, cpus, node, q, depth + 1);
	}
}

static void fdt_cpu_map(const void *fdt, int cpus)
{
	int map = fdt_subnode_offset(fdt, cpus, "cpu-map");
	struct fdt_path p = {0};
	bool sockets = false;
	int node;

	if (map < 0)
		return;
	fdt_for_each_subnode(node, fdt, map)
	{
		const char *name = fdt_get_name(fdt, node, NULL);

		sockets = sockets || (name && !strncmp(name, "socket", 6));
	}
	if (!sockets) // old bindings: top-level clusters are packages
		p.have[TOPO_PACKAGE] = true;
	fdt_map_walk(fdt, cpus, map, p, 0);
	topo_add_source("DT cpu-map");
}

// Each enabled CPU node in tree order (= CPU index): its NUMA node and
// caches. default_levels (no cpu-map: the Raspberry Pi 3's tree, U-Boot's,
// many boards'): each CPU is also one core, and its package is its NUMA
// node (numa-node-id, else 0).
// This is Linux's rule (store_cpu_topology(): drivers/base/arch_topology.c
// since 6.0, arch/arm64/kernel/topology.c before; core_id = the logical
// CPU, package_id = cpu_to_node()), which hwloc reads back from sysfs. The
// MPIDR affinity fields are not used instead: Linux does not trust them
// either (some interrupt controllers cap Aff0, so Aff1.. need not be
// clusters or packages). Core IDs are the CPU numbers in tree order, as
// Linux numbers CPUs from the tree when the boot CPU is the first node.
static void fdt_cpu_nodes(const void *fdt, int cpus, bool default_levels)
{
	int node;
	unsigned i = 0;
	bool any = false;

	fdt_for_each_subnode(node, fdt, cpus)
	{
		uint32_t nid = 0;
		unsigned n;
		bool has_nid;

		if (!fdt_is(fdt, node, "device_type", "cpu") ||
		    !fdt_cpu_enabled(fdt, node))
			continue;
		if (i >= topo_cpu_count())
			break;
		has_nid = fdt_u32(fdt, node, "numa-node-id", &nid);
		if (has_nid && topo_add_node(nid, &n) == E_OK) {
			topo_set_cpu_node(i, n);
			any = true;
		}
		if (default_levels) {
			topo_set_cpu_id(i, TOPO_PACKAGE, has_nid ? nid : 0);
			topo_set_cpu_id(i, TOPO_CORE, i);
		}
		fdt_cpu_caches(fdt, node, i);
		i++;
	}
	if (any)
		topo_add_source("DT numa-node-id");
	if (default_levels && i)
		topo_note("levels: no cpu-map in the device tree; each CPU "
		          "is a core, packages are NUMA nodes (as Linux)");
}

static void fdt_memory(const void *fdt)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	int node;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return;
	for (node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		const fdt32_t *reg;
		uint32_t nid = 0;
		unsigned n;
		int len;

		if (!fdt_is(fdt, node, "device_type", "memory"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < 0)
			continue;
		(void)fdt_u32(fdt, node, "numa-node-id", &nid);
		if (topo_add_node(nid, &n) != E_OK)
			continue;
		for (int i = 0; (i + ac + sc) * 4 <= len; i += ac + sc) {
			uint64_t len64 = fdt_cells(reg + i + ac, sc);

			if (len64)
				(void)topo_add_mem_range(fdt_cells(reg + i, ac),
				                         len64, n, false,
				                         false);
		}
	}
}

static void fdt_distances(const void *fdt)
{
	int node =
	    fdt_node_offset_by_compatible(fdt, -1, "numa-distance-map-v1");
	const fdt32_t *m;
	int len;

	if (node < 0)
		return;
	m = fdt_getprop(fdt, node, "distance-matrix", &len);
	if (!m || len % 12) {
		pr_err("topology: DT distance-map: distance-matrix length %d "
		       "is not a multiple of 12; ignored\n",
		       len);
		topo_note("DT distance-matrix malformed: distances assumed");
		return;
	}
	for (int i = 0; i + 3 <= len / 4; i += 3) {
		unsigned a = topo_find_node(fdt32_to_cpu(m[i]));
		unsigned b = topo_find_node(fdt32_to_cpu(m[i + 1]));
		uint32_t d = fdt32_to_cpu(m[i + 2]);

		if (a != TOPO_NONE && b != TOPO_NONE && d && d < 256)
			topo_set_distance(a, b, d);
	}
	topo_add_source("DT distance-map");
}

err_t topology_build_fdt(const void *fdt, size_t fdt_size)
{
	unsigned disabled = 0;
	int cpus, err;

	topo_reset();
	// The header is inside any blob of 40 bytes; its totalsize is only
	// trusted when the caller does not know the real size.
	err = fdt_size && fdt_size < FDT_V17_SIZE ? -FDT_ERR_TRUNCATED
	                                          : fdt_check_header(fdt);
	if (!err)
		err = fdt_check_full(fdt,
		                     fdt_size ? fdt_size : fdt_totalsize(fdt));
	if (err) {
		pr_err("topology: device tree unusable: %s\n",
		       fdt_strerror(err));
		topo_note("device tree unusable: %s", fdt_strerror(err));
		topo_finish();
		return E_CORRUPT;
	}
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus >= 0) {
		fdt_cpus(fdt, cpus, &disabled);
		topo_add_source("DT /cpus");
		fdt_cpu_map(fdt, cpus);
		fdt_cpu_nodes(fdt, cpus,
		              !topo_level_described(TOPO_PACKAGE) &&
		                  !topo_level_described(TOPO_CORE));
	}
	if (disabled)
		topo_note("%u CPUs with status \"disabled\" are not in the "
		          "model",
		          disabled);
	fdt_memory(fdt);
	fdt_distances(fdt);
	if (!topo_caches_known())
		topo_cacheid_apply();
	if (!topo_caches_known())
		topo_note("caches: unknown (the device tree describes none)");
	topo_finish();
	return topo_cpu_count() ? E_OK : E_NOENT;
}
