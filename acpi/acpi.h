// SPDX-License-Identifier: MIT
// ACPI static tables: discovery (RSDP -> XSDT/RSDT -> tables, plus the DSDT
// and FACS named by the FADT), lookup by signature, and error reporting
// shared by every table decoder (acpi/<table>.h).
//
// Discovery runs once at boot before other CPUs start; afterwards the table
// registry is read-only and may be used from any CPU without a lock. Host
// tools and tests may instead register tables from memory buffers
// (acpi_table_register) after acpi_reset(). The last-error buffer
// (acpi_last_error) is a single global: decoders are meant to run at boot
// or in single-threaded host programs.
//
// Error policy: firmware input is untrusted. Every failure is an err_t plus
// one log line "acpi: <SIG>: offset 0x<off>: <what>" (also kept in
// acpi_last_error()); the caller carries on without that table.
#pragma once

#include <lib/err.h>
#include <lib/types.h>

// The common 36-byte header of every system description table.
struct acpi_sdt_header {
	char signature[4];
	uint32_t length; // whole table, header included
	uint8_t revision;
	uint8_t checksum; // all bytes of the table sum to 0 (mod 256)
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __packed;

#define ACPI_SDT_HEADER_LEN 36u

// Generic Address Structure, decoded (the raw form is 12 packed bytes).
enum acpi_space {
	ACPI_SPACE_MEMORY = 0,
	ACPI_SPACE_IO = 1,
	ACPI_SPACE_PCI_CONFIG = 2,
	ACPI_SPACE_EMBEDDED = 3,
	ACPI_SPACE_SMBUS = 4,
	ACPI_SPACE_CMOS = 5,
	ACPI_SPACE_PCI_BAR = 6,
	ACPI_SPACE_IPMI = 7,
	ACPI_SPACE_GPIO = 8,
	ACPI_SPACE_SERIAL_BUS = 9,
	ACPI_SPACE_PCC = 0x0a,
	ACPI_SPACE_PRM = 0x0b,
	ACPI_SPACE_FFH = 0x7f,
};

struct acpi_gas {
	uint8_t space_id;    // enum acpi_space
	uint8_t bit_width;   // register width in bits (0 = not given)
	uint8_t bit_offset;  // register offset in bits
	uint8_t access_size; // 0 undefined, 1 byte, 2 word, 3 dword, 4 qword
	uint64_t address;    // 0 = register not present
};

// Short name of a GAS address space ("mmio", "io", "pcicfg", ...).
const char *acpi_space_name(uint8_t space_id);

// ---- Discovery ----------------------------------------------------------

// Walks the tables from the RSDP at physical address rsdp (ACPI 1.0 RSDP with
// an RSDT, or 2.0+ with an XSDT; the RSDT is used when the XSDT address is 0
// or the XSDT is unusable). Every table is mapped through acpi_host_map() and
// its length and checksum checked; bad tables are reported and left out.
// The DSDT (X_DSDT, else DSDT) and FACS named by the FADT are registered as
// "DSDT" and "FACS". Returns E_OK when at least the root table was usable,
// even if single tables were dropped; E_CHECKSUM/E_CORRUPT/E_FAULT if the
// RSDP or root table itself is bad. Call once (again only after acpi_reset).
err_t acpi_init(paddr_t rsdp) __must_check;

// Finds the instance-th (0-based) table with signature sig ("APIC", "SSDT",
// ...) in discovery order. *out points at the header; the table body
// follows it, out->length bytes in all. E_NOENT if there is no such table.
// The FACS has no full SDT header: only its signature and length are valid.
err_t acpi_table_find(const char sig[4], unsigned instance,
                      const struct acpi_sdt_header **out) __must_check;

// Number of tables registered, and the idx-th of them (for dumping all).
unsigned acpi_table_count(void);
const struct acpi_sdt_header *acpi_table_get(unsigned idx);

// Prints every registered table in hex between markers, for the kernel's
// `acpi.tables` option (tests/acpi/live_tables.py reads them back):
//   -----BEGIN CAIRN ACPI TABLES-----
//   table SIG LENGTH      (then LENGTH bytes in hex, 32 a line)
//   -----END CAIRN ACPI TABLES-----
void acpi_tables_dump(void);

// Host-tool entry point (no RSDP): registers one table held in buf, which
// must stay valid while the registry is used. buf_len is the number of bytes
// available (e.g. a file's size). Checks that the header fits, that length
// fits in buf_len (a FACS is checked against its own length field) and the
// checksum. On error the table is not registered. Up to ACPI_MAX_TABLES.
#define ACPI_MAX_TABLES 256
err_t acpi_table_register(const void *buf, size_t buf_len) __must_check;

// Forget every registered table (tests, host tools).
void acpi_reset(void);

// Where the registry came from (for logs): RSDP revision and OEM, root
// table signature; zeroes when tables were registered by hand.
struct acpi_root_info {
	paddr_t rsdp;
	uint8_t rsdp_revision; // 0 = ACPI 1.0, 2 = ACPI 2.0+
	char oem_id[7];
	char root_sig[5]; // "XSDT" or "RSDT"
	paddr_t root;
};
const struct acpi_root_info *acpi_root(void);

// ---- Checks shared by all decoders ---------------------------------------

// Sum of len bytes at p, mod 256 (0 for a valid table).
uint8_t acpi_checksum(const void *p, size_t len);

// Validates a table header before decoding: the signature matches sig, the
// length is at least min_len, and the checksum is right. Reports and
// returns E_INVAL (wrong signature), E_TRUNC (too short), E_CHECKSUM.
err_t acpi_table_check(const struct acpi_sdt_header *t, const char sig[4],
                       uint32_t min_len) __must_check;
// The length and checksum part of every table check (acpi_table_check,
// registration, the generic decoder): len (the length field, which the
// caller knows fits its buffer) is at least min_len, and the len bytes at t
// sum to 0. Reports and returns E_TRUNC or E_CHECKSUM.
err_t acpi_table_check_len(const struct acpi_sdt_header *t, uint32_t len,
                           uint32_t min_len) __must_check;

// Reports a problem in table sig at byte offset off: logs
// "acpi: SIG: offset 0xOFF: <message>" at KERN_ERR (unless quiet) and keeps
// "SIG: offset 0xOFF: <message>" in the last-error buffer. Returns err so a
// decoder can write `return acpi_report(E_CORRUPT, "MADT", off, ...)`.
err_t acpi_report(err_t err, const char *sig, uint32_t off, const char *fmt,
                  ...) __printf_like(4, 5);

// Reports a firmware defect that does not stop decoding (a value outside
// its defined range that callers can ignore, say): logs at KERN_WARNING as
// "acpi: SIG: offset 0xOFF: warning: <message>", keeps the text like
// acpi_report() and counts it in acpi_warning_count().
void acpi_warn(const char *sig, uint32_t off, const char *fmt, ...)
    __printf_like(3, 4);
unsigned acpi_warning_count(void);

// The text of the last report (without the "acpi: " prefix and newline),
// "" if none since acpi_clear_error().
const char *acpi_last_error(void);
void acpi_clear_error(void);

// Calls fn with the text of every report and warning as it is made (host
// tools list them, tests collect them); NULL removes the hook.
void acpi_set_report_hook(void (*fn)(const char *msg, bool warning));

// Quiet mode keeps reports out of the log (fuzzers, malformed-input tests);
// acpi_last_error() still records them.
void acpi_set_quiet(bool quiet);

// ---- Tables built as a list of subtables --------------------------------
// MADT, SRAT and IORT are a header followed by subtables, each starting with
// a type byte and a length at +1. A decoder describes its list once; the
// walk below does the bounds checks and reports problems the same way for
// all of them: "SIG: offset 0xOFF: <noun> type T length L runs past ...".

struct acpi_subtables {
	const char *sig;        // table signature, for reports
	const char *noun;       // what the table calls a subtable: "entry"
	uint8_t hdr_len;        // every subtable is at least this long
	uint8_t len_size;       // size of the length field at +1: 1 or 2
	const uint8_t *min_len; // minimum length of types below nmin
	size_t nmin;
	const char *(*type_name)(uint8_t type);
	// Optional further checks of one subtable (p: its bytes, len of them,
	// already checked against hdr_len and min_len): NULL if it is fine,
	// else the reason, with *field set to the offset (in the subtable)
	// of the field at fault.
	const char *(*problem)(const uint8_t *p, uint32_t len, uint32_t *field);
};

// Checks the subtable at off in t: its header fits, its length covers the
// header, stays inside the table and reaches its type's minimum, and
// s->problem finds nothing. Returns its length, or 0 (after a report under
// s->sig if report is set).
uint32_t acpi_subtable_check(const struct acpi_sdt_header *t,
                             const struct acpi_subtables *s, uint32_t off,
                             bool report);

// For iterators over a table that was checked: the length of the subtable
// at off if its header and length are in bounds, else 0. No minimum-length
// or s->problem checks, no reports.
uint32_t acpi_subtable_len(const struct acpi_sdt_header *t,
                           const struct acpi_subtables *s, uint32_t off);

// Whether len is below the minimum for a subtable of this type.
bool acpi_subtable_short(const struct acpi_subtables *s, uint8_t type,
                         uint32_t len);

// Checks the subtables from off to the table end with
// acpi_subtable_check() (bytes too few for another header at the end are
// reported as stray), or, with acpi_subtables_check_n(), count subtables
// from off and the offset after the last in *end. Reports the first bad one
// and returns E_CORRUPT.
err_t acpi_subtables_check(const struct acpi_sdt_header *t,
                           const struct acpi_subtables *s, uint32_t off)
    __must_check;
err_t acpi_subtables_check_n(const struct acpi_sdt_header *t,
                             const struct acpi_subtables *s, uint32_t off,
                             uint32_t count, uint32_t *end) __must_check;

// ---- Little-endian field access (tables may be unaligned) ---------------

static inline uint8_t acpi_rd8(const void *base, uint32_t off)
{
	return ((const uint8_t *)base)[off];
}

static inline uint16_t acpi_rd16(const void *base, uint32_t off)
{
	const uint8_t *p = (const uint8_t *)base + off;
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t acpi_rd32(const void *base, uint32_t off)
{
	const uint8_t *p = (const uint8_t *)base + off;
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t acpi_rd64(const void *base, uint32_t off)
{
	return (uint64_t)acpi_rd32(base, off) |
	       ((uint64_t)acpi_rd32(base, off + 4) << 32);
}

// Decodes the 12-byte GAS at base+off (caller checked off+12 <= length).
void acpi_rd_gas(const void *base, uint32_t off, struct acpi_gas *out);

// ---- SPCR (Serial Port Console Redirection) -----------------------------
// The serial console needs this first, so it lives here; the other decoders
// have their own headers (acpi/madt.h, acpi/fadt.h, ...).

enum acpi_spcr_uart {
	ACPI_UART_16550 = 0x00, // full 16550
	ACPI_UART_16450 = 0x01, // 16550 subset (16450)
	ACPI_UART_MAX311X = 0x02,
	ACPI_UART_PL011 = 0x03, // Arm PL011
	ACPI_UART_MSM8X60 = 0x05,
	ACPI_UART_NVIDIA_16550 = 0x06,
	ACPI_UART_TI_OMAP = 0x07,
	ACPI_UART_APM88XXXX = 0x09,
	ACPI_UART_MSM8974 = 0x0a,
	ACPI_UART_SAM5250 = 0x0b,
	ACPI_UART_INTEL_USIF = 0x0c,
	ACPI_UART_IMX6 = 0x0d,
	ACPI_UART_SBSA_32BIT = 0x0e, // Arm SBSA generic UART, 32-bit only
	ACPI_UART_SBSA = 0x0f,       // Arm SBSA generic UART
	ACPI_UART_ARM_DCC = 0x10,
	ACPI_UART_BCM2835 = 0x11,
	ACPI_UART_SDM845_18432 = 0x12,
	ACPI_UART_16550_GAS = 0x13, // 16550 with the GAS's access width
	ACPI_UART_SDM845_7372 = 0x14,
	ACPI_UART_INTEL_LPSS = 0x15,
	ACPI_UART_RISCV_SBI = 0x16,
};

// SPCR interrupt_type bits.
#define ACPI_SPCR_IRQ_8259 (1u << 0)
#define ACPI_SPCR_IRQ_IOAPIC (1u << 1)
#define ACPI_SPCR_IRQ_IOSAPIC (1u << 2)
#define ACPI_SPCR_IRQ_GIC (1u << 3)
#define ACPI_SPCR_IRQ_PLIC (1u << 4)

struct acpi_spcr_info {
	uint8_t revision;       // table revision
	uint8_t interface_type; // enum acpi_spcr_uart
	struct acpi_gas base;   // register block; base.space_id says MMIO/IO
	bool mmio;              // base is in memory space (else I/O ports)
	uint8_t access_width; // register access in bytes (1, 2, 4, 8), 0 = n/a
	uint8_t interrupt_type; // ACPI_SPCR_IRQ_* bits, 0 = polled only
	uint8_t pc_irq;         // 8259 IRQ (valid with ACPI_SPCR_IRQ_8259)
	uint32_t gsi;           // global system interrupt (APIC/SAPIC/GIC/PLIC)
	uint32_t baud;          // 0 = keep what firmware configured
	uint8_t parity;         // 0 = none (the only value defined)
	uint8_t stop_bits;      // 1 = one stop bit (the only value defined)
	uint8_t flow_control;   // bit0 DCD, bit1 RTS/CTS, bit2 XON/XOFF
	uint8_t
	    terminal_type; // 0 VT100, 1 VT100+, 2 VT-UTF8, 3 ANSI, 4 VT-UTF8
	uint16_t pci_device_id; // 0xffff = not a PCI device
	uint16_t pci_vendor_id;
	uint8_t pci_bus, pci_dev, pci_func, pci_segment;
	uint32_t pci_flags;
	uint32_t uart_clock_hz; // revision >= 3, else 0 (unknown)
	uint32_t precise_baud;  // revision >= 4, overrides baud when non-zero
	const char *namespace_path; // revision >= 4: "\\_SB.COM0" or "." (not
	uint16_t namespace_len; // NUL-terminated inside the table; len w/o NUL)
};

// Decodes an SPCR table. Reports and returns an error if t is not a
// consistent SPCR (signature, length, checksum, namespace string bounds).
err_t acpi_spcr_decode(const struct acpi_sdt_header *t,
                       struct acpi_spcr_info *out) __must_check;

// "16550", "pl011", "sbsa", ... for an interface type; "unknown" otherwise.
const char *acpi_spcr_uart_name(uint8_t type);
