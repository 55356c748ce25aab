// SPDX-License-Identifier: MIT
// Topology from ACPI: MADT (which CPUs exist and are enabled), PPTT
// (processor hierarchy and cache nodes), SRAT (CPU and memory affinity),
// SLIT (distances) and HMAT (latency and bandwidth). Each table is
// validated by its acpi/ decoder first; a table that fails is reported
// there (naming table and offset) and left out here with a note, and the
// build carries on with what the other tables say.
// Runs during the single-threaded build: no locks.
#include <hal/cpuid.h>
#include <acpi/hmat.h>
#include <acpi/madt.h>
#include <acpi/pptt.h>
#include <acpi/slit.h>
#include <acpi/srat.h>
#include <lib/err.h>
#include <topology/build.h>

#define PPTT_MAX_DEPTH 16
// MPIDR affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0).
#define MPIDR_AFF_MASK 0xff00ffffffull

static bool acpi_cpus_are_gicc;

static bool acpi_get(const char *sig, const struct acpi_sdt_header **t)
{
	return acpi_table_find(sig, 0, t) == E_OK;
}

static void acpi_add_madt_cpu(uint64_t hwid, uint32_t uid, unsigned *dups)
{
	unsigned cpu;

	if (topo_cpu_by_hwid(hwid) != TOPO_NONE) {
		(*dups)++;
		return;
	}
	(void)topo_add_cpu(hwid, uid, &cpu);
}

err_t topo_acpi_cpus(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_madt m;
	struct acpi_madt_entry e;
	unsigned off = 0, dups = 0;

	if (!acpi_get("APIC", &t))
		return E_NOENT;
	if (acpi_madt_parse(t, &m) != E_OK) {
		topo_note("MADT unusable: CPUs unknown");
		return E_CORRUPT;
	}
	topo_add_source("ACPI MADT");
	for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);) {
		if (e.type == ACPI_MADT_LAPIC || e.type == ACPI_MADT_X2APIC) {
			if (!e.lapic.enabled) {
				off += e.lapic.online_capable ||
				       e.type == ACPI_MADT_X2APIC ||
				       e.lapic.apic_id != 0xff;
				continue;
			}
			acpi_add_madt_cpu(e.lapic.apic_id, e.lapic.uid, &dups);
		} else if (e.type == ACPI_MADT_GICC) {
			if (!e.gicc.enabled) {
				off++;
				continue;
			}
			acpi_cpus_are_gicc = true;
			acpi_add_madt_cpu(e.gicc.mpidr & MPIDR_AFF_MASK,
			                  e.gicc.uid, &dups);
		}
	}
	if (off)
		topo_note("%u CPUs disabled in the MADT (not present or "
		          "hot-pluggable) are not in the model",
		          off);
	if (dups)
		topo_note("%u MADT entries repeat an APIC ID / MPIDR: ignored",
		          dups);
	return topo_cpu_count() ? E_OK : E_NOENT;
}

// --- PPTT ----------------------------------------------------------------

// Walks up from a leaf: chain[0] = leaf ... chain[n-1] = root.
static unsigned pptt_chain(const struct acpi_pptt *p,
                           const struct acpi_pptt_node *leaf,
                           struct acpi_pptt_node *chain)
{
	unsigned n = 0;

	chain[n++] = *leaf;
	while (n < PPTT_MAX_DEPTH && chain[n - 1].proc.parent &&
	       acpi_pptt_node_at(p, chain[n - 1].proc.parent, &chain[n]) ==
	           E_OK &&
	       chain[n].type == ACPI_PPTT_PROCESSOR)
		n++;
	return n;
}

static void pptt_set_levels(unsigned cpu, const struct acpi_pptt_node *ch,
                            unsigned n)
{
	unsigned core = 0, pkg = n - 1;

	if (ch[0].proc.flags & ACPI_PPTT_THREAD && n > 1) {
		topo_set_cpu_id(cpu, TOPO_PU, ch[0].proc.id);
		core = 1;
	}
	topo_set_cpu_id(cpu, TOPO_CORE, ch[core].proc.id);
	for (unsigned i = core + 1; i < n; i++)
		if (ch[i].proc.flags & ACPI_PPTT_PHYSICAL_PACKAGE) {
			pkg = i;
			break;
		}
	if (pkg <= core) { // no package above the core: the core's root
		topo_set_cpu_id(cpu, TOPO_PACKAGE, ch[n - 1].proc.id);
		return;
	}
	topo_set_cpu_id(cpu, TOPO_PACKAGE, ch[pkg].proc.id);
	if (pkg - core >= 2) // a level between core and package
		topo_set_cpu_id(cpu, TOPO_CLUSTER, ch[core + 1].proc.id);
	if (pkg - core >= 3)
		topo_set_cpu_id(cpu, TOPO_DIE, ch[pkg - 1].proc.id);
}

static void pptt_cache_from(const struct acpi_pptt_node *c,
                            struct topo_cache *tc)
{
	uint32_t f = c->cache.flags;

	tc->size = f & ACPI_PPTT_CACHE_SIZE_VALID ? c->cache.size : 0;
	tc->sets = f & ACPI_PPTT_CACHE_SETS_VALID ? c->cache.sets : 0;
	tc->ways = f & ACPI_PPTT_CACHE_ASSOC_VALID ? c->cache.assoc : 0;
	tc->line = f & ACPI_PPTT_CACHE_LINE_VALID ? c->cache.line_size : 0;
	tc->type = TOPO_CACHE_UNIFIED;
	if (f & ACPI_PPTT_CACHE_TYPE_VALID) {
		if (c->cache.type == ACPI_PPTT_CACHE_DATA)
			tc->type = TOPO_CACHE_DATA;
		else if (c->cache.type == ACPI_PPTT_CACHE_INSTRUCTION)
			tc->type = TOPO_CACHE_INSTRUCTION;
	}
}

// One CPU's view of the PPTT caches: every cache structure reachable from
// the private resources of the processor nodes above it. A structure is one
// cache instance per *highest* node that reaches it (an L3 that a core's
// L1 -> L2 -> L3 chain reaches and the package lists is the package's);
// its level is its smallest position in any chain, counted as Linux does
// (a node's chains start after the longest chain of the nodes below).
struct pptt_seen {
	uint32_t off, owner;
	uint8_t level;
};

#define PPTT_MAX_SEEN 32

static void pptt_see(struct pptt_seen *seen, unsigned *n, uint32_t off,
                     uint32_t owner, unsigned level)
{
	for (unsigned i = 0; i < *n; i++)
		if (seen[i].off == off) {
			seen[i].owner = owner; // walking upwards: higher wins
			if (level < seen[i].level)
				seen[i].level = (uint8_t)level;
			return;
		}
	if (*n < PPTT_MAX_SEEN)
		seen[(*n)++] = (struct pptt_seen){off, owner, (uint8_t)level};
}

static void pptt_node_caches(const struct acpi_pptt *p,
                             const struct acpi_pptt_node *owner, unsigned *base,
                             struct pptt_seen *seen, unsigned *nseen)
{
	unsigned longest = 0;

	for (uint32_t i = 0; i < owner->proc.nprivate; i++) {
		struct acpi_pptt_node c;
		uint32_t off = acpi_pptt_private(p, owner, i);
		unsigned lvl = 0;

		while (off && lvl < PPTT_MAX_DEPTH &&
		       acpi_pptt_node_at(p, off, &c) == E_OK &&
		       c.type == ACPI_PPTT_CACHE) {
			pptt_see(seen, nseen, off, owner->offset,
			         *base + ++lvl);
			off = c.cache.next_level;
		}
		if (lvl > longest)
			longest = lvl;
	}
	*base += longest;
}

static void pptt_add_caches(const struct acpi_pptt *p, unsigned cpu,
                            const struct pptt_seen *seen, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct acpi_pptt_node c;
		struct topo_cache tc = {0};

		if (acpi_pptt_node_at(p, seen[i].off, &c) != E_OK)
			continue;
		pptt_cache_from(&c, &tc);
		tc.level = seen[i].level;
		tc.key = (uint64_t)seen[i].owner << 32 | seen[i].off;
		(void)topo_add_cache(cpu, &tc);
	}
}

static void pptt_cpu(const struct acpi_pptt *p,
                     const struct acpi_pptt_node *leaf, unsigned *unknown)
{
	struct acpi_pptt_node chain[PPTT_MAX_DEPTH];
	struct pptt_seen seen[PPTT_MAX_SEEN];
	unsigned cpu = topo_find_cpu_uid(leaf->proc.acpi_id), n, base = 0;
	unsigned nseen = 0;

	if (!leaf->proc.id_valid || cpu == TOPO_NONE) {
		(*unknown)++; // a CPU the MADT did not enable
		return;
	}
	n = pptt_chain(p, leaf, chain);
	pptt_set_levels(cpu, chain, n);
	for (unsigned i = 0; i < n; i++)
		pptt_node_caches(p, &chain[i], &base, seen, &nseen);
	pptt_add_caches(p, cpu, seen, nseen);
}

void topo_acpi_pptt(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_pptt p;
	struct acpi_pptt_node n;
	unsigned unknown = 0, leaves = 0;

	if (!acpi_get("PPTT", &t))
		return;
	if (acpi_pptt_parse(t, &p) != E_OK) {
		topo_note("PPTT unusable: levels and caches from other "
		          "sources");
		return;
	}
	for (uint32_t pos = 0; acpi_pptt_next(&p, &pos, &n);) {
		if (n.type != ACPI_PPTT_PROCESSOR ||
		    !(n.proc.flags & ACPI_PPTT_LEAF))
			continue;
		leaves++;
		pptt_cpu(&p, &n, &unknown);
	}
	if (!leaves) {
		topo_note("PPTT has no leaf processor nodes: not used");
		return;
	}
	topo_add_source("ACPI PPTT");
	if (unknown)
		topo_note("PPTT: %u leaf nodes match no enabled MADT CPU",
		          unknown);
}

// --- SRAT, SLIT, HMAT ------------------------------------------------------

static void srat_cpu(uint32_t domain, uint32_t apic, bool by_uid,
                     unsigned *missing)
{
	unsigned node, cpu;

	cpu = by_uid ? topo_find_cpu_uid(apic) : topo_cpu_by_hwid(apic);
	if (topo_add_node(domain, &node) != E_OK)
		return;
	if (cpu == TOPO_NONE)
		(*missing)++; // hot-pluggable or disabled CPU: node kept
	else
		topo_set_cpu_node(cpu, node);
}

static void srat_entry(const struct acpi_srat_entry *e, unsigned *missing,
                       unsigned *gi)
{
	unsigned node;

	if (!e->enabled)
		return;
	switch (e->type) {
	case ACPI_SRAT_CPU:
	case ACPI_SRAT_X2APIC:
		if (!acpi_cpus_are_gicc)
			srat_cpu(e->domain, e->cpu.apic_id, false, missing);
		break;
	case ACPI_SRAT_GICC:
		srat_cpu(e->domain, e->gicc.uid, true, missing);
		break;
	case ACPI_SRAT_MEMORY:
		if (e->mem.length && topo_add_node(e->domain, &node) == E_OK)
			(void)topo_add_mem_range(e->mem.base, e->mem.length,
			                         node, e->mem.hotplug,
			                         e->mem.nonvolatile);
		break;
	case ACPI_SRAT_GENERIC_INITIATOR:
	case ACPI_SRAT_GENERIC_PORT: (*gi)++; break;
	default: break;
	}
}

static bool topo_acpi_srat(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_srat s;
	struct acpi_srat_entry e;
	unsigned missing = 0, gi = 0;

	if (!acpi_get("SRAT", &t))
		return false;
	if (acpi_srat_parse(t, &s) != E_OK) {
		topo_note("SRAT unusable: one NUMA node assumed");
		return false;
	}
	topo_add_source("SRAT");
	for (uint32_t pos = 0; acpi_srat_next(&s, &pos, &e);)
		srat_entry(&e, &missing, &gi);
	if (missing)
		topo_note("SRAT: %u CPU entries name no enabled MADT CPU",
		          missing);
	if (gi)
		topo_note("SRAT: %u generic initiator/port entries ignored",
		          gi);
	return true;
}

static void topo_acpi_slit(bool have_srat)
{
	const struct acpi_sdt_header *t;
	struct acpi_slit s;
	unsigned bad = 0;

	if (!acpi_get("SLIT", &t))
		return;
	if (!have_srat) {
		topo_note("SLIT without a usable SRAT: ignored");
		return;
	}
	if (acpi_slit_parse(t, &s) != E_OK) {
		topo_note("SLIT unusable: distances assumed");
		return;
	}
	topo_add_source("SLIT");
	// Over the nodes, not the matrix: a SLIT may declare 2^64 localities.
	for (unsigned a = 0; a < topo_node_count(); a++) {
		uint32_t i = topo_node_domain(a);

		bad += i >= s.n;
		for (unsigned b = 0; b < topo_node_count() && i < s.n; b++) {
			uint32_t j = topo_node_domain(b);

			if (j < s.n)
				topo_set_distance(a, b,
				                  acpi_slit_distance(&s, i, j));
		}
	}
	if (bad)
		topo_note("SLIT: %u NUMA nodes are outside its %u x %u matrix",
		          bad, s.n, s.n);
}

static void hmat_locality(const struct acpi_hmat *h,
                          const struct acpi_hmat_entry *e)
{
	bool lat = e->lb.data_type <= ACPI_HMAT_READ_LATENCY;
	bool bw = e->lb.data_type == ACPI_HMAT_ACCESS_BANDWIDTH ||
	          e->lb.data_type == ACPI_HMAT_READ_BANDWIDTH;

	if (e->lb.hierarchy != 0 || (!lat && !bw))
		return;
	for (uint32_t i = 0; i < e->lb.ninit; i++)
		for (uint32_t j = 0; j < e->lb.ntarget; j++) {
			unsigned a =
			    topo_find_node(acpi_hmat_lb_initiator(h, e, i));
			unsigned b =
			    topo_find_node(acpi_hmat_lb_target(h, e, j));
			uint16_t v = acpi_hmat_lb_value(h, e, i, j);
			uint64_t x = (uint64_t)v * e->lb.base_unit;

			if (a == TOPO_NONE || b == TOPO_NONE || !v ||
			    v == 0xffff)
				continue;
			// Access values win over read values: both are set
			// in table order, access last if present.
			if (lat &&
			    (e->lb.data_type == ACPI_HMAT_ACCESS_LATENCY ||
			     !topo_node_latency_ps(a, b)))
				topo_set_hmat(a, b, x, 0);
			if (bw &&
			    (e->lb.data_type == ACPI_HMAT_ACCESS_BANDWIDTH ||
			     !topo_node_bandwidth_mbs(a, b)))
				topo_set_hmat(a, b, 0, x);
		}
}

static void topo_acpi_hmat(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_hmat h;
	struct acpi_hmat_entry e;

	if (!acpi_get("HMAT", &t))
		return;
	if (acpi_hmat_parse(t, &h) != E_OK) {
		topo_note("HMAT unusable: no latency/bandwidth");
		return;
	}
	topo_add_source("HMAT");
	for (uint32_t pos = 0; acpi_hmat_next(&h, &pos, &e);)
		if (e.type == ACPI_HMAT_LOCALITY)
			hmat_locality(&h, &e);
}

void topo_acpi_numa(void)
{
	bool srat = topo_acpi_srat();

	topo_acpi_slit(srat);
	if (srat)
		topo_acpi_hmat();
}

err_t topology_build_acpi(void)
{
	err_t err;

	topo_reset();
	acpi_cpus_are_gicc = false;
	err = topo_acpi_cpus();
	topo_acpi_pptt();
	if (!acpi_cpus_are_gicc)
		topo_cpuid_apply();
	topo_acpi_numa();
	if (!topo_caches_known())
		topo_cacheid_apply();
	// Arm has no CPUID to fall back on: only name it where it could be.
	if (!topo_caches_known() && acpi_cpus_are_gicc)
		topo_note("caches: unknown (no PPTT cache nodes, no CLIDR)");
	else if (!topo_caches_known() && !hal_cpuid_present())
		topo_note("caches: unknown (no PPTT cache nodes, no CPUID)");
	topo_finish();
	return err;
}
