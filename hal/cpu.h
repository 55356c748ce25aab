// SPDX-License-Identifier: MIT
// HAL: the running CPU. Every function here may be called with interrupts
// off and from interrupt context unless it says otherwise.
#pragma once

#include <lib/types.h>

struct cpu; // kernel/percpu.h

// The running CPU's struct cpu, in O(1) through a per-CPU base register
// (x86_64: GS base; aarch64: TPIDR_EL1) set by hal_percpu_set() (hal/smp.h).
// Valid from the first line of kernel_main() on (percpu_init_boot()).
static inline struct cpu *hal_this_cpu(void);

// Index of the running CPU, 0 .. cpu_count-1 (0 = boot CPU): this_cpu()->id
// (struct cpu keeps id at offset 8 so the HAL can load it directly). Stable
// while interrupts are off (no migration then).
static inline unsigned hal_cpu_id(void);

// Spin-wait hint (pause / yield).
static inline void hal_cpu_relax(void);

// Enables interrupts and waits for one, atomically (no wake-up is lost
// between the two); returns with interrupts on once one was handled.
static inline void hal_cpu_idle(void);

// Interrupt state. save() disables and returns the previous state;
// restore() puts it back, so disabling nests.
typedef unsigned long irqflags_t;
static inline irqflags_t hal_irq_save(void);
static inline void hal_irq_restore(irqflags_t flags);
static inline void hal_irq_enable(void);
static inline void hal_irq_disable(void);
static inline bool hal_irq_enabled(void);

// Stop this CPU for good (interrupts off, wait-for-interrupt loop).
__noreturn void hal_cpu_halt(void);

// Free-running counter and its frequency (x86_64: TSC; aarch64: CNTVCT).
static inline uint64_t hal_ticks(void);
uint64_t hal_ticks_hz(void);

// Frame-pointer walk from the caller's frame: stores up to max return
// addresses, returns how many. Safe on a corrupt stack (stops at the first
// frame outside the kernel stack bounds it knows).
unsigned hal_backtrace(uintptr_t *pcs, unsigned max);

// Non-local jumps for the kernel (fault probes, kernel/fault.h): saves the
// callee-saved registers, stack and return address in hal_jmp_buf (from
// arch/cpu.h); hal_longjmp(b, v) returns from hal_setjmp(b) again with v
// (1 if v is 0). Interrupt state is not saved.
#include <arch/cpu.h>
