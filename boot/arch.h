// SPDX-License-Identifier: MIT
// The loader's arch seam: everything that differs between x86_64 and
// AArch64. Implemented by boot/x86_64/arch.c and boot/aarch64/arch.c; the
// build compiles exactly one of them. boot/ is below the HAL, so testing the
// arch macros here is allowed.
#pragma once

#include <boot/loader.h>

#if defined(__x86_64__)
#define ARCH_NAME "x86_64"
#define ARCH_ELF_MACHINE 62
#define ARCH_BOOTINFO_ARCH CAIRN_ARCH_X86_64
// x86_64 takes memory types from MTRRs/PAT: one attribute for everything.
#define ARCH_PT_MEMTYPES 0
// x86_64 has one root for both halves.
#define ARCH_PT_SPLIT_ROOTS 0
// A PC boots without ACPI (COM1, one CPU); see fw_check_description.
#define ARCH_NEEDS_FW_DESCRIPTION 0
#elif defined(__aarch64__)
#define ARCH_NAME "aarch64"
#define ARCH_ELF_MACHINE 183
#define ARCH_BOOTINFO_ARCH CAIRN_ARCH_AARCH64
// AArch64 mappings carry the memory type: Normal for RAM, Device elsewhere.
#define ARCH_PT_MEMTYPES 1
// TTBR0 (identity) and TTBR1 (direct map + kernel) are separate roots.
#define ARCH_PT_SPLIT_ROOTS 1
// Nothing is at a fixed place: ACPI or a device tree is required.
#define ARCH_NEEDS_FW_DESCRIPTION 1
#else
#error "unsupported architecture"
#endif

// Protection / type of a leaf mapping.
#define PT_W 0x1      // writable
#define PT_X 0x2      // executable
#define PT_DEVICE 0x4 // device memory (AArch64 only; ignored on x86_64)
#define PT_FB 0x8     // framebuffer: Normal non-cacheable (AArch64 only)

// Free-running counter (TSC / CNTVCT_EL0).
uint64_t arch_ticks(void);
// Its frequency; may use boot services (Stall).
uint64_t arch_ticks_hz(void);
// Called once before page tables are built: CPU feature checks, flags.
// Returns an error (already printed) if the CPU cannot run the kernel.
EFI_STATUS arch_prepare(struct boot_info *bi);
// Page-table entry encodings. level 0 = 4 KiB page, 1 = 2 MiB block.
uint64_t arch_pte_table(uint64_t pa);
uint64_t arch_pte_leaf(uint64_t pa, unsigned prot, int level);
// Extra per-arch handover memory (e.g. the x86_64 GDT), in bytes; the
// loader reserves it in the boot-info allocation and passes its address.
#define ARCH_HANDOVER_SCRATCH 256
// Installs the page tables and jumps to the kernel. Boot services are gone.
// All addresses are physical except entry, stack_top and bi_va.
__attribute__((noreturn)) void
arch_handover(const struct pt_layout *pt, uint64_t entry, uint64_t stack_top,
              uint64_t bi_va, struct boot_info *bi, uint64_t scratch_pa);
// CPU exceptions in the loader must be reported, never a silent reset.
// GUARD_INSTALL (first thing in efi_main): if the firmware cannot report an
// exception itself, install handlers that print a "cairn-loader: error:"
// line and halt (x86_64 under U-Boot; AArch64's firmwares all report).
// GUARD_NO_CONSOLE: boot services are gone, report on the serial port only.
// GUARD_REMOVE: give the firmware its own handlers back (returning to it).
enum fault_guard { GUARD_INSTALL, GUARD_NO_CONSOLE, GUARD_REMOVE };
void arch_fault_guard(enum fault_guard what);
// Makes freshly written code/data (kernel image, page tables) visible to
// instruction fetch and the table walker. Called after ExitBootServices.
void arch_sync_caches(uint64_t pa, uint64_t len);
