// SPDX-License-Identifier: MIT
// x86 port I/O (arch-internal).
#pragma once

#include <kernel/err.h>
#include <kernel/types.h>

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint16_t x86_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

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
