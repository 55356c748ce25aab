// SPDX-License-Identifier: MIT
// Cairn's UEFI loader: declarations shared by the loader's neutral files
// (boot/*.c) and its arch parts (boot/x86_64/, boot/aarch64/, see arch.h).
// The loader is a PE32+ UEFI application built with clang for an LLP64
// target: `long` is 32 bits, so addresses are uint64_t everywhere.
// Single-threaded, runs with boot services until loader_exit_boot_services().
#pragma once

#include <efi.h>
// gnu-efi's eficompiler.h defines __attribute__(x) away when the compiler
// has MS extensions, which clang enables for the *-windows targets. The
// loader relies on packed/naked/noreturn/format attributes: restore them.
#undef __attribute__
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// The loader builds the kernel's leaf library files it needs (configure.py:
// LOADER_LIB): the string and memory functions (lib/libc/, which the
// compiler also calls for struct copies: a UEFI application has no C
// library) and the formatter (ksnprintf/kvsnprintf).
#include <string.h>
#include <lib/bootinfo.h>
#include <lib/format.h>

#define PAGE_SIZE 4096ull
#define LARGE_PAGE_SIZE 0x200000ull // 2 MiB
#define ALIGN_UP64(x, a) (((uint64_t)(x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN64(x, a) ((uint64_t)(x) & ~((uint64_t)(a)-1))
#define MIN_SZ(a, b) ((a) < (b) ? (a) : (b))
#define MIN64(a, b)                                                            \
	((uint64_t)(a) < (uint64_t)(b) ? (uint64_t)(a) : (uint64_t)(b))
#define MAX64(a, b)                                                            \
	((uint64_t)(a) > (uint64_t)(b) ? (uint64_t)(a) : (uint64_t)(b))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PAGES(bytes) (ALIGN_UP64(bytes, PAGE_SIZE) / PAGE_SIZE)

#define DIRECT_MAP_BASE 0xffff800000000000ull
#define HIGH_HALF_START 0xffff800000000000ull
#define DIRECT_MAP_MAX (64ull << 40) // 64 TiB of physical space at most
#define HANDOVER_STACK_SIZE 0x10000ull

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

// Globals set once at the top of efi_main.
extern EFI_SYSTEM_TABLE *g_st;
extern EFI_BOOT_SERVICES *g_bs;
extern EFI_HANDLE g_image;
extern bool g_verbose;

// console.c: ConOut output (ASCII in, '\n' becomes CR LF). Only valid
// before ExitBootServices.
void con_printf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void con_vprintf(const char *fmt, va_list ap);
// "cairn-loader: error: ..." / "cairn-loader: warning: ..." / verbose steps.
void loader_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
void loader_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void loader_step(const char *fmt, ...) PRINTF_LIKE(1, 2);
const char *efi_status_str(EFI_STATUS st);

// file.c: files on the ESP the loader was started from. Paths are ASCII,
// '/' or '\' separated.
struct esp;
EFI_STATUS esp_open(EFI_FILE_HANDLE *root);
// Reads a whole file into pool memory (LoaderData). EFI_NOT_FOUND if it does
// not exist; other errors are printed by the caller.
EFI_STATUS esp_read_file(EFI_FILE_HANDLE root, const char *path, uint8_t **data,
                         uint64_t *size);

// config.c
struct loader_config {
	char kernel_path[256];
	char *cmdline; // pool; never NULL after config_parse
	uint64_t cmdline_len;
	bool verbose;
	bool fault;    // fault=1: take a CPU exception once the config is read
	unsigned hide; // hide=acpi,dt: act as if the firmware lacked them
	char file_path[64]; // file=PATH: a data file for the kernel; "" none
};
#define HIDE_ACPI 0x1
#define HIDE_DT 0x2
#define CONFIG_PATH "\\cairn\\cairn.cfg"
#define DEFAULT_KERNEL_PATH "\\cairn\\kernel.elf"
// Parses a config file's text (may be NULL: defaults). Warnings are printed;
// only running out of memory is an error.
EFI_STATUS config_parse(struct loader_config *cfg, const char *text,
                        uint64_t len);

// elf.c: validation is pure (no EFI calls) so it can be fuzzed on the host.
#define ELF_MAX_LOADS 16
struct elf_load {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags; // PF_*
};
struct elf_image {
	uint64_t entry;
	uint64_t virt_base; // lowest PT_LOAD vaddr, page aligned down
	uint64_t virt_end;  // highest vaddr + memsz, page aligned up
	unsigned nloads;
	struct elf_load loads[ELF_MAX_LOADS]; // sorted by vaddr
	uint64_t symtab_off, symtab_size;     // 0 if none
	uint64_t strtab_off, strtab_size;
};
#define PF_X 0x1
#define PF_W 0x2
#define PF_R 0x4
// Returns true if `file` is a kernel this loader can run. On failure writes a
// one-line reason (no prefix, no newline) into why.
bool elf_validate(const uint8_t *file, uint64_t size, uint16_t machine,
                  struct elf_image *img, char *why, size_t why_size);
// Copies the PT_LOADs to dst (virt_base maps to dst) and zeroes the rest.
void elf_load(const uint8_t *file, const struct elf_image *img, uint8_t *dst);

// fwinfo.c: what the firmware hands over, into bi (before ExitBootServices).
void fw_collect_info(struct boot_info *bi, unsigned hide);
EFI_STATUS fw_copy_dtb(struct boot_info *bi, unsigned hide);
// What the kernel cannot do without: an error (printed) if the firmware
// handed over nothing that describes the machine.
EFI_STATUS fw_check_description(const struct boot_info *bi);

// mmap.c
struct efi_map {
	uint8_t *buf; // raw EFI_MEMORY_DESCRIPTORs
	UINTN cap, size, key, desc_size;
	UINT32 desc_version;
};
EFI_STATUS mmap_snapshot(struct efi_map *m, UINTN slack_entries);
void mmap_free(struct efi_map *m);
// Top of the highest entry.
uint64_t mmap_top(const struct efi_map *m);
// [pa, pa+len) is: 1 all cacheable RAM, 0 no RAM, -1 partly RAM.
int mmap_range_is_ram(const struct efi_map *m, uint64_t pa, uint64_t len);
#define EFI_DESC(m, i)                                                         \
	((EFI_MEMORY_DESCRIPTOR *)((m)->buf + (uint64_t)(i) * (m)->desc_size))
// Takes the final map into m (pre-allocated) and exits boot services,
// retrying when the key changed. After success no EFI call but runtime ones.
EFI_STATUS mmap_exit_boot_services(struct efi_map *m);
// Converts the raw map into out[] (capacity cap), sorted, non-overlapping.
uint32_t mmap_convert(const struct efi_map *m, struct cairn_mmap_entry *out,
                      uint32_t cap);

// Allocation helpers (pages are zeroed). All are logged until
// alloc_release_all() gives everything back on an error path.
EFI_STATUS alloc_pool(uint64_t bytes, void **p);
void free_pool(void *p);
void alloc_release_all(void);
EFI_STATUS alloc_pages(uint32_t type, uint64_t bytes, uint64_t *pa);
EFI_STATUS alloc_pages_aligned(uint32_t type, uint64_t bytes, uint64_t align,
                               uint64_t *pa);
void free_pages(uint64_t pa, uint64_t bytes);

// paging.c: page tables shared by both arches (4 levels, 4 KiB granule,
// 9 bits per level); the arch part encodes entries (arch.h).
struct pt_pool {
	uint64_t base; // physical == identity-mapped address while building
	uint64_t pages, used;
};
struct pt_layout {
	uint64_t root_low;  // identity map root (x86_64: same as root_high)
	uint64_t root_high; // direct map + kernel
	uint64_t phys_size; // N: bytes mapped at 0 and at DIRECT_MAP_BASE
	uint64_t fb_base, fb_size; // framebuffer (gets its own memory type)
};
uint64_t pt_pages_needed(uint64_t phys_size, uint64_t kernel_size,
                         unsigned map_entries);
EFI_STATUS pt_build(struct pt_pool *pool, const struct efi_map *m,
                    const struct elf_image *img, uint64_t kernel_phys,
                    struct pt_layout *out);
