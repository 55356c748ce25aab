// SPDX-License-Identifier: MIT
// The kernel's address space (see mm/vm.h): built once at boot from the
// image's section symbols and the boot memory map, then activated. Also the
// ioremap area (a bump allocator: device windows are never unmapped) and
// identity roots for starting other CPUs. Locks: ioremap_lock for the bump
// pointer; the tables themselves are guarded by the space's lock.
#include <lib/err.h>
#include <lib/panic.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <mm/mm.h>
#include <mm/vm.h>

extern char __kernel_start[], __rodata_start[], __data_start[], __kernel_end[];
extern char boot_stack_guard[]; // a page below the boot CPU's stack (HAL)

static struct vm_space kernel_space;
static spinlock_t ioremap_lock = SPINLOCK_INIT;
static vaddr_t ioremap_next = VM_IOREMAP_BASE;

struct vm_space *vm_kernel(void)
{
	return &kernel_space;
}

static void vm_must(err_t e, const char *what, uint64_t a, uint64_t b)
{
	if (e)
		panic("vm: cannot map %s %#lx-%#lx: %s", what, (unsigned long)a,
		      (unsigned long)b - 1, err_name(e));
}

// One part of the image at its link address, with its own protection.
static void vm_map_image_part(const struct boot_info *bi, char *from, char *to,
                              unsigned prot, const char *what)
{
	vaddr_t va = (vaddr_t)(uintptr_t)from;
	size_t len = (size_t)(to - from);

	if (!len)
		return;
	vm_must(vm_map(&kernel_space, va,
	               bi->kernel_phys + (va - bi->kernel_virt), len, prot),
	        what, va, va + len);
}

// The memory type of [pa, end) per the map: RAM (write-back), or the kind
// of non-RAM. RAM is what the firmware marks write-back and not MMIO.
static bool vm_entry_is_ram(const struct cairn_mmap_entry *m)
{
	return (m->attr & CAIRN_MEMATTR_WB) && m->type != 11 && m->type != 12;
}

// Maps a non-RAM gap [pa, end) of the direct map, giving the framebuffer
// its own (non-cacheable) type.
static void vm_map_gap(const struct boot_info *bi, paddr_t pa, paddr_t end)
{
	paddr_t fb = ALIGN_DOWN(bi->fb.base, PAGE_SIZE);
	paddr_t fb_end = ALIGN_UP(bi->fb.base + bi->fb.size, PAGE_SIZE);
	paddr_t cut[4] = {pa, end, end, end};

	if (pa >= end)
		return;
	if (bi->fb.base && fb < end && fb_end > pa) {
		cut[1] = MAX(pa, fb);
		cut[2] = MIN(end, fb_end);
	}
	for (int i = 0; i < 3; i++)
		if (cut[i] < cut[i + 1])
			vm_must(vm_map(&kernel_space,
			               phys_direct_map_base + cut[i], cut[i],
			               cut[i + 1] - cut[i],
			               // piece 1 is the framebuffer, if any
			               MMU_W | (i == 1 ? MMU_NC : MMU_DEVICE)),
			        "direct map", cut[i], cut[i + 1]);
}

// The direct map of [0, phys_direct_map_size): RAM read-write, the rest
// device (or non-cacheable for the framebuffer); never executable. Map
// entries are sorted and do not overlap (mm_init() reported any that do;
// such entries are treated as gaps here).
static void vm_map_direct(const struct boot_info *bi)
{
	const struct cairn_mmap_entry *m = phys_to_virt(bi->mmap);
	paddr_t pa = 0, top = phys_direct_map_size;

	for (uint32_t i = 0; i < bi->mmap_count && pa < top; i++) {
		paddr_t base = m[i].base, end;

		if (!vm_entry_is_ram(&m[i]) || base < pa || base % PAGE_SIZE)
			continue;
		end = MIN(base + m[i].pages * PAGE_SIZE, top);
		// Merge following RAM entries that touch this one.
		while (i + 1 < bi->mmap_count && vm_entry_is_ram(&m[i + 1]) &&
		       m[i + 1].base == end && end < top) {
			i++;
			end = MIN(m[i].base + m[i].pages * PAGE_SIZE, top);
		}
		if (base >= top)
			break;
		vm_map_gap(bi, pa, base);
		vm_must(vm_map(&kernel_space, phys_direct_map_base + base, base,
		               end - base, MMU_W),
		        "direct map", base, end);
		pa = end;
	}
	vm_map_gap(bi, pa, top);
}

void vm_kernel_init(const struct boot_info *bi)
{
	if (vm_space_init(&kernel_space))
		panic("vm: no memory for the kernel's page tables");
	vm_map_image_part(bi, __kernel_start, __rodata_start, MMU_X, "text");
	vm_map_image_part(bi, __rodata_start, __data_start, 0, "rodata");
	vm_map_image_part(bi, __data_start, boot_stack_guard, MMU_W, "data");
	vm_map_image_part(bi, boot_stack_guard + PAGE_SIZE, __kernel_end, MMU_W,
	                  "data");
	vm_map_direct(bi);
	// The direct map's alias of text and rodata is read-only too, so no
	// writable mapping of kernel code exists anywhere.
	vm_must(vm_protect(&kernel_space,
	                   phys_direct_map_base + bi->kernel_phys,
	                   (size_t)(__data_start - __kernel_start), 0),
	        "direct-map alias of the kernel image", bi->kernel_phys,
	        bi->kernel_phys + (uint64_t)(__data_start - __kernel_start));
	hal_mmu_activate_kernel(kernel_space.root);
	kernel_space.live = true;
	pr_info("vm: kernel page tables active (%zu table pages); protections: "
	        "%s\n",
	        vm_table_pages(&kernel_space), hal_mmu_protect_cpu());
}

void *vm_ioremap(paddr_t pa, size_t len, unsigned prot)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t size = ALIGN_UP(pa + len, PAGE_SIZE) - base;
	irqflags_t f;
	vaddr_t va;

	if (!len || pa + len < pa)
		return NULL;
	f = spin_lock_irqsave(&ioremap_lock);
	va =
	    ALIGN_UP(ioremap_next, MIN(MMU_SPAN(1), ALIGN_UP(size, PAGE_SIZE)));
	if (va + size > VM_IOREMAP_BASE + VM_IOREMAP_SIZE ||
	    vm_map(&kernel_space, va, base, size, prot)) {
		spin_unlock_irqrestore(&ioremap_lock, f);
		return NULL;
	}
	ioremap_next = va + size;
	spin_unlock_irqrestore(&ioremap_lock, f);
	return (void *)(uintptr_t)(va + (pa - base));
}

paddr_t vm_identity_root(paddr_t pa, size_t len)
{
	struct vm_space s;
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);

	if (vm_space_init(&s))
		return 0;
	if (hal_mmu_shares_kernel_half()) {
		uint64_t *from = phys_to_virt(kernel_space.root);
		uint64_t *to = phys_to_virt(s.root);

		for (unsigned i = MMU_ENTRIES / 2; i < MMU_ENTRIES; i++)
			to[i] = from[i];
	}
	if (vm_map(&s, base, base, ALIGN_UP(pa + len, PAGE_SIZE) - base,
	           MMU_W | MMU_X)) {
		if (hal_mmu_shares_kernel_half()) {
			uint64_t *to = phys_to_virt(s.root);

			for (unsigned i = MMU_ENTRIES / 2; i < MMU_ENTRIES; i++)
				to[i] = 0;
		}
		vm_space_destroy(&s);
		return 0;
	}
	return s.root;
}
