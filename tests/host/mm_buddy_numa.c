// SPDX-License-Identifier: MIT
// Multi-node behaviour: allocation prefers the requested node and falls
// back in the distance order the caller supplies; a node without memory
// falls back too; changing the distances changes the order; per-node
// statistics. Also two CPUs (threads) hammering the per-CPU caches at once.
#include <pthread.h>
#include <lib/err.h>
#include <mm/buddy.h>
#include <hal/cpu.h> // host_set_cpu_id() (tests/host/hal/arch/cpu.h)
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>

#define NU_BASE 0x300000000UL
#define NU_NODE_PAGES 64 // arena pages per node; 17 used: 16 + 1 metadata

static struct buddy nb;

// Nodes 0..2 as a SLIT-like matrix; every other node is far from all.
static const unsigned nu_slit[3][3] = {
    {10, 30, 20},
    {30, 10, 20},
    {20, 20, 10},
};

static unsigned nu_distance(unsigned from, unsigned to)
{
	if (from < 3 && to < 3)
		return nu_slit[from][to];
	return from == to ? 10 : 40;
}

static unsigned nu_distance_swapped(unsigned from, unsigned to)
{
	// Node 1 is now nearer to node 0 than node 2 is.
	if ((from == 0 && to == 1) || (from == 1 && to == 0))
		return 15;
	return nu_distance(from, to);
}

static bool nu_setup(struct ktest *t, unsigned pcp_high)
{
	struct buddy_config cfg = mm_arena_config(pcp_high, 4);

	cfg.distance = nu_distance;
	mm_arena_open(NU_BASE, 3 * NU_NODE_PAGES * PAGE_SIZE);
	if (!KT_EXPECT_EQ(buddy_init(&nb, &cfg), 0))
		return false;
	for (unsigned n = 0; n < 3; n++)
		if (!KT_EXPECT_EQ(
			buddy_add_range(&nb, n, mm_arena_pg(n * NU_NODE_PAGES),
		                        17 * PAGE_SIZE),
			0))
			return false;
	return true;
}

static unsigned nu_node_of(paddr_t pa)
{
	struct buddy_block blk;

	return buddy_find_block(&nb, pa, &blk) ? blk.node : ~0u;
}

KTEST(mm_buddy_numa, fallback_by_distance)
{
	paddr_t pa[3], x;
	struct buddy_stats st;

	if (!nu_setup(t, 0))
		return;
	for (unsigned i = 0; i < 3; i++)
		KT_ASSERT_EQ(buddy_alloc(&nb, 4, 0, &pa[i]), 0);
	KT_EXPECT_EQ(nu_node_of(pa[0]), 0);
	KT_EXPECT_EQ(nu_node_of(pa[1]), 2); // distance 20
	KT_EXPECT_EQ(nu_node_of(pa[2]), 1); // distance 30
	KT_EXPECT_EQ(buddy_alloc(&nb, 0, 0, &x), E_NOMEM);
	buddy_get_stats(&nb, 1, &st);
	KT_EXPECT_EQ_U(st.managed_pages, 16);
	KT_EXPECT_EQ_U(st.free_pages, 0);
	buddy_free(&nb, pa[2], 4);
	buddy_free(&nb, pa[1], 4);
	buddy_get_stats(&nb, 1, &st);
	KT_EXPECT_EQ_U(st.free_pages, 16);
	KT_EXPECT_EQ_U(st.free_blocks[4], 1);

	buddy_set_distance(&nb, nu_distance_swapped);
	KT_ASSERT_EQ(buddy_alloc(&nb, 4, 0, &x), 0);
	KT_EXPECT_EQ(nu_node_of(x), 1);
	buddy_free(&nb, x, 4);
	buddy_free(&nb, pa[0], 4);
	KT_EXPECT_EQ(buddy_check(&nb), 0);
	mm_arena_close();
}

KTEST(mm_buddy_numa, memoryless_node_and_pcp)
{
	paddr_t got[48], x;
	unsigned per_node[3] = {0, 0, 0};
	struct buddy_stats st;

	if (!nu_setup(t, 8))
		return;
	// Node 5 has no memory and is equally far from all: ties go by id.
	for (unsigned i = 0; i < 48; i++) {
		KT_ASSERT_EQ(buddy_alloc(&nb, 0, 5, &got[i]), 0);
		per_node[nu_node_of(got[i])]++;
		KT_EXPECT_EQ(nu_node_of(got[i]), i / 16);
	}
	KT_EXPECT(per_node[0] == 16 && per_node[1] == 16 && per_node[2] == 16);
	KT_EXPECT_EQ(buddy_alloc(&nb, 0, 2, &x), E_NOMEM);
	for (unsigned i = 0; i < 48; i++)
		buddy_free(&nb, got[i], 0);
	buddy_get_stats(&nb, 0, &st);
	KT_EXPECT_EQ_U(st.free_pages + st.pcp_pages, 16);
	// Pages sit in node 1's per-CPU cache; a node-1 request gets them
	// even though node 1's lists may be empty.
	KT_ASSERT_EQ(buddy_alloc(&nb, 0, 1, &x), 0);
	KT_EXPECT_EQ(nu_node_of(x), 1);
	buddy_free(&nb, x, 0);
	buddy_drain_all(&nb);
	for (unsigned n = 0; n < 3; n++) {
		buddy_get_stats(&nb, n, &st);
		KT_EXPECT_EQ_U(st.pcp_pages, 0);
		KT_EXPECT_EQ_U(st.free_blocks[4], 1);
	}
	KT_EXPECT_EQ(buddy_check(&nb), 0);
	mm_arena_close();
}

// --- two CPUs at once
// ----------------------------------------------------------

#define TH_OPS 300000
#define TH_LIVE 256

struct th_arg {
	unsigned cpu;
	uint64_t rng;
	unsigned errors;
	unsigned allocs;
};

// Each live block carries its owner and address in its first word; a
// block handed to two owners at once shows up as a mismatch on free.
static void *th_main(void *p)
{
	struct th_arg *a = p;
	paddr_t live[TH_LIVE];
	unsigned order[TH_LIVE], n = 0;

	host_set_cpu_id(a->cpu);
	for (unsigned op = 0; op < TH_OPS; op++) {
		a->rng ^= a->rng << 13, a->rng ^= a->rng >> 7,
		    a->rng ^= a->rng << 17;
		if (n < TH_LIVE && (n == 0 || a->rng % 2)) {
			unsigned k = a->rng % 8 < 6 ? 0 : (a->rng >> 8) % 4;

			if (buddy_alloc(&nb, k, (a->rng >> 16) % 3, &live[n]))
				continue;
			*(uint64_t *)mm_arena_p2v(live[n]) = live[n] ^ a->cpu;
			order[n++] = k;
			a->allocs++;
		} else {
			unsigned i = (unsigned)((a->rng >> 20) % n);

			a->errors += *(uint64_t *)mm_arena_p2v(live[i]) !=
			             (live[i] ^ a->cpu);
			buddy_free(&nb, live[i], order[i]);
			live[i] = live[--n];
			order[i] = order[n];
		}
	}
	while (n--)
		buddy_free(&nb, live[n], order[n]);
	return NULL;
}

KTEST(mm_buddy_numa, two_cpus_at_once)
{
	struct th_arg args[2] = {{.cpu = 1, .rng = 0x1234567},
	                         {.cpu = 2, .rng = 0x7654321}};
	pthread_t th[2];
	struct buddy_stats st;

	// Bigger nodes so both threads mostly succeed; the kernel's caches.
	struct buddy_config cfg =
	    mm_arena_config(BUDDY_PCP_HIGH, BUDDY_PCP_BATCH);

	mm_arena_open(NU_BASE, 3 * 1024 * PAGE_SIZE);
	KT_ASSERT_EQ(buddy_init(&nb, &cfg), 0);
	for (unsigned n = 0; n < 3; n++)
		KT_ASSERT_EQ(buddy_add_range(&nb, n, mm_arena_pg(n * 1024),
		                             1024 * PAGE_SIZE),
		             0);
	for (unsigned i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, th_main, &args[i]);
	for (unsigned i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	KT_EXPECT_EQ(args[0].errors + args[1].errors, 0);
	KT_EXPECT(args[0].allocs > TH_OPS / 3 && args[1].allocs > TH_OPS / 3);
	ktest_log(t, "allocations: %u + %u", args[0].allocs, args[1].allocs);
	buddy_drain_all(&nb);
	KT_EXPECT_EQ(buddy_check(&nb), 0);
	for (unsigned n = 0; n < 3; n++) {
		buddy_get_stats(&nb, n, &st);
		KT_EXPECT_EQ_U(st.free_pages, st.managed_pages);
	}
	mm_arena_close();
}
