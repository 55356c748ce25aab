// SPDX-License-Identifier: MIT
// One entry point over all decoders: validate any table by signature. Used
// by the host tool, the corpus tests and the fuzzers, and by the kernel to
// check every table once at boot.
#pragma once

#include <acpi/acpi.h>

// Runs the decoder for t's signature (FACP, APIC, SRAT, SLIT, PPTT, HMAT,
// MCFG, HPET, GTDT, SPCR, DBG2, IORT), which validates the whole table,
// including walking every entry. Tables without a decoder get the generic
// checks only (header length and checksum; the FACS its length) and
// E_NOTSUP if those pass. Returns the decoder's error otherwise.
err_t acpi_table_decode(const struct acpi_sdt_header *t) __must_check;

// True if acpi/ has a decoder for this signature.
bool acpi_table_has_decoder(const char sig[4]);
