// SPDX-License-Identifier: MIT
// Buddy allocator: misuse diagnosis, block lookup, statistics and the full
// consistency checker used by tests.
//
// Locks: buddy_get_stats() and buddy_list_free() take the zone lock;
// buddy_check() takes each zone lock, drops it, then takes that zone's pcp
// locks one at a time (never nested, so the pcp -> zone order holds).
// buddy_find_block() and buddy_misuse() read state bytes unlocked.
#include <lib/err.h>
#include <lib/panic.h>
#include <lib/printk.h>
#include <mm/buddy_impl.h>

static enum buddy_block_kind buddy_kind_of(uint8_t st)
{
	switch (BUDDY_ST_KIND(st)) {
	case BUDDY_ST_FREE: return BUDDY_BLOCK_FREE;
	case BUDDY_ST_PCP: return BUDDY_BLOCK_PCP;
	case BUDDY_ST_RESERVED: return BUDDY_BLOCK_RESERVED;
	default: return BUDDY_BLOCK_ALLOC;
	}
}

// The block containing pfn is the first head found aligning pfn down to
// orders 0, 1, 2, ...: its head is pfn rounded down to the block's order,
// and every page between is a TAIL.
bool buddy_find_block(struct buddy *b, paddr_t pa, struct buddy_block *blk)
{
	struct buddy_span *s = buddy_span_lookup(b, pa);
	uint64_t pfn = pa_to_pfn(pa);

	if (!s)
		return false;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		uint64_t head = pfn & ~((1ULL << k) - 1);
		uint8_t st;

		if (head < s->base_pfn)
			break;
		st = buddy_state_get(s, head);
		if (BUDDY_ST_KIND(st) == BUDDY_ST_TAIL)
			continue;
		if (BUDDY_ST_ORDER(st) < k)
			break; // inconsistent: a smaller head above a tail
		blk->head = pfn_to_pa(head);
		blk->order = BUDDY_ST_ORDER(st);
		blk->kind = buddy_kind_of(st);
		blk->node = s->node;
		return true;
	}
	return false;
}

__noreturn void buddy_misuse(struct buddy *b, paddr_t pa, unsigned order)
{
	struct buddy_block blk;

	if (order > BUDDY_MAX_ORDER)
		panic("buddy: free of 0x%lx with order %u > max order %u", pa,
		      order, BUDDY_MAX_ORDER);
	if (!buddy_span_lookup(b, pa))
		panic("buddy: free of 0x%lx: outside managed memory", pa);
	if (!IS_ALIGNED(pa, PAGE_SIZE << order))
		panic("buddy: free of 0x%lx order %u: not aligned to the "
		      "block size, never allocated",
		      pa, order);
	if (!buddy_find_block(b, pa, &blk))
		panic("buddy: free of 0x%lx: page state corrupt", pa);
	switch (blk.kind) {
	case BUDDY_BLOCK_RESERVED:
		panic("buddy: free of 0x%lx: never allocated (allocator "
		      "metadata page)",
		      pa);
	case BUDDY_BLOCK_PCP:
		panic("buddy: double free of 0x%lx (page is already in a "
		      "per-CPU cache)",
		      pa);
	case BUDDY_BLOCK_FREE:
		if (blk.head == pa)
			panic("buddy: double free of 0x%lx order %u (block is "
			      "already free)",
			      pa, order);
		panic("buddy: free of 0x%lx: not allocated (double free or "
		      "never allocated; inside free block 0x%lx order %u)",
		      pa, blk.head, blk.order);
	case BUDDY_BLOCK_ALLOC:
		if (blk.head != pa)
			panic("buddy: free of 0x%lx: never allocated at this "
			      "address (inside allocated block 0x%lx order %u)",
			      pa, blk.head, blk.order);
		panic("buddy: free of 0x%lx with wrong order %u (allocated "
		      "with order %u)",
		      pa, order, blk.order);
	}
	panic("buddy: free of 0x%lx order %u: rejected", pa, order);
}

static uint64_t buddy_pcp_pages(struct buddy_zone *z)
{
	uint64_t n = 0;

	for (unsigned c = 0; c < MAX_CPUS; c++)
		n += __atomic_load_n(&z->pcp[c].count, __ATOMIC_RELAXED);
	return n;
}

void buddy_get_stats(struct buddy *b, unsigned node, struct buddy_stats *st)
{
	struct buddy_zone *z = &b->zones[node];
	irqflags_t f;

	ASSERT(node < BUDDY_MAX_NODES);
	f = spin_lock_irqsave(&z->lock);
	st->managed_pages = z->managed_pages;
	st->meta_pages = z->meta_pages;
	st->free_pages = 0;
	for (unsigned k = 0; k < BUDDY_NR_ORDERS; k++) {
		st->free_blocks[k] = z->nr_free[k];
		st->free_pages += z->nr_free[k] << k;
	}
	spin_unlock_irqrestore(&z->lock, f);
	st->pcp_pages = buddy_pcp_pages(z);
}

size_t buddy_list_free(struct buddy *b, unsigned node, unsigned order,
                       paddr_t *out, size_t max)
{
	struct buddy_zone *z = &b->zones[node];
	size_t n = 0;
	irqflags_t f;

	ASSERT(node < BUDDY_MAX_NODES && order <= BUDDY_MAX_ORDER);
	f = spin_lock_irqsave(&z->lock);
	for (paddr_t pa = z->free_head[order]; pa != BUDDY_NIL;
	     pa = buddy_link(b, pa, order)->next) {
		if (n < max)
			out[n] = pa;
		n++;
	}
	spin_unlock_irqrestore(&z->lock, f);
	return n;
}

// --- checker
// -------------------------------------------------------------------

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (unlikely(!(cond))) {                                       \
			pr_err("buddy check: " __VA_ARGS__);                   \
			return E_CORRUPT;                                      \
		}                                                              \
	} while (0)

// Walks list k of z: every entry a FREE|k head of this node, links
// consistent, count matches. Caller holds z->lock.
static err_t buddy_check_list(struct buddy *b, unsigned node, unsigned k)
{
	struct buddy_zone *z = &b->zones[node];
	paddr_t prev = BUDDY_NIL;
	uint64_t n = 0;

	for (paddr_t pa = z->free_head[k]; pa != BUDDY_NIL;
	     pa = buddy_link(b, pa, k)->next) {
		struct buddy_span *s = buddy_span_lookup(b, pa);

		CHECK(n < z->nr_free[k], "node %u list %u longer than %lu\n",
		      node, k, z->nr_free[k]);
		CHECK(s && s->node == node,
		      "0x%lx on node %u list %u: not "
		      "this node's memory\n",
		      pa, node, k);
		CHECK(buddy_state_get(s, pa_to_pfn(pa)) == (BUDDY_ST_FREE | k),
		      "0x%lx on list %u has state 0x%x\n", pa, k,
		      buddy_state_get(s, pa_to_pfn(pa)));
		CHECK(k == BUDDY_MAX_ORDER ||
		          buddy_link(b, pa, k)->prev == prev,
		      "0x%lx: bad prev link\n", pa);
		prev = pa;
		n++;
	}
	CHECK(n == z->nr_free[k], "node %u list %u: %lu blocks, counter %lu\n",
	      node, k, n, z->nr_free[k]);
	CHECK(!!n == !!(z->avail & (1u << k)), "node %u: avail bit %u wrong\n",
	      node, k);
	return 0;
}

// A free head's buddy may not also be a free head of the same order (it
// would have been merged). Caller holds the zone lock.
static err_t buddy_check_coalesced(struct buddy_span *s, uint64_t pfn,
                                   unsigned k)
{
	uint64_t bud = pfn ^ (1ULL << k);

	if (k == BUDDY_MAX_ORDER || bud < s->base_pfn ||
	    bud + (1ULL << k) > buddy_span_end(s))
		return 0;
	CHECK(buddy_state_get(s, bud) != (BUDDY_ST_FREE | k),
	      "free buddies 0x%lx and 0x%lx (order %u) not merged\n",
	      pfn_to_pa(pfn), pfn_to_pa(bud), k);
	return 0;
}

// Walks every page of s: a sequence of aligned blocks, heads followed by
// tails, then the RESERVED metadata. Counts FREE heads per order.
static err_t buddy_check_span(struct buddy_span *s, uint64_t *free_heads)
{
	uint64_t pfn = s->base_pfn, end = buddy_span_end(s);
	err_t err;

	while (pfn < end) {
		uint8_t st = buddy_state_get(s, pfn);
		unsigned k = BUDDY_ST_ORDER(st);

		CHECK(BUDDY_ST_KIND(st) != BUDDY_ST_TAIL &&
		          BUDDY_ST_KIND(st) != BUDDY_ST_RESERVED &&
		          k <= BUDDY_MAX_ORDER,
		      "page 0x%lx: state 0x%x where a block should start\n",
		      pfn_to_pa(pfn), st);
		CHECK((pfn & ((1ULL << k) - 1)) == 0 &&
		          pfn + (1ULL << k) <= end,
		      "block 0x%lx order %u misaligned or out of span\n",
		      pfn_to_pa(pfn), k);
		CHECK(BUDDY_ST_KIND(st) != BUDDY_ST_PCP || k == 0,
		      "cached page 0x%lx has order %u\n", pfn_to_pa(pfn), k);
		for (uint64_t i = 1; i < (1ULL << k); i++)
			CHECK(buddy_state_get(s, pfn + i) == BUDDY_ST_TAIL,
			      "page 0x%lx inside block 0x%lx is not a tail\n",
			      pfn_to_pa(pfn + i), pfn_to_pa(pfn));
		if (BUDDY_ST_KIND(st) == BUDDY_ST_FREE) {
			free_heads[k]++;
			err = buddy_check_coalesced(s, pfn, k);
			if (err)
				return err;
		}
		pfn += 1ULL << k;
	}
	for (; pfn < s->base_pfn + s->npages; pfn++)
		CHECK(buddy_state_get(s, pfn) == BUDDY_ST_RESERVED,
		      "metadata page 0x%lx not reserved\n", pfn_to_pa(pfn));
	return 0;
}

// Every cached page of z is a PCP head of this node. Counts them.
static err_t buddy_check_pcp(struct buddy *b, unsigned node, uint64_t *pages)
{
	struct buddy_zone *z = &b->zones[node];

	for (unsigned c = 0; c < MAX_CPUS; c++) {
		struct buddy_pcp *pcp = &z->pcp[c];
		irqflags_t f = spin_lock_irqsave(&pcp->lock);
		uint64_t n = 0;
		bool ok = true;

		for (paddr_t pa = pcp->head; ok && pa != BUDDY_NIL;
		     pa = buddy_link(b, pa, 0)->next) {
			struct buddy_span *s = buddy_span_lookup(b, pa);

			ok = s && s->node == node && n < pcp->count &&
			     buddy_state_get(s, pa_to_pfn(pa)) == BUDDY_ST_PCP;
			n++;
		}
		ok = ok && n == pcp->count;
		spin_unlock_irqrestore(&pcp->lock, f);
		CHECK(ok, "node %u cpu %u: per-CPU cache corrupt\n", node, c);
		*pages += n;
	}
	return 0;
}

static err_t buddy_check_node(struct buddy *b, unsigned node)
{
	struct buddy_zone *z = &b->zones[node];
	uint64_t heads[BUDDY_NR_ORDERS] = {0};
	err_t err = 0;

	for (unsigned k = 0; k < BUDDY_NR_ORDERS && !err; k++)
		err = buddy_check_list(b, node, k);
	for (unsigned i = 0; i < b->nspans && !err; i++)
		if (b->spans[i].node == node)
			err = buddy_check_span(&b->spans[i], heads);
	for (unsigned k = 0; k < BUDDY_NR_ORDERS && !err; k++)
		if (heads[k] != z->nr_free[k]) {
			pr_err("buddy check: node %u: %lu free heads of order "
			       "%u, %lu on the list\n",
			       node, heads[k], k, z->nr_free[k]);
			err = E_CORRUPT;
		}
	return err;
}

// Lock order note: the per-CPU caches are checked after the zone lock is
// dropped, so the usual pcp -> zone order is kept. Concurrent allocation
// during a check may report transient mismatches; tests check when idle.
err_t buddy_check(struct buddy *b)
{
	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++) {
		struct buddy_zone *z = &b->zones[n];
		uint64_t pcp_pages = 0;
		irqflags_t f = spin_lock_irqsave(&z->lock);
		err_t err = buddy_check_node(b, n);

		spin_unlock_irqrestore(&z->lock, f);
		if (!err)
			err = buddy_check_pcp(b, n, &pcp_pages);
		if (err)
			return err;
	}
	return 0;
}
