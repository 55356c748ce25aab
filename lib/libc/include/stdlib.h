// SPDX-License-Identifier: MIT
// The kernel's stdlib.h: only what libfdt's headers need.
#pragma once

#include <stddef.h>

unsigned long strtoul(const char *s, char **end, int base);
