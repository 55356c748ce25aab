// SPDX-License-Identifier: MIT
// Virtual memory: address spaces and the kernel's own mappings.
//
// A vm_space is a tree of page tables (hal/mmu.h: 4 levels of 512 entries
// on both arches); this file's calls walk it in neutral code and take the
// entry encodings and TLB maintenance from the HAL. vm_map() picks the
// largest page (4 KiB, 2 MiB, 1 GiB) that alignment and length allow;
// vm_unmap() and vm_protect() on part of a large page split it first.
// Tables come from the page allocator and are freed when they empty.
//
// The kernel space (vm_kernel()) is built by vm_kernel_init(): the image
// W^X (text RX, rodata R, data RW, never W and X), the direct map of
// physical memory non-executable and typed (RAM write-back, framebuffer
// non-cacheable, everything else device), no identity map; kernel stacks
// with unmapped guard pages (mm/kstack.h) and device windows (vm_ioremap())
// in their own areas. Locks: space->lock guards one space's tables.
#pragma once

#include <hal/mmu.h>
#include <lib/bootinfo.h>
#include <lib/spinlock.h>
#include <lib/types.h>

struct vm_space {
	spinlock_t lock;
	paddr_t root;
	bool live; // the running kernel's tables: changes are TLB-flushed
};

struct vm_mapping {
	vaddr_t base;  // start of the page holding the address
	paddr_t pa;    // physical address the queried address maps to
	size_t size;   // page size: 4 KiB, 2 MiB or 1 GiB
	unsigned prot; // MMU_* bits
};

// Kernel virtual layout (48-bit, upper half, both arches).
#define VM_KSTACK_BASE 0xffffc00000000000ull // stacks with guard pages
#define VM_KSTACK_SLOTS 4096
#define VM_IOREMAP_BASE 0xffffd00000000000ull // device windows
#define VM_IOREMAP_SIZE (64ull << 30)

// An empty space. E_NOMEM.
__must_check err_t vm_space_init(struct vm_space *s);
// Frees every table of s (not the memory it maps).
void vm_space_destroy(struct vm_space *s);

// Maps [va, va + len) to [pa, pa + len) with prot (MMU_*). va, pa and len
// must be page aligned (E_INVAL). E_EXIST if any page is mapped already
// (nothing changes); E_NOMEM (nothing stays mapped).
__must_check err_t vm_map(struct vm_space *s, vaddr_t va, paddr_t pa,
                          size_t len, unsigned prot);
// Unmaps every mapped page in [va, va + len); holes are fine.
__must_check err_t vm_unmap(struct vm_space *s, vaddr_t va, size_t len);
// Changes the protection of [va, va + len). E_NOENT if part of the range
// was not mapped (the mapped parts still change); E_NOMEM on a split.
__must_check err_t vm_protect(struct vm_space *s, vaddr_t va, size_t len,
                              unsigned prot);
// The mapping of va, or false if none.
bool vm_query(struct vm_space *s, vaddr_t va, struct vm_mapping *m);
// Number of table pages s uses (tests check splits and pruning).
size_t vm_table_pages(struct vm_space *s);

// Builds the kernel's tables as described above and switches this CPU to
// them. Boot CPU, once, after mm_init(). Panics if it cannot (the kernel
// cannot run without them).
void vm_kernel_init(const struct boot_info *bi);
struct vm_space *vm_kernel(void);

// Maps device memory [pa, pa + len) (rounded out to pages) into the
// ioremap area with prot (MMU_DEVICE or MMU_NC, plus MMU_W); returns the
// address of pa, or NULL when the area or memory is exhausted.
void *vm_ioremap(paddr_t pa, size_t len, unsigned prot);

// A root for bringing up other CPUs: [pa, pa + len) identity-mapped
// read-write-execute; on x86_64 the kernel half of vm_kernel() is shared,
// on AArch64 it is a TTBR0 table with only the identity. 0 on no memory.
paddr_t vm_identity_root(paddr_t pa, size_t len);
