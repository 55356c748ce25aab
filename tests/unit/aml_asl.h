// SPDX-License-Identifier: MIT
// The ASL test programs (tests/aml/*.asl) as neutral tests: tools/asl2c.py
// compiles them at build time into build/gen/aml_asl.c, one KTEST(aml_asl,
// NAME) each, and aml_asl_run() (tests/unit/aml_asl.c) runs one the way
// tools/aml-tests.py does with amlrun: load, initialise, evaluate \MAIN,
// compare the value and the number of reported firmware errors.
#pragma once

#include <tests/ktest.h>

struct aml_asl_blob {
	uint64_t addr; // mem: where it sits in simulated memory
	const uint8_t *data;
	uint32_t len;
};

struct aml_asl_case {
	const char *name;
	const uint8_t *aml;
	uint32_t len;
	bool is_str;
	uint64_t i;
	const char *s;
	unsigned errors;
	uint64_t max_steps; // the step budget (`// steps:`); 0: the default
	const struct aml_asl_blob *mem, *tables;
	unsigned nmem, ntables;
};

void aml_asl_run(struct ktest *t, const struct aml_asl_case *c);

// Set by the kernel before its tests run (kernel/main.c:
// acpi_aml_sync_hooks, AML Mutex / Event on its sleeping primitives);
// NULL in host programs, which keep the interpreter's stand-in.
struct aml_host;
extern void (*aml_asl_host_setup)(struct aml_host *h);

// Tables kernel tests load themselves (tools/asl2c.py KERNEL_BLOBS).
extern const uint8_t aml_blob_sync_contend[];
extern const uint32_t aml_blob_sync_contend_len;
