// SPDX-License-Identifier: MIT
// Leaving the machine on AArch64: semihosting SYS_EXIT carries the status to
// QEMU (run with -semihosting-config enable=on,target=native). Without
// semihosting the HLT traps; trap.c then calls a64_power_off(), which uses
// the bound power driver (driver.h): PSCI SYSTEM_OFF here, or another
// board's (bcm2835_pm.c). QEMU exits with status 0 and the kernel's last
// line says which status it wanted. This file is also the PSCI driver.
//
// The PSCI conduit (hvc or smc) comes from the firmware: the FADT ARM boot
// flags with ACPI, the /psci node's "method" with a device tree; only when
// neither says, from whether the firmware ran at EL2 (then smc, since hvc
// would trap to the hypervisor level we left).
#include <string.h>
#include <libfdt.h>
#include <acpi/fadt.h>
#include <hal/cpu.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <hal/power.h>
#include <lib/printk.h>
#include "a64.h"
#include "driver.h"

#define SEMIHOST_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

bool a64_psci_smc;

static bool psci_from_fadt(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_fadt f;

	if (acpi_table_find("FACP", 0, &t) || acpi_fadt_decode(t, &f))
		return false;
	if (!(f.arm_boot_arch & ACPI_FADT_ARM_PSCI)) {
		pr_warn("psci: FADT does not declare PSCI compliance\n");
		return false;
	}
	a64_psci_smc = !(f.arm_boot_arch & ACPI_FADT_ARM_PSCI_HVC);
	return true;
}

static bool psci_from_fdt(const struct boot_info *bi)
{
	const void *fdt = phys_to_virt(bi->dtb);
	const char *m;
	int node, len;

	if (fdt_check_header(fdt))
		return false;
	node = fdt_path_offset(fdt, "/psci");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	m = node >= 0 ? fdt_getprop(fdt, node, "method", &len) : NULL;
	if (!m || len < 4 || m[len - 1] != '\0')
		return false;
	if (strcmp(m, "hvc") && strcmp(m, "smc")) {
		pr_warn("psci: device tree method \"%s\" unknown\n", m);
		return false;
	}
	a64_psci_smc = strcmp(m, "smc") == 0;
	return true;
}

// Binding (driver.h): the same PSCI driver serves CPU start and power;
// the conduit is chosen once, by whichever class binds first.
static bool psci_ready;

static void psci_version(char *what, size_t len, const char *via)
{
	uint64_t ver = a64_psci_call(PSCI_VERSION, 0, 0, 0);

	ksnprintf(what, len, "PSCI %lu.%lu via %s, from %s",
	          (ver >> 16) & 0xffff, ver & 0xffff,
	          a64_psci_smc ? "smc" : "hvc", via);
	psci_ready = true;
}

err_t a64_psci_probe_acpi(const void *fdt, int node, char *what, size_t len)
{
	a64_psci_smc = a64_boot_info->flags & CAIRN_BOOT_FW_AT_EL2;
	if (!psci_from_fadt()) {
		ksnprintf(what, len, "ACPI FADT: no PSCI");
		return E_NOTSUP;
	}
	psci_version(what, len, "FADT ARM boot flags");
	return 0;
}

err_t a64_psci_probe_fdt(const void *fdt, int node, char *what, size_t len)
{
	a64_psci_smc = a64_boot_info->flags & CAIRN_BOOT_FW_AT_EL2;
	if (!psci_from_fdt(a64_boot_info)) {
		ksnprintf(what, len, "device tree /psci: no usable method");
		return E_NOTSUP;
	}
	psci_version(what, len, "device tree /psci");
	return 0;
}

// The power driver, bound once the kernel's tables are up (early: the
// exit path may need it before the HAL's later steps).
static const struct a64_power_ops *power;
static bool power_bound;

void a64_psci_init(const struct boot_info *bi)
{
	const struct hal_driver *d = a64_bind(HAL_DRV_POWER);

	power = d ? d->ops : NULL;
	power_bound = true;
}

err_t a64_psci_error(int64_t ret)
{
	switch (ret) {
	case 0: return 0;
	case -1: return E_NOTSUP; // NOT_SUPPORTED
	case -2: return E_INVAL;  // INVALID_PARAMETERS
	case -3: return E_FAULT;  // DENIED
	case -4: return E_EXIST;  // ALREADY_ON
	case -5: return E_BUSY;   // ON_PENDING
	case -6: return E_IO;     // INTERNAL_FAILURE
	case -7: return E_NOENT;  // NOT_PRESENT
	case -8: return E_FAULT;  // DISABLED
	case -9: return E_FAULT;  // INVALID_ADDRESS
	default: return E_IO;
	}
}

uint64_t a64_psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (a64_psci_smc)
		__asm__ volatile("smc #0"
		                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		                 :
		                 : "memory");
	else
		__asm__ volatile("hvc #0"
		                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		                 :
		                 : "memory");
	return x0;
}

__noreturn void a64_power_off(void)
{
	if (!power_bound) // leaving before hal_irq_init(): bind now
		a64_psci_init(a64_boot_info);
	if (power)
		(void)power->off();
	hal_cpu_halt();
}

__noreturn void hal_machine_exit(int status)
{
	static volatile uint64_t block[2];
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	hal_irq_disable();
	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64_t)(int64_t)status;
	__asm__ volatile(".global a64_semihost_insn\n"
	                 "a64_semihost_insn: hlt #0xf000"
	                 : "+r"(x0)
	                 : "r"(x1)
	                 : "memory");
	a64_power_off();
}

// The bound power driver's calls return only on failure.
err_t hal_firmware_power_off(void)
{
	hal_irq_disable();
	if (!power_bound)
		a64_psci_init(a64_boot_info);
	return power ? power->off() : E_NOTSUP;
}

err_t hal_firmware_reset(void)
{
	hal_irq_disable();
	if (!power_bound)
		a64_psci_init(a64_boot_info);
	return power ? power->reset() : E_NOTSUP;
}

static err_t psci_off(void)
{
	a64_psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	return E_IO;
}

static err_t psci_reset(void)
{
	a64_psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	return E_IO;
}

const struct a64_power_ops a64_psci_power_ops = {.off = psci_off,
                                                 .reset = psci_reset};
