// SPDX-License-Identifier: MIT
// Set-up shared by the neutral AML tests (tests/unit/aml_*.c): an
// interpreter context whose memory comes from one static arena, and a DSDT
// header around hand-assembled AML. Tests run one at a time, so one arena
// serves them all.
#pragma once

#include <acpi/aml/aml.h>

// A new context with the tests' small limits; the arena is emptied first,
// so a context lives until the next call. timeout_ms 0: the default loop
// budget. io_read/io_write may be NULL (no I/O port access). NULL when
// aml_create() fails.
struct aml_ctx *
aml_test_new(uint64_t timeout_ms,
             err_t (*io_read)(void *c, uint32_t port, unsigned w, uint64_t *v),
             err_t (*io_write)(void *c, uint32_t port, unsigned w, uint64_t v));

// n bytes from the arena (aligned to 16), NULL when it is full.
void *aml_test_alloc(size_t n);

// Writes a DSDT (revision 2) around body into t; returns its length.
size_t aml_test_table(uint8_t *t, const uint8_t *body, size_t n);

// A simulated Embedded Controller: command/status at port 0x66, data at
// 0x62. RD_EC (0x80) and WR_EC (0x81) reach 256 bytes of EC memory; QR_EC
// (0x84) answers from a queue of query numbers (0 when empty), and the
// status has SCI_EVT (0x20) while the queue is not empty. With dead set
// the status reads IBF forever. Tests set it up directly (memset first).
struct aml_test_ec {
	uint8_t mem[256];
	uint8_t queue[8], nq;
	uint8_t state; // 0 idle, 1 want read addr, 2 want write addr, 3 data
	uint8_t addr, out;
	bool obf, dead;
};
extern struct aml_test_ec aml_test_ec;

// Port access to it: true if port is one of its ports (a read sets *v).
bool aml_test_ec_read(uint32_t port, uint64_t *v);
bool aml_test_ec_write(uint32_t port, uint64_t v);
