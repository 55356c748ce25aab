// SPDX-License-Identifier: MIT
// Kernel stacks (mm/kstack.h): VM_KSTACK_SLOTS slots in the kernel's stack
// area, each one unmapped guard page followed by KSTACK_SIZE bytes mapped
// read-write from one page-allocator block. slot_lock guards the slot
// bitmap; the mapping itself is vm_kernel()'s.
#include <lib/printk.h>
#include <lib/spinlock.h>
#include <mm/kstack.h>
#include <mm/mm.h>
#include <mm/vm.h>

#define KSTACK_ORDER 2 // 16 KiB
#define KSTACK_SLOT (KSTACK_SIZE + PAGE_SIZE)
_Static_assert(PAGE_SIZE << KSTACK_ORDER == KSTACK_SIZE, "KSTACK_ORDER");

static spinlock_t slot_lock = SPINLOCK_INIT;
static uint64_t slot_used[VM_KSTACK_SLOTS / 64];

static int kstack_take_slot(void)
{
	irqflags_t f = spin_lock_irqsave(&slot_lock);
	int slot = -1;

	for (unsigned w = 0; w < ARRAY_SIZE(slot_used) && slot < 0; w++)
		if (~slot_used[w]) {
			unsigned b = (unsigned)__builtin_ctzll(~slot_used[w]);

			slot_used[w] |= 1ull << b;
			slot = (int)(w * 64 + b);
		}
	spin_unlock_irqrestore(&slot_lock, f);
	return slot;
}

static void kstack_put_slot(unsigned slot)
{
	irqflags_t f = spin_lock_irqsave(&slot_lock);

	slot_used[slot / 64] &= ~(1ull << (slot % 64));
	spin_unlock_irqrestore(&slot_lock, f);
}

static vaddr_t kstack_slot_base(unsigned slot)
{
	return VM_KSTACK_BASE + (vaddr_t)slot * KSTACK_SLOT + PAGE_SIZE;
}

void *kstack_alloc(void)
{
	return kstack_alloc_node(mm_cpu_node(hal_cpu_id()));
}

void *kstack_alloc_node(unsigned node)
{
	int slot = kstack_take_slot();
	paddr_t pa;

	if (slot < 0)
		return NULL;
	pa = page_alloc_node(KSTACK_ORDER, node);
	if (pa == BUDDY_NIL) {
		kstack_put_slot((unsigned)slot);
		return NULL;
	}
	if (vm_map(vm_kernel(), kstack_slot_base((unsigned)slot), pa,
	           KSTACK_SIZE, MMU_W)) {
		page_free(pa, KSTACK_ORDER);
		kstack_put_slot((unsigned)slot);
		return NULL;
	}
	return (void *)(uintptr_t)(kstack_slot_base((unsigned)slot) +
	                           KSTACK_SIZE);
}

void kstack_free(void *top)
{
	vaddr_t base = (vaddr_t)(uintptr_t)top - KSTACK_SIZE;
	struct vm_mapping m;

	if (!top)
		return;
	if (!vm_query(vm_kernel(), base, &m) ||
	    (base - VM_KSTACK_BASE - PAGE_SIZE) % KSTACK_SLOT) {
		pr_err("kstack: %p is not a kernel stack\n", top);
		return;
	}
	(void)vm_unmap(vm_kernel(), base, KSTACK_SIZE);
	page_free(m.pa, KSTACK_ORDER);
	kstack_put_slot((unsigned)((base - VM_KSTACK_BASE) / KSTACK_SLOT));
}
