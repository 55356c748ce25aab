// SPDX-License-Identifier: MIT
// Host helpers for the scheduling-domain tests: a kernel heap on a private
// arena (the domains live on the kernel heap), with a leak check; the
// synthetic machines come from sched_domain_synth.h.
#pragma once

#include <string.h>
#include <lib/err.h>
#include <kernel/sched/domain.h>
#include <mm/heap.h>
#include <tests/host/mm_arena.h>
#include <tests/ktest.h>
#include <tests/host/sched_domain_synth.h>
#include <topology/build.h>

#define SDH_BASE 0x800000000UL
#define SDH_PAGES 32768 // 128 MiB

static struct buddy sdh_buddy;

static __unused uint64_t sdh_free_pages(void)
{
	struct buddy_stats st;

	buddy_get_stats(&sdh_buddy, 0, &st);
	return st.free_pages + st.pcp_pages;
}

static __unused void sdh_heap_close(void)
{
	sched_domains_destroy();
	mm_arena_close();
}

static __unused bool sdh_heap_open(struct ktest *t)
{
	struct buddy_config cfg = mm_arena_config(0, 0);

	if (mm_arena.mem) // a test that stopped early: free on its own heap
		sdh_heap_close();
	mm_arena_open(SDH_BASE, (uint64_t)SDH_PAGES * PAGE_SIZE);
	return KT_EXPECT_EQ(buddy_init(&sdh_buddy, &cfg), 0) &&
	       KT_EXPECT_EQ(buddy_add_range(&sdh_buddy, 0, SDH_BASE,
	                                    (uint64_t)SDH_PAGES * PAGE_SIZE),
	                    0) &&
	       KT_EXPECT_EQ(kmem_init(&sdh_buddy), 0);
}
