// SPDX-License-Identifier: MIT
// Map / protect / unmap patterns over mixed page sizes on a private
// address space, checked through vm_query(). Shared by the host tests
// (tests/host/mm_vm.c, tables in an arena, x86_64 encodings) and the
// in-kernel tests (tests/kernel/mm_vm.c, the real encodings); the space is
// never activated, so the physical addresses are arbitrary.
#pragma once

#include <lib/err.h>
#include <mm/mm.h>
#include <mm/vm.h>
#include <tests/ktest.h>

#define VMT_VA 0x0000004000000000ull // 256 GiB: its own root entry
#define VMT_PA 0x0000008000000000ull

static uint64_t vmt_free_pages(void)
{
	struct buddy_stats st;

	(void)mm_total_stats(&st);
	return st.free_pages + st.pcp_pages;
}

// Expects va to map pa with a page of size and protection prot.
static bool vmt_expect(struct ktest *t, struct vm_space *s, vaddr_t va,
                       paddr_t pa, size_t size, unsigned prot)
{
	struct vm_mapping m;

	if (!KT_EXPECT(vm_query(s, va, &m)))
		return false;
	return KT_EXPECT_EQ_U(m.pa, pa) && KT_EXPECT_EQ_U(m.size, size) &&
	       KT_EXPECT_EQ_U(m.prot, prot) &&
	       KT_EXPECT_EQ_U(m.base, va & ~(size - 1));
}

static void vmt_mixed_sizes(struct ktest *t)
{
	const size_t G = 1ull << 30, M = 2ull << 20, K = 4096;
	uint64_t free_before = vmt_free_pages();
	struct vm_space s;
	struct vm_mapping m;
	bool big = hal_mmu_max_leaf_level() >= 2;

	KT_ASSERT(vm_space_init(&s) == 0);
	// 1 GiB + 4 MiB + 12 KiB from a 1 GiB-aligned start: one 1 GiB page
	// (where the CPU has them), two 2 MiB pages, three 4 KiB pages.
	KT_ASSERT(vm_map(&s, VMT_VA, VMT_PA, G + 2 * M + 3 * K, MMU_W) == 0);
	vmt_expect(t, &s, VMT_VA + 12345, VMT_PA + 12345, big ? G : M, MMU_W);
	vmt_expect(t, &s, VMT_VA + G + M + 5, VMT_PA + G + M + 5, M, MMU_W);
	vmt_expect(t, &s, VMT_VA + G + 2 * M + 2 * K,
	           VMT_PA + G + 2 * M + 2 * K, K, MMU_W);
	KT_EXPECT(!vm_query(&s, VMT_VA + G + 2 * M + 3 * K, &m));
	KT_EXPECT(!vm_query(&s, VMT_VA - K, &m));

	// Overlaps and bad arguments change nothing.
	KT_EXPECT_EQ(vm_map(&s, VMT_VA + G - K, 0, 2 * K, 0), E_EXIST);
	KT_EXPECT(!vm_query(&s, VMT_VA + G + 2 * M + 4 * K, &m));
	KT_EXPECT_EQ(vm_map(&s, VMT_VA + 1, 0, K, 0), E_INVAL);
	KT_EXPECT_EQ(vm_map(&s, VMT_VA - K, 0, 3, 0), E_INVAL);

	// Re-protect one 4 KiB page inside the big page: it splits; the page
	// becomes read-only + executable, its neighbours keep their rights.
	KT_EXPECT_EQ(vm_protect(&s, VMT_VA + 5 * M + K, K, MMU_X), 0);
	vmt_expect(t, &s, VMT_VA + 5 * M + K, VMT_PA + 5 * M + K, K, MMU_X);
	vmt_expect(t, &s, VMT_VA + 5 * M, VMT_PA + 5 * M, K, MMU_W);
	vmt_expect(t, &s, VMT_VA + 5 * M + 2 * K, VMT_PA + 5 * M + 2 * K, K,
	           MMU_W);
	vmt_expect(t, &s, VMT_VA + 7 * M, VMT_PA + 7 * M, M, MMU_W);
	vmt_expect(t, &s, VMT_VA, VMT_PA, M, MMU_W);

	// Unmap 4 KiB in the middle of a 2 MiB page, and a whole 2 MiB page.
	KT_EXPECT_EQ(vm_unmap(&s, VMT_VA + G + 8 * K, K), 0);
	KT_EXPECT(!vm_query(&s, VMT_VA + G + 8 * K, &m));
	vmt_expect(t, &s, VMT_VA + G + 7 * K, VMT_PA + G + 7 * K, K, MMU_W);
	vmt_expect(t, &s, VMT_VA + G + 9 * K, VMT_PA + G + 9 * K, K, MMU_W);
	KT_EXPECT_EQ(vm_unmap(&s, VMT_VA + G + M, M), 0);
	KT_EXPECT(!vm_query(&s, VMT_VA + G + M + 5 * K, &m));
	// Protecting across a hole changes the mapped parts, says E_NOENT.
	KT_EXPECT_EQ(vm_protect(&s, VMT_VA + G + 7 * K, 3 * K, 0), E_NOENT);
	vmt_expect(t, &s, VMT_VA + G + 9 * K, VMT_PA + G + 9 * K, K, 0);

	// Device and non-cacheable types survive the round trip.
	KT_EXPECT_EQ(
	    vm_map(&s, VMT_VA + 4 * G, 0xfee00000, K, MMU_W | MMU_DEVICE), 0);
	vmt_expect(t, &s, VMT_VA + 4 * G, 0xfee00000, K, MMU_W | MMU_DEVICE);
	KT_EXPECT_EQ(vm_map(&s, VMT_VA + 5 * G, 0xc0000000, M, MMU_W | MMU_NC),
	             0);
	vmt_expect(t, &s, VMT_VA + 5 * G + K, 0xc0000000 + K, M,
	           MMU_W | MMU_NC);

	// Unmapping everything frees every table but the root.
	KT_EXPECT_EQ(vm_unmap(&s, VMT_VA, 8 * G), 0);
	KT_EXPECT_EQ_U(vm_table_pages(&s), 1);
	vm_space_destroy(&s);
	KT_EXPECT_EQ_U(vmt_free_pages(), free_before);
}

// Many small mappings and unmappings in an interleaved pattern: the
// tables come and go, nothing leaks.
static void vmt_churn(struct ktest *t)
{
	const size_t K = 4096;
	uint64_t free_before = vmt_free_pages();
	struct vm_space s;
	struct vm_mapping m;

	KT_ASSERT(vm_space_init(&s) == 0);
	for (unsigned i = 0; i < 64; i++)
		KT_ASSERT(vm_map(&s, VMT_VA + i * (3ull << 21), VMT_PA + i * K,
		                 K * (1 + i % 5), MMU_W) == 0);
	for (unsigned i = 0; i < 64; i += 2)
		KT_ASSERT(vm_unmap(&s, VMT_VA + i * (3ull << 21), K * 5) == 0);
	for (unsigned i = 1; i < 64; i += 2)
		vmt_expect(t, &s, VMT_VA + i * (3ull << 21) + K * (i % 5),
		           VMT_PA + i * K + K * (i % 5), K, MMU_W);
	KT_EXPECT(!vm_query(&s, VMT_VA + 2 * (3ull << 21), &m));
	KT_EXPECT_EQ(vm_unmap(&s, VMT_VA, 1ull << 30), 0);
	KT_EXPECT_EQ_U(vm_table_pages(&s), 1);
	vm_space_destroy(&s);
	KT_EXPECT_EQ_U(vmt_free_pages(), free_before);
}
