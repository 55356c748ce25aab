// SPDX-License-Identifier: MIT
// AArch64 HAL drivers chosen from the firmware's description: the ops of
// each class and the probes of each driver file. The entries themselves
// (struct hal_driver, hal/driver.h) are in a64_drivers[] (driver.c), each
// naming what it matches: an ACPI table (MADT "APIC", SPCR, FADT "FACP") or
// a device-tree string (a `compatible`, a CPU `enable-method`, or "psci"
// for the /psci node). a64_bind() picks the entry for a class, calls its
// probe and logs "driver: NAME bound to WHAT". A new board adds a driver
// file and table entries; nothing else in the HAL changes.
#pragma once

#include <hal/driver.h>
#include <lib/err.h>
#include <lib/types.h>

// Interrupt controller. Numbers are the driver's own global numbering
// (GIC: INTIDs; BCM2836: 0-31 the per-core sources, 32+ the BCM2835
// peripheral lines). Numbers below `private_below` are per-CPU: enabling
// one affects the calling CPU only.
struct a64_intc_ops {
	err_t (*init_cpu)(void);
	unsigned (*nlines)(void);
	unsigned private_below;
	void (*set_enabled)(unsigned irq, bool on);
	err_t (*set_trigger)(unsigned irq, bool level, bool active_low);
	void (*send_ipi)(unsigned cpu, unsigned kind); // cpu ~0u: all others
	void (*dispatch)(void); // IRQ vector: a64_irq_handle() per source
	// A device-tree interrupt specifier of controller node ctrl (cells
	// as in its #interrupt-cells) as a number of this driver.
	err_t (*fdt_xlate)(const void *fdt, int ctrl, const uint32_t *cells,
	                   int ncells, unsigned *irq);
	// The generic timer's virtual-timer interrupt when no table says.
	unsigned vtimer_default;
};

struct a64_serial_ops {
	int (*getc)(void);
	err_t (*rx_start)(void (*fn)(void));
};

// Start CPU hwid at physical entry with x0 = ctx (PSCI CPU_ON), or at
// spin_entry with no argument (spin-table: the CPU finds its own block).
struct a64_cpu_start_ops {
	err_t (*start)(const void *fdt, int node, uint64_t hwid, paddr_t entry,
	               paddr_t ctx, paddr_t spin_entry);
};

struct a64_power_ops {
	err_t (*off)(void);   // returns only on failure
	err_t (*reset)(void); // returns only on failure
};

// Every driver, in order of preference within a class.
extern const struct hal_driver a64_drivers[];

// Binds the class from ACPI (if the firmware gave tables) else the device
// tree; logs the result or a message naming the node and compatible it
// could not drive. NULL if nothing was bound.
const struct hal_driver *a64_bind(enum hal_drv_class cls);

// Records d as its class's driver for hal_driver_bound() (the first one
// bound: CPU start binds per method).
void a64_driver_set_bound(const struct hal_driver *d);

// The CPU start driver for hwid (per CPU: the DT names a method per CPU).
const struct hal_driver *a64_bind_cpu(uint64_t hwid, int *node);

// The device tree the loader handed over (checked once by hal_early_init
// with fdt_check_full), or NULL.
const void *a64_fdt(void);

// Handlers table of irq.c: the intc driver's dispatch calls this per
// interrupt it took; ipi kinds go to smp_handle_ipi().
void a64_irq_handle(unsigned irq);
void a64_ipi_handle(unsigned kind);
extern const struct a64_intc_ops *a64_intc;

// The interrupt index of node's "interrupts" as the bound controller's
// number: E_NOENT without one.
err_t a64_fdt_irq(const void *fdt, int node, int index, unsigned *irq);

// Probes and ops of each driver file.
err_t a64_gic_probe_acpi(const void *fdt, int node, char *what, size_t len);
err_t a64_gic_probe_fdt(const void *fdt, int node, char *what, size_t len);
extern const struct a64_intc_ops a64_gic_ops, a64_bcm2836_ops;
err_t a64_bcm2836_probe(const void *fdt, int node, char *what, size_t len);

err_t a64_pl011_probe_acpi(const void *fdt, int node, char *what, size_t len);
err_t a64_pl011_probe_fdt(const void *fdt, int node, char *what, size_t len);
extern const struct a64_serial_ops a64_pl011_ops, a64_bcm_aux_ops;
err_t a64_bcm_aux_probe(const void *fdt, int node, char *what, size_t len);

err_t a64_psci_probe_acpi(const void *fdt, int node, char *what, size_t len);
err_t a64_psci_probe_fdt(const void *fdt, int node, char *what, size_t len);
extern const struct a64_cpu_start_ops a64_psci_start_ops, a64_spin_table_ops;
extern const struct a64_power_ops a64_psci_power_ops, a64_bcm2835_pm_ops;
err_t a64_spin_table_probe(const void *fdt, int node, char *what, size_t len);
err_t a64_bcm2835_pm_probe(const void *fdt, int node, char *what, size_t len);
