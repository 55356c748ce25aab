// SPDX-License-Identifier: MIT
// The formatter shared by the kernel, the host tools and the UEFI loader
// (lib/format.c). It knows: %d %i %u %x %X %o %c %s %p %% with the
// l / ll / z / h / hh length modifiers, width, '-', '0', '#', and precision
// (%.*s, %.3d). No floating point. Pure: no locks, no allocation, callable
// from any context.
#pragma once

#include <stdarg.h>
#include <lib/types.h>

// snprintf-alikes: always NUL-terminate when n > 0; return the length the
// full output would have had.
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __printf_like(3, 4);
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
