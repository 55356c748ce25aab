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
