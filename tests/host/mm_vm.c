// SPDX-License-Identifier: MIT
// vm_space on the host: page tables from an arena-backed page allocator
// (mm_init() over a fake memory map), the x86_64 encodings.
#include <stdlib.h>
#include <mm/phys.h>
#include <tests/unit/mm_vm_cases.h>

#define ARENA MiB(32)

static bool vmt_host_setup(struct ktest *t)
{
	static uint8_t *arena;
	static const struct cairn_mmap_entry map[] = {
	    {.base = MiB(1), .pages = (ARENA - MiB(1)) / PAGE_SIZE, .type = 7}};
	struct mm_init_stats st;

	if (!arena)
		arena = aligned_alloc(PAGE_SIZE, ARENA);
	phys_direct_map_base = (uint64_t)(uintptr_t)arena;
	phys_direct_map_size = ARENA;
	return KT_EXPECT_EQ(mm_init(map, 1, sizeof(map[0]), NULL, NULL, &st),
	                    0);
}

KTEST(mm_vm, mixed_sizes)
{
	if (vmt_host_setup(t))
		vmt_mixed_sizes(t);
}

KTEST(mm_vm, churn)
{
	if (vmt_host_setup(t))
		vmt_churn(t);
}
