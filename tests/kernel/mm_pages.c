// SPDX-License-Identifier: MIT
// In-kernel page allocator tests on the live allocator: take every free
// page, check the count against the boot memory map, give them all back
// and check the allocator is exactly as before.
#include <kernel/boot.h>
#include <mm/phys.h>
#include <mm/mm.h>
#include <tests/ktest.h>

// The UEFI memory types free once boot services are gone (UEFI 2.10
// table 7.10, "Memory Type Usage after ExitBootServices()"): loader code
// and data (1, 2), boot services code and data (3, 4), conventional (7).
// Written out here rather than taken from mm_type_usable(), the rule
// under test.
static bool usable_after_exit(uint32_t type)
{
	return type == 1 || type == 2 || type == 3 || type == 4 || type == 7;
}

// Pages the memory map says mm_init() may use, recounted here from the
// raw map, not from mm_init()'s own figures.
static uint64_t map_usable_pages(void)
{
	const struct boot_info *bi = kernel_boot_info();
	const struct cairn_mmap_entry *m = phys_to_virt(bi->mmap);
	uint64_t pages = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		uint64_t lo = MAX(m[i].base, MM_LOW_RESERVED);
		uint64_t hi = MIN(m[i].base + m[i].pages * PAGE_SIZE,
		                  phys_direct_map_size);

		if (usable_after_exit(m[i].type) && hi > lo)
			pages += (hi - lo) / PAGE_SIZE;
	}
	return pages;
}

// Allocates every free block, largest orders first, chaining the blocks
// through their first word. Returns the number of pages taken.
static uint64_t take_everything(paddr_t *chain)
{
	uint64_t pages = 0;

	*chain = BUDDY_NIL;
	for (int k = BUDDY_MAX_ORDER; k >= 0; k--) {
		paddr_t pa;

		while (buddy_alloc(mm_pages(), (unsigned)k, 0, &pa) == 0) {
			*(paddr_t *)phys_to_virt(pa) = *chain;
			*(uint64_t *)((char *)phys_to_virt(pa) + 8) =
			    (uint64_t)k;
			*chain = pa;
			pages += 1ull << k;
		}
	}
	return pages;
}

static void give_back(paddr_t chain)
{
	while (chain != BUDDY_NIL) {
		paddr_t next = *(paddr_t *)phys_to_virt(chain);
		unsigned k =
		    (unsigned)*(uint64_t *)((char *)phys_to_virt(chain) + 8);

		buddy_free(mm_pages(), chain, k);
		chain = next;
	}
}

KTEST(mm_pages, allocate_everything)
{
	struct buddy_stats before, full, after;
	paddr_t chain;
	uint64_t taken;

	buddy_drain_all(mm_pages());
	mm_total_stats(&before);
	KT_EXPECT_EQ_U(before.managed_pages + before.meta_pages +
	                   kernel_mm_stats()->lost_pages,
	               map_usable_pages());
	taken = take_everything(&chain);
	KT_EXPECT_EQ_U(taken, before.free_pages);
	mm_total_stats(&full);
	KT_EXPECT_EQ_U(full.free_pages + full.pcp_pages, 0);
	give_back(chain);
	buddy_drain_all(mm_pages());
	mm_total_stats(&after);
	KT_EXPECT_EQ_U(after.free_pages, before.free_pages);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		KT_EXPECT_EQ_U(after.free_blocks[k], before.free_blocks[k]);
	KT_EXPECT_EQ(buddy_check(mm_pages()), 0);
}
