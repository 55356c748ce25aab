// SPDX-License-Identifier: MIT
// Randomized stress of the buddy allocator against a reference model.
//
// The model is a bitmap of allocated pages plus the list of live blocks.
// Every allocation must be aligned, inside managed memory of a node and
// entirely free in the model; an E_NOMEM is checked against the model too
// (no aligned free run of that size may exist anywhere). Periodically the
// allocator's own view of every page (buddy_find_block) must equal the
// model, buddy_check() must pass and the statistics must add up. At the end
// everything is freed and the free lists must equal the initial ones.
#include <mm/buddy.h>
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>

#define ST_BASE 0x200000000UL
#define ST_PAGES 9216 // 36 MiB arena
#define ST_MAX_LIVE 16384

struct st_range {
	unsigned node;
	uint64_t first, n; // arena pages; the last pages become metadata
};

// Two nodes, three ranges; odd starts and lengths on purpose.
static const struct st_range st_ranges[] = {
    {0, 3, 4000},
    {1, 4100, 3000},
    {0, 7200, 2013},
};

struct st_live {
	paddr_t pa;
	unsigned order;
};

struct st_state {
	struct buddy b;
	uint64_t used[ST_PAGES / 64];    // model: page allocated
	uint64_t managed[ST_PAGES / 64]; // usable pages of all ranges
	uint8_t node_of[ST_PAGES];
	struct st_live live[ST_MAX_LIVE];
	unsigned nlive;
	uint64_t rng;
	uint64_t nomem, allocs, frees;
	uint64_t used_pages, managed_pages;
};

static uint64_t st_rand(struct st_state *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static bool bit_get(const uint64_t *m, uint64_t i)
{
	return m[i / 64] >> (i % 64) & 1;
}

static void bits_set(uint64_t *m, uint64_t i, uint64_t n, bool v)
{
	for (uint64_t j = i; j < i + n; j++) {
		if (v)
			m[j / 64] |= 1ULL << (j % 64);
		else
			m[j / 64] &= ~(1ULL << (j % 64));
	}
}

// All n pages from i managed, on one node, and free in the model.
static bool st_run_free(struct st_state *s, uint64_t i, uint64_t n)
{
	for (uint64_t j = i; j < i + n; j++)
		if (!bit_get(s->managed, j) || bit_get(s->used, j) ||
		    s->node_of[j] != s->node_of[i])
			return false;
	return true;
}

static bool st_setup(struct ktest *t, struct st_state *s, unsigned pcp_high,
                     unsigned pcp_batch)
{
	struct buddy_config cfg = mm_arena_config(pcp_high, pcp_batch);

	memset(s, 0, sizeof(*s));
	s->rng = 0x9e3779b97f4a7c15ULL;
	mm_arena_open(ST_BASE, ST_PAGES * PAGE_SIZE);
	KT_EXPECT_EQ(buddy_init(&s->b, &cfg), 0);
	for (unsigned r = 0; r < ARRAY_SIZE(st_ranges); r++) {
		const struct st_range *rg = &st_ranges[r];
		uint64_t meta = (rg->n + PAGE_SIZE - 1) / PAGE_SIZE;

		if (!KT_EXPECT_EQ(buddy_add_range(&s->b, rg->node,
		                                  mm_arena_pg(rg->first),
		                                  rg->n * PAGE_SIZE),
		                  0))
			return false;
		bits_set(s->managed, rg->first, rg->n - meta, true);
		s->managed_pages += rg->n - meta;
		memset(s->node_of + rg->first, (int)rg->node, rg->n);
	}
	return true;
}

static void st_alloc(struct ktest *t, struct st_state *s)
{
	uint64_t r = st_rand(s) % 100;
	unsigned order = r < 50   ? 0
	                 : r < 75 ? 1 + (unsigned)(r % 2)
	                 : r < 95 ? 3 + (unsigned)(r % 4)
	                          : 7 + (unsigned)(r % 4);
	unsigned node = (unsigned)(st_rand(s) % 3); // node 2 has no memory
	uint64_t n = 1ULL << order, i;
	paddr_t pa;

	if (s->nlive == ST_MAX_LIVE)
		return;
	if (buddy_alloc(&s->b, order, node, &pa)) {
		s->nomem++;
		for (i = 0; i + n <= ST_PAGES; i += n)
			if (((mm_arena.base / PAGE_SIZE + i) & (n - 1)) == 0 &&
			    st_run_free(s, i, n))
				break;
		if (!KT_EXPECT(i + n > ST_PAGES))
			ktest_log(t,
			          "E_NOMEM for order %u but page %lu is a "
			          "free aligned run",
			          order, i);
		return;
	}
	i = (pa - ST_BASE) / PAGE_SIZE;
	if (!KT_EXPECT(IS_ALIGNED(pa, PAGE_SIZE << order) && pa >= ST_BASE &&
	               i + n <= ST_PAGES && st_run_free(s, i, n)))
		ktest_log(t, "bad block 0x%lx order %u", pa, order);
	bits_set(s->used, i, n, true);
	memset(mm_arena_p2v(pa), 0xa5, 64); // the block is ours to scribble on
	memset((uint8_t *)mm_arena_p2v(pa) + n * PAGE_SIZE - 64, 0x5a, 64);
	s->used_pages += n;
	s->live[s->nlive++] = (struct st_live){pa, order};
	s->allocs++;
}

static void st_free(struct st_state *s)
{
	unsigned k = (unsigned)(st_rand(s) % s->nlive);
	struct st_live l = s->live[k];

	s->live[k] = s->live[--s->nlive];
	buddy_free(&s->b, l.pa, l.order);
	bits_set(s->used, (l.pa - ST_BASE) / PAGE_SIZE, 1ULL << l.order, false);
	s->used_pages -= 1ULL << l.order;
	s->frees++;
}

// The allocator's view of every page equals the model's.
static void st_compare(struct ktest *t, struct st_state *s)
{
	uint64_t free_model[2] = {0, 0}, free_alloc[2] = {0, 0};
	struct buddy_stats st;
	unsigned bad = 0;

	KT_EXPECT_EQ(buddy_check(&s->b), 0);
	for (uint64_t i = 0; i < ST_PAGES; i++) {
		struct buddy_block blk;
		bool is_free;

		if (!bit_get(s->managed, i))
			continue;
		if (!buddy_find_block(&s->b, mm_arena_pg(i), &blk)) {
			bad++;
			continue;
		}
		is_free =
		    blk.kind == BUDDY_BLOCK_FREE || blk.kind == BUDDY_BLOCK_PCP;
		bad += is_free == bit_get(s->used, i);
		free_model[s->node_of[i]] += !bit_get(s->used, i);
	}
	KT_EXPECT_EQ(bad, 0);
	for (unsigned n = 0; n < 2; n++) {
		buddy_get_stats(&s->b, n, &st);
		free_alloc[n] = st.free_pages + st.pcp_pages;
		KT_EXPECT_EQ_U(free_alloc[n], free_model[n]);
	}
}

static void st_run(struct ktest *t, unsigned pcp_high, unsigned pcp_batch,
                   uint64_t ops)
{
	static struct st_state s;
	paddr_t before[2][BUDDY_NR_ORDERS][64], after[64];
	size_t nb[2][BUDDY_NR_ORDERS];

	if (!st_setup(t, &s, pcp_high, pcp_batch))
		return;
	for (unsigned n = 0; n < 2; n++)
		for (unsigned k = 0; k < BUDDY_NR_ORDERS; k++)
			nb[n][k] =
			    buddy_list_free(&s.b, n, k, before[n][k], 64);
	for (uint64_t op = 0; op < ops && !t->failures; op++) {
		// Hover around 75% use so both paths and E_NOMEM happen.
		bool low = s.used_pages * 4 < s.managed_pages * 3;
		bool grow = s.nlive == 0 || st_rand(&s) % 100 < (low ? 60 : 40);

		if (grow)
			st_alloc(t, &s);
		else
			st_free(&s);
		if (op % 250000 == 0)
			st_compare(t, &s);
		if (op % 100000 == 50000 && pcp_high)
			buddy_drain_cpu(&s.b, 0);
	}
	st_compare(t, &s);
	ktest_log(t, "pcp %u/%u: %lu ops, %lu allocs, %lu frees, %lu E_NOMEM",
	          pcp_high, pcp_batch, ops, s.allocs, s.frees, s.nomem);
	KT_EXPECT(s.nomem > 0 && s.allocs > ops / 3);
	while (s.nlive)
		st_free(&s);
	buddy_drain_all(&s.b);
	st_compare(t, &s);
	for (unsigned n = 0; n < 2; n++)
		for (unsigned k = 0; k < BUDDY_NR_ORDERS; k++) {
			size_t m = buddy_list_free(&s.b, n, k, after, 64);

			KT_EXPECT_EQ(m, nb[n][k]);
			for (size_t i = 0; i < m && i < 64; i++) {
				bool found = false;

				for (size_t j = 0; j < nb[n][k] && j < 64; j++)
					found |= after[i] == before[n][k][j];
				KT_EXPECT(found);
			}
		}
	mm_arena_close();
}

// The kernel's cache sizes: refills take whole 64-page blocks.
KTEST(mm_buddy_stress, random_ops_pcp)
{
	st_run(t, BUDDY_PCP_HIGH, BUDDY_PCP_BATCH, 3000000);
}

// Small caches: refills page by page, frequent drains.
KTEST(mm_buddy_stress, random_ops_small_pcp)
{
	st_run(t, 8, 3, 1500000);
}

KTEST(mm_buddy_stress, random_ops_zone_only)
{
	st_run(t, 0, 0, 1500000);
}
