// SPDX-License-Identifier: MIT
// Kernel ELF validation and loading. elf_validate() trusts nothing in the
// file: every offset and size is bounds- and overflow-checked before use,
// and headers are copied out with memcpy (the file buffer has no alignment
// guarantee). It makes no EFI calls, so it can run in a host fuzzer.
#include <boot/loader.h>

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define SHT_SYMTAB 2
#define SHT_STRTAB 3
#define SHN_LORESERVE 0xff00
#define ELF_MAX_SPAN (1ull << 30) // 1 GiB of kernel image at most
#define ELF_MAX_PHNUM 64

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf64_shdr {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ehdr");
_Static_assert(sizeof(struct elf64_phdr) == 56, "phdr");
_Static_assert(sizeof(struct elf64_shdr) == 64, "shdr");

struct why {
	char *buf;
	size_t size;
};

static bool fail(struct why *w, const char *fmt, ...) PRINTF_LIKE(2, 3);
static bool fail(struct why *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(w->buf, w->size, fmt, ap);
	va_end(ap);
	return false;
}

// [off, off+len) lies inside a file of `size` bytes, without overflow.
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const char *machine_name(uint16_t m)
{
	switch (m) {
	case 3: return "i386";
	case 40: return "ARM";
	case 62: return "x86_64";
	case 183: return "AArch64";
	case 243: return "RISC-V";
	default: return "unknown";
	}
}

static bool check_ehdr(const struct elf64_ehdr *eh, uint64_t size,
                       uint16_t machine, struct why *w)
{
	if (memcmp(eh->e_ident, "\177ELF", 4) != 0)
		return fail(w, "not an ELF file (bad magic)");
	if (eh->e_ident[4] != ELFCLASS64)
		return fail(w, "not a 64-bit ELF (EI_CLASS is %u)",
		            eh->e_ident[4]);
	if (eh->e_ident[5] != ELFDATA2LSB)
		return fail(w, "not little endian (EI_DATA is %u)",
		            eh->e_ident[5]);
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(w, "unknown ELF version %u", eh->e_version);
	if (eh->e_machine != machine)
		return fail(w, "e_machine is %u (%s), this loader is %s",
		            eh->e_machine, machine_name(eh->e_machine),
		            machine_name(machine));
	if (eh->e_type != ET_EXEC)
		return fail(w, "e_type is %u, not ET_EXEC (2)", eh->e_type);
	if (eh->e_ehsize < sizeof(*eh))
		return fail(w, "e_ehsize %u is too small", eh->e_ehsize);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return fail(w, "e_phentsize is %u, expected 56",
		            eh->e_phentsize);
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return fail(w, "e_phnum is %u (1..%u supported)", eh->e_phnum,
		            ELF_MAX_PHNUM);
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * eh->e_phentsize,
	             size))
		return fail(w,
		            "program headers at 0x%llx (%u x 56 bytes) run "
		            "past the end of the file (0x%llx bytes): "
		            "truncated or corrupt",
		            eh->e_phoff, eh->e_phnum, size);
	return true;
}

static bool is_pow2(uint64_t x)
{
	return x && (x & (x - 1)) == 0;
}

static bool check_load(const struct elf64_phdr *ph, unsigned i, uint64_t size,
                       struct why *w)
{
	if (!in_file(ph->p_offset, ph->p_filesz, size))
		return fail(w,
		            "segment %u (offset 0x%llx, 0x%llx bytes) runs "
		            "past the end of the file (0x%llx bytes): "
		            "truncated or corrupt",
		            i, ph->p_offset, ph->p_filesz, size);
	if (ph->p_filesz > ph->p_memsz)
		return fail(w, "segment %u: p_filesz 0x%llx > p_memsz 0x%llx",
		            i, ph->p_filesz, ph->p_memsz);
	if (ph->p_vaddr < HIGH_HALF_START)
		return fail(w,
		            "segment %u: vaddr 0x%llx is not in the upper half",
		            i, ph->p_vaddr);
	if (ph->p_memsz > ELF_MAX_SPAN ||
	    ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
	    ALIGN_UP64(ph->p_vaddr + ph->p_memsz, PAGE_SIZE) == 0)
		return fail(w,
		            "segment %u: vaddr 0x%llx + memsz 0x%llx "
		            "overflows",
		            i, ph->p_vaddr, ph->p_memsz);
	if (ph->p_align > 1 &&
	    (!is_pow2(ph->p_align) || ph->p_align > LARGE_PAGE_SIZE ||
	     ph->p_vaddr % ph->p_align != ph->p_offset % ph->p_align))
		return fail(w, "segment %u: bad p_align 0x%llx", i,
		            ph->p_align);
	if (ph->p_align < PAGE_SIZE)
		return fail(w,
		            "segment %u: p_align 0x%llx is below the page size",
		            i, ph->p_align);
	if ((ph->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
		return fail(w,
		            "segment %u (vaddr 0x%llx) is writable and "
		            "executable (W^X)",
		            i, ph->p_vaddr);
	return true;
}

// Inserts a load into img->loads keeping it sorted by vaddr.
static void add_load(struct elf_image *img, const struct elf64_phdr *ph)
{
	unsigned i = img->nloads++;

	while (i > 0 && img->loads[i - 1].vaddr > ph->p_vaddr) {
		img->loads[i] = img->loads[i - 1];
		i--;
	}
	img->loads[i] = (struct elf_load){
	    ph->p_vaddr, ph->p_memsz, ph->p_offset, ph->p_filesz, ph->p_flags};
}

static bool collect_loads(const uint8_t *file, uint64_t size,
                          const struct elf64_ehdr *eh, struct elf_image *img,
                          struct why *w)
{
	struct elf64_phdr ph;

	for (unsigned i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, file + eh->e_phoff + (uint64_t)i * sizeof(ph),
		       sizeof(ph));
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return fail(w,
			            "segment %u: PT_INTERP/PT_DYNAMIC: not "
			            "a static kernel",
			            i);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (!check_load(&ph, i, size, w))
			return false;
		if (img->nloads == ELF_MAX_LOADS)
			return fail(w, "more than %u PT_LOAD segments",
			            ELF_MAX_LOADS);
		add_load(img, &ph);
	}
	if (img->nloads == 0)
		return fail(w, "no PT_LOAD segments");
	return true;
}

// Segments must not share a 4 KiB page: each page gets one protection.
static bool check_layout(struct elf_image *img, uint64_t entry, struct why *w)
{
	const struct elf_load *l = img->loads;
	bool entry_ok = false;

	for (unsigned i = 0; i < img->nloads; i++) {
		uint64_t end = ALIGN_UP64(l[i].vaddr + l[i].memsz, PAGE_SIZE);
		if (i + 1 < img->nloads &&
		    end > ALIGN_DOWN64(l[i + 1].vaddr, PAGE_SIZE))
			return fail(w,
			            "segments at 0x%llx and 0x%llx overlap "
			            "(at 4 KiB page granularity)",
			            l[i].vaddr, l[i + 1].vaddr);
		if ((l[i].flags & PF_X) && entry >= l[i].vaddr &&
		    entry - l[i].vaddr < l[i].filesz)
			entry_ok = true;
	}
	img->virt_base = ALIGN_DOWN64(l[0].vaddr, PAGE_SIZE);
	img->virt_end = ALIGN_UP64(
	    l[img->nloads - 1].vaddr + l[img->nloads - 1].memsz, PAGE_SIZE);
	if (img->virt_end - img->virt_base > ELF_MAX_SPAN)
		return fail(w, "image spans 0x%llx bytes (more than 1 GiB)",
		            img->virt_end - img->virt_base);
	if (!entry_ok)
		return fail(w,
		            "entry point 0x%llx is not inside an executable "
		            "PT_LOAD segment",
		            entry);
	img->entry = entry;
	return true;
}

// A section's contents lie inside the file.
static bool check_section(const struct elf64_shdr *sh, unsigned idx,
                          uint64_t size, struct why *w)
{
	if (!in_file(sh->sh_offset, sh->sh_size, size))
		return fail(w,
		            "section %u (offset 0x%llx, 0x%llx bytes) runs "
		            "past the end of the file (0x%llx bytes): "
		            "truncated or corrupt",
		            idx, sh->sh_offset, sh->sh_size, size);
	return true;
}

static void read_shdr(const uint8_t *file, const struct elf64_ehdr *eh,
                      unsigned i, struct elf64_shdr *sh)
{
	memcpy(sh, file + eh->e_shoff + (uint64_t)i * sizeof(*sh), sizeof(*sh));
}

// .symtab and its string table, if the file has section headers.
static bool find_symbols(const uint8_t *file, uint64_t size,
                         const struct elf64_ehdr *eh, struct elf_image *img,
                         struct why *w)
{
	struct elf64_shdr sh, str;

	if (eh->e_shoff == 0 || eh->e_shnum == 0)
		return true;
	if (eh->e_shentsize != sizeof(sh))
		return fail(w, "e_shentsize is %u, expected 64",
		            eh->e_shentsize);
	if (eh->e_shnum >= SHN_LORESERVE ||
	    !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(sh), size))
		return fail(w,
		            "section headers at 0x%llx (%u x 64 bytes) run "
		            "past the end of the file (0x%llx bytes): "
		            "truncated or corrupt",
		            eh->e_shoff, eh->e_shnum, size);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		read_shdr(file, eh, i, &sh);
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (!check_section(&sh, i, size, w))
			return false;
		if (sh.sh_entsize != 24 || sh.sh_size % 24 != 0)
			return fail(w, "section %u: bad .symtab entry size", i);
		if (sh.sh_link == 0 || sh.sh_link >= eh->e_shnum)
			return fail(w, "section %u: bad .symtab sh_link %u", i,
			            sh.sh_link);
		read_shdr(file, eh, sh.sh_link, &str);
		if (str.sh_type != SHT_STRTAB || str.sh_size == 0)
			return fail(w, "section %u: not a string table",
			            sh.sh_link);
		if (!check_section(&str, sh.sh_link, size, w))
			return false;
		img->symtab_off = sh.sh_offset;
		img->symtab_size = sh.sh_size;
		img->strtab_off = str.sh_offset;
		img->strtab_size = str.sh_size;
		break;
	}
	return true;
}

bool elf_validate(const uint8_t *file, uint64_t size, uint16_t machine,
                  struct elf_image *img, char *why, size_t why_size)
{
	struct why w = {why, why_size};
	struct elf64_ehdr eh;

	memset(img, 0, sizeof(*img));
	if (size < sizeof(eh)) {
		if (size >= 4 && memcmp(file, "\177ELF", 4) != 0)
			return fail(&w, "not an ELF file (bad magic)");
		return fail(&w, "truncated: %llu bytes, an ELF header needs 64",
		            size);
	}
	memcpy(&eh, file, sizeof(eh));
	return check_ehdr(&eh, size, machine, &w) &&
	       collect_loads(file, size, &eh, img, &w) &&
	       check_layout(img, eh.e_entry, &w) &&
	       find_symbols(file, size, &eh, img, &w);
}

void elf_load(const uint8_t *file, const struct elf_image *img, uint8_t *dst)
{
	memset(dst, 0, img->virt_end - img->virt_base);
	for (unsigned i = 0; i < img->nloads; i++) {
		const struct elf_load *l = &img->loads[i];
		memcpy(dst + (l->vaddr - img->virt_base), file + l->offset,
		       l->filesz);
	}
}
