// SPDX-License-Identifier: MIT
// TLB shootdown: every CPU caches the translation of page A, then A's
// mapping is pointed at page B's frame (hal_debug_swap_pages, no TLB
// maintenance) and smp_tlb_shootdown() runs: every CPU must now read B's
// contents through A. Swapped back the same way afterwards. A and B are
// the top pages of two kernel stacks: mapped with 4 KiB pages for sure.
// In-kernel only (kernel stacks need the kernel's page tables).
#include <hal/smp.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <mm/kstack.h>
#include <tests/ktest.h>
#include <tests/unit/smp_util.h>

static uint8_t *page_a, *page_b;
static uint32_t seen[MAX_CPUS];

static void read_a(void *arg)
{
	seen[hal_cpu_id()] = *(volatile uint32_t *)page_a;
}

// Each CPU reads A; returns how many saw want.
static unsigned all_read_a(uint32_t want)
{
	unsigned ok = 0;

	if (!smp_test_run_all(read_a, NULL))
		return 0;
	for (unsigned i = 0; i < cpu_count; i++)
		ok += seen[i] == want;
	return ok;
}

static void tlb_check(struct ktest *t, unsigned n)
{
	err_t err;

	*(volatile uint32_t *)page_a = 0xaaaa0000u;
	*(volatile uint32_t *)page_b = 0xbbbb0000u;
	KT_EXPECT_EQ_U(all_read_a(0xaaaa0000u), n); // translations cached
	err = hal_debug_swap_pages((vaddr_t)page_a, (vaddr_t)page_b);
	if (err == E_NOTSUP)
		KT_SKIP("hal_debug_swap_pages not available on this arch");
	KT_ASSERT_EQ(err, 0);
	smp_tlb_shootdown((vaddr_t)page_a, 4096);
	smp_tlb_shootdown((vaddr_t)page_b, 4096);
	KT_EXPECT_EQ_U(all_read_a(0xbbbb0000u), n);
	KT_ASSERT_EQ(hal_debug_swap_pages((vaddr_t)page_a, (vaddr_t)page_b), 0);
	smp_tlb_shootdown(0, 0); // everything
	KT_EXPECT_EQ_U(all_read_a(0xaaaa0000u), n);
	ktest_log(t, "%u CPUs", n);
}

KTEST(smp, tlb_shootdown_visible_everywhere)
{
	void *a, *b;

	if (!smp_test_kernel())
		KT_SKIP("no SMP bring-up on the host");
	a = kstack_alloc();
	b = kstack_alloc();
	KT_ASSERT(a && b);
	page_a = (uint8_t *)a - 4096;
	page_b = (uint8_t *)b - 4096;
	tlb_check(t, smp_online_count());
	kstack_free(a);
	kstack_free(b);
}
