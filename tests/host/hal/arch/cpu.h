// SPDX-License-Identifier: MIT
// Host stand-in for hal/cpu.h: lets neutral code run in ordinary processes.
// "CPU id" is a per-thread number tests set with host_set_cpu_id(); the
// interrupt state is a per-thread flag so nesting can still be checked.
#pragma once

extern __thread unsigned host_cpu_id;
extern __thread bool host_irq_on;

extern __thread struct cpu *host_this_cpu;

// Threads that never set a CPU get a zeroed per-thread struct cpu, so
// the preemption count of spinlocks has somewhere to live.
struct cpu *host_cpu_fallback(void);

static inline struct cpu *hal_this_cpu(void)
{
	return host_this_cpu ? host_this_cpu : host_cpu_fallback();
}

static inline unsigned hal_cpu_id(void)
{
	return host_cpu_id;
}

static inline void hal_cpu_idle(void)
{
	host_irq_on = true;
}
static inline void hal_cpu_relax(void)
{
	__builtin_ia32_pause();
}

static inline irqflags_t hal_irq_save(void)
{
	irqflags_t f = host_irq_on;
	host_irq_on = false;
	return f;
}

static inline void hal_irq_restore(irqflags_t f)
{
	host_irq_on = f;
}
static inline void hal_irq_enable(void)
{
	host_irq_on = true;
}
static inline void hal_irq_disable(void)
{
	host_irq_on = false;
}
static inline bool hal_irq_enabled(void)
{
	return host_irq_on;
}

static inline uint64_t hal_ticks(void)
{
	return __builtin_ia32_rdtsc();
}

void host_set_cpu_id(unsigned id);

// Non-local jumps: the C library's, through macros (setjmp must be called
// directly by the function that wants to return twice).
#include <setjmp.h>
typedef jmp_buf hal_jmp_buf;
#define hal_setjmp(b) setjmp(*(b))
#define hal_longjmp(b, v) longjmp(*(b), (v))
