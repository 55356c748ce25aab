// SPDX-License-Identifier: MIT
// MADT ("APIC", Multiple APIC Description Table) decoder: the interrupt
// controllers and CPUs of x86 (local APIC / x2APIC, I/O APIC, overrides,
// NMIs) and Arm (GICC, GICD, GICR, ITS, MSI frames).
//
//   struct acpi_madt m;
//   struct acpi_madt_entry e;
//   if (acpi_madt_parse(t, &m) == E_OK)
//       for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);)
//           if (e.type == ACPI_MADT_LAPIC && e.lapic.enabled) ...
//
// acpi_madt_parse() validates every entry once (lengths, bounds, minimum
// size of known types), so iteration afterwards cannot fail. Unknown entry
// types are returned with only type/length/offset filled in.
#pragma once

#include <acpi/acpi.h>

enum acpi_madt_type {
	ACPI_MADT_LAPIC = 0x00,
	ACPI_MADT_IOAPIC = 0x01,
	ACPI_MADT_ISO = 0x02, // interrupt source override
	ACPI_MADT_NMI_SOURCE = 0x03,
	ACPI_MADT_LAPIC_NMI = 0x04,
	ACPI_MADT_LAPIC_ADDR = 0x05, // local APIC address override
	ACPI_MADT_IOSAPIC = 0x06,    // Itanium: not decoded
	ACPI_MADT_LSAPIC = 0x07,     // Itanium: not decoded
	ACPI_MADT_PLAT_INT = 0x08,   // Itanium: not decoded
	ACPI_MADT_X2APIC = 0x09,
	ACPI_MADT_X2APIC_NMI = 0x0a,
	ACPI_MADT_GICC = 0x0b,
	ACPI_MADT_GICD = 0x0c,
	ACPI_MADT_GIC_MSI = 0x0d,
	ACPI_MADT_GICR = 0x0e,
	ACPI_MADT_GIC_ITS = 0x0f,
	ACPI_MADT_MP_WAKEUP = 0x10,
};

// MPS INTI flags of overrides and NMIs.
#define ACPI_MADT_POLARITY(f) ((f)&3)         // 0 bus default, 1 high, 3 low
#define ACPI_MADT_TRIGGER(f) (((f) >> 2) & 3) // 0 bus default, 1 edge, 3 level

// Processor UID meaning "all processors" in (x2)APIC NMI entries.
#define ACPI_MADT_ALL_CPUS_8 0xffu
#define ACPI_MADT_ALL_CPUS_32 0xffffffffu

struct acpi_madt_entry {
	uint8_t type; // enum acpi_madt_type
	uint8_t length;
	uint32_t offset; // of this entry in the table
	union {
		struct {              // ACPI_MADT_LAPIC and ACPI_MADT_X2APIC
			uint32_t uid; // ACPI processor UID
			uint32_t apic_id;
			bool enabled;
			bool online_capable; // disabled now, may be enabled
		} lapic;
		struct {
			uint8_t id;
			uint32_t address;
			uint32_t gsi_base;
		} ioapic;
		struct {
			uint8_t bus;    // 0 = ISA
			uint8_t source; // bus-relative IRQ
			uint32_t gsi;
			uint16_t flags; // ACPI_MADT_POLARITY / _TRIGGER
		} iso;
		struct {
			uint16_t flags;
			uint32_t gsi;
		} nmi_source;
		struct { // ACPI_MADT_LAPIC_NMI and ACPI_MADT_X2APIC_NMI
			uint32_t uid; // ACPI_MADT_ALL_CPUS_8 / _32 = all
			uint16_t flags;
			uint8_t lint; // LINT0 or LINT1
		} lapic_nmi;
		struct {
			uint64_t address;
		} lapic_addr;
		struct {
			uint32_t cpu_interface; // GICv2 CPU interface number
			uint32_t uid;           // ACPI processor UID
			uint32_t flags;
			bool enabled;
			bool online_capable;
			bool perf_irq_edge;
			bool vgic_irq_edge;
			uint32_t parking_version;
			uint32_t perf_gsiv; // PMU interrupt
			uint64_t parked_address;
			uint64_t gicc_base; // GICv2 CPU interface
			uint64_t gicv_base;
			uint64_t gich_base;
			uint32_t vgic_gsiv;
			uint64_t gicr_base; // 0: the GICR entries describe it
			uint64_t mpidr;
			uint8_t efficiency_class; // length >= 80, else 0
			uint16_t spe_gsiv;        // length >= 80, else 0
			uint16_t trbe_gsiv;       // length >= 82, else 0
		} gicc;
		struct {
			uint32_t gic_id;
			uint64_t base;
			uint8_t version; // 0 = probe the hardware, 1..4 = GICvN
		} gicd;
		struct {
			uint32_t frame_id;
			uint64_t base;
			bool spi_override; // spi_count/base replace the frame's
			uint16_t spi_count;
			uint16_t spi_base;
		} gic_msi;
		struct {
			uint64_t base;
			uint32_t length;
		} gicr;
		struct {
			uint32_t its_id;
			uint64_t base;
		} gic_its;
		struct {
			uint16_t mailbox_version;
			uint64_t mailbox;
		} mp_wakeup;
	};
};

struct acpi_madt {
	const struct acpi_sdt_header *t;
	uint32_t lapic_addr32; // Local Interrupt Controller Address field
	uint64_t lapic_addr;   // after any address override entry
	uint32_t flags;
	bool pcat_compat;     // dual 8259s present (must be masked)
	unsigned count[0x11]; // entries per known type
	unsigned nentries;
};

// Validates an MADT and fills *m. Reports and returns an error if any entry
// is malformed; the caller should then not use the table.
err_t acpi_madt_parse(const struct acpi_sdt_header *t, struct acpi_madt *m)
    __must_check;

// Decodes the entry at *pos (0 = first) into *e, advances *pos; returns
// false after the last entry. m must have been parsed successfully.
bool acpi_madt_next(const struct acpi_madt *m, uint32_t *pos,
                    struct acpi_madt_entry *e);

// The machine's MADT: acpi_table_find("APIC") then acpi_madt_parse(), the
// one way the HAL's drivers open it. E_NOENT without one; a malformed one
// is reported by the parser and its error returned.
err_t acpi_madt_get(struct acpi_madt *m) __must_check;

// Entry-type sets for acpi_madt_next_of().
#define ACPI_MADT_BIT(type) (1u << (type))
#define ACPI_MADT_LAPICS                                                       \
	(ACPI_MADT_BIT(ACPI_MADT_LAPIC) | ACPI_MADT_BIT(ACPI_MADT_X2APIC))
#define ACPI_MADT_LAPIC_NMIS                                                   \
	(ACPI_MADT_BIT(ACPI_MADT_LAPIC_NMI) |                                  \
	 ACPI_MADT_BIT(ACPI_MADT_X2APIC_NMI))

// As acpi_madt_next(), over only the entries whose type bit is in types
// (ACPI_MADT_BIT of each wanted enum acpi_madt_type), in table order.
bool acpi_madt_next_of(const struct acpi_madt *m, uint32_t types, uint32_t *pos,
                       struct acpi_madt_entry *e);

// "lapic", "ioapic", "gicc", ... or "unknown".
const char *acpi_madt_type_name(uint8_t type);
