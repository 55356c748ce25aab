// SPDX-License-Identifier: MIT
// DBG2 (Debug Port Table 2) decoder: debug devices (serial ports, 1394,
// USB, network) with their register blocks and namespace paths.
#pragma once

#include <acpi/acpi.h>

#define ACPI_DBG2_SERIAL 0x8000
#define ACPI_DBG2_1394 0x8001
#define ACPI_DBG2_USB 0x8002
#define ACPI_DBG2_NET 0x8003

struct acpi_dbg2_device {
	uint32_t offset; // of the device information structure
	uint16_t length;
	uint8_t revision;
	uint16_t port_type;         // ACPI_DBG2_*
	uint16_t port_subtype;      // serial: enum acpi_spcr_uart values
	uint8_t ngas;               // register blocks
	const char *namespace_path; // inside the table, NUL-terminated
	uint16_t namespace_len;     // without the NUL
	uint16_t oem_len;
	const uint8_t *oem_data;    // NULL if oem_len == 0
	uint32_t gas_off, size_off; // table offsets of the two arrays
};

struct acpi_dbg2 {
	const struct acpi_sdt_header *t;
	uint32_t ndevices;
	uint32_t first_off; // first device info structure
	uint32_t end_off;   // after the last one
};

err_t acpi_dbg2_parse(const struct acpi_sdt_header *t, struct acpi_dbg2 *d)
    __must_check;
bool acpi_dbg2_next(const struct acpi_dbg2 *d, uint32_t *pos,
                    struct acpi_dbg2_device *dev);
// Register block i (< dev->ngas) and its size in bytes.
void acpi_dbg2_reg(const struct acpi_dbg2 *d,
                   const struct acpi_dbg2_device *dev, unsigned i,
                   struct acpi_gas *gas, uint32_t *size);
const char *acpi_dbg2_port_name(uint16_t type);
