// SPDX-License-Identifier: MIT
// Kernel stacks (see mm/kstack.h). Each stack is a KSTACK_SIZE block from
// the page allocator, reached through the direct map. No state of its own.
#include <kernel/phys.h>
#include <mm/kstack.h>
#include <mm/mm.h>

#define KSTACK_ORDER 2 // 16 KiB
_Static_assert(PAGE_SIZE << KSTACK_ORDER == KSTACK_SIZE, "KSTACK_ORDER");

void *kstack_alloc(void)
{
	paddr_t pa = page_alloc(KSTACK_ORDER);

	if (pa == BUDDY_NIL)
		return NULL;
	return (char *)phys_to_virt(pa) + KSTACK_SIZE;
}

void kstack_free(void *top)
{
	if (top)
		page_free(virt_to_phys_direct((char *)top - KSTACK_SIZE),
		          KSTACK_ORDER);
}
