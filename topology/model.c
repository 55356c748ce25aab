// SPDX-License-Identifier: MIT
// The topology model: fixed-size static tables (no heap), the builder
// interface of topology/build.h and the queries of topology/topology.h.
//
// Invariants once topo_finish() has run: every CPU has an object at every
// level (hidden levels repeat their parent's CPUs), a node (0 if no source
// named one) and at most TOPO_MAX_CPU_CACHES caches; node 0 exists; the
// distance matrix is complete. Built by one thread, then read-only: no
// locks.
#include <stdarg.h>
#include <string.h>
#include <lib/panic.h>
#include <lib/printk.h>
#include <lib/err.h>
#include <topology/build.h>

#define TOPO_MAX_NOTES 32
#define TOPO_NOTE_LEN 160

struct topo_cpu_rec {
	uint64_t hwid;
	uint32_t uid;
	uint32_t id[TOPO_NLEVELS];  // physical IDs per level
	uint16_t obj[TOPO_NLEVELS]; // logical object per level
	uint16_t node;              // logical node, TOPO_NONE until set
	uint16_t cache[TOPO_MAX_CPU_CACHES];
	uint8_t ncache;
	uint8_t levels; // bit per level a source set
};

struct topo_obj {
	uint32_t phys;
	uint16_t parent; // object at the nearest level above
};

static struct {
	unsigned ncpus, nnodes, ncaches, nmem, nnotes;
	bool described[TOPO_NLEVELS];
	bool shown[TOPO_NLEVELS];
	unsigned nobj[TOPO_NLEVELS];
	bool dist_known;
	bool overflow_cpus, overflow_caches;
	struct topo_cpu_rec cpu[MAX_CPUS];
	uint16_t order[MAX_CPUS]; // CPUs in tree order
	struct topo_obj obj[TOPO_NLEVELS][MAX_CPUS];
	struct topo_cache cache[TOPO_MAX_CACHES];
	uint32_t domain[TOPO_MAX_NODES];
	uint8_t dist[TOPO_MAX_NODES][TOPO_MAX_NODES];
	uint64_t lat[TOPO_MAX_NODES][TOPO_MAX_NODES];
	uint64_t bw[TOPO_MAX_NODES][TOPO_MAX_NODES];
	struct topo_mem_range mem[TOPO_MAX_MEM_RANGES];
	char notes[TOPO_MAX_NOTES][TOPO_NOTE_LEN];
	char sources[128];
	uint64_t map_mem; // one node without ranges: the memory map's usable
} T;

// Usable memory of the boot memory map (topology_set_usable_memory); kept
// across topo_reset(): it is an input, like the registered ACPI tables.
static uint64_t usable_mem;

void topology_set_usable_memory(uint64_t bytes)
{
	usable_mem = bytes;
}

uint64_t topology_usable_memory(void)
{
	return usable_mem;
}

unsigned topo_cpuset_count(const struct topo_cpuset *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(s->w); i++)
		n += (unsigned)__builtin_popcountll(s->w[i]);
	return n;
}

// --- Builder ---------------------------------------------------------------

void topo_reset(void)
{
	memset(&T, 0, sizeof(T));
}

void topo_note(const char *fmt, ...)
{
	va_list ap;

	if (T.nnotes >= TOPO_MAX_NOTES)
		return;
	va_start(ap, fmt);
	kvsnprintf(T.notes[T.nnotes++], TOPO_NOTE_LEN, fmt, ap);
	va_end(ap);
}

void topo_add_source(const char *name)
{
	size_t len = strlen(T.sources);

	ksnprintf(T.sources + len, sizeof(T.sources) - len, "%s%s",
	          len ? ", " : "", name);
}

err_t topo_add_cpu(uint64_t hwid, uint32_t uid, unsigned *cpu)
{
	struct topo_cpu_rec *c;

	if (T.ncpus >= MAX_CPUS) {
		if (!T.overflow_cpus)
			topo_note("more than %u CPUs: the rest are left out",
			          MAX_CPUS);
		T.overflow_cpus = true;
		return E_RANGE;
	}
	c = &T.cpu[T.ncpus];
	memset(c, 0, sizeof(*c));
	c->hwid = hwid;
	c->uid = uid;
	c->node = TOPO_NONE;
	*cpu = T.ncpus++;
	return E_OK;
}

unsigned topo_find_cpu_uid(uint32_t uid)
{
	for (unsigned i = 0; i < T.ncpus; i++)
		if (T.cpu[i].uid == uid)
			return i;
	return TOPO_NONE;
}

void topo_set_cpu_id(unsigned cpu, enum topo_level level, uint32_t id)
{
	T.cpu[cpu].id[level] = id;
	T.cpu[cpu].levels |= (uint8_t)(1u << level);
	T.described[level] = true;
}

bool topo_level_described(enum topo_level level)
{
	return T.described[level];
}

unsigned topo_find_node(uint32_t domain)
{
	for (unsigned i = 0; i < T.nnodes; i++)
		if (T.domain[i] == domain)
			return i;
	return TOPO_NONE;
}

err_t topo_add_node(uint32_t domain, unsigned *node)
{
	unsigned n = topo_find_node(domain);

	if (n == TOPO_NONE) {
		if (T.nnodes >= TOPO_MAX_NODES) {
			topo_note("proximity domain %u: more than %u nodes; "
			          "left out",
			          domain, TOPO_MAX_NODES);
			return E_RANGE;
		}
		n = T.nnodes++;
		T.domain[n] = domain;
	}
	*node = n;
	return E_OK;
}

void topo_set_cpu_node(unsigned cpu, unsigned node)
{
	T.cpu[cpu].node = (uint16_t)node;
}

err_t topo_add_mem_range(uint64_t base, uint64_t length, unsigned node,
                         bool hotplug, bool nonvolatile)
{
	struct topo_mem_range *m;

	if (T.nmem >= TOPO_MAX_MEM_RANGES) {
		topo_note("more than %u memory ranges: the rest are left out",
		          TOPO_MAX_MEM_RANGES);
		return E_RANGE;
	}
	m = &T.mem[T.nmem++];
	m->base = base;
	m->length = length;
	m->node = (uint16_t)node;
	m->hotplug = hotplug;
	m->nonvolatile = nonvolatile;
	return E_OK;
}

void topo_set_distance(unsigned from, unsigned to, unsigned d)
{
	T.dist[from][to] = (uint8_t)d;
	T.dist_known = true;
}

void topo_set_hmat(unsigned init, unsigned target, uint64_t lat_ps,
                   uint64_t bw_mbs)
{
	if (lat_ps)
		T.lat[init][target] = lat_ps;
	if (bw_mbs)
		T.bw[init][target] = bw_mbs;
}

static unsigned topo_cache_lookup(const struct topo_cache *c)
{
	for (unsigned i = 0; i < T.ncaches; i++) {
		const struct topo_cache *k = &T.cache[i];

		if (k->key == c->key && k->level == c->level &&
		    k->type == c->type)
			return i;
	}
	return TOPO_NONE;
}

err_t topo_add_cache(unsigned cpu, const struct topo_cache *c)
{
	struct topo_cpu_rec *r = &T.cpu[cpu];
	unsigned idx = topo_cache_lookup(c);

	if (idx == TOPO_NONE) {
		if (T.ncaches >= TOPO_MAX_CACHES) {
			if (!T.overflow_caches)
				topo_note("more than %u caches: the rest are "
				          "left out",
				          TOPO_MAX_CACHES);
			T.overflow_caches = true;
			return E_RANGE;
		}
		idx = T.ncaches++;
		T.cache[idx] = *c;
	}
	for (unsigned i = 0; i < r->ncache; i++)
		if (r->cache[i] == idx)
			return E_OK;
	if (r->ncache >= TOPO_MAX_CPU_CACHES)
		return E_RANGE;
	r->cache[r->ncache++] = (uint16_t)idx;
	return E_OK;
}

// --- Finishing -------------------------------------------------------------

// Tree order: by physical IDs from the package down, then CPU number.
static int topo_cpu_cmp(unsigned a, unsigned b)
{
	for (int l = TOPO_PACKAGE; l < TOPO_NLEVELS; l++) {
		uint32_t x = T.cpu[a].id[l], y = T.cpu[b].id[l];

		if (x != y)
			return x < y ? -1 : 1;
	}
	return a < b ? -1 : a > b;
}

static void topo_sort_cpus(void)
{
	// Insertion sort: at most MAX_CPUS, once per boot.
	for (unsigned i = 0; i < T.ncpus; i++) {
		uint16_t v = (uint16_t)i;
		unsigned j = i;

		while (j > 0 && topo_cpu_cmp(T.order[j - 1], v) > 0) {
			T.order[j] = T.order[j - 1];
			j--;
		}
		T.order[j] = v;
	}
}

static void topo_number_objects(void)
{
	const struct topo_cpu_rec *prev = NULL;

	memset(T.nobj, 0, sizeof(T.nobj));
	T.nobj[TOPO_MACHINE] = 1;
	for (unsigned i = 0; i < T.ncpus; i++) {
		struct topo_cpu_rec *c = &T.cpu[T.order[i]];
		bool split = false;

		c->obj[TOPO_MACHINE] = 0;
		for (int l = TOPO_PACKAGE; l < TOPO_NLEVELS; l++) {
			struct topo_obj *o;

			split = split || !prev || prev->id[l] != c->id[l] ||
			        l == TOPO_PU;
			if (!split) {
				c->obj[l] = prev->obj[l];
				continue;
			}
			c->obj[l] = (uint16_t)T.nobj[l]++;
			o = &T.obj[l][c->obj[l]];
			o->phys = c->id[l];
			o->parent = c->obj[l - 1];
		}
		prev = c;
	}
}

// Levels the sources did not give: packages default to one, cores to one
// per PU, threads to 0 within their core.
static void topo_fill_levels(void)
{
	for (int l = TOPO_PACKAGE; l <= TOPO_CORE; l++) {
		unsigned missing = 0;

		for (unsigned i = 0; T.described[l] && i < T.ncpus; i++)
			missing += !(T.cpu[i].levels & (1u << l));
		if (missing)
			topo_note("%s: %u CPUs not placed by the source; "
			          "assumed %s 0",
			          topo_level_name(l), missing,
			          topo_level_name(l));
	}
	if (!T.described[TOPO_PACKAGE] && T.ncpus)
		topo_note("packages: unknown (no PPTT, CPUID or cpu-map); "
		          "not shown");
	if (!T.described[TOPO_CORE]) {
		if (T.ncpus)
			topo_note("cores: unknown (one PU per core assumed; "
			          "not shown)");
		for (unsigned i = 0; i < T.ncpus; i++)
			T.cpu[i].id[TOPO_CORE] = i;
	}
}

static void topo_pick_shown_levels(void)
{
	unsigned above = 1;

	for (int l = TOPO_PACKAGE; l < TOPO_NLEVELS; l++) {
		bool always =
		    l == TOPO_PU ||
		    ((l == TOPO_CORE || l == TOPO_PACKAGE) && T.described[l]);

		T.shown[l] = always || (T.described[l] && T.nobj[l] != above);
		if (T.shown[l])
			above = T.nobj[l];
	}
	T.shown[TOPO_MACHINE] = true;
}

static void topo_fill_numa(void)
{
	unsigned n0 = 0;
	uint64_t hot = 0;
	bool unplaced = false;

	if (T.nnodes == 0)
		(void)topo_add_node(0, &n0);
	for (unsigned i = 0; i < T.ncpus; i++) {
		if (T.cpu[i].node == TOPO_NONE) {
			unplaced = T.nnodes > 1;
			T.cpu[i].node = 0;
		}
	}
	if (unplaced)
		topo_note("some CPUs have no NUMA node: assumed node 0");
	for (unsigned i = 0; i < T.nnodes; i++)
		for (unsigned j = 0; j < T.nnodes; j++)
			if (!T.dist[i][j])
				T.dist[i][j] = i == j ? 10 : 20;
	for (unsigned i = 0; i < T.nmem; i++)
		hot += T.mem[i].hotplug ? T.mem[i].length : 0;
	if (hot)
		topo_note("memory: %lu MiB of hot-pluggable ranges not counted "
		          "as node memory",
		          (unsigned long)(hot >> 20));
	if (!T.nmem && T.nnodes == 1 && usable_mem) {
		// As Linux and hwloc do: one node holds all the machine's RAM.
		T.map_mem = usable_mem;
		topo_note("memory: no SRAT memory ranges or DT memory nodes; "
		          "the one node has the memory map's usable memory "
		          "(%lu MiB)",
		          (unsigned long)(usable_mem >> 20));
	} else if (!T.nmem) {
		topo_note("memory: no SRAT memory ranges or DT memory nodes; "
		          "node sizes unknown");
	}
	if (T.nnodes > 1 && !T.dist_known)
		topo_note("NUMA distances: unknown (no SLIT / distance-map); "
		          "assumed 10 local, 20 remote");
}

// Nodes in domain order, with every reference renumbered.
static void topo_sort_nodes(void)
{
	uint16_t map[TOPO_MAX_NODES], inv[TOPO_MAX_NODES];
	static uint8_t d2[TOPO_MAX_NODES][TOPO_MAX_NODES];
	static uint64_t l2[TOPO_MAX_NODES][TOPO_MAX_NODES],
	    b2[TOPO_MAX_NODES][TOPO_MAX_NODES];
	uint32_t dom[TOPO_MAX_NODES];

	for (unsigned i = 0; i < T.nnodes; i++) {
		unsigned rank = 0;

		for (unsigned j = 0; j < T.nnodes; j++)
			rank += T.domain[j] < T.domain[i];
		map[i] = (uint16_t)rank; // old -> new
		inv[rank] = (uint16_t)i;
	}
	for (unsigned i = 0; i < T.nnodes; i++) {
		dom[i] = T.domain[inv[i]];
		for (unsigned j = 0; j < T.nnodes; j++) {
			d2[i][j] = T.dist[inv[i]][inv[j]];
			l2[i][j] = T.lat[inv[i]][inv[j]];
			b2[i][j] = T.bw[inv[i]][inv[j]];
		}
	}
	memcpy(T.domain, dom, sizeof(dom));
	memcpy(T.dist, d2, sizeof(d2));
	memcpy(T.lat, l2, sizeof(l2));
	memcpy(T.bw, b2, sizeof(b2));
	for (unsigned i = 0; i < T.ncpus; i++)
		if (T.cpu[i].node != TOPO_NONE)
			T.cpu[i].node = map[T.cpu[i].node];
	for (unsigned i = 0; i < T.nmem; i++)
		T.mem[i].node = map[T.mem[i].node];
}

static void topo_sort_mem(void)
{
	for (unsigned i = 1; i < T.nmem; i++) {
		struct topo_mem_range v = T.mem[i];
		unsigned j = i;

		while (j > 0 && T.mem[j - 1].base > v.base) {
			T.mem[j] = T.mem[j - 1];
			j--;
		}
		T.mem[j] = v;
	}
}

void topo_finish(void)
{
	topo_fill_levels();
	topo_fill_numa();
	topo_sort_nodes();
	topo_sort_mem();
	topo_sort_cpus();
	topo_number_objects();
	topo_pick_shown_levels();
	if (!T.sources[0])
		topo_add_source("none");
}

// --- Queries ---------------------------------------------------------------

unsigned topo_cpu_count(void)
{
	return T.ncpus;
}

unsigned topo_level_count(enum topo_level level)
{
	return T.nobj[level];
}

bool topo_level_shown(enum topo_level level)
{
	return T.shown[level];
}

const char *topo_level_name(enum topo_level level)
{
	static const char *const names[] = {"Machine", "Package", "Die",
	                                    "Cluster", "Core",    "PU"};

	return level < TOPO_NLEVELS ? names[level] : "?";
}

unsigned topo_node_count(void)
{
	return T.nnodes;
}

unsigned topo_cache_count(void)
{
	return T.ncaches;
}

unsigned topo_cpu_obj(unsigned cpu, enum topo_level level)
{
	ASSERT(cpu < T.ncpus && level < TOPO_NLEVELS);
	return T.cpu[cpu].obj[level];
}

unsigned topo_cpu_node(unsigned cpu)
{
	ASSERT(cpu < T.ncpus);
	return T.cpu[cpu].node;
}

uint64_t topo_cpu_hwid(unsigned cpu)
{
	return T.cpu[cpu].hwid;
}

uint32_t topo_cpu_phys_id(unsigned cpu, enum topo_level level)
{
	return T.cpu[cpu].id[level];
}

unsigned topo_cpu_by_hwid(uint64_t hwid)
{
	for (unsigned i = 0; i < T.ncpus; i++)
		if (T.cpu[i].hwid == hwid)
			return i;
	return TOPO_NONE;
}

void topo_obj_cpus(enum topo_level level, unsigned idx, struct topo_cpuset *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < T.ncpus; i++)
		if (T.cpu[i].obj[level] == idx)
			topo_cpuset_set(out, i);
}

void topo_siblings(unsigned cpu, enum topo_level level, struct topo_cpuset *out)
{
	topo_obj_cpus(level, topo_cpu_obj(cpu, level), out);
}

uint32_t topo_obj_phys_id(enum topo_level level, unsigned idx)
{
	return level == TOPO_MACHINE ? 0 : T.obj[level][idx].phys;
}

const struct topo_cache *topo_cache_get(unsigned idx)
{
	return idx < T.ncaches ? &T.cache[idx] : NULL;
}

void topo_cache_cpus(unsigned idx, struct topo_cpuset *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < T.ncpus; i++)
		for (unsigned k = 0; k < T.cpu[i].ncache; k++)
			if (T.cpu[i].cache[k] == idx)
				topo_cpuset_set(out, i);
}

unsigned topo_cpu_caches(unsigned cpu, unsigned *out)
{
	const struct topo_cpu_rec *c = &T.cpu[cpu];

	for (unsigned k = 0; k < c->ncache; k++)
		out[k] = c->cache[k];
	return c->ncache;
}

unsigned topo_shared_cache(unsigned a, unsigned b)
{
	const struct topo_cpu_rec *ca = &T.cpu[a], *cb = &T.cpu[b];
	unsigned best = TOPO_NONE;

	for (unsigned i = 0; i < ca->ncache; i++) {
		unsigned idx = ca->cache[i];

		if (T.cache[idx].type == TOPO_CACHE_INSTRUCTION)
			continue;
		for (unsigned j = 0; j < cb->ncache; j++)
			if (cb->cache[j] == idx &&
			    (best == TOPO_NONE ||
			     T.cache[idx].level < T.cache[best].level))
				best = idx;
	}
	return best;
}

bool topo_caches_known(void)
{
	return T.ncaches > 0;
}

uint32_t topo_node_domain(unsigned node)
{
	return T.domain[node];
}

void topo_node_cpus(unsigned node, struct topo_cpuset *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < T.ncpus; i++)
		if (T.cpu[i].node == node)
			topo_cpuset_set(out, i);
}

uint64_t topo_node_mem_bytes(unsigned node)
{
	uint64_t sum = 0;

	if (!T.nmem)
		return node == 0 ? T.map_mem : 0;
	// Hot-pluggable ranges are room for memory that may come later
	// (QEMU: maxmem); they still say which node an address belongs to.
	for (unsigned i = 0; i < T.nmem; i++)
		if (T.mem[i].node == node && !T.mem[i].hotplug)
			sum += T.mem[i].length;
	return sum;
}

unsigned topo_node_distance(unsigned from, unsigned to)
{
	if (from >= T.nnodes || to >= T.nnodes)
		return 255;
	return T.dist[from][to];
}

uint64_t topo_node_latency_ps(unsigned initiator, unsigned target)
{
	return initiator < T.nnodes && target < T.nnodes
	           ? T.lat[initiator][target]
	           : 0;
}

uint64_t topo_node_bandwidth_mbs(unsigned initiator, unsigned target)
{
	return initiator < T.nnodes && target < T.nnodes
	           ? T.bw[initiator][target]
	           : 0;
}

bool topo_distances_known(void)
{
	return T.dist_known;
}

bool topo_node_mem_known(void)
{
	return T.nmem || T.map_mem;
}

unsigned topo_mem_range_count(void)
{
	return T.nmem;
}

const struct topo_mem_range *topo_mem_range_get(unsigned idx)
{
	return idx < T.nmem ? &T.mem[idx] : NULL;
}

unsigned topo_mem_node(uint64_t pa, uint64_t *end, bool *exact)
{
	const struct topo_mem_range *below = NULL;

	for (unsigned i = 0; i < T.nmem; i++) {
		const struct topo_mem_range *m = &T.mem[i];

		if (pa >= m->base && pa - m->base < m->length) {
			if (end)
				*end = m->base + m->length;
			if (exact)
				*exact = true;
			return m->node;
		}
		if (m->base > pa) { // ranges are sorted: the gap ends here
			if (end)
				*end = m->base;
			if (exact)
				*exact = false;
			return below ? below->node : m->node;
		}
		below = m;
	}
	if (end)
		*end = ~0ull;
	if (exact)
		*exact = false;
	return below ? below->node : 0;
}

unsigned topo_node_fallback(unsigned from, uint16_t *order, unsigned max)
{
	unsigned n = 0;

	if (from >= T.nnodes)
		from = 0;
	// Selection by (distance, node number): at most TOPO_MAX_NODES^2.
	for (unsigned k = 0; k < T.nnodes && n < max; k++) {
		unsigned best = TOPO_NONE;

		for (unsigned i = 0; i < T.nnodes; i++) {
			bool used = false;

			for (unsigned j = 0; j < n; j++)
				used = used || order[j] == i;
			if (used)
				continue;
			if (best == TOPO_NONE || (i == from && best != from) ||
			    (best != from &&
			     T.dist[from][i] < T.dist[from][best]))
				best = i;
		}
		order[n++] = (uint16_t)best;
	}
	return n;
}

unsigned topo_note_count(void)
{
	return T.nnotes;
}

const char *topo_note_get(unsigned idx)
{
	return idx < T.nnotes ? T.notes[idx] : "";
}

const char *topo_sources(void)
{
	return T.sources;
}

// Tree-order access for the printers (topology/print.c, xml.c).
unsigned topo_order_cpu(unsigned i)
{
	return T.order[i];
}
