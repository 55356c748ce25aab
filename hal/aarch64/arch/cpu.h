// SPDX-License-Identifier: MIT
// AArch64 implementation of the inline part of hal/cpu.h.
#pragma once

// TPIDR_EL1 holds the running CPU's struct cpu (hal_percpu_set()); id is
// at offset 8 (kernel/percpu.h). entry.S zeroes TPIDR_EL1 so that code
// running before percpu_init_boot() (an early panic) sees CPU 0 instead of
// whatever the firmware left there.
static inline struct cpu *hal_this_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c;
}

static inline unsigned hal_cpu_id(void)
{
	const unsigned *c;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(c));
	return c ? c[2] : 0;
}

// WFI wakes on a pending interrupt even while PSTATE.I masks it, so
// waiting masked and unmasking afterwards loses no wake-up; the interrupt
// is taken right after the daifclr.
static inline void hal_cpu_idle(void)
{
	__asm__ volatile("msr daifset, #3; dsb sy; wfi; msr daifclr, #3" ::
	                     : "memory");
}

static inline void hal_cpu_relax(void)
{
	__asm__ volatile("yield");
}

static inline irqflags_t hal_irq_save(void)
{
	irqflags_t f;

	__asm__ volatile("mrs %0, daif; msr daifset, #3" : "=r"(f)::"memory");
	return f;
}

static inline void hal_irq_restore(irqflags_t f)
{
	__asm__ volatile("msr daif, %0" ::"r"(f) : "memory");
}

static inline void hal_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #3" ::: "memory");
}

static inline void hal_irq_disable(void)
{
	__asm__ volatile("msr daifset, #3" ::: "memory");
}

static inline bool hal_irq_enabled(void)
{
	irqflags_t f;

	__asm__ volatile("mrs %0, daif" : "=r"(f));
	return !(f & (1u << 7)); // I bit
}

static inline uint64_t hal_ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
	return v;
}

typedef struct {
	uint64_t x19_x28[10], fp, lr, sp;
} hal_jmp_buf;
int hal_setjmp(hal_jmp_buf *b) __attribute__((returns_twice));
__noreturn void hal_longjmp(hal_jmp_buf *b, int v);
