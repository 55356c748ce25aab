// SPDX-License-Identifier: MIT
// x86_64 HAL drivers chosen from the ACPI tables: the ops of each class
// (hal/driver.h) and the probes of each driver file. The entries are in
// x86_drivers[] (driver.c). x86 firmware describes the machine with ACPI
// only, so every entry names an ACPI table (MADT "APIC", SPCR, FADT "FACP")
// or none: a fallback for a machine whose tables say nothing of the class
// (the legacy COM1).
#pragma once

#include <hal/driver.h>
#include <lib/err.h>
#include <lib/types.h>

struct cpu;

struct x86_intc_ops {
	err_t (*init_cpu)(void); // every CPU, interrupts off
};

struct x86_serial_ops {
	int (*getc)(void);
	err_t (*rx_start)(void (*fn)(void));
};

struct x86_cpu_start_ops {
	err_t (*start)(struct cpu *c, void *stack_top);
};

// Both return only on failure. NULL: nothing beyond what acpi/power.c
// (FADT PM1 control / sleep control and reset registers, with \_S5 from
// the AML namespace) already tried before the HAL is asked.
struct x86_power_ops {
	err_t (*off)(void);
	err_t (*reset)(void);
};

extern const struct hal_driver x86_drivers[];

// Binds class cls from the ACPI tables (kernel/driver.h), once; later
// calls return the first result.
const struct hal_driver *x86_bind(enum hal_drv_class cls);

// Probes and ops of each driver file.
err_t x86_apic_probe(const void *fdt, int node, char *what, size_t len);
extern const struct x86_intc_ops x86_apic_ops;

err_t x86_uart_probe_spcr(const void *fdt, int node, char *what, size_t len);
err_t x86_uart_probe_com1(const void *fdt, int node, char *what, size_t len);
extern const struct x86_serial_ops x86_uart_ops;

err_t x86_sipi_probe(const void *fdt, int node, char *what, size_t len);
extern const struct x86_cpu_start_ops x86_sipi_ops;

err_t x86_acpi_pm_probe(const void *fdt, int node, char *what, size_t len);
err_t x86_ich9_pm_probe(const void *fdt, int node, char *what, size_t len);
err_t x86_piix_pm_probe(const void *fdt, int node, char *what, size_t len);
extern const struct x86_power_ops x86_acpi_pm_ops, x86_ich9_pm_ops,
    x86_piix_pm_ops;

// Shared by the chipset power drivers (chipset.c): PCI configuration dword
// reg of bus 0, device dev, function 0 (0xCF8/0xCFC); and the reset through
// the reset control register at port 0xcf9: bits without bit 2, then with
// it, which starts the reset. Returns (E_TIMEOUT) only if nothing reset.
uint32_t x86_pci0_read(unsigned dev, unsigned reg);
void x86_pci0_write(unsigned dev, unsigned reg, uint32_t v);
err_t x86_reset_cf9(uint8_t bits);
