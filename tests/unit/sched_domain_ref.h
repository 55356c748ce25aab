// SPDX-License-Identifier: MIT
// Checks for scheduling domains, written apart from kernel/sched/: the
// invariants every build must keep, and a naive O(n^2) reference of what
// each CPU's chain must be, computed pair by pair from the topology
// queries (same object? distance?) instead of sibling sets. Used by the
// host tests (synthetic machines, the corpus) and the in-kernel test (the
// boot domains). Static functions: each user gets its own copy.
#pragma once

#include <kernel/sched/domain.h>
#include <tests/ktest.h>
#include <topology/topology.h>

// Scratch for the reference (too big for a kernel stack).
struct sdref {
	struct cpumask cand[16 + 64]; // candidate spans of one CPU
	const char *name[16 + 64];
	unsigned n;
	bool above;
	unsigned dist[256], nd;
};

// Highest data/unified cache of a topology CPU, or TOPO_NONE.
static __unused unsigned sdref_llc(unsigned tcpu)
{
	unsigned idx[TOPO_MAX_CPU_CACHES], n = topo_cpu_caches(tcpu, idx);
	unsigned best = TOPO_NONE;

	for (unsigned i = 0; i < n; i++) {
		const struct topo_cache *c = topo_cache_get(idx[i]);

		if (c->type != TOPO_CACHE_INSTRUCTION &&
		    (best == TOPO_NONE ||
		     c->level > topo_cache_get(best)->level))
			best = idx[i];
	}
	return best;
}

// Do topology CPUs a and b share their object at the candidate level?
// kind: 0 core, 1 cluster, 2 LLC (package stand-in), 3 die, 4 package.
static __unused bool sdref_same(unsigned kind, unsigned a, unsigned b)
{
	static const enum topo_level lv[] = {TOPO_CORE, TOPO_CLUSTER, 0,
	                                     TOPO_DIE, TOPO_PACKAGE};
	unsigned la, lb;

	if (kind != 2)
		return topo_cpu_obj(a, lv[kind]) == topo_cpu_obj(b, lv[kind]);
	la = sdref_llc(a);
	lb = sdref_llc(b);
	if (la != TOPO_NONE)
		return la == lb;
	return topo_level_shown(TOPO_PACKAGE) &&
	       topo_cpu_package(a) == topo_cpu_package(b);
}

static __unused bool sdref_level_present(unsigned kind)
{
	bool any_llc = false;

	switch (kind) {
	case 1: return topo_level_shown(TOPO_CLUSTER);
	case 3: return topo_level_shown(TOPO_DIE);
	case 4: return topo_level_shown(TOPO_PACKAGE);
	case 2:
		for (unsigned c = 0; c < topo_cpu_count(); c++)
			any_llc = any_llc || sdref_llc(c) != TOPO_NONE;
		return any_llc || topo_level_shown(TOPO_PACKAGE);
	default: return true;
	}
}

// What the reference needs once per mask: is the LLC above DIE (every die
// inside its CPUs' LLC, and some LLC larger than a die)? The distinct distances
// between nodes with CPUs in m, ascending.
static __unused void sdref_prepare(struct sdref *r, const struct cpumask *m)
{
	bool seen[TOPO_MAX_NODES] = {false};
	unsigned b, a2;

	bool larger = false;

	r->above = sdref_level_present(3) && sdref_level_present(2);
	CPUMASK_FOR_EACH(b, m)
	{
		seen[topo_cpu_node(b)] = true;
		CPUMASK_FOR_EACH(a2, m)
		{
			if (r->above && sdref_same(3, b, a2) &&
			    !sdref_same(2, b, a2))
				r->above = false;
			if (sdref_same(2, b, a2) && !sdref_same(3, b, a2))
				larger = true;
		}
	}
	r->above = r->above && larger;
	r->nd = 0;
	for (unsigned x = 0; x < TOPO_MAX_NODES; x++)
		for (unsigned y = 0; y < TOPO_MAX_NODES; y++) {
			unsigned d, i;

			if (!seen[x] || !seen[y])
				continue;
			d = topo_node_distance(x, y);
			for (i = 0; i < r->nd && r->dist[i] != d; i++)
				;
			if (i == r->nd && r->nd < ARRAY_SIZE(r->dist))
				r->dist[r->nd++] = d;
		}
	for (unsigned i = 0; i < r->nd; i++) // selection sort, ascending
		for (unsigned j = i + 1; j < r->nd; j++)
			if (r->dist[j] < r->dist[i]) {
				unsigned tmp = r->dist[i];
				r->dist[i] = r->dist[j], r->dist[j] = tmp;
			}
}

// Candidate spans of CPU c (identity CPU numbering, CPUs of mask m), in
// the documented order, before dropping; sdref_prepare(r, m) first.
static __unused void sdref_candidates(struct sdref *r, const struct cpumask *m,
                                      unsigned c)
{
	static const char *const names[] = {"SMT", "CLS", "LLC", "DIE", "PKG"};
	unsigned order[5] = {0, 1, 2, 3, 4}, b;

	if (r->above)
		order[2] = 3, order[3] = 2;
	r->n = 0;
	for (unsigned i = 0; i < 5; i++) {
		unsigned k = order[i];

		if (!sdref_level_present(k))
			continue;
		cpumask_clear_all(&r->cand[r->n]);
		CPUMASK_FOR_EACH(b, m)
		if (topo_cpu_node(b) == topo_cpu_node(c) && sdref_same(k, c, b))
			cpumask_set(&r->cand[r->n], b);
		cpumask_set(&r->cand[r->n], c);
		if (r->n)
			cpumask_or(&r->cand[r->n], &r->cand[r->n],
			           &r->cand[r->n - 1]);
		r->name[r->n++] = names[k];
	}
	for (unsigned i = 0; i < r->nd && r->n < ARRAY_SIZE(r->cand); i++) {
		cpumask_clear_all(&r->cand[r->n]);
		CPUMASK_FOR_EACH(b, m)
		if (topo_cpu_distance(c, b) <= r->dist[i] ||
		    topo_cpu_node(b) == topo_cpu_node(c))
			cpumask_set(&r->cand[r->n], b);
		r->name[r->n++] = i ? "NUMA" : "NODE";
	}
}

// The invariants of domain.h for every CPU of m; returns false (and logs
// once) on the first broken one.
static __unused bool sdref_check_invariants(struct ktest *t,
                                            const struct cpumask *m)
{
	unsigned c;

	CPUMASK_FOR_EACH(c, m)
	{
		const struct sched_domain *d = sched_domain_lowest(c);
		struct cpumask below;

		cpumask_clear_all(&below);
		cpumask_set(&below, c);
		for (unsigned lv = 0; d; d = d->parent, lv++) {
			const struct sched_group *g = d->groups;
			struct cpumask cov;
			unsigned n = 0;

			cpumask_clear_all(&cov);
			if (!KT_EXPECT(d->cpu == c && d->level == lv &&
			               cpumask_test(&d->span, c) &&
			               cpumask_subset(&below, &d->span) &&
			               !cpumask_equal(&below, &d->span) &&
			               cpumask_subset(&d->span, m) &&
			               d->weight == cpumask_weight(&d->span) &&
			               cpumask_equal(&g->cpus, &below) &&
			               (!d->parent || d->parent->child == d))) {
				ktest_log(t, "CPU%u domain-%u (%s) broken", c,
				          lv, d->name);
				return false;
			}
			do {
				bool ok =
				    !cpumask_empty(&g->cpus) &&
				    !cpumask_intersects(&g->cpus, &cov) &&
				    cpumask_subset(&g->cpus, &d->span) &&
				    g->weight == cpumask_weight(&g->cpus) &&
				    g->first == cpumask_first(&g->cpus);

				if (!KT_EXPECT(ok) ||
				    !KT_EXPECT(n < d->weight)) {
					ktest_log(t, "CPU%u domain-%u group %u",
					          c, lv, n);
					return false;
				}
				cpumask_or(&cov, &cov, &g->cpus);
				n++;
				g = g->next;
			} while (g != d->groups);
			if (!KT_EXPECT(n == d->ngroups && n >= 2 &&
			               cpumask_equal(&cov, &d->span))) {
				ktest_log(t, "CPU%u domain-%u: groups", c, lv);
				return false;
			}
			below = d->span;
		}
	}
	return true;
}

// Each CPU's kept chain (names and spans) against the reference: the
// candidates that grow. Returns false (logged) on the first difference.
static __unused bool sdref_check_chain(struct ktest *t, struct sdref *r,
                                       const struct cpumask *m)
{
	unsigned c;

	sdref_prepare(r, m);
	CPUMASK_FOR_EACH(c, m)
	{
		const struct sched_domain *d = sched_domain_lowest(c);
		struct cpumask prev;

		sdref_candidates(r, m, c);
		cpumask_clear_all(&prev);
		cpumask_set(&prev, c);
		for (unsigned i = 0; i < r->n; i++) {
			if (cpumask_equal(&r->cand[i], &prev))
				continue;
			if (!KT_EXPECT(d != NULL) ||
			    !KT_EXPECT(cpumask_equal(&d->span, &r->cand[i])) ||
			    !KT_EXPECT_STR(d->name, r->name[i])) {
				ktest_log(t, "CPU%u: reference level %s", c,
				          r->name[i]);
				return false;
			}
			prev = r->cand[i];
			d = d->parent;
		}
		if (!KT_EXPECT(d == NULL)) {
			ktest_log(t, "CPU%u: extra domain %s", c, d->name);
			return false;
		}
	}
	return true;
}
