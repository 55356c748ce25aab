// SPDX-License-Identifier: MIT
// The boot-info structure: the one contract between Cairn's UEFI loader
// (boot/) and the kernel. Defined once, here; documented in docs/boot-info.md.
//
// Rules that keep it usable from both sides:
//  - fixed-width types only (the loader is built for an LLP64 PE target where
//    `long` is 32 bits; the kernel is LP64);
//  - every address inside is a *physical* address; the kernel reaches it as
//    direct_map_base + address;
//  - magic, version and size come first and never move. A newer loader may
//    append fields (size grows); the kernel reads only what size covers.
#pragma once

#include <stdint.h>

#define CAIRN_BOOTINFO_MAGIC 0x314f464e4e524143ull // "CARNNFO1", little endian
#define CAIRN_BOOTINFO_VERSION 1

#define CAIRN_ARCH_X86_64 1
#define CAIRN_ARCH_AARCH64 2

// Memory types in the map are the firmware's raw EFI_MEMORY_TYPE values
// (0 = reserved ... 7 = conventional ... 9 = ACPI reclaim, 10 = ACPI NVS,
// 11 = MMIO, ...). The loader adds its own types in the OS-loader range
// (0x80000000 and up) for the memory it hands over.
#define CAIRN_MEM_KERNEL 0x80000000u   // kernel image (all PT_LOAD segments)
#define CAIRN_MEM_BOOTINFO 0x80000001u // this struct, the map, strings, symbols
#define CAIRN_MEM_PAGETABLES 0x80000002u // the loader's page tables (live!)

// EFI memory attribute bits the kernel cares about (UEFI spec 7.2).
#define CAIRN_MEMATTR_UC 0x1ull
#define CAIRN_MEMATTR_WB 0x8ull
#define CAIRN_MEMATTR_RUNTIME 0x8000000000000000ull

struct cairn_mmap_entry {
	uint64_t base;  // physical, 4 KiB aligned
	uint64_t pages; // number of 4 KiB pages
	uint32_t type;  // raw EFI_MEMORY_TYPE or CAIRN_MEM_*
	uint32_t reserved;
	uint64_t attr; // raw EFI attribute bits
};

#define CAIRN_FB_RGBX 1 // byte order in memory: R, G, B, X
#define CAIRN_FB_BGRX 2 // byte order in memory: B, G, R, X
#define CAIRN_FB_MASK 3 // use the masks

struct cairn_framebuffer {
	uint64_t base; // physical; 0 = no framebuffer
	uint64_t size; // bytes
	uint32_t width, height;
	uint32_t pitch; // bytes per scan line
	uint32_t bpp;   // bits per pixel (32 for the formats above)
	uint32_t format;
	uint32_t red_mask, green_mask, blue_mask, reserved_mask;
	uint32_t reserved;
};

#define CAIRN_BOOT_FW_AT_EL2                                                   \
	0x1               // aarch64: firmware ran at EL2, loader dropped to EL1
#define CAIRN_BOOT_NX 0x2 // x86_64: EFER.NXE was set by the loader

struct boot_info {
	uint64_t magic;   // CAIRN_BOOTINFO_MAGIC
	uint32_t version; // CAIRN_BOOTINFO_VERSION
	uint32_t size;    // sizeof(struct boot_info) as the loader knew it
	uint32_t arch;    // CAIRN_ARCH_*
	uint32_t flags;   // CAIRN_BOOT_*

	uint64_t direct_map_base; // VA of physical address 0
	uint64_t direct_map_size; // bytes of physical space mapped there

	uint64_t kernel_phys; // where the image's lowest segment was placed
	uint64_t kernel_virt; // its link address
	uint64_t
	    kernel_size; // bytes, from lowest vaddr to end of highest memsz

	uint64_t mmap;       // physical address of cairn_mmap_entry[mmap_count]
	uint32_t mmap_count; // entries, sorted by base, non-overlapping
	uint32_t mmap_entry_size;

	struct cairn_framebuffer fb;

	uint64_t acpi_rsdp; // physical address of the RSDP, 0 if none
	uint64_t
	    dtb; // physical address of the flattened device tree, 0 if none
	uint64_t dtb_size;

	uint64_t cmdline;     // physical address of a NUL-terminated string
	uint32_t cmdline_len; // without the NUL
	uint32_t reserved0;

	// The kernel ELF's .symtab and .strtab, copied out by the loader so
	// that panics can name functions. 0 if the ELF had none.
	uint64_t symtab, symtab_size, strtab, strtab_size;

	// Time: a free-running counter (x86_64: TSC; aarch64: CNTVCT_EL0), its
	// frequency (x86_64: measured by the loader against the firmware's
	// Stall(); aarch64: CNTFRQ_EL0), and its value when the loader started
	// and just before it jumped to the kernel.
	uint64_t ticks_hz;
	uint64_t loader_start_ticks;
	uint64_t handover_ticks;

	uint64_t efi_system_table; // physical; the loader does not call
	                           // SetVirtualAddressMap, so runtime services
	                           // need their regions mapped 1:1 when called
	uint64_t page_table_root;  // x86_64: CR3; aarch64: TTBR1_EL1 (TTBR0 in
	                           // page_table_root_low)
	uint64_t page_table_root_low;
	uint32_t fw_revision;
	char fw_vendor[64]; // firmware vendor, ASCII, NUL-terminated
	uint32_t reserved1; // explicit padding (was implicit tail padding)

	// The stack the kernel was entered on (CAIRN_MEM_BOOTINFO memory);
	// physical, like every address above. Added after version 1's first
	// draft; covered by `size`.
	uint64_t handover_stack;
	uint64_t handover_stack_size;

	// One data file the loader read from the ESP for the kernel (config
	// `file=PATH`; the kernel's `workload=PATH` names it): physical
	// address (CAIRN_MEM_BOOTINFO memory), bytes, and the path as given
	// (ASCII, NUL-terminated). file == 0: none. Appended to version 1
	// (offset 344): a kernel reads them only when `size` covers them.
	uint64_t file;
	uint64_t file_size;
	char file_name[64];
};
