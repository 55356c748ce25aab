// SPDX-License-Identifier: MIT
// The kernel's initial page tables, built the same way for both arches:
// 4 levels of 512 entries over a 4 KiB granule, so x86_64's PML4/PDPT/PD/PT
// and AArch64's L0..L3 with a 48-bit VA share one walker; only the entry
// encodings come from the arch part. Three mappings:
//   identity  [0, N) -> [0, N), executable (for the handover only);
//   direct    DIRECT_MAP_BASE + [0, N) -> [0, N), never executable;
//   kernel    each PT_LOAD at its link address, 4 KiB pages, W^X.
// 2 MiB blocks for the first two; on AArch64 a block that mixes RAM and
// non-RAM is split into 4 KiB pages so that each page gets the right memory
// type (RAM Normal WB, a framebuffer outside RAM Normal NC, the rest
// Device-nGnRE). Tables come from one pre-allocated pool
// (CAIRN_MEM_PAGETABLES).
#include <boot/arch.h>

#define PTE_ADDR_MASK 0x0000fffffffff000ull
#define PT_ENTRIES 512

struct pt_builder {
	struct pt_pool *pool;
	const struct efi_map *map;
	uint64_t fb_base, fb_size;
};

static uint64_t *pt_alloc(struct pt_pool *pool)
{
	uint64_t pa;

	if (pool->used == pool->pages)
		return NULL;
	pa = pool->base + pool->used++ * PAGE_SIZE;
	memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	return (uint64_t *)(uintptr_t)pa;
}

static unsigned pt_index(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & (PT_ENTRIES - 1);
}

// Walks from the root (level 3) down to the table at `level`, creating
// tables on the way. NULL when the pool is exhausted.
static uint64_t *pt_walk(struct pt_pool *pool, uint64_t *root, uint64_t va,
                         int level)
{
	uint64_t *t = root;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &t[pt_index(va, l)];
		if (*e == 0) {
			uint64_t *next = pt_alloc(pool);
			if (!next)
				return NULL;
			*e = arch_pte_table((uint64_t)(uintptr_t)next);
		}
		t = (uint64_t *)(uintptr_t)(*e & PTE_ADDR_MASK);
	}
	return t;
}

static bool pt_map(struct pt_pool *pool, uint64_t *root, uint64_t va,
                   uint64_t pa, unsigned prot, int level)
{
	uint64_t *t = pt_walk(pool, root, va, level);

	if (!t)
		return false;
	t[pt_index(va, level)] = arch_pte_leaf(pa, prot, level);
	return true;
}

// Memory kinds of a physical range, for the arches that encode them.
enum pt_kind { PT_KIND_RAM, PT_KIND_FB, PT_KIND_DEVICE, PT_KIND_MIXED };

static uint64_t overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	uint64_t s = MAX64(a, b), e = MIN64(a + alen, b + blen);

	return s < e ? e - s : 0;
}

// RAM is Normal WB; a framebuffer outside RAM is Normal non-cacheable
// (write-combining-like, and unaligned accesses work, unlike Device);
// everything else is Device.
static enum pt_kind pt_classify(struct pt_builder *b, uint64_t pa, uint64_t len)
{
	int ram;
	uint64_t fb;

	if (!ARCH_PT_MEMTYPES)
		return PT_KIND_RAM;
	ram = mmap_range_is_ram(b->map, pa, len);
	if (ram == 1)
		return PT_KIND_RAM;
	fb = overlap(pa, len, b->fb_base, b->fb_size);
	if (ram == 0 && fb == 0)
		return PT_KIND_DEVICE;
	if (ram == 0 && fb == len)
		return PT_KIND_FB;
	return PT_KIND_MIXED;
}

static unsigned pt_kind_prot(enum pt_kind k, bool exec)
{
	if (k == PT_KIND_RAM)
		return PT_W | (exec ? PT_X : 0);
	return PT_W | (k == PT_KIND_FB ? PT_FB : PT_DEVICE);
}

// Maps one 2 MiB block of physical space at va, executable or not; a block
// of mixed kinds is split into 4 KiB pages.
static bool pt_map_block(struct pt_builder *b, uint64_t *root, uint64_t va,
                         uint64_t pa, bool exec)
{
	enum pt_kind k = pt_classify(b, pa, LARGE_PAGE_SIZE);

	if (k != PT_KIND_MIXED)
		return pt_map(b->pool, root, va, pa, pt_kind_prot(k, exec), 1);
	for (uint64_t off = 0; off < LARGE_PAGE_SIZE; off += PAGE_SIZE) {
		k = pt_classify(b, pa + off, PAGE_SIZE);
		if (k == PT_KIND_MIXED) // a RAM entry not page aligned
			k = PT_KIND_RAM;
		if (!pt_map(b->pool, root, va + off, pa + off,
		            pt_kind_prot(k, exec), 0))
			return false;
	}
	return true;
}

static bool pt_map_kernel(struct pt_builder *b, uint64_t *root,
                          const struct elf_image *img, uint64_t kernel_phys)
{
	for (unsigned i = 0; i < img->nloads; i++) {
		const struct elf_load *l = &img->loads[i];
		uint64_t va = ALIGN_DOWN64(l->vaddr, PAGE_SIZE);
		uint64_t end = ALIGN_UP64(l->vaddr + l->memsz, PAGE_SIZE);
		unsigned prot =
		    (l->flags & PF_W ? PT_W : 0) | (l->flags & PF_X ? PT_X : 0);
		for (; va < end; va += PAGE_SIZE) {
			uint64_t pa = kernel_phys + (va - img->virt_base);
			if (!pt_map(b->pool, root, va, pa, prot, 0))
				return false;
		}
	}
	return true;
}

uint64_t pt_pages_needed(uint64_t phys_size, uint64_t kernel_size,
                         unsigned map_entries)
{
	uint64_t per_map = phys_size / (1ull << 30) +     // page directories
	                   phys_size / (1ull << 39) + 1 + // PDPTs
	                   (ARCH_PT_MEMTYPES ? 2ull * map_entries : 0);

	return 2 + 2 * per_map + kernel_size / LARGE_PAGE_SIZE + 2 + 3 + 4;
}

EFI_STATUS pt_build(struct pt_pool *pool, const struct efi_map *m,
                    const struct elf_image *img, uint64_t kernel_phys,
                    struct pt_layout *out)
{
	struct pt_builder b = {pool, m, out->fb_base, out->fb_size};
	uint64_t *low = pt_alloc(pool);
	uint64_t *high = ARCH_PT_SPLIT_ROOTS ? pt_alloc(pool) : low;

	if (!low || !high)
		goto exhausted;
	for (uint64_t pa = 0; pa < out->phys_size; pa += LARGE_PAGE_SIZE) {
		if (!pt_map_block(&b, low, pa, pa, true) ||
		    !pt_map_block(&b, high, DIRECT_MAP_BASE + pa, pa, false))
			goto exhausted;
	}
	if (!pt_map_kernel(&b, high, img, kernel_phys))
		goto exhausted;
	out->root_low = (uint64_t)(uintptr_t)low;
	out->root_high = (uint64_t)(uintptr_t)high;
	loader_step("page tables: %llu of %llu pages used", pool->used,
	            pool->pages);
	return EFI_SUCCESS;
exhausted:
	loader_error("page-table pool of %llu pages exhausted (loader bug)",
	             pool->pages);
	return EFI_OUT_OF_RESOURCES;
}
