// SPDX-License-Identifier: MIT
// HAL: interrupt controllers and inter-processor interrupts.
//
// Interrupt numbers ("irq") are the platform's global numbering: on x86_64
// the ACPI GSI (I/O APIC input; ISA IRQs are translated through the MADT
// interrupt source overrides by hal_irq_from_isa()); on aarch64 the GIC
// INTID (SPIs 32..1019; PPIs 16..31 are per-CPU). Interrupt enable/disable
// and save/restore live in hal/cpu.h.
#pragma once

#include <lib/types.h>

typedef void (*irq_handler_t)(unsigned irq, void *arg);

// Boot CPU, interrupts off: finds the controllers (ACPI MADT, else the
// device tree), masks everything, masks the legacy PIC on x86_64.
__must_check err_t hal_irq_init(void);

// Every CPU (the boot CPU too), interrupts off: enables this CPU's local
// controller (LAPIC / GIC CPU interface or redistributor).
__must_check err_t hal_irq_init_cpu(void);

// Installs fn for irq (unmasked by hal_irq_unmask). E_EXIST if irq already
// has a handler, E_RANGE if the platform has no such input.
__must_check err_t hal_irq_register(unsigned irq, irq_handler_t fn, void *arg);
void hal_irq_mask(unsigned irq);
// How irq is triggered, as firmware describes the device (an ACPI resource
// descriptor, the FADT's SCI): level or edge, active low or high. Call it
// before hal_irq_register. x86_64: a MADT interrupt source override that
// fixes the mode wins. aarch64: SPIs only (E_RANGE otherwise); the GIC has
// no polarity, so active_low is E_NOTSUP.
__must_check err_t hal_irq_set_trigger(unsigned irq, bool level,
                                       bool active_low);
void hal_irq_unmask(unsigned irq);

// irq for legacy ISA line isa (x86_64; E_NOTSUP elsewhere).
__must_check err_t hal_irq_from_isa(unsigned isa, unsigned *irq);

// Inter-processor interrupts. The receiving CPU's HAL calls
// smp_handle_ipi(kind) (kernel/smp.h) with interrupts off.
enum ipi_kind {
	IPI_CALL, // run queued cross-CPU function calls
	IPI_RESCHED,
	IPI_STOP, // panic: stop this CPU
	IPI_NR
};
void hal_ipi_send(unsigned cpu, enum ipi_kind kind);
void hal_ipi_send_others(enum ipi_kind kind);
