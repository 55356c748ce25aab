// SPDX-License-Identifier: MIT
// Raw levels of a domain build: every candidate level with its span for
// each CPU, from the topology layer, before the per-CPU step (domain.c)
// drops the levels that do not grow.
//
// Order: SMT (core), CLS (cluster, when the topology shows clusters), LLC
// (the highest data/unified cache; else the package as a stand-in), DIE
// (when shown), PKG (when shown), then one level per distinct NUMA distance
// between nodes holding CPUs of the build (the smallest is NODE). The LLC
// goes above DIE when every CPU's die lies within its LLC and some LLC is
// larger than its die, else below (an LLC equal to the die is named LLC).
// Topology levels are cut to the CPU's node, so that they nest inside the
// distance levels; a level that does not contain the one below (odd
// firmware) is widened to it and counted as a fix-up, as Linux does.
//
// Locks: none (see domain.c).
#include <string.h>
#include <lib/err.h>
#include <kernel/sched/domain_impl.h>
#include <mm/heap.h>

static err_t sd_raw_add(struct sd_build *b, enum sched_domain_kind kind,
                        bool per_node, struct sd_raw **out)
{
	struct sd_raw *r;

	if (b->nraw >= SD_MAX_RAW)
		return E_RANGE;
	r = &b->raw[b->nraw];
	r->spans = kzalloc((per_node ? TOPO_MAX_NODES : MAX_CPUS) *
	                   sizeof(struct cpumask));
	if (!r->spans)
		return E_NOMEM;
	r->kind = kind;
	r->per_node = per_node;
	b->nraw++;
	*out = r;
	return E_OK;
}

void sd_raw_free(struct sd_build *b)
{
	for (unsigned k = 0; k < b->nraw; k++)
		kfree(b->raw[k].spans);
	b->nraw = 0;
}

// Topology CPU set -> CPUs of the build (kernel numbers).
static void sd_from_topo(const struct sd_build *b, const struct topo_cpuset *s,
                         struct cpumask *out)
{
	cpumask_clear_all(out);
	for (unsigned w = 0; w < ARRAY_SIZE(s->w); w++)
		for (uint64_t bits = s->w[w]; bits; bits &= bits - 1) {
			unsigned t = w * 64 + (unsigned)__builtin_ctzll(bits);

			if (b->kcpu[t] != 0xffff)
				cpumask_set(out, b->kcpu[t]);
		}
}

// Cuts span to cpu's node and makes it contain the level below (k - 1).
static void sd_nest(struct sd_build *b, unsigned k, unsigned cpu,
                    struct cpumask *span)
{
	struct cpumask below;

	cpumask_and(span, span, &b->node_cpus[b->node[cpu]]);
	if (k == 0) {
		cpumask_clear_all(&below);
		cpumask_set(&below, cpu);
	} else {
		below = *sd_raw_span(b, k - 1, cpu);
	}
	if (!cpumask_subset(&below, span)) {
		b->fixups++;
		cpumask_or(span, span, &below);
	}
}

static err_t sd_raw_topo(struct sd_build *b, enum sched_domain_kind kind,
                         enum topo_level level)
{
	struct topo_cpuset ts;
	struct sd_raw *r;
	unsigned cpu, k = b->nraw;
	err_t err;

	if ((err = sd_raw_add(b, kind, false, &r)))
		return err;
	CPUMASK_FOR_EACH(cpu, &b->cpus)
	{
		topo_siblings(b->tcpu[cpu], level, &ts);
		sd_from_topo(b, &ts, &r->spans[cpu]);
		sd_nest(b, k, cpu, &r->spans[cpu]);
	}
	return E_OK;
}

// cpu's last-level cache: the highest-level data or unified cache it sees.
static unsigned sd_llc_cache(unsigned tcpu)
{
	unsigned idx[TOPO_MAX_CPU_CACHES], n, best = TOPO_NONE;

	if (!topo_caches_known())
		return TOPO_NONE;
	n = topo_cpu_caches(tcpu, idx);
	for (unsigned i = 0; i < n; i++) {
		const struct topo_cache *c = topo_cache_get(idx[i]);

		if (c->type == TOPO_CACHE_INSTRUCTION)
			continue;
		if (best == TOPO_NONE || c->level > topo_cache_get(best)->level)
			best = idx[i];
	}
	return best;
}

// The LLC of every CPU into spans (uncut). False when nothing at all is
// known (no caches, no packages): then there is no LLC level.
static bool sd_llc_spans(struct sd_build *b, struct cpumask *spans)
{
	bool pkg = topo_level_shown(TOPO_PACKAGE), any = false;
	struct topo_cpuset ts;
	unsigned cpu;

	CPUMASK_FOR_EACH(cpu, &b->cpus)
	{
		unsigned c = sd_llc_cache(b->tcpu[cpu]);

		if (c != TOPO_NONE) {
			topo_cache_cpus(c, &ts);
		} else if (pkg) {
			topo_siblings(b->tcpu[cpu], TOPO_PACKAGE, &ts);
			cpumask_set(&b->llc_assumed, cpu);
			b->notes |= SD_NOTE_LLC_PACKAGE;
		} else {
			b->notes |= SD_NOTE_NO_LLC;
			continue;
		}
		sd_from_topo(b, &ts, &spans[cpu]);
		any = true;
	}
	return any;
}

// True if every CPU's die lies within its LLC and some LLC is larger than
// its die (when they are all equal, the level is kept under the name LLC).
static bool sd_llc_above_die(struct sd_build *b, const struct cpumask *llc)
{
	struct topo_cpuset ts;
	struct cpumask die;
	bool larger = false;
	unsigned cpu;

	if (!topo_level_shown(TOPO_DIE))
		return false;
	CPUMASK_FOR_EACH(cpu, &b->cpus)
	{
		topo_siblings(b->tcpu[cpu], TOPO_DIE, &ts);
		sd_from_topo(b, &ts, &die);
		if (cpumask_empty(&llc[cpu]) ||
		    !cpumask_subset(&die, &llc[cpu]))
			return false;
		larger = larger || !cpumask_equal(&die, &llc[cpu]);
	}
	return larger;
}

static err_t sd_raw_llc(struct sd_build *b, const struct cpumask *llc)
{
	struct sd_raw *r;
	unsigned cpu, k = b->nraw;
	err_t err;

	if ((err = sd_raw_add(b, SD_KIND_LLC, false, &r)))
		return err;
	b->llc = (int)k;
	CPUMASK_FOR_EACH(cpu, &b->cpus)
	{
		r->spans[cpu] = llc[cpu];
		if (cpumask_empty(&r->spans[cpu]))
			cpumask_set(&r->spans[cpu], cpu); // not known for it
		sd_nest(b, k, cpu, &r->spans[cpu]);
	}
	return E_OK;
}

static err_t sd_raw_topology(struct sd_build *b)
{
	struct cpumask *llc = kzalloc(MAX_CPUS * sizeof(*llc));
	bool have_llc, above;
	err_t err;

	if (!llc)
		return E_NOMEM;
	have_llc = sd_llc_spans(b, llc);
	above = have_llc && sd_llc_above_die(b, llc);
	b->smt = (int)b->nraw;
	err = sd_raw_topo(b, SD_KIND_SMT, TOPO_CORE);
	if (!err && topo_level_shown(TOPO_CLUSTER))
		err = sd_raw_topo(b, SD_KIND_CLS, TOPO_CLUSTER);
	if (!err && have_llc && !above)
		err = sd_raw_llc(b, llc);
	if (!err && topo_level_shown(TOPO_DIE))
		err = sd_raw_topo(b, SD_KIND_DIE, TOPO_DIE);
	if (!err && have_llc && above)
		err = sd_raw_llc(b, llc);
	if (!err && topo_level_shown(TOPO_PACKAGE))
		err = sd_raw_topo(b, SD_KIND_PKG, TOPO_PACKAGE);
	kfree(llc);
	return err;
}

// --- Distance levels
// ----------------------------------------------------------

// Distinct distances between nodes holding CPUs of the build, ascending,
// into out[]: all of them if they fit in SD_MAX_DIST, else the smallest
// SD_MAX_DIST - 1 and the largest (the ones between share the top level).
static unsigned sd_distances(struct sd_build *b, unsigned *out)
{
	unsigned n = 0;

	for (unsigned x = 0; x < b->nnodes; x++)
		for (unsigned y = 0; y < b->nnodes; y++) {
			unsigned d = topo_node_distance(x, y), i;

			if (cpumask_empty(&b->node_cpus[x]) ||
			    cpumask_empty(&b->node_cpus[y]))
				continue;
			for (i = 0; i < n && b->dist[i] < d; i++)
				;
			if (i < n && b->dist[i] == d)
				continue;
			memmove(&b->dist[i + 1], &b->dist[i],
			        (n - i) * sizeof(b->dist[0]));
			b->dist[i] = d;
			n++;
		}
	if (n > SD_MAX_DIST) {
		b->notes |= SD_NOTE_DIST_CAPPED;
		b->dist[SD_MAX_DIST - 1] = b->dist[n - 1];
		n = SD_MAX_DIST;
	}
	memcpy(out, b->dist, n * sizeof(*out));
	return n;
}

static err_t sd_raw_numa(struct sd_build *b)
{
	unsigned dist[SD_MAX_DIST], nd = sd_distances(b, dist);
	err_t err;

	for (unsigned i = 0; i < nd; i++) {
		struct sd_raw *r;

		if ((err = sd_raw_add(b, i ? SD_KIND_NUMA : SD_KIND_NODE, true,
		                      &r)))
			return err;
		r->distance = dist[i];
		for (unsigned n = 0; n < b->nnodes; n++) {
			r->spans[n] = b->node_cpus[n];
			for (unsigned m = 0; m < b->nnodes; m++)
				if (topo_node_distance(n, m) <= dist[i])
					cpumask_or(&r->spans[n], &r->spans[n],
					           &b->node_cpus[m]);
		}
	}
	return E_OK;
}

// --- Entry
// ---------------------------------------------------------------------

static err_t sd_raw_cpus(struct sd_build *b, const struct cpumask *cpus,
                         unsigned (*map)(unsigned cpu))
{
	unsigned cpu, ntopo = topo_cpu_count();

	memset(b->kcpu, 0xff, sizeof(b->kcpu));
	b->cpus = *cpus;
	b->nnodes = MAX(1u, MIN(topo_node_count(), (unsigned)TOPO_MAX_NODES));
	CPUMASK_FOR_EACH(cpu, cpus)
	{
		unsigned t = map ? map(cpu) : cpu;

		if (t >= ntopo || b->kcpu[t] != 0xffff)
			return E_INVAL;
		b->tcpu[cpu] = (uint16_t)t;
		b->kcpu[t] = (uint16_t)cpu;
		b->node[cpu] = (uint16_t)MIN(topo_cpu_node(t), b->nnodes - 1);
		cpumask_set(&b->node_cpus[b->node[cpu]], cpu);
	}
	return E_OK;
}

err_t sd_raw_build(struct sd_build *b, const struct cpumask *cpus,
                   unsigned (*map)(unsigned cpu))
{
	err_t err;

	b->smt = b->llc = -1;
	if ((err = sd_raw_cpus(b, cpus, map)) || (err = sd_raw_topology(b)))
		return err;
	return sd_raw_numa(b);
}
