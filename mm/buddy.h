// SPDX-License-Identifier: MIT
// Buddy allocator for physical pages.
//
// Pages are PAGE_SIZE (4 KiB); a block of order k is 2^k pages, physically
// aligned to its size; orders run 0..BUDDY_MAX_ORDER. Memory is organised as
// one zone per NUMA node. The caller feeds usable RAM with buddy_add_range();
// the allocator carves its metadata (one state byte per page) out of each
// range and reaches memory only through the caller's phys_to_virt hook, which
// must map every range linearly (a direct map, or an arena on the host).
//
// Allocation takes a preferred node and falls back to the other nodes in
// order of distance (the caller's distance callback; default 10 local, 20
// remote). Order-0 requests go through per-CPU page caches first.
//
// Misuse panics naming the address: double free, freeing a page that was
// never handed out, freeing with the wrong order, freeing outside managed
// memory. See docs/mm.md for the layout, the locks and the invariants.
#pragma once

#include <lib/spinlock.h>
#include <lib/types.h>
#include <mm/page.h>

#define BUDDY_MAX_ORDER 10 // largest block: 2^10 pages = 4 MiB
#define BUDDY_NR_ORDERS (BUDDY_MAX_ORDER + 1)
#define BUDDY_MAX_NODES 8
#define BUDDY_MAX_SPANS 128 // managed ranges, all nodes together

#define BUDDY_PCP_HIGH 192 // default per-CPU cache limit (pages)
#define BUDDY_PCP_BATCH 64 // default pages moved per refill / drain

#define BUDDY_NIL ((paddr_t)~0ULL) // "no page" in lists (0 is a valid page)

#define BUDDY_DISTANCE_LOCAL 10
#define BUDDY_DISTANCE_REMOTE 20

// Distance between two nodes (ACPI SLIT semantics: 10 = local, larger is
// further). Need not be symmetric. Called only from buddy_init() and
// buddy_set_distance().
typedef unsigned (*buddy_distance_fn)(unsigned from, unsigned to);

struct buddy_config {
	// Required: the virtual address of physical address pa.
	void *(*phys_to_virt)(paddr_t pa);
	// Optional: the inverse, needed only by the slab layer (kfree).
	paddr_t (*virt_to_phys)(const void *va);
	// Optional: node distances; NULL = 10 local, 20 remote.
	buddy_distance_fn distance;
	// Per-CPU page caches: at most pcp_high pages each, moved pcp_batch
	// at a time. pcp_high = 0 disables them (every request takes the
	// zone lock; used by exact-state tests and the buddy-path benchmark).
	unsigned pcp_high;
	unsigned pcp_batch;
};

// A managed range. Immutable once published (the span table is
// append-only); state[] bytes change under the zone lock (and the pcp lock
// for the ALLOC <-> PCP transition of order-0 pages).
struct buddy_link;

struct buddy_span {
	uint64_t base_pfn;
	uint64_t npages; // including the metadata pages at the end
	uint64_t meta_pages;
	uint8_t *state;              // npages bytes, see BUDDY_ST_* in buddy.c
	struct buddy_link *maxlinks; // list links of max-order blocks
	uint64_t maxlink_base_pfn;   // base_pfn rounded down to a max block
	unsigned node;
};

// Per-CPU page cache of one zone: a LIFO of order-0 pages linked through
// the pages themselves. Locks key: p = pcp->lock.
struct buddy_pcp {
	spinlock_t lock;
	uint32_t count; // p
	paddr_t head;   // p
} __attribute__((aligned(64)));

// One NUMA node. Locks key: z = zone->lock, a = buddy->add_lock.
struct buddy_zone {
	spinlock_t lock;
	uint32_t avail;                     // z: bit k set = list k non-empty
	paddr_t free_head[BUDDY_NR_ORDERS]; // z: doubly linked through blocks
	uint64_t nr_free[BUDDY_NR_ORDERS];  // z: blocks on each list
	uint64_t managed_pages;             // a+z: usable pages given to us
	uint64_t meta_pages;                // a+z: pages holding state bytes
	uint8_t fallback[BUDDY_MAX_NODES];  // nodes by distance, self first
	struct buddy_pcp pcp[MAX_CPUS];
};

struct buddy {
	struct buddy_config cfg;
	spinlock_t add_lock;                  // a
	uint32_t span_seq;                    // a: odd while the index moves
	uint32_t nspans;                      // a
	uint16_t span_index[BUDDY_MAX_SPANS]; // a: spans sorted by base
	struct buddy_span spans[BUDDY_MAX_SPANS]; // a: append-only
	struct buddy_span *link_hint; // last span of a max-order link access
	struct buddy_zone zones[BUDDY_MAX_NODES];
};

// Free/used figures of one node. free_blocks[k] counts blocks of order k on
// the zone's lists; pages held in per-CPU caches are counted separately.
struct buddy_stats {
	uint64_t managed_pages; // usable pages (metadata excluded)
	uint64_t meta_pages;
	uint64_t free_pages; // on the free lists
	uint64_t pcp_pages;  // in per-CPU caches (free, but not on lists)
	uint64_t free_blocks[BUDDY_NR_ORDERS];
};

enum buddy_block_kind {
	BUDDY_BLOCK_FREE,
	BUDDY_BLOCK_ALLOC,
	BUDDY_BLOCK_PCP,      // order-0 page in a per-CPU cache
	BUDDY_BLOCK_RESERVED, // allocator metadata
};

struct buddy_block {
	paddr_t head;
	unsigned order;
	enum buddy_block_kind kind;
	unsigned node;
};

// Sets up an empty allocator. cfg->phys_to_virt is required.
__must_check err_t buddy_init(struct buddy *b, const struct buddy_config *cfg);

// Hands [base, base + size) of node to the allocator. base and size are
// trimmed inward to whole pages. The range must not overlap a managed one.
// Its last ceil((pages + 63) / 4096) pages become metadata. Errors: E_INVAL
// (bad node, no hook), E_EXIST (overlap), E_NOSPC (span table full), E_RANGE
// (too small to hold its own metadata and one page). Callers should merge
// adjacent ranges first: blocks never coalesce across ranges.
__must_check err_t buddy_add_range(struct buddy *b, unsigned node, paddr_t base,
                                   uint64_t size);

// Recomputes every node's fallback order. Not safe against concurrent
// allocation: call at boot, before other CPUs allocate.
void buddy_set_distance(struct buddy *b, buddy_distance_fn distance);

// Allocates 2^order pages, preferring node, falling back by distance, and
// as a last resort draining the per-CPU caches. E_NOMEM when nothing fits,
// E_INVAL for a bad order or node. May be called with interrupts off.
__must_check err_t buddy_alloc(struct buddy *b, unsigned order, unsigned node,
                               paddr_t *out);

// Frees a block returned by buddy_alloc() with the same order. Panics on
// misuse (see the file comment).
void buddy_free(struct buddy *b, paddr_t pa, unsigned order);

// Returns the per-CPU cached pages of one CPU / of all CPUs to the zones.
void buddy_drain_cpu(struct buddy *b, unsigned cpu);
void buddy_drain_all(struct buddy *b);

void buddy_get_stats(struct buddy *b, unsigned node, struct buddy_stats *st);

// Copies up to max heads of node's free blocks of order into out (list
// order); returns how many blocks the list holds.
size_t buddy_list_free(struct buddy *b, unsigned node, unsigned order,
                       paddr_t *out, size_t max);

// Finds the block containing pa. False if pa is not managed memory.
// Unlocked: exact only for blocks the caller owns (allocated ones).
bool buddy_find_block(struct buddy *b, paddr_t pa, struct buddy_block *blk);

// Checks every invariant (lists, state bytes, counters, full coalescing).
// Returns 0 or E_CORRUPT after a printk naming the first problem. Slow:
// walks every page. Takes all zone and pcp locks in turn.
__must_check err_t buddy_check(struct buddy *b);

static inline void *buddy_virt(struct buddy *b, paddr_t pa)
{
	return b->cfg.phys_to_virt(pa);
}
