// SPDX-License-Identifier: MIT
// HAL: the serial console's receive side. Output goes through the printk
// console that hal_early_init() registered; this is the input, for the
// kernel monitor (kernel/monitor.c).
#pragma once

#include <lib/err.h>
#include <lib/types.h>

// One byte received on the serial console, or -1 when none is waiting or
// there is no serial console. Never waits. Any context; there is one
// reader (the receive handler below), so no lock.
int hal_serial_getc(void);

// Calls fn from the UART's receive interrupt (interrupts off, boot CPU)
// whenever bytes arrive. fn must read every waiting byte with
// hal_serial_getc(): the PL011's interrupt is level-triggered and fires
// again until the FIFO is drained. Call after hal_irq_init(), once.
// E_NOENT without a serial console, E_NOTSUP when firmware names no
// interrupt for it; otherwise hal_irq_* errors.
__must_check err_t hal_serial_rx_start(void (*fn)(void));

#include <arch/serial.h>
