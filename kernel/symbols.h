// SPDX-License-Identifier: MIT
// Kernel symbol lookup for backtraces, from the ELF .symtab/.strtab the loader
// copied out of the kernel file. Read-only after symbols_init().
#pragma once

#include <lib/types.h>

// Takes the symbol and string tables (ELF64 layout). Bad tables (sizes not a
// multiple of the entry size, names outside strtab) are rejected: lookups
// then return NULL.
err_t symbols_init(const void *symtab, size_t symtab_size, const char *strtab,
                   size_t strtab_size);

// Name of the function containing addr, offset of addr into it; NULL when
// unknown.
const char *symbols_lookup(uintptr_t addr, uintptr_t *offset);
