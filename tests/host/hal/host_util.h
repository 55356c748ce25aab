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

// One table of a `topo=dump` text (topology/dump.c): a "table SIG LEN"
// line, then LEN bytes as pairs of hex digits over the following lines
// (line breaks and spaces between pairs are skipped). Tables over 16 MiB
// are not read.
struct host_hex_table {
	char sig[5];
	unsigned len; // what the header line says (0 if p held no header)
	size_t got;   // bytes of hex found, at most len
	uint8_t *buf; // len bytes from malloc if all were found, else NULL
};

// Parses the table whose header line starts at p, reading no further than
// end. Returns where reading stopped, inside the text (or NULL at its
// end); the caller goes on from the next line.
const char *host_hex_table_parse(const char *p, const char *end,
                                 struct host_hex_table *t);

// A quiet AML host with nothing behind it: malloc/free (refusing requests
// over 64 MiB), no log, and time that Sleep and Stall advance instead of
// waiting (the monotonic clock plus the time slept). No memory, I/O or PCI
// handlers: the interpreter treats those spaces as absent.
const struct aml_host *host_aml_quiet(void);

struct aml_ctx;
// Loads a corpus machine's AML into ctx: DIR/dsdt.dat, then DIR/ssdt1.dat
// to ssdt63.dat where present. The buffers go into tables[0..max) for the
// caller to free once ctx is destroyed; returns how many. *refused counts
// the tables aml_load_table refused.
unsigned host_aml_load_machine(struct aml_ctx *ctx, const char *dir,
                               uint8_t **tables, unsigned max,
                               unsigned *refused);
