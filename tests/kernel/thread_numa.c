// SPDX-License-Identifier: MIT
// A thread's control block and stack come from its home node's memory: for
// every node with memory, a thread created with that home node has both
// mapped (the kernel page tables, vm_query) to physical memory that the
// topology (the firmware's SRAT / device-tree ranges) places on that node.
// One-node machines skip (tools/run-tests.py lists it as expected there).
#include <mm/kstack.h>
#include <mm/vm.h>
#include <tests/kernel/sched_util.h>
#include <topology/topology.h>

static void numa_idle_fn(void *arg)
{
	sem_down(arg); // stays alive until the test looked at it
}

// The node topology places the memory behind kernel address va on.
static unsigned node_of_va(const void *va, bool *mapped)
{
	struct vm_mapping m;
	uint64_t end;

	*mapped = vm_query(vm_kernel(), (vaddr_t)(uintptr_t)va, &m);
	return *mapped ? topo_mem_node(m.pa, &end, NULL) : ~0u;
}

static void check_home(struct ktest *t, unsigned node)
{
	struct thread_params p;
	struct semaphore hold;
	struct thread *th;
	bool tcb_ok, stack_ok;
	unsigned tcb, stack;

	sem_init(&hold, 0);
	thread_params_default(&p);
	p.node = node;
	KT_ASSERT(!thread_create(&th, "numa-home", numa_idle_fn, &hold, &p));
	tcb = node_of_va(th, &tcb_ok);
	// The lowest and highest byte of the stack: one block of pages.
	stack = node_of_va((char *)th->stack_top - KSTACK_SIZE, &stack_ok);
	KT_EXPECT(tcb_ok && stack_ok);
	KT_EXPECT_EQ_U(tcb, node);
	KT_EXPECT_EQ_U(stack, node);
	KT_EXPECT_EQ_U(node_of_va((char *)th->stack_top - 1, &stack_ok), node);
	KT_EXPECT_EQ_U(th->se.node, node);
	sem_up(&hold);
	(void)thread_join(th);
}

KTEST(thread_numa, tcb_and_stack_on_home_node)
{
	unsigned tried = 0;

	if (topo_node_count() <= 1)
		KT_SKIP("one NUMA node");
	for (unsigned n = 0; n < topo_node_count(); n++) {
		if (!topo_node_mem_bytes(n))
			continue;
		tried++;
		check_home(t, n);
	}
	KT_EXPECT(tried >= 2);
}
