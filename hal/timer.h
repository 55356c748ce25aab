// SPDX-License-Identifier: MIT
// HAL: time. A monotonic nanosecond clock shared by all CPUs and a per-CPU
// one-shot timer event.
#pragma once

#include <lib/types.h>

// Boot CPU: calibrates the clock and the event timer (x86_64: LAPIC timer
// against TSC frequency from CPUID, HPET or the ACPI PM timer; TSC-deadline
// where present. aarch64: generic timer, CNTFRQ).
__must_check err_t hal_timer_init(void);
// Every CPU (the boot CPU too): sets up this CPU's event timer.
__must_check err_t hal_timer_init_cpu(void);

// uint64_t hal_time_ns(void): nanoseconds since an arbitrary point before
// hal_timer_init() returned; never goes backwards, consistent across CPUs.
// Usable from any context. Defined by arch/timer.h (below), inline on the
// kernel's arches: the scheduler reads it on every switch and wake-up.

// Arms this CPU's one-shot event at absolute time deadline_ns (a deadline
// in the past fires at once). When it fires, the HAL calls the handler set
// with hal_timer_set_handler() on that CPU, interrupts off. Re-arming
// replaces the previous deadline.
void hal_timer_oneshot(uint64_t deadline_ns);
void hal_timer_cancel(void);
void hal_timer_set_handler(void (*fn)(void));

#include <arch/timer.h>
