// SPDX-License-Identifier: MIT
// Cairn's UEFI loader: efi_main and the boot flow.
//  1. read \cairn\cairn.cfg (optional) and the kernel ELF from the ESP;
//  2. validate the ELF completely, then place its PT_LOADs in one 2 MiB
//     aligned CAIRN_MEM_KERNEL allocation;
//  3. fill the boot_info (command line, symbols, framebuffer, RSDP, device
//     tree, firmware, ticks) in CAIRN_MEM_BOOTINFO memory;
//  4. build the page tables (paging.c), take the final memory map and exit
//     boot services;
//  5. convert the map and hand over through the arch part.
// Every failure before step 4's ExitBootServices prints one
// "cairn-loader: error:" line, frees what was allocated and returns to the
// firmware; nothing after ExitBootServices can fail.
#include <boot/arch.h>

EFI_SYSTEM_TABLE *g_st;
EFI_BOOT_SERVICES *g_bs;
EFI_HANDLE g_image;
bool g_verbose;

#define MAP_SLACK_ENTRIES 64

struct loader {
	struct loader_config cfg;
	EFI_FILE_HANDLE root;
	uint8_t *kfile;
	uint64_t ksize;
	struct elf_image img;
	uint64_t kernel_phys;
	struct boot_info *bi;
	uint64_t scratch_pa; // arch handover scratch (in the boot_info pages)
	uint64_t stack_pa;
	struct pt_pool pool;
	struct pt_layout pt;
	struct efi_map map;
	struct cairn_mmap_entry *mmap;
	uint32_t mmap_cap;
};

static EFI_STATUS load_config(struct loader *L)
{
	uint8_t *text = NULL;
	uint64_t len = 0;
	EFI_STATUS st = esp_read_file(L->root, CONFIG_PATH, &text, &len);

	if (st != EFI_SUCCESS && st != EFI_NOT_FOUND)
		loader_warn("%s: cannot read (%s), using defaults", CONFIG_PATH,
		            efi_status_str(st));
	st = config_parse(&L->cfg, (const char *)text, text ? len : 0);
	free_pool(text);
	g_verbose = L->cfg.verbose;
	loader_step("Cairn loader (%s), kernel %s", ARCH_NAME,
	            L->cfg.kernel_path);
	if (L->cfg.fault) // tests: the fault guard's report (arch.h)
		__builtin_trap();
	return st;
}

static EFI_STATUS load_kernel_file(struct loader *L)
{
	const char *path = L->cfg.kernel_path;
	char why[200];
	EFI_STATUS st = esp_read_file(L->root, path, &L->kfile, &L->ksize);

	if (st == EFI_NOT_FOUND) {
		loader_error("%s: not found on the boot volume", path);
		return st;
	}
	if (EFI_ERROR(st)) {
		loader_error("%s: cannot read (%s)", path, efi_status_str(st));
		return st;
	}
	loader_step("%s: %llu bytes", path, L->ksize);
	if (!elf_validate(L->kfile, L->ksize, ARCH_ELF_MACHINE, &L->img, why,
	                  sizeof(why))) {
		loader_error("%s: %s", path, why);
		return EFI_LOAD_ERROR;
	}
	loader_step("kernel: %u PT_LOADs, 0x%llx-0x%llx, entry 0x%llx",
	            L->img.nloads, L->img.virt_base, L->img.virt_end,
	            L->img.entry);
	return EFI_SUCCESS;
}

static EFI_STATUS place_kernel(struct loader *L)
{
	uint64_t span = L->img.virt_end - L->img.virt_base;
	EFI_STATUS st = alloc_pages_aligned(CAIRN_MEM_KERNEL, span,
	                                    LARGE_PAGE_SIZE, &L->kernel_phys);

	if (EFI_ERROR(st))
		return st;
	elf_load(L->kfile, &L->img, (uint8_t *)(uintptr_t)L->kernel_phys);
	loader_step("kernel placed at phys 0x%llx (%llu KiB)", L->kernel_phys,
	            span >> 10);
	return EFI_SUCCESS;
}

// Copies part of the kernel file into fresh CAIRN_MEM_BOOTINFO memory.
static EFI_STATUS copy_out(struct loader *L, uint64_t off, uint64_t size,
                           uint64_t *pa)
{
	EFI_STATUS st;

	*pa = 0;
	if (!size)
		return EFI_SUCCESS;
	st = alloc_pages(CAIRN_MEM_BOOTINFO, size, pa);
	if (!EFI_ERROR(st))
		memcpy((void *)(uintptr_t)*pa, L->kfile + off, size);
	return st;
}

// boot_info, arch scratch and the command line share one allocation.
static EFI_STATUS make_boot_info(struct loader *L)
{
	uint64_t cmd_off =
	    ALIGN_UP64(sizeof(struct boot_info), 64) + ARCH_HANDOVER_SCRATCH;
	uint64_t pa;
	struct boot_info *bi;
	EFI_STATUS st = alloc_pages(CAIRN_MEM_BOOTINFO,
	                            cmd_off + L->cfg.cmdline_len + 1, &pa);

	if (EFI_ERROR(st))
		return st;
	L->bi = bi = (struct boot_info *)(uintptr_t)pa;
	L->scratch_pa = pa + ALIGN_UP64(sizeof(struct boot_info), 64);
	bi->magic = CAIRN_BOOTINFO_MAGIC;
	bi->version = CAIRN_BOOTINFO_VERSION;
	bi->size = sizeof(*bi);
	bi->arch = ARCH_BOOTINFO_ARCH;
	bi->cmdline = pa + cmd_off;
	bi->cmdline_len = (uint32_t)L->cfg.cmdline_len;
	memcpy((void *)(uintptr_t)bi->cmdline, L->cfg.cmdline,
	       L->cfg.cmdline_len + 1);
	st = copy_out(L, L->img.symtab_off, L->img.symtab_size, &bi->symtab);
	if (EFI_ERROR(st))
		return st;
	bi->symtab_size = L->img.symtab_size;
	st = copy_out(L, L->img.strtab_off, L->img.strtab_size, &bi->strtab);
	if (EFI_ERROR(st))
		return st;
	bi->strtab_size = L->img.strtab_size;
	fw_collect_info(bi, L->cfg.hide);
	st = fw_copy_dtb(bi, L->cfg.hide);
	return EFI_ERROR(st) ? st : fw_check_description(bi);
}

// file=PATH: the file is copied into CAIRN_MEM_BOOTINFO memory for the
// kernel. A missing or unreadable file is a warning (the kernel reports
// it again when a workload= asks for it): the boot goes on.
static EFI_STATUS load_data_file(struct loader *L)
{
	const char *path = L->cfg.file_path;
	uint8_t *data = NULL;
	uint64_t len = 0, pa = 0;
	EFI_STATUS st;

	if (!path[0])
		return EFI_SUCCESS;
	st = esp_read_file(L->root, path, &data, &len);
	if (EFI_ERROR(st)) {
		loader_warn("file=%s: cannot read (%s), not passed on", path,
		            efi_status_str(st));
		return EFI_SUCCESS;
	}
	st = alloc_pages(CAIRN_MEM_BOOTINFO, len + 1, &pa);
	if (!EFI_ERROR(st)) {
		memcpy((void *)(uintptr_t)pa, data, len);
		((uint8_t *)(uintptr_t)pa)[len] = 0;
		L->bi->file = pa;
		L->bi->file_size = len;
		memcpy(L->bi->file_name, path, strlen(path) + 1);
		loader_step("file %s: %llu bytes at 0x%llx", path, len, pa);
	}
	free_pool(data);
	return st;
}

// N = max(4 GiB, top of the highest map entry), rounded up to 1 GiB; also
// far enough to cover the framebuffer, which may be a 64-bit BAR.
static EFI_STATUS size_direct_map(struct loader *L)
{
	uint64_t top = mmap_top(&L->map);
	struct cairn_framebuffer *fb = &L->bi->fb;

	if (fb->base && fb->base + fb->size <= DIRECT_MAP_MAX) {
		top = MAX64(top, fb->base + fb->size);
		L->pt.fb_base = ALIGN_DOWN64(fb->base, PAGE_SIZE);
		L->pt.fb_size =
		    ALIGN_UP64(fb->base + fb->size, PAGE_SIZE) - L->pt.fb_base;
	}

	if (top > DIRECT_MAP_MAX) {
		loader_error("memory map reaches 0x%llx, beyond the %llu TiB "
		             "the direct map supports",
		             top, DIRECT_MAP_MAX >> 40);
		return EFI_UNSUPPORTED;
	}
	L->pt.phys_size = ALIGN_UP64(MAX64(top, 4ull << 30), 1ull << 30);
	loader_step("direct map: %llu GiB", L->pt.phys_size >> 30);
	return EFI_SUCCESS;
}

static EFI_STATUS build_page_tables(struct loader *L)
{
	unsigned entries = (unsigned)(L->map.size / L->map.desc_size);
	uint64_t pages = pt_pages_needed(
	    L->pt.phys_size, L->img.virt_end - L->img.virt_base, entries);
	EFI_STATUS st =
	    alloc_pages(CAIRN_MEM_PAGETABLES, pages * PAGE_SIZE, &L->pool.base);

	if (EFI_ERROR(st))
		return st;
	L->pool.pages = pages;
	st = pt_build(&L->pool, &L->map, &L->img, L->kernel_phys, &L->pt);
	if (EFI_ERROR(st))
		return st;
	// Give the unused tail back so the kernel does not see it as live.
	free_pages(L->pool.base + L->pool.used * PAGE_SIZE,
	           (L->pool.pages - L->pool.used) * PAGE_SIZE);
	return EFI_SUCCESS;
}

static void record_layout(struct loader *L)
{
	struct boot_info *bi = L->bi;

	bi->direct_map_base = DIRECT_MAP_BASE;
	bi->direct_map_size = L->pt.phys_size;
	bi->kernel_phys = L->kernel_phys;
	bi->kernel_virt = L->img.virt_base;
	bi->kernel_size = L->img.virt_end - L->img.virt_base;
	bi->page_table_root = L->pt.root_high;
	bi->page_table_root_low = L->pt.root_low;
	bi->mmap_entry_size = sizeof(struct cairn_mmap_entry);
	bi->handover_stack = L->stack_pa;
	bi->handover_stack_size = HANDOVER_STACK_SIZE;
}

static EFI_STATUS open_esp(struct loader *L)
{
	return esp_open(&L->root);
}

static EFI_STATUS prepare_cpu(struct loader *L)
{
	EFI_STATUS st = arch_prepare(L->bi);

	free_pool(L->kfile); // symbols are copied out by now
	L->kfile = NULL;
	L->bi->ticks_hz = arch_ticks_hz();
	loader_step("counter frequency %llu Hz", L->bi->ticks_hz);
	return st;
}

static EFI_STATUS alloc_stack(struct loader *L)
{
	return alloc_pages(CAIRN_MEM_BOOTINFO, HANDOVER_STACK_SIZE,
	                   &L->stack_pa);
}

static EFI_STATUS snapshot_map(struct loader *L)
{
	return mmap_snapshot(&L->map, MAP_SLACK_ENTRIES);
}

// The kernel's copy of the map: as many entries as the raw buffer (which
// has slack for the allocations made since the snapshot) can hold.
static EFI_STATUS alloc_kernel_map(struct loader *L)
{
	uint64_t pa;
	EFI_STATUS st;

	L->mmap_cap = (uint32_t)(L->map.cap / L->map.desc_size);
	st = alloc_pages(CAIRN_MEM_BOOTINFO,
	                 L->mmap_cap * sizeof(struct cairn_mmap_entry), &pa);
	L->mmap = (struct cairn_mmap_entry *)(uintptr_t)pa;
	return st;
}

static EFI_STATUS finish_prepare(struct loader *L)
{
	L->root->Close(L->root);
	L->root = NULL;
	free_pool(L->cfg.cmdline);
	L->cfg.cmdline = NULL;
	record_layout(L);
	loader_step("exiting boot services; kernel entry 0x%llx", L->img.entry);
	return EFI_SUCCESS;
}

// Everything that needs boot services, in order. A failing step has
// printed its error.
static EFI_STATUS (*const prepare_steps[])(struct loader *) = {
    open_esp,       load_config,     load_kernel_file,  place_kernel,
    make_boot_info, load_data_file,  prepare_cpu,       alloc_stack,
    snapshot_map,   size_direct_map, build_page_tables, alloc_kernel_map,
    finish_prepare,
};

static EFI_STATUS loader_prepare(struct loader *L)
{
	for (size_t i = 0; i < ARRAY_LEN(prepare_steps); i++) {
		EFI_STATUS st = prepare_steps[i](L);
		if (EFI_ERROR(st))
			return st;
	}
	return EFI_SUCCESS;
}

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st_)
{
	uint64_t t0 = arch_ticks();
	static struct loader L; // zeroed; too big for the stack probe limit
	EFI_STATUS st;

	g_st = st_;
	g_bs = st_->BootServices;
	g_image = image;
	arch_fault_guard(GUARD_INSTALL);
	st = loader_prepare(&L);
	if (!EFI_ERROR(st)) {
		L.bi->loader_start_ticks = t0;
		st = mmap_exit_boot_services(&L.map);
		if (EFI_ERROR(st))
			loader_error("ExitBootServices failed (%s)",
			             efi_status_str(st));
	}
	if (EFI_ERROR(st)) {
		if (L.root)
			L.root->Close(L.root);
		alloc_release_all();
		arch_fault_guard(GUARD_REMOVE);
		return st;
	}
	// Boot services are gone: no more console, no allocation, no failure.
	arch_fault_guard(GUARD_NO_CONSOLE);
	L.bi->mmap = (uint64_t)(uintptr_t)L.mmap;
	L.bi->mmap_count = mmap_convert(&L.map, L.mmap, L.mmap_cap);
	arch_sync_caches(L.kernel_phys, L.bi->kernel_size);
	arch_sync_caches(L.pool.base, L.pool.used * PAGE_SIZE);
	L.bi->handover_ticks = arch_ticks();
	arch_handover(&L.pt, L.img.entry,
	              DIRECT_MAP_BASE + L.stack_pa + HANDOVER_STACK_SIZE,
	              DIRECT_MAP_BASE + (uint64_t)(uintptr_t)L.bi, L.bi,
	              L.scratch_pa);
}
