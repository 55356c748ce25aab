// SPDX-License-Identifier: MIT
// Handover-check kernel: a tiny freestanding ELF the loader boots in place of
// Cairn to verify the handover contract (lib/bootinfo.h,
// docs/boot-info.md) on real firmware. It checks the boot_info header, the
// memory map, the direct map (RSDP signature, RAM above 4 GiB), the
// kernel's own placement and symbols, the stack and the CPU state, prints
// one KTAP line per check on the serial port and leaves QEMU with status 0
// (all passed) or 1. Words on the command line ask for more:
//   expect_fb      a framebuffer must be present (and is drawn on)
//   expect_el2     aarch64: the firmware must have run at EL2
//   expect_highmem RAM above 4 GiB must exist and be reachable
//   expect_dtb     the firmware must have passed a device tree
//   no_acpi        the firmware must not have passed an RSDP
// Single CPU, interrupts masked throughout; no locks.
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/bootinfo.h>

#define DM(bi, pa) ((void *)(uintptr_t)((bi)->direct_map_base + (pa)))

extern char __image_start[], __image_end[];
static uint64_t dm_base; // for the UART before boot_info is trusted
static unsigned n_tests, n_failed;
static volatile uint32_t data_word = 0x5a5a5a5a;
static volatile uint8_t bss_block[16384];
static uint64_t saved_sp;

// ---- arch ---------------------------------------------------------------
#if defined(__x86_64__)
#include <hal/x86_64/x86_insn.h>

__asm__(".section .text.entry, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "	movq %rsp, %rsi\n"
        "	call handover_main\n"
        "1:	hlt\n"
        "	jmp 1b\n"
        ".text\n");

static void uart_putc(char c)
{
	for (int i = 0; i < 100000 && !(x86_inb(0x3f8 + 5) & 0x20); i++)
		;
	x86_outb(0x3f8, (uint8_t)c);
}

static void machine_exit(unsigned status)
{
	x86_outb(0xf4, (uint8_t)status); // QEMU exits with (status << 1) | 1
	for (;;)
		__asm__ volatile("cli; hlt");
}

static uint64_t read_cr(int n)
{
	uint64_t v = 0;
	if (n == 0)
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	else if (n == 3)
		__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static uint64_t ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
#elif defined(__aarch64__)
__asm__(".section .text.entry, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "	mov x1, sp\n"
        "	bl handover_main\n"
        "1:	wfi\n"
        "	b 1b\n"
        ".text\n");

#define SYSREG(name)                                                           \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));                 \
		v_;                                                            \
	})

static void uart_putc(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)(dm_base + 0x09000000);
	for (int i = 0; i < 100000 && (uart[0x18 / 4] & 0x20); i++)
		;
	uart[0] = (uint8_t)c;
}

static void machine_exit(unsigned status)
{
	// Semihosting SYS_EXIT with ADP_Stopped_ApplicationExit.
	volatile uint64_t block[2] = {0x20026, status};
	register uint64_t x0 __asm__("x0") = 0x18;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;
	__asm__ volatile("hlt #0xf000" ::"r"(x0), "r"(x1) : "memory");
	for (;;) // no semihosting: PSCI SYSTEM_OFF
		__asm__ volatile("mov x0, #8\n\tmovk x0, #0x8400, lsl #16\n\t"
		                 "hvc #0" ::
		                     : "x0");
}

static uint64_t ticks(void)
{
	__asm__ volatile("isb");
	return SYSREG(cntvct_el0);
}
#endif

// ---- output -------------------------------------------------------------
static void puts_(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16)
		puts_("0x");
	while (n)
		uart_putc(buf[--n]);
}

// Minimal printf: %s %u (uint64_t) %x (uint64_t).
static void say(const char *fmt, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			char s[2] = {*fmt, 0};
			puts_(s);
			continue;
		}
		fmt++;
		if (*fmt == 's')
			puts_(__builtin_va_arg(ap, const char *));
		else if (*fmt == 'u')
			put_num(__builtin_va_arg(ap, uint64_t), 10);
		else if (*fmt == 'x')
			put_num(__builtin_va_arg(ap, uint64_t), 16);
	}
	__builtin_va_end(ap);
}

static bool check(bool ok, const char *name)
{
	n_tests++;
	if (!ok)
		n_failed++;
	say("%s %u %s\n", ok ? "ok" : "not ok", (uint64_t)n_tests, name);
	return ok;
}

static bool mem_eq(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static bool cmdline_has(const struct boot_info *bi, const char *word)
{
	const char *s = DM(bi, bi->cmdline);
	size_t n = str_len(word);
	for (uint32_t i = 0; i + n <= bi->cmdline_len; i++) {
		if ((i == 0 || s[i - 1] == ' ') && mem_eq(s + i, word, n) &&
		    (s[i + n] == ' ' || s[i + n] == 0))
			return true;
	}
	return false;
}

// ---- checks -------------------------------------------------------------
static const struct cairn_mmap_entry *find_entry(const struct boot_info *bi,
                                                 uint64_t pa)
{
	const struct cairn_mmap_entry *e = DM(bi, bi->mmap);
	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (pa >= e[i].base && pa - e[i].base < e[i].pages * 4096)
			return &e[i];
	return NULL;
}

static bool has_type(const struct boot_info *bi, uint64_t pa, uint32_t type)
{
	const struct cairn_mmap_entry *e = find_entry(bi, pa);
	return e && e->type == type;
}

static void check_mmap(const struct boot_info *bi)
{
	const struct cairn_mmap_entry *e = DM(bi, bi->mmap);
	uint64_t usable = 0, prev_end = 0;
	bool sorted = true;

	check(bi->mmap_count > 0 &&
	          bi->mmap_entry_size == sizeof(struct cairn_mmap_entry),
	      "mmap: entries present, entry size");
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		if (e[i].base < prev_end || (e[i].base & 4095) ||
		    e[i].pages == 0)
			sorted = false;
		prev_end = e[i].base + e[i].pages * 4096;
		if (e[i].type == 7) // EfiConventionalMemory
			usable += e[i].pages * 4096;
	}
	check(sorted, "mmap: sorted, aligned, non-overlapping");
	say("# mmap: %u entries, %u MiB conventional, top %x\n",
	    (uint64_t)bi->mmap_count, usable >> 20, prev_end);
	check(usable > (16u << 20), "mmap: conventional memory");
	check(prev_end <= bi->direct_map_size, "mmap: inside the direct map");
	check(has_type(bi, bi->kernel_phys, CAIRN_MEM_KERNEL) &&
	          has_type(bi, bi->kernel_phys + bi->kernel_size - 1,
	                   CAIRN_MEM_KERNEL),
	      "mmap: kernel is CAIRN_MEM_KERNEL");
	check(has_type(bi, (uint64_t)bi - bi->direct_map_base,
	               CAIRN_MEM_BOOTINFO) &&
	          has_type(bi, bi->mmap, CAIRN_MEM_BOOTINFO) &&
	          has_type(bi, bi->cmdline, CAIRN_MEM_BOOTINFO) &&
	          has_type(bi, bi->handover_stack, CAIRN_MEM_BOOTINFO),
	      "mmap: boot info, map, cmdline, stack are CAIRN_MEM_BOOTINFO");
	check(has_type(bi, bi->page_table_root, CAIRN_MEM_PAGETABLES) &&
	          has_type(bi, bi->page_table_root_low, CAIRN_MEM_PAGETABLES),
	      "mmap: page tables are CAIRN_MEM_PAGETABLES");
}

// Writes and reads back the last page of the highest conventional entry.
static void check_highmem(const struct boot_info *bi, bool expect)
{
	const struct cairn_mmap_entry *e = DM(bi, bi->mmap);
	uint64_t top = 0;

	for (uint32_t i = 0; i < bi->mmap_count; i++)
		if (e[i].type == 7)
			top = e[i].base + e[i].pages * 4096;
	volatile uint64_t *p = DM(bi, top - 4096);
	p[0] = 0x1122334455667788ull;
	p[511] = ~p[0];
	check(p[0] == 0x1122334455667788ull && p[511] == ~p[0],
	      "direct map: highest conventional page read/write");
	say("# highest conventional RAM ends at %x\n", top);
	if (expect)
		check(top > (4ull << 30), "memory above 4 GiB present");
}

static bool find_symbol(const struct boot_info *bi, const char *name,
                        uint64_t *value)
{
	const uint8_t *sym = DM(bi, bi->symtab);
	const char *str = DM(bi, bi->strtab);
	size_t n = str_len(name);

	for (uint64_t off = 0; off + 24 <= bi->symtab_size; off += 24) {
		uint32_t idx = *(const uint32_t *)(sym + off);
		if (idx + n < bi->strtab_size &&
		    mem_eq(str + idx, name, n + 1)) {
			*value = *(const uint64_t *)(sym + off + 8);
			return true;
		}
	}
	return false;
}

void handover_main(struct boot_info *bi, uint64_t sp);

static void check_image(const struct boot_info *bi)
{
	uint64_t v = 0;
	bool zero = true;

	check(bi->kernel_virt == (uint64_t)__image_start &&
	          bi->kernel_size >= (uint64_t)(__image_end - __image_start),
	      "kernel_virt/kernel_size match the link address");
	check((bi->kernel_phys & 0x1fffff) == 0, "kernel_phys 2 MiB aligned");
	check(mem_eq(DM(bi, bi->kernel_phys), __image_start, 64),
	      "direct map of kernel_phys shows the image");
	for (size_t i = 0; i < sizeof(bss_block); i++)
		zero &= bss_block[i] == 0;
	check(zero, "BSS zeroed");
	data_word = ~data_word;
	check(data_word == 0xa5a5a5a5u, ".data writable");
	check(bi->symtab && bi->strtab &&
	          find_symbol(bi, "handover_main", &v) &&
	          v == (uint64_t)handover_main,
	      "symtab/strtab copied, handover_main found");
}

static void check_firmware(const struct boot_info *bi, bool expect_fb)
{
	const char *cmd = DM(bi, bi->cmdline);

	if (cmdline_has(bi, "no_acpi"))
		check(bi->acpi_rsdp == 0, "no RSDP (ACPI disabled)");
	else
		check(bi->acpi_rsdp &&
		          mem_eq(DM(bi, bi->acpi_rsdp), "RSD PTR ", 8),
		      "direct map reads the RSDP signature");
	check(cmd[bi->cmdline_len] == 0, "cmdline NUL-terminated");
	say("# cmdline: '%s'\n# firmware: '%s' rev %x, system table %x\n", cmd,
	    bi->fw_vendor, (uint64_t)bi->fw_revision, bi->efi_system_table);
	check(bi->fw_vendor[0] != 0 && bi->efi_system_table != 0,
	      "firmware vendor and system table");
	if (cmdline_has(bi, "expect_dtb"))
		check(bi->dtb != 0 && bi->dtb_size >= 40,
		      "device tree present");
	if (bi->dtb)
		check(mem_eq(DM(bi, bi->dtb), "\xd0\x0d\xfe\xed", 4),
		      "device tree copy has the FDT magic");
	say("# framebuffer: %ux%u pitch %u bpp %u format %u at %x\n",
	    (uint64_t)bi->fb.width, (uint64_t)bi->fb.height,
	    (uint64_t)bi->fb.pitch, (uint64_t)bi->fb.bpp,
	    (uint64_t)bi->fb.format, bi->fb.base);
	if (bi->fb.base) {
		volatile uint32_t *px = DM(bi, bi->fb.base);
		for (uint32_t y = 0; y < 64 && y < bi->fb.height; y++)
			for (uint32_t x = 0; x < 64 && x < bi->fb.width; x++)
				px[y * (bi->fb.pitch / 4) + x] = 0x00ff8000;
		// An unaligned access: faults if the framebuffer were mapped
		// as Device memory on AArch64 (it must be Normal NC or WB).
		struct __attribute__((packed)) un {
			uint8_t pad;
			uint64_t v;
		};
		volatile struct un *u = DM(bi, bi->fb.base + bi->fb.pitch);
		u->v = 0x00ff800000ff8000ull;
		check(u->v == 0x00ff800000ff8000ull,
		      "framebuffer: unaligned access through the direct map");
	}
	if (expect_fb)
		check(bi->fb.base && bi->fb.width && bi->fb.height &&
		          bi->fb.pitch >= bi->fb.width * 4,
		      "framebuffer present");
}

static void check_time(const struct boot_info *bi)
{
	uint64_t now = ticks(), hz = bi->ticks_hz;

	check(hz > 1000000 && bi->handover_ticks >= bi->loader_start_ticks &&
	          now >= bi->handover_ticks,
	      "ticks: frequency, start <= handover <= now");
	if (hz)
		say("# ticks %u Hz; loader start -> handover %u ms\n", hz,
		    (bi->handover_ticks - bi->loader_start_ticks) * 1000 / hz);
}

static void check_cpu(const struct boot_info *bi)
{
#if defined(__x86_64__)
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	check(!(flags & 0x200), "interrupts masked (RFLAGS.IF = 0)");
	check(read_cr(3) == bi->page_table_root &&
	          bi->page_table_root == bi->page_table_root_low,
	      "CR3 = page_table_root");
	check(read_cr(0) & (1u << 16), "CR0.WP set");
	say("# flags %x (NX %s)\n", (uint64_t)bi->flags,
	    bi->flags & CAIRN_BOOT_NX ? "on" : "off");
#elif defined(__aarch64__)
	check(((SYSREG(CurrentEL) >> 2) & 3) == 1, "running at EL1");
	check((SYSREG(daif) & 0x3c0) == 0x3c0, "DAIF masked");
	check(SYSREG(ttbr1_el1) == bi->page_table_root &&
	          SYSREG(ttbr0_el1) == bi->page_table_root_low,
	      "TTBR1/TTBR0 = page_table_root/_low");
	check(SYSREG(mair_el1) == 0x0444ff00, "MAIR_EL1");
	check((SYSREG(sctlr_el1) & 0x1005) == 0x1005, "SCTLR_EL1 M, C, I");
	say("# flags %x (firmware at EL%s)\n", (uint64_t)bi->flags,
	    bi->flags & CAIRN_BOOT_FW_AT_EL2 ? "2" : "1");
#endif
}

void handover_main(struct boot_info *bi, uint64_t sp)
{
	saved_sp = sp;
	dm_base = (uint64_t)bi & ~((1ull << 40) - 1); // 0xffff800000000000
	puts_("\nhandover-check: kernel entered\nKTAP version 1\n");
	bool ok = check(bi->magic == CAIRN_BOOTINFO_MAGIC &&
	                    bi->version == CAIRN_BOOTINFO_VERSION &&
	                    bi->size >= sizeof(*bi),
	                "boot_info magic, version, size");
	if (!ok || bi->direct_map_base != 0xffff800000000000ull) {
		check(false, "boot_info usable");
		machine_exit(1);
	}
	dm_base = bi->direct_map_base;
#if defined(__x86_64__)
	check(bi->arch == CAIRN_ARCH_X86_64, "arch is x86_64");
#else
	check(bi->arch == CAIRN_ARCH_AARCH64, "arch is aarch64");
#endif
	check(bi->direct_map_size >= (4ull << 30) &&
	          (bi->direct_map_size & ((1ull << 30) - 1)) == 0,
	      "direct map >= 4 GiB, 1 GiB multiple");
	check(sp == bi->direct_map_base + bi->handover_stack +
	                  bi->handover_stack_size &&
	          (sp & 15) == 0 && bi->handover_stack_size == 0x10000,
	      "stack: top of the 64 KiB handover stack, 16-byte aligned");
	// The identity map must still be there at entry.
	check(
	    ((volatile struct boot_info *)((uint64_t)bi - bi->direct_map_base))
		    ->magic == CAIRN_BOOTINFO_MAGIC,
	    "identity map present");
	check_cpu(bi);
	check_mmap(bi);
	check_image(bi);
	check_firmware(bi, cmdline_has(bi, "expect_fb"));
	check_highmem(bi, cmdline_has(bi, "expect_highmem"));
	if (cmdline_has(bi, "expect_el2"))
		check(bi->flags & CAIRN_BOOT_FW_AT_EL2, "firmware ran at EL2");
	check_time(bi);
	say("1..%u\n", (uint64_t)n_tests);
	say("handover-check: %s (%u passed, %u failed)\n",
	    n_failed ? "FAIL" : "PASS", (uint64_t)(n_tests - n_failed),
	    (uint64_t)n_failed);
	machine_exit(n_failed ? 1 : 0);
}
