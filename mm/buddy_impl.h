// SPDX-License-Identifier: MIT
// Internals shared by mm/buddy.c (allocation paths) and mm/buddy_debug.c
// (diagnostics, checker, statistics). Not for use outside mm/buddy*.c.
#pragma once

#include <mm/buddy.h>

// Page state byte: kind in bits 4..6, order in bits 0..3 (heads only).
// Every managed page is exactly one of:
//   TAIL      a non-first page of a block (free or allocated)
//   FREE|k    first page of a free block of order k, on zone list k
//   ALLOC|k   first page of an allocated block of order k
//   PCP|0     an order-0 page held in a per-CPU cache
//   RESERVED  a metadata page; never allocated, never freed
#define BUDDY_ST_TAIL 0x00
#define BUDDY_ST_FREE 0x10
#define BUDDY_ST_ALLOC 0x20
#define BUDDY_ST_PCP 0x30
#define BUDDY_ST_RESERVED 0x40
#define BUDDY_ST_KIND(s) ((s)&0x70)
#define BUDDY_ST_ORDER(s) ((unsigned)((s)&0x0f))

// State bytes of a naturally aligned run of BUDDY_STATE_ALIGN pages share
// one cache line; per-CPU caches refill with blocks of that size.
#define BUDDY_STATE_ALIGN 64
#define BUDDY_PCP_BLOCK_ORDER 6
_Static_assert((1 << BUDDY_PCP_BLOCK_ORDER) == BUDDY_STATE_ALIGN,
               "a refill block fills one line of state bytes");

// Free-list links. A block of order < BUDDY_MAX_ORDER keeps them in its
// first bytes; a max-order block in its span's metadata (maxlinks), so
// building the allocator writes only metadata, never the free memory
// itself (under QEMU every first touch of guest memory costs the host a
// page fault). Per-CPU caches use only next.
struct buddy_link {
	paddr_t next;
	paddr_t prev;
};

struct buddy_span *buddy_span_lookup(struct buddy *b, paddr_t pa);

static inline struct buddy_link *buddy_link(struct buddy *b, paddr_t pa,
                                            unsigned order)
{
	uint64_t pfn = pa_to_pfn(pa);
	struct buddy_span *s;

	if (order < BUDDY_MAX_ORDER)
		return (struct buddy_link *)b->cfg.phys_to_virt(pa);
	// Spans are never moved or freed, so a stale hint is still a span.
	s = __atomic_load_n(&b->link_hint, __ATOMIC_RELAXED);
	if (!s || pfn < s->base_pfn || pfn >= s->base_pfn + s->npages) {
		s = buddy_span_lookup(b, pa);
		__atomic_store_n(&b->link_hint, s, __ATOMIC_RELAXED);
	}
	return &s->maxlinks[(pa_to_pfn(pa) - s->maxlink_base_pfn) >>
	                    BUDDY_MAX_ORDER];
}

// State bytes are read without the zone lock by the per-CPU paths and by
// buddy_find_block(); relaxed atomics keep those reads well defined.
static inline uint8_t buddy_state_get(const struct buddy_span *s, uint64_t pfn)
{
	return __atomic_load_n(&s->state[pfn - s->base_pfn], __ATOMIC_RELAXED);
}

static inline void buddy_state_set(struct buddy_span *s, uint64_t pfn,
                                   uint8_t v)
{
	__atomic_store_n(&s->state[pfn - s->base_pfn], v, __ATOMIC_RELAXED);
}

// Usable pages of a span: [base_pfn, buddy_span_end(s)); metadata follows.
static inline uint64_t buddy_span_end(const struct buddy_span *s)
{
	return s->base_pfn + s->npages - s->meta_pages;
}

__noreturn void buddy_misuse(struct buddy *b, paddr_t pa, unsigned order);
