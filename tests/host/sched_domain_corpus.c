// SPDX-License-Identifier: MIT
// Scheduling domains of every machine in the real-firmware corpus, checked
// against the raw tables: each CPU's proximity domain from the SRAT entry
// of its APIC ID, distances from the SLIT bytes (10 local / 20 remote when
// there is no SLIT, as docs/topology.md states). With ACPI tables alone
// (no CPUID) packages, cores and caches are unknown, so a CPU's domains
// are exactly its NUMA levels: for each distinct distance d between
// domains holding CPUs, the CPUs whose domain is within d of its own, the
// levels that do not grow dropped (a one-node machine: one level, all).
#include <stdio.h>
#include <stdlib.h>
#include <acpi/acpi.h>
#include <acpi/slit.h>
#include <acpi/srat.h>
#include <tests/host/sched_domain_host.h>
#include <tests/unit/sched_domain_ref.h>
#include "acpi_util.h"

#define MAX_MACHINES 64
#define MAX_FILES 128

static struct acpi_file cfiles[MAX_FILES];
static struct sdref cref;

struct corpus_numa {
	unsigned dom[MAX_CPUS]; // SRAT domain of each CPU (0 without SRAT)
	struct acpi_slit slit;
	bool have_slit;
};

static unsigned srat_domain_of(uint32_t apic_id)
{
	const struct acpi_sdt_header *t;
	struct acpi_srat s;
	struct acpi_srat_entry e;

	if (acpi_table_find("SRAT", 0, &t) || acpi_srat_parse(t, &s))
		return 0;
	for (uint32_t pos = 0; acpi_srat_next(&s, &pos, &e);)
		if (e.enabled &&
		    (e.type == ACPI_SRAT_CPU || e.type == ACPI_SRAT_X2APIC) &&
		    e.cpu.apic_id == apic_id)
			return e.domain;
	return 0;
}

static unsigned raw_dist(const struct corpus_numa *cn, unsigned a, unsigned b)
{
	if (cn->have_slit && a < cn->slit.n && b < cn->slit.n)
		return cn->slit.matrix[(size_t)a * cn->slit.n + b];
	return a == b ? 10 : 20;
}

// The expected chain of CPU c from the raw tables, compared with the
// built one. Returns false (logged) on a difference.
static bool check_cpu(struct ktest *t, const struct corpus_numa *cn, unsigned n,
                      unsigned c, const unsigned *dist, unsigned nd)
{
	const struct sched_domain *d = sched_domain_lowest(c);
	struct cpumask prev, span;

	cpumask_clear_all(&prev);
	cpumask_set(&prev, c);
	for (unsigned i = 0; i < nd; i++) {
		cpumask_clear_all(&span);
		for (unsigned b = 0; b < n; b++)
			if (cn->dom[b] == cn->dom[c] ||
			    raw_dist(cn, cn->dom[c], cn->dom[b]) <= dist[i])
				cpumask_set(&span, b);
		if (cpumask_equal(&span, &prev))
			continue;
		if (!KT_EXPECT(d && cpumask_equal(&d->span, &span)) ||
		    !KT_EXPECT_EQ_U(d->distance, dist[i]))
			return false;
		prev = span;
		d = d->parent;
	}
	return KT_EXPECT(d == NULL);
}

static bool check_machine(struct ktest *t, struct corpus_numa *cn)
{
	const struct acpi_sdt_header *tb;
	unsigned n = topo_cpu_count(), dist[256], nd = 0;
	struct cpumask all;

	cn->have_slit =
	    !acpi_table_find("SLIT", 0, &tb) && !acpi_slit_parse(tb, &cn->slit);
	for (unsigned c = 0; c < n; c++)
		cn->dom[c] = srat_domain_of((uint32_t)topo_cpu_hwid(c));
	for (unsigned a = 0; a < n; a++) // distinct distances, ascending
		for (unsigned b = 0; b < n; b++) {
			unsigned x = raw_dist(cn, cn->dom[a], cn->dom[b]), i, j;

			for (i = 0; i < nd && dist[i] < x; i++)
				;
			if (i < nd && dist[i] == x)
				continue;
			for (j = nd++; j > i; j--)
				dist[j] = dist[j - 1];
			dist[i] = x;
		}
	cpumask_fill(&all, n);
	if (!KT_EXPECT_EQ(sched_domains_build(&all), E_OK) ||
	    !sdref_check_invariants(t, &all) ||
	    !sdref_check_chain(t, &cref, &all))
		return false;
	for (unsigned c = 0; c < n; c++)
		if (!check_cpu(t, cn, n, c, dist, nd)) {
			ktest_log(t, "CPU%u (APIC ID %lu, domain %u)", c,
			          (unsigned long)topo_cpu_hwid(c), cn->dom[c]);
			return false;
		}
	return true;
}

KTEST(sched_domain_corpus, every_machine)
{
	static char names[MAX_MACHINES][128];
	static struct corpus_numa cn;
	const char *dir = acpi_test_corpus_dir();
	unsigned machines = 0, cpus = 0, levels = 0, slits = 0;
	int n;

	if (!dir)
		KT_SKIP("no ACPI corpus");
	if (!sdh_heap_open(t))
		return;
	n = acpi_test_list_dirs(dir, names, MAX_MACHINES);
	acpi_set_quiet(true);
	for (int i = 0; i < n; i++) {
		char path[600];
		struct sched_domains_stats st;
		int nf;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		nf = acpi_test_load_dir(path, cfiles, MAX_FILES);
		acpi_reset();
		for (int f = 0; f < nf; f++)
			(void)acpi_table_register(cfiles[f].buf, cfiles[f].len);
		(void)topology_build(NULL, 0);
		if (!check_machine(t, &cn))
			ktest_log(t, "%s", names[i]);
		sched_domains_get_stats(&st);
		machines++;
		cpus += st.cpus;
		levels = MAX(levels, st.depth);
		slits += cn.have_slit;
		acpi_reset();
		acpi_test_free(cfiles, nf);
	}
	acpi_set_quiet(false);
	ktest_log(t, "%u machines (%u with SLIT), %u CPUs, deepest %u levels",
	          machines, slits, cpus, levels);
	KT_EXPECT(machines >= 50 && slits >= 6);
	sdh_heap_close();
}
