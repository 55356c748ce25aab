// SPDX-License-Identifier: MIT
// FADT ("FACP", Fixed ACPI Description Table) decoder: power-management
// register blocks, SCI, boot architecture flags (x86 IAPC and Arm), the
// reset register, sleep registers and the DSDT/FACS addresses. Where a
// 64-bit X_ field is present and non-zero it wins over the 32-bit field,
// as the specification says.
#pragma once

#include <acpi/acpi.h>

// flags bits used by the kernel
#define ACPI_FADT_WBINVD (1u << 0)
#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED (1u << 20)
#define ACPI_FADT_LOW_POWER_S0 (1u << 21)

// iapc_boot_arch bits
#define ACPI_FADT_IAPC_LEGACY_DEVICES (1u << 0)
#define ACPI_FADT_IAPC_8042 (1u << 1)
#define ACPI_FADT_IAPC_NO_VGA (1u << 2)
#define ACPI_FADT_IAPC_NO_MSI (1u << 3)
#define ACPI_FADT_IAPC_NO_ASPM (1u << 4)
#define ACPI_FADT_IAPC_NO_CMOS_RTC (1u << 5)

// arm_boot_arch bits
#define ACPI_FADT_ARM_PSCI (1u << 0)
#define ACPI_FADT_ARM_PSCI_HVC (1u << 1)

struct acpi_fadt {
	const struct acpi_sdt_header *t;
	uint8_t revision, minor_revision; // minor: FADT length >= 132
	uint64_t facs;                    // 0 = none (hardware-reduced)
	uint64_t dsdt;
	uint8_t pm_profile; // 0 unspecified, 1 desktop, 2 mobile, 4 server...
	uint16_t sci_irq;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable;
	struct acpi_gas pm1a_evt, pm1b_evt, pm1a_cnt, pm1b_cnt, pm2_cnt, pm_tmr,
	    gpe0, gpe1;
	uint8_t pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	uint8_t gpe0_len, gpe1_len, gpe1_base;
	uint8_t century; // CMOS index of the century, 0 = none
	uint16_t iapc_boot_arch;
	uint16_t arm_boot_arch;
	uint32_t flags;
	bool hw_reduced;
	struct acpi_gas reset_reg; // valid when flags & ACPI_FADT_RESET_REG_SUP
	uint8_t reset_value;
	struct acpi_gas sleep_control, sleep_status; // ACPI 5.0+
	uint64_t hypervisor_vendor;                  // ACPI 6.0+
};

// Decodes a FADT of any length from ACPI 1.0 (116 bytes) on. Fields past
// the end of a shorter table are 0.
err_t acpi_fadt_decode(const struct acpi_sdt_header *t, struct acpi_fadt *out)
    __must_check;

// "desktop", "mobile", "server", ... for pm_profile.
const char *acpi_fadt_profile_name(uint8_t profile);
