// SPDX-License-Identifier: MIT
// hal/io.h in host tests and tools: no I/O ports, every access is E_NOTSUP.
#pragma once

static inline err_t hal_io_read(uint32_t port, unsigned width, uint32_t *val)
{
	*val = 0xffffffffu;
	return E_NOTSUP;
}

static inline err_t hal_io_write(uint32_t port, unsigned width, uint32_t val)
{
	return E_NOTSUP;
}
