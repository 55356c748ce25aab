// SPDX-License-Identifier: MIT
// Buddy allocator: set-up, range intake, allocation and free paths.
//
// Metadata is one state byte per page (mm/buddy_impl.h), stored in the last
// pages of each managed range, plus free-list links written into the free
// blocks themselves: 1/4096 of managed memory (0.024%).
//
// Locks (key letters as in mm/buddy.h), always taken in this order:
//   p  pcp->lock   one CPU's cache of one zone: its list and count, and the
//                  ALLOC|0 <-> PCP transition of the pages it holds
//   z  zone->lock  the zone's free lists, counters, and every FREE/TAIL
//                  state byte of the zone's spans
//   a  add_lock    the span table (writers); readers use span_seq
// A page's state byte changes only under the lock that owns the page: the
// zone lock for free blocks, the pcp lock for cached pages; an allocated
// block is owned by its holder until buddy_free() takes the zone or pcp lock.
#include <string.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <lib/printk.h>
#include <mm/buddy_impl.h>

static unsigned buddy_default_distance(unsigned from, unsigned to)
{
	return from == to ? BUDDY_DISTANCE_LOCAL : BUDDY_DISTANCE_REMOTE;
}

// Fallback order of node n: all nodes by distance from n, ties by id.
static void buddy_fallback_build(struct buddy *b, unsigned n)
{
	uint8_t *fb = b->zones[n].fallback;
	buddy_distance_fn dist = b->cfg.distance;

	for (unsigned i = 0; i < BUDDY_MAX_NODES; i++) {
		unsigned j = i;

		while (j > 0 && dist(n, fb[j - 1]) > dist(n, i)) {
			fb[j] = fb[j - 1];
			j--;
		}
		fb[j] = (uint8_t)i;
	}
}

void buddy_set_distance(struct buddy *b, buddy_distance_fn distance)
{
	b->cfg.distance = distance ? distance : buddy_default_distance;
	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++)
		buddy_fallback_build(b, n);
}

err_t buddy_init(struct buddy *b, const struct buddy_config *cfg)
{
	if (!cfg || !cfg->phys_to_virt)
		return E_INVAL;
	memset(b, 0, sizeof(*b));
	b->cfg = *cfg;
	if (b->cfg.pcp_high && !b->cfg.pcp_batch)
		b->cfg.pcp_batch = 1;
	if (b->cfg.pcp_batch > b->cfg.pcp_high)
		b->cfg.pcp_batch = b->cfg.pcp_high;
	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++) {
		struct buddy_zone *z = &b->zones[n];

		for (unsigned k = 0; k < BUDDY_NR_ORDERS; k++)
			z->free_head[k] = BUDDY_NIL;
		for (unsigned c = 0; c < MAX_CPUS; c++)
			z->pcp[c].head = BUDDY_NIL;
	}
	buddy_set_distance(b, cfg->distance);
	return 0;
}

// --- span table -----------------------------------------------------------

// Lock-free reader: spans never move or change once published; only the
// sorted index is rewritten, under span_seq (odd while it moves).
struct buddy_span *buddy_span_lookup(struct buddy *b, paddr_t pa)
{
	uint64_t pfn = pa_to_pfn(pa);
	struct buddy_span *found;
	uint32_t seq;

	do {
		unsigned lo = 0, hi;

		seq = __atomic_load_n(&b->span_seq, __ATOMIC_ACQUIRE);
		hi = __atomic_load_n(&b->nspans, __ATOMIC_ACQUIRE);
		found = NULL;
		while (lo < hi) {
			unsigned mid = (lo + hi) / 2;
			unsigned i = __atomic_load_n(&b->span_index[mid],
			                             __ATOMIC_RELAXED);
			struct buddy_span *s = &b->spans[i % BUDDY_MAX_SPANS];

			if (pfn < s->base_pfn) {
				hi = mid;
			} else if (pfn >= s->base_pfn + s->npages) {
				lo = mid + 1;
			} else {
				found = s;
				break;
			}
		}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((seq & 1) ||
	         seq != __atomic_load_n(&b->span_seq, __ATOMIC_RELAXED));
	return found;
}

// Caller holds add_lock. Returns the index position for base_pfn, or -1 if
// [base_pfn, end_pfn) overlaps a published span.
static int buddy_span_slot(struct buddy *b, uint64_t base_pfn, uint64_t end_pfn)
{
	unsigned pos = 0;

	while (pos < b->nspans) {
		struct buddy_span *s = &b->spans[b->span_index[pos]];

		if (end_pfn <= s->base_pfn)
			break;
		if (base_pfn < s->base_pfn + s->npages)
			return -1;
		pos++;
	}
	return (int)pos;
}

// Caller holds add_lock; spans[b->nspans] is fully initialised.
static void buddy_span_publish(struct buddy *b, unsigned pos)
{
	unsigned n = b->nspans;

	__atomic_store_n(&b->span_seq, b->span_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (unsigned i = n; i > pos; i--)
		__atomic_store_n(&b->span_index[i], b->span_index[i - 1],
		                 __ATOMIC_RELAXED);
	__atomic_store_n(&b->span_index[pos], (uint16_t)n, __ATOMIC_RELAXED);
	__atomic_store_n(&b->nspans, n + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&b->span_seq, b->span_seq + 1, __ATOMIC_RELEASE);
}

// --- free lists (caller holds zone->lock) ----------------------------------

static void buddy_list_push(struct buddy *b, struct buddy_zone *z, paddr_t pa,
                            unsigned k)
{
	struct buddy_link *l = buddy_link(b, pa, k);

	l->next = z->free_head[k];
	l->prev = BUDDY_NIL;
	// Max-order blocks never merge further, so they only ever leave
	// their list at its head: that list is singly linked.
	if (l->next != BUDDY_NIL && k < BUDDY_MAX_ORDER)
		buddy_link(b, l->next, k)->prev = pa;
	z->free_head[k] = pa;
	z->nr_free[k]++;
	__atomic_store_n(&z->avail, z->avail | (1u << k), __ATOMIC_RELAXED);
}

static void buddy_list_remove(struct buddy *b, struct buddy_zone *z, paddr_t pa,
                              unsigned k)
{
	struct buddy_link *l = buddy_link(b, pa, k);

	ASSERT(k < BUDDY_MAX_ORDER || pa == z->free_head[k]);
	if (k == BUDDY_MAX_ORDER)
		z->free_head[k] = l->next;
	else if (l->prev != BUDDY_NIL)
		buddy_link(b, l->prev, k)->next = l->next;
	else
		z->free_head[k] = l->next;
	if (l->next != BUDDY_NIL && k < BUDDY_MAX_ORDER)
		buddy_link(b, l->next, k)->prev = l->prev;
	z->nr_free[k]--;
	if (z->free_head[k] == BUDDY_NIL)
		__atomic_store_n(&z->avail, z->avail & ~(1u << k),
		                 __ATOMIC_RELAXED);
}

// Takes a block of the given order from z, splitting a larger one if
// needed (the lower half is kept, upper halves go back on the lists), and
// marks its head kind|order. Caller holds z->lock.
static bool buddy_zone_take(struct buddy *b, struct buddy_zone *z,
                            unsigned order, uint8_t kind, paddr_t *out)
{
	uint32_t mask = z->avail >> order;
	struct buddy_span *s;
	unsigned k;
	paddr_t pa;

	if (!mask)
		return false;
	k = order + (unsigned)__builtin_ctz(mask);
	pa = z->free_head[k];
	buddy_list_remove(b, z, pa, k);
	s = buddy_span_lookup(b, pa);
	while (k > order) {
		paddr_t upper;

		k--;
		upper = pa + (PAGE_SIZE << k);
		buddy_state_set(s, pa_to_pfn(upper), BUDDY_ST_FREE | k);
		buddy_list_push(b, z, upper, k);
	}
	buddy_state_set(s, pa_to_pfn(pa), kind | order);
	*out = pa;
	return true;
}

// Returns the block at pfn (order k, head state already checked by the
// caller) to z, merging with free buddies inside the span. Caller holds
// z->lock.
static void buddy_zone_put(struct buddy *b, struct buddy_zone *z,
                           struct buddy_span *s, uint64_t pfn, unsigned k)
{
	uint64_t end = buddy_span_end(s);

	while (k < BUDDY_MAX_ORDER) {
		uint64_t bud = pfn ^ (1ULL << k);

		if (bud < s->base_pfn || bud + (1ULL << k) > end)
			break;
		if (buddy_state_get(s, bud) != (BUDDY_ST_FREE | k))
			break;
		buddy_list_remove(b, z, pfn_to_pa(bud), k);
		buddy_state_set(s, MAX(pfn, bud), BUDDY_ST_TAIL);
		pfn = MIN(pfn, bud);
		k++;
	}
	buddy_state_set(s, pfn, BUDDY_ST_FREE | k);
	buddy_list_push(b, z, pfn_to_pa(pfn), k);
}

// --- range intake ------------------------------------------------------------

static unsigned buddy_fit_order(uint64_t pfn, uint64_t left)
{
	unsigned k = BUDDY_MAX_ORDER;

	if (pfn)
		k = MIN(k, (unsigned)__builtin_ctzll(pfn));
	while ((1ULL << k) > left)
		k--;
	return k;
}

// Marks a new span's pages: usable ones TAIL, metadata RESERVED. Then
// frees the usable pages as maximal aligned blocks. The span is published
// already (lookups find it), its pages are on no list yet.
static void buddy_span_fill(struct buddy *b, struct buddy_span *s)
{
	struct buddy_zone *z = &b->zones[s->node];
	uint64_t usable = s->npages - s->meta_pages;
	uint64_t pfn = s->base_pfn, end = buddy_span_end(s);
	irqflags_t f;

	memset(s->state, BUDDY_ST_TAIL, usable);
	memset(s->state + usable, BUDDY_ST_RESERVED, s->meta_pages);
	f = spin_lock_irqsave(&z->lock);
	while (pfn < end) {
		unsigned k = buddy_fit_order(pfn, end - pfn);

		buddy_state_set(s, pfn, BUDDY_ST_FREE | k);
		buddy_list_push(b, z, pfn_to_pa(pfn), k);
		pfn += 1ULL << k;
	}
	z->managed_pages += usable;
	z->meta_pages += s->meta_pages;
	spin_unlock_irqrestore(&z->lock, f);
}

// Offset of the max-order links from the start of the metadata pages.
static uint64_t buddy_maxlinks_offset(uint64_t first, uint64_t npages)
{
	return ALIGN_UP(first % BUDDY_STATE_ALIGN + npages,
	                sizeof(struct buddy_link));
}

// Max-order-aligned slots [first, last) touches.
static uint64_t buddy_maxlinks_count(uint64_t first, uint64_t last)
{
	return (ALIGN_UP(last, 1ULL << BUDDY_MAX_ORDER) -
	        ALIGN_DOWN(first, 1ULL << BUDDY_MAX_ORDER)) >>
	       BUDDY_MAX_ORDER;
}

static err_t buddy_range_check(struct buddy *b, unsigned node, uint64_t first,
                               uint64_t last, uint64_t *meta)
{
	uint64_t npages = last - first;

	if (node >= BUDDY_MAX_NODES) {
		pr_err("buddy: node %u out of range (max %u)\n", node,
		       BUDDY_MAX_NODES - 1);
		return E_INVAL;
	}
	// The state array is placed so that the byte of pfn sits at offset
	// pfn % BUDDY_STATE_ALIGN of a cache line: pages of different aligned
	// 64-page blocks (different CPUs' cache refills) never share a line.
	// Then, 16-byte aligned, the links of the max-order blocks.
	*meta = (buddy_maxlinks_offset(first, npages) +
	         buddy_maxlinks_count(first, last) * sizeof(struct buddy_link) +
	         PAGE_SIZE - 1) /
	        PAGE_SIZE;
	if (last <= first || npages <= *meta) {
		pr_err("buddy: range 0x%lx+0x%lx too small for its metadata\n",
		       pfn_to_pa(first), pfn_to_pa(npages));
		return E_RANGE;
	}
	if (b->nspans == BUDDY_MAX_SPANS) {
		pr_err("buddy: span table full, range 0x%lx dropped\n",
		       pfn_to_pa(first));
		return E_NOSPC;
	}
	return 0;
}

err_t buddy_add_range(struct buddy *b, unsigned node, paddr_t base,
                      uint64_t size)
{
	uint64_t first = pa_to_pfn(ALIGN_UP(base, PAGE_SIZE));
	uint64_t last = pa_to_pfn(ALIGN_DOWN(base + size, PAGE_SIZE));
	struct buddy_span *s;
	uint64_t meta;
	irqflags_t f;
	err_t err;
	int pos;

	if (base + size < base)
		return E_INVAL;
	f = spin_lock_irqsave(&b->add_lock);
	err = buddy_range_check(b, node, first, last, &meta);
	if (err)
		goto out;
	pos = buddy_span_slot(b, first, last);
	if (pos < 0) {
		pr_err("buddy: range 0x%lx-0x%lx overlaps managed memory\n",
		       base, base + size);
		err = E_EXIST;
		goto out;
	}
	s = &b->spans[b->nspans];
	s->base_pfn = first;
	s->npages = last - first;
	s->meta_pages = meta;
	s->node = node;
	s->state = (uint8_t *)b->cfg.phys_to_virt(pfn_to_pa(last - meta)) +
	           first % BUDDY_STATE_ALIGN;
	s->maxlinks =
	    (struct buddy_link *)((uint8_t *)b->cfg.phys_to_virt(
				      pfn_to_pa(last - meta)) +
	                          buddy_maxlinks_offset(first, last - first));
	s->maxlink_base_pfn = ALIGN_DOWN(first, 1ULL << BUDDY_MAX_ORDER);
	buddy_span_publish(b, (unsigned)pos);
	buddy_span_fill(b, s);
out:
	spin_unlock_irqrestore(&b->add_lock, f);
	return err;
}

// --- per-CPU caches ----------------------------------------------------------

static void buddy_pcp_push(struct buddy *b, struct buddy_pcp *pcp, paddr_t pa)
{
	buddy_link(b, pa, 0)->next = pcp->head;
	pcp->head = pa;
	pcp->count++;
}

// Moves pcp_batch order-0 pages from z into pcp: preferably one aligned
// block of BUDDY_PCP_BLOCK_ORDER, whose state bytes then fill one cache
// line no other CPU's cached pages share (see buddy_range_check()); else
// page by page. Caller holds pcp.
static void buddy_pcp_refill(struct buddy *b, struct buddy_zone *z,
                             struct buddy_pcp *pcp)
{
	unsigned n = b->cfg.pcp_batch;
	paddr_t pa;

	spin_lock(&z->lock);
	if (n >= (1u << BUDDY_PCP_BLOCK_ORDER) &&
	    buddy_zone_take(b, z, BUDDY_PCP_BLOCK_ORDER, BUDDY_ST_PCP, &pa)) {
		struct buddy_span *s = buddy_span_lookup(b, pa);

		for (unsigned i = (1u << BUDDY_PCP_BLOCK_ORDER); i-- > 0;) {
			paddr_t p = pa + (paddr_t)i * PAGE_SIZE;

			buddy_state_set(s, pa_to_pfn(p), BUDDY_ST_PCP);
			buddy_pcp_push(b, pcp, p);
		}
		n -= 1u << BUDDY_PCP_BLOCK_ORDER;
	}
	while (n-- && buddy_zone_take(b, z, 0, BUDDY_ST_PCP, &pa))
		buddy_pcp_push(b, pcp, pa);
	spin_unlock(&z->lock);
}

// Returns n pages of pcp to z. Caller holds pcp.
static void buddy_pcp_drain(struct buddy *b, struct buddy_zone *z,
                            struct buddy_pcp *pcp, unsigned n)
{
	spin_lock(&z->lock);
	while (n-- && pcp->count) {
		paddr_t pa = pcp->head;

		pcp->head = buddy_link(b, pa, 0)->next;
		pcp->count--;
		buddy_zone_put(b, z, buddy_span_lookup(b, pa), pa_to_pfn(pa),
		               0);
	}
	spin_unlock(&z->lock);
}

static struct buddy_pcp *buddy_pcp_this(struct buddy_zone *z)
{
	unsigned cpu = hal_cpu_id();

	ASSERT_MSG(cpu < MAX_CPUS, "buddy: cpu id %u >= MAX_CPUS (%u)", cpu,
	           MAX_CPUS);
	return &z->pcp[cpu];
}

static bool buddy_pcp_alloc(struct buddy *b, unsigned node, paddr_t *out)
{
	struct buddy_zone *z = &b->zones[node];
	irqflags_t f = hal_irq_save(); // pins us to this CPU
	struct buddy_pcp *pcp = buddy_pcp_this(z);
	paddr_t pa;

	spin_lock(&pcp->lock);
	if (!pcp->count)
		buddy_pcp_refill(b, z, pcp);
	pa = pcp->head;
	if (pa != BUDDY_NIL) {
		pcp->head = buddy_link(b, pa, 0)->next;
		pcp->count--;
		buddy_state_set(buddy_span_lookup(b, pa), pa_to_pfn(pa),
		                BUDDY_ST_ALLOC);
	}
	spin_unlock(&pcp->lock);
	hal_irq_restore(f);
	*out = pa;
	return pa != BUDDY_NIL;
}

static void buddy_pcp_free(struct buddy *b, struct buddy_span *s, paddr_t pa)
{
	struct buddy_zone *z = &b->zones[s->node];
	irqflags_t f = hal_irq_save();
	struct buddy_pcp *pcp = buddy_pcp_this(z);
	uint64_t pfn = pa_to_pfn(pa);

	spin_lock(&pcp->lock);
	if (unlikely(buddy_state_get(s, pfn) != BUDDY_ST_ALLOC)) {
		spin_unlock(&pcp->lock);
		hal_irq_restore(f);
		buddy_misuse(b, pa, 0);
	}
	buddy_state_set(s, pfn, BUDDY_ST_PCP);
	buddy_pcp_push(b, pcp, pa);
	if (pcp->count > b->cfg.pcp_high)
		buddy_pcp_drain(b, z, pcp, b->cfg.pcp_batch);
	spin_unlock(&pcp->lock);
	hal_irq_restore(f);
}

void buddy_drain_cpu(struct buddy *b, unsigned cpu)
{
	ASSERT(cpu < MAX_CPUS);
	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++) {
		struct buddy_zone *z = &b->zones[n];
		struct buddy_pcp *pcp = &z->pcp[cpu];
		irqflags_t f;

		if (!__atomic_load_n(&pcp->count, __ATOMIC_RELAXED))
			continue;
		f = spin_lock_irqsave(&pcp->lock);
		buddy_pcp_drain(b, z, pcp, pcp->count);
		spin_unlock_irqrestore(&pcp->lock, f);
	}
}

void buddy_drain_all(struct buddy *b)
{
	for (unsigned c = 0; c < MAX_CPUS; c++)
		buddy_drain_cpu(b, c);
}

// --- allocation and free -----------------------------------------------------

static bool buddy_alloc_zones(struct buddy *b, unsigned order, unsigned node,
                              paddr_t *out)
{
	const uint8_t *fb = b->zones[node].fallback;

	for (unsigned i = 0; i < BUDDY_MAX_NODES; i++) {
		struct buddy_zone *z = &b->zones[fb[i]];
		irqflags_t f;
		bool ok;

		if (!(__atomic_load_n(&z->avail, __ATOMIC_RELAXED) >> order))
			continue;
		f = spin_lock_irqsave(&z->lock);
		ok = buddy_zone_take(b, z, order, BUDDY_ST_ALLOC, out);
		spin_unlock_irqrestore(&z->lock, f);
		if (ok)
			return true;
	}
	return false;
}

err_t buddy_alloc(struct buddy *b, unsigned order, unsigned node, paddr_t *out)
{
	if (order > BUDDY_MAX_ORDER || node >= BUDDY_MAX_NODES)
		return E_INVAL;
	if (order == 0 && b->cfg.pcp_high && buddy_pcp_alloc(b, node, out))
		return 0;
	if (buddy_alloc_zones(b, order, node, out))
		return 0;
	if (b->cfg.pcp_high) {
		buddy_drain_all(b);
		if (buddy_alloc_zones(b, order, node, out))
			return 0;
	}
	*out = BUDDY_NIL;
	return E_NOMEM;
}

void buddy_free(struct buddy *b, paddr_t pa, unsigned order)
{
	struct buddy_span *s = buddy_span_lookup(b, pa);
	uint64_t pfn = pa_to_pfn(pa);
	struct buddy_zone *z;
	irqflags_t f;

	if (unlikely(!s || order > BUDDY_MAX_ORDER ||
	             !IS_ALIGNED(pa, PAGE_SIZE << order) ||
	             pfn + (1ULL << order) > buddy_span_end(s)))
		buddy_misuse(b, pa, order);
	if (order == 0 && b->cfg.pcp_high) {
		buddy_pcp_free(b, s, pa);
		return;
	}
	z = &b->zones[s->node];
	f = spin_lock_irqsave(&z->lock);
	if (unlikely(buddy_state_get(s, pfn) != (BUDDY_ST_ALLOC | order))) {
		spin_unlock_irqrestore(&z->lock, f);
		buddy_misuse(b, pa, order);
	}
	buddy_zone_put(b, z, s, pfn, order);
	spin_unlock_irqrestore(&z->lock, f);
}
