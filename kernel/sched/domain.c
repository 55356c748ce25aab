// SPDX-License-Identifier: MIT
// Scheduling domains from the topology (the design is in domain.h and
// docs/sched-domains.md).
//
// A build has two steps:
//  1. raw levels (domain_raw.c): every candidate level with a span for each
//     CPU (topology levels) or each node (distance levels), nested;
//  2. per CPU (here): keep the raw levels whose span grows, partition each
//     kept span into groups from that CPU's own view, store each distinct
//     partition once (a hash of the content finds an equal one) and link
//     the chain.
// Everything a build allocates hangs off one struct sd_set, swapped in at
// the end, so a failed build leaves the previous domains current.
//
// Locks: none. Built on one CPU while nobody reads; read-only afterwards.
#include <string.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <kernel/sched/domain_impl.h>
#include <mm/heap.h>

static struct sd_set *sd_cur;
static struct cpumask sd_single[MAX_CPUS]; // {cpu}: the LLC of a lone CPU
static bool sd_single_ready;
static unsigned (*sd_map)(unsigned cpu);

void sched_domains_map_cpus(unsigned (*topo_cpu)(unsigned cpu))
{
	sd_map = topo_cpu;
}

void *sd_alloc(struct sd_set *set, size_t size)
{
	void *p = kzalloc(size);

	if (p)
		set->st.bytes += ksize(p);
	return p;
}

// --- Groups ------------------------------------------------------------------

static uint64_t sd_hash_masks(const struct cpumask *const *g, unsigned n)
{
	uint64_t h = 1469598103934665603ull;

	for (unsigned i = 0; i < n; i++)
		for (unsigned w = 0; w < CPUMASK_WORDS; w++)
			h = (h ^ g[i]->w[w]) * 1099511628211ull;
	return h ^ n;
}

static bool sd_circle_equal(const struct sd_circle *c,
                            const struct cpumask *const *g, unsigned n)
{
	if (c->n != n)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (!cpumask_equal(&c->g[i].cpus, g[i]))
			return false;
	return true;
}

// The stored circle holding groups g[0..n-1] (in order of first CPU):
// an equal one already stored, or a new one. NULL when out of memory.
static struct sd_circle *
sd_circle_get(struct sd_build *b, const struct cpumask *const *g, unsigned n)
{
	uint64_t h = sd_hash_masks(g, n);
	struct sd_circle **bucket = &b->hash[h % SD_HASH_BUCKETS], *c;

	for (c = *bucket; c; c = c->hnext)
		if (c->hash == h && sd_circle_equal(c, g, n))
			return c;
	c = sd_alloc(b->set, sizeof(*c) + n * sizeof(c->g[0]));
	if (!c)
		return NULL;
	c->hash = h;
	c->n = n;
	for (unsigned i = 0; i < n; i++) {
		c->g[i].cpus = *g[i];
		c->g[i].weight = cpumask_weight(g[i]);
		c->g[i].first = cpumask_first(g[i]);
		c->g[i].next = &c->g[(i + 1) % n];
	}
	c->hnext = *bucket;
	*bucket = c;
	c->next = b->set->circles;
	b->set->circles = c;
	b->set->st.circles++;
	b->set->st.stored_groups += n;
	return c;
}

// Span of cpu one raw level below k ({cpu} below the first level).
static void sd_below(const struct sd_build *b, unsigned k, unsigned cpu,
                     struct cpumask *out)
{
	if (k == 0) {
		cpumask_clear_all(out);
		cpumask_set(out, cpu);
	} else {
		*out = *sd_raw_span(b, k - 1, cpu);
	}
}

// Partitions span (cpu's span at raw level k) from cpu's view: cpu's own
// span one level down first, then for each CPU i not yet covered, i's span
// one level down, cut to what is left. Returns the number of groups, in
// b->gmask[0..n-1] (b->gmask[0] holds cpu).
static unsigned sd_partition(struct sd_build *b, unsigned k, unsigned cpu,
                             const struct cpumask *span)
{
	struct cpumask covered, rest;
	unsigned n = 0;

	sd_below(b, k, cpu, &b->gmask[0]);
	cpumask_and(&b->gmask[0], &b->gmask[0], span);
	covered = b->gmask[n++];
	for (;;) {
		unsigned i;

		cpumask_andnot(&rest, span, &covered);
		i = cpumask_first(&rest);
		if (i >= MAX_CPUS)
			break;
		sd_below(b, k, i, &b->gmask[n]);
		cpumask_and(&b->gmask[n], &b->gmask[n], &rest);
		cpumask_or(&covered, &covered, &b->gmask[n]);
		n++;
	}
	return n;
}

// Groups of cpu's domain d at raw level k: d->groups and d->ngroups.
static err_t sd_build_groups(struct sd_build *b, unsigned k,
                             struct sched_domain *d)
{
	unsigned n = sd_partition(b, k, d->cpu, &d->span), cpu, m = 0;
	unsigned own = 0;
	struct sd_circle *c;

	// Order by first CPU: groups are disjoint, so scanning the span
	// meets each group's first CPU once.
	for (unsigned i = 0; i < n; i++)
		b->gidx[cpumask_first(&b->gmask[i])] = (uint16_t)i;
	CPUMASK_FOR_EACH(cpu, &d->span)
	{
		unsigned i = b->gidx[cpu];

		if (i < n && cpumask_first(&b->gmask[i]) == cpu) {
			if (i == 0)
				own = m;
			b->gorder[m++] = &b->gmask[i];
		}
	}
	ASSERT(m == n);
	c = sd_circle_get(b, b->gorder, n);
	if (!c)
		return E_NOMEM;
	d->groups = &c->g[own];
	d->ngroups = n;
	b->set->st.groups += n;
	return E_OK;
}

// --- Domains of one CPU -----------------------------------------------------

static const char *const sd_names[] = {"SMT", "CLS",  "LLC", "DIE",
                                       "PKG", "NODE", "NUMA"};

static unsigned sd_flags(const struct sd_build *b, unsigned cpu,
                         const struct cpumask *span)
{
	unsigned f = 0;

	if (b->smt >= 0 &&
	    cpumask_subset(span, sd_raw_span(b, (unsigned)b->smt, cpu)))
		f |= SD_SHARE_CPU;
	if (b->llc >= 0 &&
	    cpumask_subset(span, sd_raw_span(b, (unsigned)b->llc, cpu)))
		f |= SD_SHARE_LLC |
		     (cpumask_test(&b->llc_assumed, cpu) ? SD_LLC_ASSUMED : 0);
	if (!cpumask_subset(span, &b->node_cpus[b->node[cpu]]))
		f |= SD_NUMA;
	return f;
}

static unsigned sd_distance(const struct sd_build *b, unsigned cpu,
                            const struct cpumask *span)
{
	unsigned from = b->node[cpu], d = 0;

	for (unsigned n = 0; n < b->nnodes; n++)
		if (cpumask_intersects(&b->node_cpus[n], span))
			d = MAX(d, topo_node_distance(from, n));
	return d;
}

static void sd_tune(struct sched_domain *d)
{
	d->balance_interval_ns = (uint64_t)d->weight * 1000000;
	d->max_interval_ns = 2 * d->balance_interval_ns;
	d->busy_factor = 16;
	d->imbalance_pct = d->flags & SD_SHARE_CPU ? 110 : 117;
}

static err_t sd_fill(struct sd_build *b, unsigned k, unsigned cpu,
                     unsigned level, struct sched_domain *d)
{
	d->cpu = cpu;
	d->level = level;
	d->kind = b->raw[k].kind;
	d->name = sd_names[d->kind];
	d->span = *sd_raw_span(b, k, cpu);
	d->weight = cpumask_weight(&d->span);
	d->flags = sd_flags(b, cpu, &d->span);
	d->distance = sd_distance(b, cpu, &d->span);
	sd_tune(d);
	return sd_build_groups(b, k, d);
}

// Kept raw levels of cpu (those whose span grows) into keep[]; their count.
static unsigned sd_kept_levels(const struct sd_build *b, unsigned cpu,
                               unsigned *keep)
{
	struct cpumask prev;
	unsigned n = 0;

	cpumask_clear_all(&prev);
	cpumask_set(&prev, cpu);
	for (unsigned k = 0; k < b->nraw && n < SD_MAX_LEVELS; k++) {
		const struct cpumask *s = sd_raw_span(b, k, cpu);

		if (cpumask_equal(s, &prev))
			continue;
		keep[n++] = k;
		prev = *s;
	}
	return n;
}

static err_t sd_build_cpu(struct sd_build *b, unsigned cpu)
{
	unsigned keep[SD_MAX_LEVELS], n = sd_kept_levels(b, cpu, keep);
	struct sd_set *set = b->set;
	struct sched_domain *d;
	err_t err;

	set->llc[cpu] = NULL;
	if (!n)
		return E_OK;
	d = sd_alloc(set, n * sizeof(*d));
	if (!d)
		return E_NOMEM;
	set->dom[cpu] = d;
	set->ndom[cpu] = (uint8_t)n;
	for (unsigned j = 0; j < n; j++) {
		d[j].child = j ? &d[j - 1] : NULL;
		d[j].parent = j + 1 < n ? &d[j + 1] : NULL;
		if ((err = sd_fill(b, keep[j], cpu, j, &d[j])))
			return err;
		if (d[j].flags & SD_SHARE_LLC)
			set->llc[cpu] = &d[j].span;
	}
	set->st.domains += n;
	set->st.depth = MAX(set->st.depth, n);
	return E_OK;
}

// --- The whole build
// ----------------------------------------------------------

static void sd_set_free(struct sd_set *set)
{
	struct sd_circle *c, *next;

	if (!set)
		return;
	for (c = set->circles; c; c = next) {
		next = c->next;
		kfree(c);
	}
	for (unsigned i = 0; i < MAX_CPUS; i++)
		kfree(set->dom[i]);
	kfree(set);
}

static err_t sd_build_all(struct sd_build *b)
{
	unsigned cpu;
	err_t err;

	CPUMASK_FOR_EACH(cpu, &b->cpus)
	if ((err = sd_build_cpu(b, cpu)))
		return err;
	return E_OK;
}

err_t sched_domains_build(const struct cpumask *cpus)
{
	uint64_t t0 = hal_time_ns();
	struct sd_build *b;
	struct sd_set *set;
	err_t err;

	if (cpumask_empty(cpus))
		return E_INVAL;
	set = kzalloc(sizeof(*set));
	b = kzalloc(sizeof(*b));
	if (!set || !b) {
		err = E_NOMEM;
		goto out;
	}
	set->st.bytes = ksize(set);
	b->set = set;
	if ((err = sd_raw_build(b, cpus, sd_map)) || (err = sd_build_all(b)))
		goto out;
	set->cpus = *cpus;
	set->st.cpus = cpumask_weight(cpus);
	set->st.raw_levels = b->nraw;
	set->st.fixups = b->fixups;
	set->notes = b->notes;
	set->st.build_ns = hal_time_ns() - t0;
	sd_set_free(sd_cur);
	sd_cur = set;
	set = NULL;
out:
	if (b)
		sd_raw_free(b);
	kfree(b);
	sd_set_free(set);
	return err;
}

void sched_domains_destroy(void)
{
	sd_set_free(sd_cur);
	sd_cur = NULL;
}

// --- Queries -----------------------------------------------------------------

const struct sched_domain *sched_domain_lowest(unsigned cpu)
{
	return sd_cur && cpu < MAX_CPUS ? sd_cur->dom[cpu] : NULL;
}

const struct sched_domain *sched_domain_top(unsigned cpu)
{
	if (!sched_domain_lowest(cpu))
		return NULL;
	return &sd_cur->dom[cpu][sd_cur->ndom[cpu] - 1];
}

unsigned sched_domain_depth(void)
{
	return sd_cur ? sd_cur->st.depth : 0;
}

const struct cpumask *sched_llc_cpus(unsigned cpu)
{
	if (cpu >= MAX_CPUS)
		cpu = 0;
	if (sd_cur && sd_cur->llc[cpu])
		return sd_cur->llc[cpu];
	if (!sd_single_ready) {
		for (unsigned i = 0; i < MAX_CPUS; i++)
			cpumask_set(&sd_single[i], i);
		sd_single_ready = true;
	}
	return &sd_single[cpu];
}

unsigned sched_llc_id(unsigned cpu)
{
	return cpumask_first(sched_llc_cpus(cpu));
}

void sched_domains_get_stats(struct sched_domains_stats *st)
{
	if (sd_cur)
		*st = sd_cur->st;
	else
		memset(st, 0, sizeof(*st));
}

const struct sd_set *sd_current(void)
{
	return sd_cur;
}
