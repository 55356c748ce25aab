// SPDX-License-Identifier: MIT
// bench-mm: figures for the buddy allocator (mm/buddy.c) on the host.
//   bench-mm [quick]
// Prints, for each case, the median over REPS repetitions of ns per
// operation and the matching operations per second:
//   - order-0 alloc+free pair on the per-CPU cache path (hot) and with the
//     caches off (every call takes the zone lock, splits and re-merges);
//   - mixed orders 0..10 (random alloc/free over a pool of live blocks);
//   - two threads at once (each its own CPU id), hot path and zone path;
//   - building the allocator over 64 GiB: init time, metadata size and the
//     resident memory it really wrote (the arena is MAP_NORESERVE: free
//     pages are never touched, exactly as in the kernel; the state bytes
//     and the free-list links in each free block are written for real).
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <hal/cpu.h>
#include <lib/err.h>
#include <mm/buddy.h>

#define ARENA_BASE 0x100000000UL // fake physical base (4 GiB)
#define BENCH_ARENA (1UL << 30)
#define BIG_ARENA (64UL << 30)

static uint8_t *arena;
static unsigned reps = 31;
static unsigned long pairs_per_rep = 1000000;

static void *bench_p2v(paddr_t pa)
{
	return arena + (pa - ARENA_BASE);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void *arena_map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

static void bench_setup(struct buddy *b, uint64_t size, unsigned pcp_high)
{
	struct buddy_config cfg = {.phys_to_virt = bench_p2v,
	                           .pcp_high = pcp_high,
	                           .pcp_batch = pcp_high ? BUDDY_PCP_BATCH : 0};

	if (buddy_init(b, &cfg) || buddy_add_range(b, 0, ARENA_BASE, size)) {
		fprintf(stderr, "bench-mm: allocator set-up failed\n");
		exit(1);
	}
}

static void must(err_t err)
{
	if (err) {
		fprintf(stderr, "bench-mm: %s\n", err_name(err));
		exit(1);
	}
}

// ns per alloc+free pair of order 0, one repetition.
static double pair_rep(struct buddy *b)
{
	uint64_t t0 = now_ns();
	paddr_t pa;

	for (unsigned long i = 0; i < pairs_per_rep; i++) {
		must(buddy_alloc(b, 0, 0, &pa));
		buddy_free(b, pa, 0);
	}
	return (double)(now_ns() - t0) / (double)pairs_per_rep;
}

static void report(const char *what, double ns, const char *unit)
{
	printf("%-44s %8.1f ns/%s %12.0f %ss/s\n", what, ns, unit, 1e9 / ns,
	       unit);
}

static void bench_pairs(struct buddy *b, unsigned pcp_high, const char *what)
{
	double v[reps];

	bench_setup(b, BENCH_ARENA, pcp_high);
	pair_rep(b); // warm-up
	for (unsigned r = 0; r < reps; r++)
		v[r] = pair_rep(b);
	report(what, median(v, reps), "pair");
}

// --- mixed orders ---------------------------------------------------------

#define POOL 512

static double mixed_rep(struct buddy *b, paddr_t *pool, unsigned *ord,
                        uint64_t *rng, unsigned long ops)
{
	uint64_t t0 = now_ns();

	for (unsigned long i = 0; i < ops; i++) {
		unsigned slot;

		*rng ^= *rng << 13, *rng ^= *rng >> 7, *rng ^= *rng << 17;
		slot = (unsigned)(*rng % POOL);
		if (pool[slot] != BUDDY_NIL) {
			buddy_free(b, pool[slot], ord[slot]);
			pool[slot] = BUDDY_NIL;
		} else {
			ord[slot] = (unsigned)((*rng >> 32) % 11);
			if (buddy_alloc(b, ord[slot], 0, &pool[slot]))
				pool[slot] = BUDDY_NIL;
		}
	}
	return (double)(now_ns() - t0) / (double)ops;
}

static void bench_mixed(struct buddy *b)
{
	static paddr_t pool[POOL];
	static unsigned ord[POOL];
	uint64_t rng = 0x2545f4914f6cdd1dULL;
	double v[reps];

	// 512 slots, about half live, of 0.73 MiB on average: ~190 MiB; the
	// arena (1 GiB) keeps requests satisfiable.
	bench_setup(b, BENCH_ARENA, BUDDY_PCP_HIGH);
	for (unsigned i = 0; i < POOL; i++)
		pool[i] = BUDDY_NIL;
	mixed_rep(b, pool, ord, &rng, pairs_per_rep);
	for (unsigned r = 0; r < reps; r++)
		v[r] = mixed_rep(b, pool, ord, &rng, pairs_per_rep);
	report("mixed orders 0..10, random alloc/free", median(v, reps), "op");
	for (unsigned i = 0; i < POOL; i++)
		if (pool[i] != BUDDY_NIL)
			buddy_free(b, pool[i], ord[i]);
}

// --- two threads ------------------------------------------------------------

struct th {
	struct buddy *b;
	unsigned cpu;
	pthread_barrier_t *bar;
	double *v;
};

static void *th_main(void *p)
{
	struct th *t = p;

	host_set_cpu_id(t->cpu);
	pair_rep(t->b);
	for (unsigned r = 0; r < reps; r++) {
		pthread_barrier_wait(t->bar);
		t->v[r] = pair_rep(t->b);
	}
	return NULL;
}

static void bench_threads(struct buddy *b, unsigned pcp_high, const char *what)
{
	pthread_barrier_t bar;
	pthread_t id[2];
	double v[2][reps], m[2];
	struct th th[2];
	char line[96];

	bench_setup(b, BENCH_ARENA, pcp_high);
	pthread_barrier_init(&bar, NULL, 2);
	for (unsigned i = 0; i < 2; i++) {
		th[i] = (struct th){b, i + 1, &bar, v[i]};
		pthread_create(&id[i], NULL, th_main, &th[i]);
	}
	for (unsigned i = 0; i < 2; i++)
		pthread_join(id[i], NULL);
	pthread_barrier_destroy(&bar);
	for (unsigned i = 0; i < 2; i++) {
		m[i] = median(v[i], reps);
		snprintf(line, sizeof(line), "%s, thread %u", what, i);
		report(line, m[i], "pair");
	}
	printf("%-44s %8s %12.0f pairs/s\n", "  both threads together", "",
	       1e9 / m[0] + 1e9 / m[1]);
}

// --- 64 GiB build -----------------------------------------------------------

static unsigned long rss_kib(void)
{
	unsigned long size = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%lu %lu", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (unsigned long)sysconf(_SC_PAGESIZE) / 1024;
}

static void bench_init_big(struct buddy *b)
{
	struct buddy_config cfg = {.phys_to_virt = bench_p2v,
	                           .pcp_high = BUDDY_PCP_HIGH,
	                           .pcp_batch = BUDDY_PCP_BATCH};
	struct buddy_stats st;
	unsigned long rss0, rss1;
	uint64_t t0, t1, t2;
	paddr_t pa;

	arena = arena_map(BIG_ARENA);
	rss0 = rss_kib();
	t0 = now_ns();
	must(buddy_init(b, &cfg));
	t1 = now_ns();
	must(buddy_add_range(b, 0, ARENA_BASE, BIG_ARENA));
	t2 = now_ns();
	rss1 = rss_kib();
	buddy_get_stats(b, 0, &st);
	printf("build over %lu GiB (%lu pages):\n", BIG_ARENA >> 30,
	       BIG_ARENA / PAGE_SIZE);
	printf("  buddy_init %.3f ms, buddy_add_range %.3f ms\n",
	       (double)(t1 - t0) / 1e6, (double)(t2 - t1) / 1e6);
	printf("  metadata %lu pages (%.2f MiB) = %.4f%% of managed memory; "
	       "struct buddy %zu bytes\n",
	       st.meta_pages, (double)st.meta_pages * PAGE_SIZE / (1 << 20),
	       100.0 * (double)st.meta_pages / (double)st.managed_pages,
	       sizeof(*b));
	printf("  free %lu pages in %lu order-%u blocks; memory written by "
	       "the build: %lu KiB resident\n",
	       st.free_pages, st.free_blocks[BUDDY_MAX_ORDER], BUDDY_MAX_ORDER,
	       rss1 - rss0);
	must(buddy_alloc(b, BUDDY_MAX_ORDER, 0, &pa)); // it works
	buddy_free(b, pa, BUDDY_MAX_ORDER);
	munmap(arena, BIG_ARENA);
}

int main(int argc, char **argv)
{
	static struct buddy b;

	if (argc > 1 && !strcmp(argv[1], "quick")) {
		reps = 5;
		pairs_per_rep = 100000;
	}
	printf("bench-mm: median of %u repetitions x %lu operations\n", reps,
	       pairs_per_rep);
	arena = arena_map(BENCH_ARENA);
	bench_pairs(&b, BUDDY_PCP_HIGH,
	            "order-0 alloc+free, per-CPU cache (hot)");
	bench_pairs(&b, 0, "order-0 alloc+free, buddy path (no pcp)");
	bench_mixed(&b);
	bench_threads(&b, BUDDY_PCP_HIGH, "2 threads order-0 pairs, per-CPU");
	bench_threads(&b, 0, "2 threads order-0 pairs, buddy path");
	munmap(arena, BENCH_ARENA);
	bench_init_big(&b);
	return 0;
}
