// SPDX-License-Identifier: MIT
// Internals shared by kernel/sched/domain*.c (not for other users).
#pragma once

#include <kernel/sched/domain.h>

#define SD_MAX_RAW (SD_MAX_LEVELS + 5)
#define SD_MAX_DIST (SD_MAX_LEVELS - 6) // distinct NUMA distances used
#define SD_HASH_BUCKETS 509
#define SD_MAX_NOTES 4

// One candidate level: a span per CPU (topology levels) or per node.
struct sd_raw {
	enum sched_domain_kind kind;
	bool per_node;
	unsigned distance;     // distance levels: the threshold
	struct cpumask *spans; // [MAX_CPUS] or [TOPO_MAX_NODES]
};

// A stored group partition: n groups in order of first CPU, linked in a
// circle. Domains point into it at their own group.
struct sd_circle {
	struct sd_circle *next;  // all circles of a set
	struct sd_circle *hnext; // same hash bucket (during the build)
	uint64_t hash;
	unsigned n;
	struct sched_group g[];
};

// What a build leaves behind (current domains).
struct sd_set {
	struct cpumask cpus;                // the build's mask
	struct sched_domain *dom[MAX_CPUS]; // ndom[cpu] domains, lowest first
	uint8_t ndom[MAX_CPUS];
	const struct cpumask *llc[MAX_CPUS];
	struct sd_circle *circles;
	struct sched_domains_stats st;
	unsigned notes; // SD_NOTE_* bits
};

#define SD_NOTE_LLC_PACKAGE (1u << 0) // no cache data: package used
#define SD_NOTE_NO_LLC (1u << 1)      // no cache data nor packages
#define SD_NOTE_DIST_CAPPED (1u << 2) // too many distinct distances

// Temporary state of one build (heap).
struct sd_build {
	struct sd_set *set;
	struct cpumask cpus;
	unsigned nraw;
	struct sd_raw raw[SD_MAX_RAW];
	int smt, llc; // raw index of those levels, -1 if none
	unsigned fixups, notes;
	unsigned nnodes;
	uint16_t node[MAX_CPUS]; // topology node of each CPU
	uint16_t tcpu[MAX_CPUS]; // topology CPU of each CPU
	uint16_t kcpu[MAX_CPUS]; // CPU of each topology CPU (0xffff: none)
	struct cpumask node_cpus[TOPO_MAX_NODES];
	struct cpumask llc_assumed; // CPUs whose LLC is the package stand-in
	unsigned dist[TOPO_MAX_NODES * TOPO_MAX_NODES]; // distinct distances
	// Partition scratch.
	struct cpumask gmask[MAX_CPUS];
	const struct cpumask *gorder[MAX_CPUS];
	uint16_t gidx[MAX_CPUS];
	struct sd_circle *hash[SD_HASH_BUCKETS];
};

static inline const struct cpumask *sd_raw_span(const struct sd_build *b,
                                                unsigned k, unsigned cpu)
{
	const struct sd_raw *r = &b->raw[k];

	return &r->spans[r->per_node ? b->node[cpu] : cpu];
}

// domain_raw.c: fills b's raw levels for the CPUs of cpus (map: CPU to
// topology CPU, NULL = identity); sd_raw_free() releases their spans.
err_t sd_raw_build(struct sd_build *b, const struct cpumask *cpus,
                   unsigned (*map)(unsigned cpu));
void sd_raw_free(struct sd_build *b);

// domain.c
void *sd_alloc(struct sd_set *set, size_t size);
const struct sd_set *sd_current(void);
