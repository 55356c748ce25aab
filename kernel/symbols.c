// SPDX-License-Identifier: MIT
// Function-name lookup over the kernel's ELF symbol table. The table is
// scanned linearly: lookups happen only on panics and backtraces, never on a
// hot path, and the scan needs no memory of its own.
#include <string.h>
#include <lib/err.h>
#include <lib/printk.h>
#include <kernel/symbols.h>

struct elf64_sym {
	uint32_t st_name;
	uint8_t st_info;
	uint8_t st_other;
	uint16_t st_shndx;
	uint64_t st_value;
	uint64_t st_size;
};

#define STT_FUNC 2

static const struct elf64_sym *syms;
static size_t nsyms;
static const char *strs;
static size_t strs_size;

err_t symbols_init(const void *symtab, size_t symtab_size, const char *strtab,
                   size_t strtab_size)
{
	syms = NULL;
	nsyms = 0;
	if (!symtab || !strtab || symtab_size % sizeof(struct elf64_sym) ||
	    strtab_size == 0 || strtab[strtab_size - 1] != '\0') {
		pr_warn("symbols: no usable symbol table; backtraces show "
		        "addresses only\n");
		return E_CORRUPT;
	}
	syms = symtab;
	nsyms = symtab_size / sizeof(struct elf64_sym);
	strs = strtab;
	strs_size = strtab_size;
	return 0;
}

const char *symbols_lookup(uintptr_t addr, uintptr_t *offset)
{
	const struct elf64_sym *best = NULL;

	for (size_t i = 0; i < nsyms; i++) {
		const struct elf64_sym *s = &syms[i];

		if ((s->st_info & 0xf) != STT_FUNC || s->st_value > addr ||
		    s->st_name >= strs_size)
			continue;
		if (s->st_size && addr >= s->st_value + s->st_size)
			continue;
		if (!best || s->st_value > best->st_value)
			best = s;
	}
	if (!best)
		return NULL;
	*offset = addr - best->st_value;
	return strs + best->st_name;
}
