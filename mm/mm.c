// SPDX-License-Identifier: MIT
// Feeding the page allocator from the boot memory map (see mm/mm.h).
//
// mm_init() runs once on the boot CPU before any other allocation; after it
// the allocator and heap have their own locks and this file holds no state
// that changes.
#include <hal/cpu.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <mm/heap.h>
#include <mm/mm.h>

static struct buddy kernel_pages;
static uint8_t cpu_node[MAX_CPUS]; // written at CPU start-up, then read-only

bool mm_type_usable(uint32_t type)
{
	switch (type) {
	case 1: // EFI loader code
	case 2: // EFI loader data
	case 3: // boot services code
	case 4: // boot services data
	case 7: // conventional
		return true;
	default: return false;
	}
}

struct buddy *mm_pages(void)
{
	return &kernel_pages;
}

unsigned mm_total_stats(struct buddy_stats *sum)
{
	struct buddy_stats st;
	unsigned nodes = 0;

	*sum = (struct buddy_stats){0};
	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++) {
		buddy_get_stats(&kernel_pages, n, &st);
		sum->managed_pages += st.managed_pages;
		sum->meta_pages += st.meta_pages;
		sum->free_pages += st.free_pages;
		sum->pcp_pages += st.pcp_pages;
		for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
			sum->free_blocks[k] += st.free_blocks[k];
		nodes += st.managed_pages != 0;
	}
	return nodes;
}

void mm_set_cpu_node(unsigned cpu, unsigned node)
{
	if (cpu < MAX_CPUS && node < BUDDY_MAX_NODES)
		cpu_node[cpu] = (uint8_t)node;
}

unsigned mm_cpu_node(unsigned cpu)
{
	return cpu < MAX_CPUS ? cpu_node[cpu] : 0;
}

paddr_t page_alloc(unsigned order)
{
	return page_alloc_node(order, cpu_node[hal_cpu_id()]);
}

paddr_t page_alloc_node(unsigned order, unsigned node)
{
	paddr_t pa;

	if (buddy_alloc(&kernel_pages, order, node, &pa))
		return BUDDY_NIL;
	return pa;
}

void page_free(paddr_t pa, unsigned order)
{
	buddy_free(&kernel_pages, pa, order);
}

static void *mm_phys_to_virt(paddr_t pa)
{
	return phys_to_virt(pa);
}

static paddr_t mm_virt_to_phys(const void *va)
{
	return virt_to_phys_direct(va);
}

// Gives [base, end) to the allocator, split where node ranges change.
static void mm_add(paddr_t base, paddr_t end, mm_node_lookup_fn lookup,
                   struct mm_init_stats *st)
{
	while (base < end) {
		paddr_t stop = end, node_end = ~(paddr_t)0;
		unsigned node = 0;
		err_t e;

		if (lookup) {
			if (!lookup(base, &node, &node_end))
				node = 0; // outside every node range
			if (node >= BUDDY_MAX_NODES) {
				pr_err("mm: node %u of %#lx beyond the "
				       "allocator's "
				       "%u nodes; using node 0\n",
				       node, (unsigned long)base,
				       BUDDY_MAX_NODES);
				node = 0;
			}
			if (node_end > base && node_end < stop)
				stop = node_end;
		}
		// A range of one page cannot hold its own metadata too.
		e = stop - base < 2 * PAGE_SIZE
		        ? E_RANGE
		        : buddy_add_range(&kernel_pages, node, base,
		                          stop - base);
		if (e == E_RANGE)
			st->lost_pages += (stop - base) / PAGE_SIZE;
		else if (e)
			pr_err("mm: range %#lx-%#lx (node %u) not usable: %s\n",
			       (unsigned long)base, (unsigned long)stop - 1,
			       node, err_name(e));
		else
			st->ranges++;
		base = stop;
	}
}

// Clips [base, end) to what the kernel may use and hands it over.
static void mm_add_clipped(paddr_t base, paddr_t end, mm_node_lookup_fn lookup,
                           struct mm_init_stats *st)
{
	if (base < MM_LOW_RESERVED)
		base = MM_LOW_RESERVED;
	if (end > phys_direct_map_size) {
		pr_warn("mm: %#lx-%#lx is beyond the direct map (%#lx); "
		        "left out\n",
		        (unsigned long)MAX(base, phys_direct_map_size),
		        (unsigned long)end - 1,
		        (unsigned long)phys_direct_map_size);
		end = phys_direct_map_size;
	}
	if (base >= end)
		return;
	st->usable_pages += (end - base) / PAGE_SIZE;
	mm_add(base, end, lookup, st);
}

// Checks entry i against the rules and the previous good entry's end.
static bool mm_entry_ok(const struct cairn_mmap_entry *m, uint32_t i,
                        paddr_t prev_end)
{
	const char *why = NULL;

	if (m->base % PAGE_SIZE)
		why = "base not page aligned";
	else if (m->pages == 0)
		why = "zero pages";
	else if (m->pages > (~(uint64_t)0 - m->base) / PAGE_SIZE)
		why = "length overflows the address space";
	else if (m->base < prev_end)
		why = "overlaps or precedes the entry before it";
	if (why)
		pr_err("mm: memory map entry %u (base %#lx, %lu pages, type "
		       "%#x): %s; ignored\n",
		       i, (unsigned long)m->base, (unsigned long)m->pages,
		       m->type, why);
	return why == NULL;
}

err_t mm_init(const struct cairn_mmap_entry *map, uint32_t count,
              uint32_t entry_size, mm_node_lookup_fn lookup,
              buddy_distance_fn distance, struct mm_init_stats *stats)
{
	struct buddy_config cfg = {
	    .phys_to_virt = mm_phys_to_virt,
	    .virt_to_phys = mm_virt_to_phys,
	    .distance = distance,
	    .pcp_high = BUDDY_PCP_HIGH,
	    .pcp_batch = BUDDY_PCP_BATCH,
	};
	paddr_t run_base = 0, run_end = 0, prev_end = 0;
	err_t e;

	*stats = (struct mm_init_stats){0};
	if (entry_size != sizeof(*map)) {
		pr_err("mm: memory map entry size %u, expected %zu\n",
		       entry_size, sizeof(*map));
		return E_INVAL;
	}
	e = buddy_init(&kernel_pages, &cfg);
	if (e)
		return e;
	for (uint32_t i = 0; i < count; i++) {
		const struct cairn_mmap_entry *m = &map[i];
		paddr_t end;

		if (!mm_entry_ok(m, i, prev_end)) {
			stats->bad_entries++;
			continue;
		}
		end = m->base + m->pages * PAGE_SIZE;
		prev_end = end;
		if (!mm_type_usable(m->type))
			continue;
		if (run_end == m->base && run_end != run_base) {
			run_end = end; // adjacent: one range
			continue;
		}
		mm_add_clipped(run_base, run_end, lookup, stats);
		run_base = m->base;
		run_end = end;
	}
	mm_add_clipped(run_base, run_end, lookup, stats);
	return kmem_init(&kernel_pages);
}
