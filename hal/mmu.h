// SPDX-License-Identifier: MIT
// HAL: the MMU. Both arches translate with 4 levels of 512-entry tables over
// 4 KiB pages (x86_64 PML4/PDPT/PD/PT, AArch64 4 KiB granule L0..L3 with
// 48-bit VAs), so the page-table walk is neutral (mm/vm.c) and the HAL
// supplies what differs: the entry encodings (inline, arch/mmu.h), TLB
// maintenance, switching tables and the CPU's protection features.
//
// Levels count from the leaf: 0 maps 4 KiB, 1 maps 2 MiB, 2 maps 1 GiB,
// 3 is the root (512 GiB per entry). Leaves exist at levels 0..2 (level 2
// only where hal_mmu_max_leaf_level() says so).
#pragma once

#include <lib/types.h>

// Access and memory type of a mapping. Readable is implied.
#define MMU_W 0x01      // writable
#define MMU_X 0x02      // executable
#define MMU_USER 0x04   // user accessible
#define MMU_DEVICE 0x08 // device memory (uncached, no speculation)
#define MMU_NC 0x10     // normal non-cacheable (framebuffers)
#define MMU_PROT_MASK 0x1f

#define MMU_LEVELS 4
#define MMU_ROOT_LEVEL 3
#define MMU_ENTRIES 512
#define MMU_SHIFT(level) (12 + 9 * (level))
#define MMU_SPAN(level) (1ull << MMU_SHIFT(level))
#define MMU_INDEX(va, level) (((va) >> MMU_SHIFT(level)) & (MMU_ENTRIES - 1))

// Highest level with leaf entries: 2 when 1 GiB pages exist, else 1.
unsigned hal_mmu_max_leaf_level(void);

// Makes a change to the entries covering [va, va + len) of the kernel's
// tables visible on every CPU, and returns once it is (x86_64: invlpg or a
// full flush here, then a waited cross-CPU call to the other online CPUs,
// kernel/smp.h; aarch64: broadcast TLBI). The whole job: mm/ calls nothing
// else. Interrupts on, or off with calls served while waiting (smp_call).
void hal_mmu_flush(vaddr_t va, size_t len);

// Replaces a live valid entry with another that maps the same addresses
// differently (block -> table of the same memory, new permissions):
// AArch64 needs break-before-make (invalid, TLBI, new entry).
void hal_mmu_replace(volatile uint64_t *entry, uint64_t e, vaddr_t va,
                     size_t span);

// True when an address space's root holds the kernel half too (x86_64:
// one PML4), false when the kernel has a root of its own (AArch64 TTBR1).
bool hal_mmu_shares_kernel_half(void);

// Switches this CPU to the kernel tables at root and turns off lower-half
// translation (no user space yet): x86_64 CR3 (the root's lower half is
// empty); aarch64 TTBR1_EL1 and TCR_EL1.EPD0. Flushes the TLB.
void hal_mmu_activate_kernel(paddr_t root);

// Turns on what the CPU offers to protect the kernel from itself and from
// user mappings; returns a short description for the boot log
// ("NX SMEP SMAP WP", "PXN PAN"). Boot CPU and every secondary.
const char *hal_mmu_protect_cpu(void);

// What is in force on the running CPU now, as MMU_PROT_* bits (tests check
// that every CPU has what CPU 0 has). Never 0 once the kernel's tables are
// active: x86_64 always has NX and WP, AArch64 always EPD0.
#define MMU_PROT_NX 0x01   // x86_64 EFER.NXE
#define MMU_PROT_WP 0x02   // x86_64 CR0.WP
#define MMU_PROT_SMEP 0x04 // x86_64 CR4.SMEP
#define MMU_PROT_SMAP 0x08 // x86_64 CR4.SMAP
#define MMU_PROT_PAT 0x10  // x86_64 PAT programmed as hal_mmu expects
#define MMU_PROT_PAN 0x20  // AArch64 PSTATE.PAN
#define MMU_PROT_EPD0 0x40 // AArch64 TCR_EL1.EPD0: kernel tables only
unsigned hal_mmu_protections(void);

#include <arch/mmu.h>
