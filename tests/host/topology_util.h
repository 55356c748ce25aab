// SPDX-License-Identifier: MIT
// Host helpers for the topology tests: load a machine's inputs (a `topo=dump`
// text with tables in hex and CPUID lines, a directory of table files, a
// DTB), build the model, and capture the printers' output in memory.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <hal/cacheid.h>
#include <topology/topology.h>

struct topo_input {
	uint8_t *tables[32];
	size_t lens[32];
	unsigned ntables;
	struct host_cpuid_leaf *leaves;
	unsigned nleaves;
	uint8_t *dtb;
	size_t dtb_size;
	uint64_t usable_mem;        // the dump's "memory" line, 0 if none
	struct hal_cacheid cacheid; // the dump's "cacheid" lines
	bool have_cacheid;
	// Its "cacheid cpu HWID" lines: CPUs whose own registers differ.
	uint64_t cpu_hwid[16];
	struct hal_cacheid cpu_cacheid[16];
	unsigned ncpu_cacheid;
};

// Parses dump text into in (tables as exactly-sized heap buffers).
void topo_test_parse_dump(const char *text, struct topo_input *in);
// Registers in's tables with acpi/ (after acpi_reset), loads its CPUID
// leaves into the host stub and runs topology_build(in->dtb).
err_t topo_test_build(const struct topo_input *in);
void topo_test_free(struct topo_input *in);

// Whole file into a NUL-terminated heap buffer; NULL if unreadable.
char *topo_test_read(const char *path, size_t *len);

// Printer output captured in a heap string (free() it).
char *topo_test_tree(void);
char *topo_test_xml(void);

// build/topology-fixtures (from tests/topology/matrix.py), NULL if absent.
const char *topo_test_fixtures_dir(void);

// A fresh ACPI registry holding only an x86 MADT with n enabled LAPICs
// (APIC IDs and UIDs 0..n-1), and CPUID answering from the nl leaves at l
// (none: NULL, 0). For the CPUID-driven topology tests.
struct host_cpuid_leaf;
int topo_test_setup_lapics(unsigned n, const struct host_cpuid_leaf *l,
                           size_t nl);
