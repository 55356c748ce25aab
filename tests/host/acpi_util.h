// SPDX-License-Identifier: MIT
// Host-side helpers for the ACPI tests: locating the corpus and QEMU
// fixtures, loading table files into exactly-sized heap buffers (so ASan
// catches any read past a table), collecting reports, and a fake physical
// memory behind acpi_host_map().
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <acpi/acpi.h>

struct acpi_file {
	char path[600];
	char name[64]; // file name within its directory
	uint8_t *buf;
	size_t len;
};

// Directory of the real-machine corpus ($CAIRN_SHARED/acpi-corpus, default
// ../shared/acpi-corpus) and of QEMU's reference tables
// (build/deps/qemu-acpi, from tools/fetch-qemu-acpi.sh); NULL if absent.
const char *acpi_test_corpus_dir(void);
const char *acpi_test_qemu_dir(void);

// Loads every table file in dir (sorted; SOURCE/README skipped) into
// files[0..max); returns the count, or -1 if dir cannot be read.
int acpi_test_load_dir(const char *dir, struct acpi_file *files, int max);
int acpi_test_load_file(const char *path, struct acpi_file *f);
void acpi_test_free(struct acpi_file *files, int n);
// Compiles tests/fixtures/acpi/<name>.asl with iasl (into a temporary
// directory) and loads the result; -1 if iasl fails.
int acpi_test_fixture_load(const char *name, struct acpi_file *f);
bool acpi_test_have_iasl(void);

// Lists of subdirectories (sorted); returns the count.
int acpi_test_list_dirs(const char *dir, char names[][128], int max);

// Report collection: after acpi_test_collect_start(), every acpi_report /
// acpi_warn text is kept (up to 64) until acpi_test_collect_stop().
void acpi_test_collect_start(void);
void acpi_test_collect_stop(void);
unsigned acpi_test_nreports(void);
const char *acpi_test_report(unsigned i); // "warning: " marks warnings

// Fake physical memory: acpi_host_map(pa, len) succeeds only inside a
// region added here. acpi_test_phys_reset() forgets all regions.
void acpi_test_phys_add(paddr_t pa, void *buf, size_t len);
void acpi_test_phys_reset(void);

// Sets the length field of the table in buf (avail bytes) to len and fixes
// the checksum over the bytes present.
void acpi_test_fix(uint8_t *buf, uint32_t len, size_t avail);
