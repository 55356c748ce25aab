// SPDX-License-Identifier: MIT
// bench-domains: what building the scheduling domains (kernel/sched/
// domain.c) costs on the host, -O2 without sanitizers, for synthetic
// machines of 8 to 512 CPUs.
//   bench-domains [quick]
// For each machine: the median build time over REPS builds (each build
// frees the previous domains), the heap bytes the domains hold, and their
// shape (depth, domains, groups referenced, groups stored in how many
// circles: equal partitions are stored once).
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <lib/err.h>
#include <kernel/sched/domain.h>
#include <mm/heap.h>
#include <tests/host/mm_arena.h>
#include <tests/host/sched_domain_synth.h>

#define BASE 0x800000000UL
#define PAGES 65536 // 256 MiB

static unsigned reps = 21;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned dist_cube(unsigned a, unsigned b)
{
	return a == b ? 10 : __builtin_popcount(a ^ b) == 1 ? 16 : 22;
}

static unsigned dist_linear(unsigned a, unsigned b)
{
	return a == b ? 10 : 10 + (a > b ? a - b : b - a);
}

static const struct {
	const char *name;
	struct sdh_machine m;
} machines[] = {
    {"8 CPUs: 2 pkg x 2 cores x 2 thr, 2 nodes",
     {2, 1, 1, 2, 2, 3, 2, NULL, false}},
    {"64 CPUs: 4 pkg x 8 cores x 2 thr, L3/pkg, 4 nodes",
     {4, 1, 1, 8, 2, 3, 4, NULL, false}},
    {"256 CPUs: 8 pkg x 2 dies x 8 cores x 2 thr, 8 nodes (cube)",
     {8, 2, 1, 8, 2, 2, 8, dist_cube, false}},
    {"512 CPUs: 8 pkg x 2 dies x 16 cores x 2 thr, 8 nodes (cube)",
     {8, 2, 1, 16, 2, 2, 8, dist_cube, false}},
    {"512 CPUs: 4 pkg x 4 clusters x 16 cores x 2 thr, L3/pkg, 4 nodes",
     {4, 1, 4, 16, 2, 3, 4, NULL, false}},
    {"512 CPUs: 64 nodes x 8, distance 10+abs(a-b) (63 levels, capped)",
     {64, 1, 1, 8, 1, 3, 64, dist_linear, false}},
    {"512 CPUs: flat, nothing known (one level of 512 groups)",
     {1, 1, 1, 512, 1, 0, 0, NULL, true}},
};

static void bench_one(const char *name, const struct sdh_machine *m)
{
	static uint64_t t[64];
	struct sched_domains_stats st;
	struct cpumask all;

	sdh_build(m);
	cpumask_fill(&all, sdh_cpus(m));
	for (unsigned r = 0; r < reps; r++) {
		uint64_t t0 = now_ns();

		if (sched_domains_build(&all) != E_OK) {
			printf("%-62s build failed\n", name);
			return;
		}
		t[r] = now_ns() - t0;
	}
	qsort(t, reps, sizeof(t[0]), cmp_u64);
	sched_domains_get_stats(&st);
	printf("%-62s %8.3f ms %7lu KiB  depth %2u  %5u domains  %6u "
	       "groups (%5u stored, %4u circles)\n",
	       name, t[reps / 2] / 1e6, (unsigned long)(st.bytes / 1024),
	       st.depth, st.domains, st.groups, st.stored_groups, st.circles);
}

int main(int argc, char **argv)
{
	struct buddy b;
	struct buddy_config cfg = mm_arena_config(0, 0);

	if (argc > 1 && strcmp(argv[1], "quick") == 0)
		reps = 3;
	mm_arena_open(BASE, (uint64_t)PAGES * PAGE_SIZE);
	if (buddy_init(&b, &cfg) ||
	    buddy_add_range(&b, 0, BASE, (uint64_t)PAGES * PAGE_SIZE) ||
	    kmem_init(&b)) {
		fprintf(stderr, "bench-domains: no heap\n");
		return 1;
	}
	printf("scheduling domains: median of %u builds (host, -O2)\n", reps);
	for (unsigned i = 0; i < ARRAY_SIZE(machines); i++)
		bench_one(machines[i].name, &machines[i].m);
	sched_domains_destroy();
	return 0;
}
