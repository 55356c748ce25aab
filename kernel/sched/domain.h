// SPDX-License-Identifier: MIT
// Scheduling domains: for each CPU, the chain of ever larger CPU sets a
// scheduler balances over, built from the topology layer
// (docs/sched-domains.md):
//
//   SMT (core) -> CLS (cluster) -> LLC (last-level cache) -> DIE -> PKG
//     -> NODE (the CPU's NUMA node) -> NUMA (one level per larger distance)
//
// Each domain's span is cut to the CPU's NUMA node up to NODE (a cache or
// package spanning two nodes is split there, as Linux does), and each NUMA
// level d spans the CPUs of the nodes within distance d of this CPU's node
// (Linux's sched_init_numa). A level whose span equals the one below it
// (for that CPU) is dropped, so every kept domain has at least two groups.
//
// Groups: a domain's span partitioned by the spans one raw level down, as
// seen from the domain's own CPU: its own child span first, then for each
// CPU i not yet covered, i's span one level down cut to this domain's span,
// minus what earlier groups hold. Nothing computed for one CPU is used for
// another (the group-construction bug of "The Linux Scheduler: a Decade of
// Wasted Cores"); identical results are stored once (the circle is shared,
// each domain points at its own group in it).
//
// Invariants (checked by tests/unit/sched_domain.c):
//   - d->span contains d->cpu; d->child->span is a proper subset of d->span;
//   - the groups are disjoint, non-empty, cover d->span, and d->groups is
//     the group holding d->cpu and equals d->child->span (or {cpu} at the
//     lowest level); the circle has d->ngroups >= 2 groups;
//   - d->level is 0 for the lowest domain and parent->level = level + 1.
//
// CPU numbers are the kernel's CPU ids (hal_cpu_id()); the topology's own
// numbers are reached through the map given to sched_domains_map_cpus()
// (identity unless set; the kernel maps through the hardware IDs).
//
// Locking: built by sched_domains_build() on one CPU while nobody reads
// them (at boot, before the scheduler runs); read-only afterwards, so the
// queries take no lock and may be used from any context. A rebuild frees
// the previous domains: callers must make sure no reader still holds them.
#pragma once

#include <lib/types.h>
#include <lib/cpumask.h>
#include <topology/topology.h>

enum sched_domain_kind {
	SD_KIND_SMT,  // hardware threads of one core
	SD_KIND_CLS,  // a cluster (module) of cores
	SD_KIND_LLC,  // CPUs sharing the last-level cache
	SD_KIND_DIE,  // a die
	SD_KIND_PKG,  // a package (socket)
	SD_KIND_NODE, // the CPU's NUMA node (nodes at the smallest distance)
	SD_KIND_NUMA, // nodes within one larger NUMA distance
};

// Flags, from properties of the span (not from the level's name):
#define SD_SHARE_CPU (1u << 0) // the span is within one core
#define SD_SHARE_LLC (1u << 1) // the span shares one last-level cache
#define SD_NUMA (1u << 2)      // the span holds CPUs of several nodes
#define SD_LLC_ASSUMED                                                         \
	(1u << 3) // SD_SHARE_LLC from a stand-in (no cache
	          // data: the package is taken for the LLC)

// Upper bound on a CPU's domains (5 topology levels, NODE and NUMA levels).
#define SD_MAX_LEVELS 32

struct sched_group {
	struct cpumask cpus;
	struct sched_group *next; // circular; never NULL
	unsigned weight;          // CPUs in cpus
	unsigned first;           // lowest CPU in cpus
};

struct sched_domain {
	struct sched_domain *parent, *child; // NULL at the top / bottom
	const char *name;                    // "SMT", "CLS", "LLC", "DIE", ...
	enum sched_domain_kind kind;
	unsigned cpu;      // the CPU whose domain this is
	unsigned level;    // 0 = lowest domain of cpu
	unsigned flags;    // SD_*
	unsigned distance; // largest NUMA distance from cpu's node to the span
	unsigned weight;   // CPUs in span
	struct cpumask span;
	struct sched_group *groups; // the group holding cpu; ->next for more
	unsigned ngroups;
	// Tuning as Linux's sd_init(): interval = weight ms, max 2x; an
	// imbalance counts when the busiest group is imbalance_pct % of the
	// local one (110 within a core, 117 elsewhere).
	uint64_t balance_interval_ns;
	uint64_t max_interval_ns;
	unsigned busy_factor;
	unsigned imbalance_pct;
};

// Builds the domains of the CPUs in cpus (kernel CPU ids) from the current
// topology and makes them current, freeing the previous ones. CPUs outside
// cpus get no domains and never appear in a span. E_NOMEM (the previous
// domains stay current), E_INVAL for an empty mask or a CPU the topology
// does not know.
__must_check err_t sched_domains_build(const struct cpumask *cpus);
// Frees the current domains (host tests; a rebuild does it itself).
void sched_domains_destroy(void);

// Topology CPU number of each kernel CPU id (NULL: the identity). Used by
// the next build; fn must answer for every CPU in the build's mask.
void sched_domains_map_cpus(unsigned (*topo_cpu)(unsigned cpu));

// cpu's lowest domain (follow ->parent), or NULL when cpu has none (not
// in the mask, or alone there).
const struct sched_domain *sched_domain_lowest(unsigned cpu);
// cpu's highest domain, or NULL.
const struct sched_domain *sched_domain_top(unsigned cpu);
// Number of levels of the deepest CPU (size for per-level arrays).
unsigned sched_domain_depth(void);
// CPUs sharing cpu's last-level cache (the span of its highest SD_SHARE_LLC
// domain), or just cpu. Never NULL; for any cpu < MAX_CPUS.
const struct cpumask *sched_llc_cpus(unsigned cpu);
// The lowest CPU of sched_llc_cpus(cpu): equal ids = same LLC.
unsigned sched_llc_id(unsigned cpu);

struct sched_domains_stats {
	unsigned cpus;          // CPUs with domains built (the mask's weight)
	unsigned raw_levels;    // candidate levels before dropping
	unsigned depth;         // = sched_domain_depth()
	unsigned domains;       // kept domains over all CPUs
	unsigned groups;        // groups referenced by all domains
	unsigned circles;       // distinct group circles stored
	unsigned stored_groups; // groups stored (sum over circles)
	unsigned fixups;        // levels widened to contain the level below
	uint64_t bytes;         // heap bytes held by the current domains
	uint64_t build_ns;      // time the last build took (hal_time_ns)
};
void sched_domains_get_stats(struct sched_domains_stats *st);

// Linux sched_verbose-style text, one block per CPU:
//   CPU0 attaching sched-domain(s):
//    domain-0: span=0-1 level=SMT flags=SHARE_CPU|SHARE_LLC distance=10 ...
//     groups: 0:{ span=0 }, 1:{ span=1 }
// preceded by a summary line and notes (stand-ins, fix-ups).
void sched_domains_print(const struct topo_out *o);

// Writes m as a CPU list ("0-3,8,10-11"; "" when empty) into buf (always
// NUL-terminated); returns the length it needed (like snprintf).
size_t sched_cpulist_format(char *buf, size_t size, const struct cpumask *m);

// Kernel boot: builds the domains of the online CPUs (after the topology
// and SMP start-up) and prints them between markers when print is true.
void sched_domains_boot(bool print);
