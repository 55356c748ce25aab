// SPDX-License-Identifier: MIT
// SMP: bringing up the other CPUs and calling functions on them.
#pragma once

#include <hal/irq.h>
#include <kernel/percpu.h>
#include <lib/types.h>

// Boot CPU, after memory, interrupts and timers are up: starts every
// enabled CPU the firmware lists, waits (with a timeout) for each to report
// online, and logs any that did not come up. Returns the number online.
unsigned smp_init(void);

// Entry of a secondary CPU once the HAL has it on its stack (hal/smp.h).
// Sets up this CPU's interrupt controller and timer, reports online, then
// idles with interrupts on.
__noreturn void smp_secondary_main(struct cpu *c);

// Called by the HAL on the receiving CPU, interrupts off. IPI_STOP (sent by
// panic, kernel/panic.c) clears this CPU's `online` and halts it.
void smp_handle_ipi(enum ipi_kind kind);

// Runs fn(arg) on cpu (or on every other online CPU) through IPI_CALL. With
// wait, returns after fn finished everywhere. fn runs with interrupts off.
// A caller waiting with interrupts off keeps serving calls sent to itself,
// so two CPUs calling each other cannot deadlock.
void smp_call(unsigned cpu, void (*fn)(void *), void *arg, bool wait);
void smp_call_others(void (*fn)(void *), void *arg, bool wait);

unsigned smp_online_count(void);

// True once smp_init() has run (tests skip SMP checks where it has not,
// e.g. in host test programs).
bool smp_started(void);

// Runs the calls queued for this CPU now. For code that waits for another
// CPU with interrupts off (in an IPI handler, say) and would otherwise
// never see that CPU's reply.
void smp_poll_calls(void);

// After changing kernel mappings in [va, va + len) (len 0: everything):
// flushes this CPU's TLB and every other online CPU's, and returns once all
// have done so.
// The caller must not hold a lock another CPU may spin on with interrupts
// off (that CPU would never take the IPI).
void smp_tlb_shootdown(vaddr_t va, size_t len);
// The same without the local flush: what mm/vm.h's vm_tlb_remote_flush
// points at on architectures whose TLB maintenance does not broadcast.
void smp_tlb_flush_others(vaddr_t va, size_t len);

// IPIs of each kind this CPU has received (tests and statistics).
uint64_t smp_ipi_count(unsigned cpu, enum ipi_kind kind);

// hal_ticks() at kernel entry (percpu_init_boot) and when the last CPU came
// online in smp_init() (the boot-time benchmark prints the difference).
extern uint64_t smp_entry_ticks, smp_all_online_ticks;
