// SPDX-License-Identifier: MIT
// Helpers shared by the host programs (tests, tools, benchmarks, fuzzers),
// linked into all of them with the host HAL stand-ins.
#pragma once

#include <stddef.h>
#include <stdint.h>

struct aml_host;

// The whole file, NUL-terminated (not counted in *len), from malloc; NULL
// if it cannot be opened or read.
char *host_read_file(const char *path, size_t *len);

// A quiet AML host with nothing behind it: malloc/free (refusing requests
// over 64 MiB), no log, and time that Sleep and Stall advance instead of
// waiting (the monotonic clock plus the time slept). No memory, I/O or PCI
// handlers: the interpreter treats those spaces as absent.
const struct aml_host *host_aml_quiet(void);
