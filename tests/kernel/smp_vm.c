// SPDX-License-Identifier: MIT
// The paging code's TLB shootdown under contention: every CPU allocates and
// frees kernel stacks at the same time, with interrupts on as a thread
// would. Each map and unmap of the live kernel space is shot down on every
// other CPU while those contend for the same space lock, so this finishes
// only if a CPU waiting for that lock still answers shootdown IPIs (and if
// requests queued behind a waiting one still run). Each CPU also checks
// that its stack pages hold what it wrote. In-kernel only.
#include <hal/cpu.h>
#include <mm/kstack.h>
#include <tests/ktest.h>
#include <tests/unit/smp_util.h>

#define VM_CHURN_ROUNDS 4

static volatile uint32_t vm_churn_bad;

static void vm_churn(void *arg)
{
	irqflags_t f = hal_irq_save();

	hal_irq_enable();
	for (int i = 0; i < VM_CHURN_ROUNDS; i++) {
		uint64_t *top = kstack_alloc();

		if (!top) {
			__atomic_fetch_add(&vm_churn_bad, 1, __ATOMIC_RELAXED);
			continue;
		}
		for (unsigned w = 1; w <= KSTACK_SIZE / 8; w += 509)
			top[-(long)w] = w ^ hal_cpu_id();
		for (unsigned w = 1; w <= KSTACK_SIZE / 8; w += 509)
			if (top[-(long)w] != (w ^ hal_cpu_id()))
				__atomic_fetch_add(&vm_churn_bad, 1,
				                   __ATOMIC_RELAXED);
		kstack_free(top);
	}
	hal_irq_disable();
	hal_irq_restore(f);
}

KTEST(smp, vm_shootdown_under_contention)
{
	uint64_t t0 = hal_time_ns();

	if (!smp_test_kernel() || smp_online_count() < 2)
		KT_SKIP("needs at least 2 CPUs");
	vm_churn_bad = 0;
	KT_EXPECT(smp_test_run_all(vm_churn, NULL));
	KT_EXPECT_EQ_U(vm_churn_bad, 0);
	ktest_log(t, "%u CPUs x %d stack alloc/free in %lu ms",
	          smp_online_count(), VM_CHURN_ROUNDS,
	          (unsigned long)((hal_time_ns() - t0) / 1000000));
}
