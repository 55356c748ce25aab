// SPDX-License-Identifier: MIT
// Shared harness for the ACPI fuzz targets (tests/fuzz/acpi_<table>.c).
// The input becomes one table: the signature is forced to the target's and
// the length and checksum are made consistent (so the fuzzer explores the
// decoder, not the checksum), then it is copied into an exactly-sized heap
// buffer, registered and decoded, and every entry is walked. Inputs whose
// first byte is odd keep their own length field and checksum, so the
// header checks are fuzzed too.
#pragma once

#include <stdlib.h>
#include <string.h>
#include <acpi/decode.h>

static inline void acpi_fuzz_run(const char sig[4], const uint8_t *data,
                                 size_t size,
                                 void (*walk)(const struct acpi_sdt_header *t))
{
	const struct acpi_sdt_header *t;
	uint8_t *buf, sum = 0;
	bool raw = size && (data[0] & 1);

	if (size > 1u << 20)
		return;
	buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	if (!raw && size >= ACPI_SDT_HEADER_LEN) {
		memcpy(buf, sig, 4);
		buf[4] = (uint8_t)size;
		buf[5] = (uint8_t)(size >> 8);
		buf[6] = (uint8_t)(size >> 16);
		buf[7] = 0;
		buf[9] = 0;
		for (size_t i = 0; i < size; i++)
			sum = (uint8_t)(sum + buf[i]);
		buf[9] = (uint8_t)-sum;
	}
	acpi_set_quiet(true);
	acpi_reset();
	if (acpi_table_register(buf, size) == E_OK &&
	    acpi_table_find(sig, 0, &t) == E_OK &&
	    acpi_table_decode(t) == E_OK && walk)
		walk(t);
	acpi_reset();
	free(buf);
}

#define ACPI_FUZZ_TARGET(sig, walk)                                            \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
	{                                                                      \
		acpi_fuzz_run(sig, data, size, walk);                          \
		return 0;                                                      \
	}
