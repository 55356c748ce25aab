// SPDX-License-Identifier: MIT
// HAL: port I/O (the x86 I/O address space), for ACPI's SystemIO regions,
// the FADT's PM1 registers and the 0xCF8/0xCFC PCI configuration
// mechanism.
//
// hal_io_read / hal_io_write access `width` bytes (1, 2 or 4) at `port`
// (0-0xFFFF). They return E_NOTSUP on architectures without ports
// (AArch64, host tests) and E_INVAL for a bad width or port; *val is
// all ones on any error. Callable from any context, interrupts on or off;
// no locks taken (callers serialise multi-step sequences such as
// 0xCF8/0xCFC themselves).
#pragma once

#include <lib/err.h>
#include <lib/types.h>

static inline err_t hal_io_read(uint32_t port, unsigned width, uint32_t *val);
static inline err_t hal_io_write(uint32_t port, unsigned width, uint32_t val);

#include <arch/io.h>
