// SPDX-License-Identifier: MIT
// The kernel's physical memory: one page allocator fed from the boot memory
// map, and the heap on top of it.
//
// mm_init() walks the map the loader handed over (lib/bootinfo.h),
// checks it, merges adjacent usable entries and gives them to the buddy
// allocator, split by NUMA node when a node lookup was installed. Usable
// means: conventional memory, and what only the firmware's boot services and
// our loader needed (EFI loader / boot-services code and data). Everything
// else stays out: runtime services, ACPI NVS, ACPI-reclaimable memory (Cairn
// keeps its ACPI tables for the life of the system: the AML namespace points
// into them), the kernel image, the boot info and the loader's page tables.
// The first MiB stays out too (real-mode trampolines and firmware data live
// there on PCs; on other machines there is no RAM in it).
#pragma once

#include <lib/bootinfo.h>
#include <lib/types.h>
#include <mm/buddy.h>

#define MM_LOW_RESERVED MiB(1)

// Returns the node of physical address pa and, in *end, the end (exclusive)
// of the node range containing it, or returns false if no node range covers
// pa (*end: where the next node range starts, or ~0). Such memory goes to
// node 0: a firmware range outside every SRAT range must not be lost.
typedef bool (*mm_node_lookup_fn)(paddr_t pa, unsigned *node, paddr_t *end);

struct mm_init_stats {
	uint64_t usable_pages; // usable pages in the map, after the rules above
	uint32_t ranges;       // ranges given to the allocator
	uint64_t lost_pages;   // in ranges too small to hold their metadata
	uint32_t bad_entries;  // map entries ignored as malformed
};

// Builds the page allocator from map (count entries of entry_size bytes)
// and the heap on top of it; distance (may be NULL: 10 local, 20 remote)
// orders the fallback between nodes. Malformed entries (misaligned,
// overflowing, unsorted or overlapping) are reported by index and skipped.
// Memory beyond the direct map (phys_direct_map_size) is reported and left out.
// E_INVAL for a map the kernel cannot read at all (wrong entry size).
__must_check err_t mm_init(const struct cairn_mmap_entry *map, uint32_t count,
                           uint32_t entry_size, mm_node_lookup_fn lookup,
                           buddy_distance_fn distance,
                           struct mm_init_stats *stats);

// True for memory-map types mm_init() gives to the allocator.
bool mm_type_usable(uint32_t type);

// The kernel's page allocator (valid after mm_init()).
struct buddy *mm_pages(void);

// Page allocation for kernel code: 2^order pages on the running CPU's
// node (mm_set_cpu_node(); node 0 until set), falling back by distance.
// Returns the physical address, or BUDDY_NIL when memory is exhausted.
paddr_t page_alloc(unsigned order);
// The same, preferring node's memory (falling back by distance).
paddr_t page_alloc_node(unsigned order, unsigned node);
void page_free(paddr_t pa, unsigned order);

// The allocator's figures of all nodes together (free blocks per order
// summed); returns how many nodes manage memory.
unsigned mm_total_stats(struct buddy_stats *sum);

// The NUMA node whose memory CPU cpu prefers.
void mm_set_cpu_node(unsigned cpu, unsigned node);
unsigned mm_cpu_node(unsigned cpu);
