// SPDX-License-Identifier: MIT
// x86_64 implementation of the inline part of hal/cpu.h.
#pragma once

// The GS base points at the running CPU's struct cpu, whose first field
// is a pointer to itself and whose id is at offset 8 (kernel/percpu.h).
static inline struct cpu *hal_this_cpu(void)
{
	struct cpu *c;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}

static inline unsigned hal_cpu_id(void)
{
	unsigned id;

	__asm__ volatile("movl %%gs:8, %0" : "=r"(id));
	return id;
}

static inline void hal_cpu_relax(void)
{
	__asm__ volatile("pause");
}

static inline void hal_cpu_idle(void)
{
	// sti delays interrupts by one instruction: none slips in before hlt.
	__asm__ volatile("sti; hlt" ::: "memory");
}

static inline irqflags_t hal_irq_save(void)
{
	irqflags_t f;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f)::"memory");
	return f;
}

static inline void hal_irq_restore(irqflags_t f)
{
	if (f & (1ul << 9))
		__asm__ volatile("sti" ::: "memory");
}

static inline void hal_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}
static inline void hal_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline bool hal_irq_enabled(void)
{
	irqflags_t f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f & (1ul << 9);
}

static inline uint64_t hal_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

typedef struct {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
} hal_jmp_buf;
int hal_setjmp(hal_jmp_buf *b) __attribute__((returns_twice));
__noreturn void hal_longjmp(hal_jmp_buf *b, int v);
