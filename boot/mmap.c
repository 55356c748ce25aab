// SPDX-License-Identifier: MIT
// The UEFI memory map: snapshots while boot services run, the final map
// taken just before ExitBootServices (retried when the key changes), and
// its conversion into the kernel's sorted cairn_mmap_entry array. Also the
// page allocation helpers, which tag memory with the CAIRN_MEM_* types.
#include <boot/loader.h>

// Every allocation is logged so that an error before ExitBootServices can
// give all of it back to the firmware (alloc_release_all).
#define ALLOC_LOG_MAX 32
static struct {
	uint64_t addr, bytes; // bytes == 0: pool allocation
} alloc_log[ALLOC_LOG_MAX];
static unsigned alloc_count;

static void alloc_track(uint64_t addr, uint64_t bytes)
{
	if (alloc_count < ALLOC_LOG_MAX)
		alloc_log[alloc_count++] = (typeof(alloc_log[0])){addr, bytes};
}

static void alloc_untrack(uint64_t addr)
{
	for (unsigned i = 0; i < alloc_count; i++) {
		if (alloc_log[i].addr == addr) {
			alloc_log[i] = alloc_log[--alloc_count];
			return;
		}
	}
}

void alloc_release_all(void)
{
	while (alloc_count) {
		alloc_count--;
		if (alloc_log[alloc_count].bytes)
			g_bs->FreePages(alloc_log[alloc_count].addr,
			                PAGES(alloc_log[alloc_count].bytes));
		else
			g_bs->FreePool(
			    (void *)(uintptr_t)alloc_log[alloc_count].addr);
	}
}

EFI_STATUS alloc_pool(uint64_t bytes, void **p)
{
	EFI_STATUS st = g_bs->AllocatePool(EfiLoaderData, bytes, p);

	if (EFI_ERROR(st)) {
		loader_error("cannot allocate %llu bytes of pool (%s)", bytes,
		             efi_status_str(st));
		return st;
	}
	alloc_track((uint64_t)(uintptr_t)*p, 0);
	return EFI_SUCCESS;
}

void free_pool(void *p)
{
	if (!p)
		return;
	alloc_untrack((uint64_t)(uintptr_t)p);
	g_bs->FreePool(p);
}

static EFI_STATUS alloc_raw(uint32_t type, uint64_t bytes, uint64_t *pa)
{
	EFI_PHYSICAL_ADDRESS a = 0;
	EFI_STATUS st =
	    g_bs->AllocatePages(AllocateAnyPages, type, PAGES(bytes), &a);

	if (EFI_ERROR(st)) {
		loader_error("cannot allocate %llu KiB of memory (%s)",
		             bytes >> 10, efi_status_str(st));
		return st;
	}
	*pa = a;
	return EFI_SUCCESS;
}

EFI_STATUS alloc_pages(uint32_t type, uint64_t bytes, uint64_t *pa)
{
	EFI_STATUS st = alloc_raw(type, bytes, pa);

	if (EFI_ERROR(st))
		return st;
	memset((void *)(uintptr_t)*pa, 0, PAGES(bytes) * PAGE_SIZE);
	alloc_track(*pa, PAGES(bytes) * PAGE_SIZE);
	return EFI_SUCCESS;
}

// Gives back [pa, pa+bytes): a whole allocation or its tail.
void free_pages(uint64_t pa, uint64_t bytes)
{
	if (!bytes)
		return;
	for (unsigned i = 0; i < alloc_count; i++) {
		uint64_t a = alloc_log[i].addr, n = alloc_log[i].bytes;
		if (n && pa >= a && pa < a + n) {
			if (pa == a)
				alloc_untrack(a);
			else
				alloc_log[i].bytes = pa - a;
			break;
		}
	}
	g_bs->FreePages(pa, PAGES(bytes));
}

// Over-allocates by align, then gives the unaligned head and tail back.
EFI_STATUS alloc_pages_aligned(uint32_t type, uint64_t bytes, uint64_t align,
                               uint64_t *pa)
{
	uint64_t raw, start, len = PAGES(bytes) * PAGE_SIZE;
	uint64_t total = len + align;
	EFI_STATUS st = alloc_raw(type, total, &raw);

	if (EFI_ERROR(st))
		return st;
	start = ALIGN_UP64(raw, align);
	if (start > raw)
		g_bs->FreePages(raw, PAGES(start - raw));
	if (raw + total > start + len)
		g_bs->FreePages(start + len, PAGES(raw + total - start - len));
	memset((void *)(uintptr_t)start, 0, len);
	alloc_track(start, len);
	*pa = start;
	return EFI_SUCCESS;
}

static EFI_STATUS get_map(struct efi_map *m)
{
	m->size = m->cap;
	return g_bs->GetMemoryMap(&m->size, (EFI_MEMORY_DESCRIPTOR *)m->buf,
	                          &m->key, &m->desc_size, &m->desc_version);
}

EFI_STATUS mmap_snapshot(struct efi_map *m, UINTN slack_entries)
{
	EFI_STATUS st;

	memset(m, 0, sizeof(*m));
	for (int tries = 0; tries < 8; tries++) {
		st = get_map(m);
		if (st != EFI_BUFFER_TOO_SMALL)
			break;
		mmap_free(m);
		// Room for what asking grew plus slack for later allocations.
		m->cap = m->size + (slack_entries + 8) * m->desc_size;
		st = alloc_pool(m->cap, (void **)&m->buf);
		if (EFI_ERROR(st))
			break;
	}
	if (EFI_ERROR(st))
		loader_error("GetMemoryMap failed (%s)", efi_status_str(st));
	else if (m->desc_size < sizeof(EFI_MEMORY_DESCRIPTOR))
		loader_error("GetMemoryMap: descriptor size %llu too small",
		             (uint64_t)m->desc_size);
	else
		return EFI_SUCCESS;
	return EFI_ERROR(st) ? st : EFI_UNSUPPORTED;
}

void mmap_free(struct efi_map *m)
{
	free_pool(m->buf);
	m->buf = NULL;
	m->cap = 0;
}

static uint64_t desc_end(const EFI_MEMORY_DESCRIPTOR *d)
{
	return d->PhysicalStart + d->NumberOfPages * PAGE_SIZE;
}

uint64_t mmap_top(const struct efi_map *m)
{
	uint64_t top = 0;

	for (UINTN i = 0; i < m->size / m->desc_size; i++)
		top = MAX64(top, desc_end(EFI_DESC(m, i)));
	return top;
}

// Cacheable RAM in any of its forms (MMIO with a WB attribute is not).
static bool desc_is_ram(const EFI_MEMORY_DESCRIPTOR *d)
{
	return (d->Attribute & EFI_MEMORY_WB) && d->Type != EfiMemoryMappedIO &&
	       d->Type != EfiMemoryMappedIOPortSpace;
}

int mmap_range_is_ram(const struct efi_map *m, uint64_t pa, uint64_t len)
{
	uint64_t covered = 0;

	for (UINTN i = 0; i < m->size / m->desc_size; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = EFI_DESC(m, i);
		uint64_t s = MAX64(pa, d->PhysicalStart);
		uint64_t e = MIN64(pa + len, desc_end(d));
		if (s < e && desc_is_ram(d))
			covered += e - s;
	}
	if (covered == 0)
		return 0;
	return covered >= len ? 1 : -1;
}

EFI_STATUS mmap_exit_boot_services(struct efi_map *m)
{
	EFI_STATUS st = EFI_SUCCESS;

	// No allocation may happen between GetMemoryMap and a successful
	// ExitBootServices; the buffer was sized with slack beforehand.
	for (int tries = 0; tries < 16; tries++) {
		st = get_map(m);
		if (EFI_ERROR(st))
			return st;
		st = g_bs->ExitBootServices(g_image, m->key);
		if (st != EFI_INVALID_PARAMETER)
			return st;
	}
	return st;
}

uint32_t mmap_convert(const struct efi_map *m, struct cairn_mmap_entry *out,
                      uint32_t cap)
{
	uint32_t n = 0;

	for (UINTN i = 0; i < m->size / m->desc_size && n < cap; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = EFI_DESC(m, i);
		struct cairn_mmap_entry e = {d->PhysicalStart, d->NumberOfPages,
		                             d->Type, 0, d->Attribute};
		uint32_t j = n++;
		if (e.pages == 0) {
			n--;
			continue;
		}
		for (; j > 0 && out[j - 1].base > e.base; j--)
			out[j] = out[j - 1];
		out[j] = e;
	}
	// Firmware maps should not overlap; if one does, trim the later entry
	// so the kernel's "sorted, non-overlapping" invariant holds.
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct cairn_mmap_entry e = out[i];
		if (k > 0) {
			uint64_t prev_end =
			    out[k - 1].base + out[k - 1].pages * PAGE_SIZE;
			uint64_t end = e.base + e.pages * PAGE_SIZE;
			if (end <= prev_end)
				continue;
			if (e.base < prev_end) {
				e.pages = (end - prev_end) / PAGE_SIZE;
				e.base = prev_end;
			}
		}
		out[k++] = e;
	}
	return k;
}
