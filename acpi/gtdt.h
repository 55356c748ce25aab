// SPDX-License-Identifier: MIT
// GTDT (Generic Timer Description Table) decoder: the Arm generic timer's
// per-CPU interrupts (secure/non-secure EL1, virtual EL1, EL2, virtual EL2),
// the counter frames, memory-mapped GT blocks and SBSA watchdogs.
#pragma once

#include <acpi/acpi.h>

// timer flags
#define ACPI_GTDT_EDGE (1u << 0)       // else level
#define ACPI_GTDT_ACTIVE_LOW (1u << 1) // else active high
#define ACPI_GTDT_ALWAYS_ON (1u << 2)  // keeps running in low-power states

struct acpi_gtdt_timer {
	uint32_t gsiv; // 0 = not provided
	uint32_t flags;
};

struct acpi_gtdt {
	const struct acpi_sdt_header *t;
	uint64_t cnt_control_base; // 0xffffffffffffffff = not provided
	uint64_t cnt_read_base;
	struct acpi_gtdt_timer secure_el1, nonsecure_el1, virtual_el1, el2;
	struct acpi_gtdt_timer virtual_el2; // revision 3+, else zero
	uint32_t nplatform;                 // platform timer structures
	uint32_t platform_off;
	uint32_t platform_end; // offset after the last one
	unsigned nblocks, nwatchdogs;
};

enum acpi_gtdt_ptype {
	ACPI_GTDT_GT_BLOCK = 0,
	ACPI_GTDT_WATCHDOG = 1,
};

#define ACPI_GTDT_MAX_FRAMES 8

struct acpi_gtdt_platform {
	uint8_t type; // enum acpi_gtdt_ptype, or unknown
	uint16_t length;
	uint32_t offset;
	union {
		struct {
			uint64_t cnt_ctl_base;
			uint32_t nframes; // <= ACPI_GTDT_MAX_FRAMES
			struct {
				uint8_t frame;
				uint64_t cnt_base, cnt_el0_base;
				struct acpi_gtdt_timer phys, virt;
				uint32_t
				    common_flags; // bit0 secure, bit1 always-on
			} frames[ACPI_GTDT_MAX_FRAMES];
		} block;
		struct {
			uint64_t refresh_base, control_base;
			struct acpi_gtdt_timer irq;
			bool secure; // flags bit 2
		} wdog;
	};
};

err_t acpi_gtdt_parse(const struct acpi_sdt_header *t, struct acpi_gtdt *g)
    __must_check;
// Iterates over the platform timer structures.
bool acpi_gtdt_next(const struct acpi_gtdt *g, uint32_t *pos,
                    struct acpi_gtdt_platform *p);
