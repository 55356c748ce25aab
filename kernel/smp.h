// SPDX-License-Identifier: MIT
// SMP: bringing up the other CPUs and calling functions on them.
#pragma once

#include <hal/irq.h>
#include <kernel/percpu.h>
#include <kernel/types.h>

// Boot CPU, after memory, interrupts and timers are up: starts every
// enabled CPU the firmware lists, waits (with a timeout) for each to report
// online, and logs any that did not come up. Returns the number online.
unsigned smp_init(void);

// Entry of a secondary CPU once the HAL has it on its stack (hal/smp.h).
__noreturn void smp_secondary_main(struct cpu *c);

// Called by the HAL on the receiving CPU, interrupts off.
void smp_handle_ipi(enum ipi_kind kind);

// Runs fn(arg) on cpu (or on every other online CPU) through IPI_CALL. With
// wait, returns after fn finished everywhere. Interrupts must be on when
// waiting (or the call is local).
void smp_call(unsigned cpu, void (*fn)(void *), void *arg, bool wait);
void smp_call_others(void (*fn)(void *), void *arg, bool wait);

unsigned smp_online_count(void);
