// SPDX-License-Identifier: MIT
// x86 port I/O (arch-internal).
#pragma once

#include <lib/err.h>
#include <lib/types.h>
#include "../x86_insn.h"

// hal/io.h for x86_64: in/out instructions.
static inline err_t hal_io_read(uint32_t port, unsigned width, uint32_t *val)
{
	*val = 0xffffffffu;
	if (port > 0xffff || port + width > 0x10000)
		return E_INVAL;
	switch (width) {
	case 1: *val = x86_inb((uint16_t)port); return 0;
	case 2: *val = x86_inw((uint16_t)port); return 0;
	case 4: *val = x86_inl((uint16_t)port); return 0;
	default: return E_INVAL;
	}
}

static inline err_t hal_io_write(uint32_t port, unsigned width, uint32_t val)
{
	if (port > 0xffff || port + width > 0x10000)
		return E_INVAL;
	switch (width) {
	case 1: x86_outb((uint16_t)port, (uint8_t)val); return 0;
	case 2: x86_outw((uint16_t)port, (uint16_t)val); return 0;
	case 4: x86_outl((uint16_t)port, val); return 0;
	default: return E_INVAL;
	}
}
