// SPDX-License-Identifier: MIT
// Per-CPU data. struct cpu is reachable in O(1) from the CPU it describes
// through this_cpu() (a per-CPU base register set by hal_percpu_set()).
//
// Layout is an ABI with the HAL: `self` at offset 0 and `id` at offset 8, so
// hal_this_cpu() and hal_cpu_id() are one load each (checked in percpu.c);
// and with lib/preempt.h: the preemption count and the reschedule flag.
// Fields are written by their own CPU only, except `online` (set by the CPU
// itself, read by the boot CPU) and what smp_init() fills in before start.
#pragma once

#include <lib/types.h>

struct cpu {
	struct cpu *self; // first: the HAL may load it with one instruction
	unsigned id;      // 0 .. cpu_count-1, boot CPU 0 (= hal_cpu_id())
	// At offsets lib/preempt.h knows (PREEMPT_*_OFFSET, checked in
	// percpu.c): its inline lock primitives read them.
	unsigned preempt;           // preemption count (lib/preempt.h)
	volatile bool need_resched; // set by any CPU under this CPU's rq lock
	uint64_t hwid;              // APIC ID / MPIDR affinity
	volatile bool online;
	void *stack_top;         // kernel stack of this CPU's boot thread
	unsigned irq_depth;      // irq_push() nesting (below)
	unsigned long irq_saved; // interrupt state before the outermost push
	uint64_t online_ns;      // hal_time_ns() when it reported online
	uint64_t timer_fired;    // timer events handled on this CPU
	struct thread *thread;   // running thread (NULL before sched_init)
	void *rq;                // scheduler's run queue (kernel/sched/core.c)
	uint64_t hal[16]; // owned by the HAL (e.g. TSS pointer, IST stacks)
};

extern struct cpu *cpus[MAX_CPUS];
extern unsigned cpu_count; // CPUs listed (started or not)

// First line of kernel_main(): makes this_cpu() valid on the boot CPU
// (cpus[0], id 0) before anything can call hal_cpu_id().
void percpu_init_boot(void);

// The struct cpu for index id (zeroed, self and id set, listed in cpus[]);
// boot CPU only, before the CPU is started. NULL when out of memory.
struct cpu *percpu_alloc(unsigned id, uint64_t hwid);

#include <hal/cpu.h> // hal_this_cpu()

static inline struct cpu *this_cpu(void)
{
	return hal_this_cpu();
}

// irq_push()/irq_pop(): interrupt disabling that nests across functions
// through the per-CPU depth counter (the outermost pop restores the state
// the outermost push found). For code that cannot pass flags around.
static inline void irq_push(void)
{
	irqflags_t f = hal_irq_save();
	struct cpu *c = this_cpu();

	if (c->irq_depth++ == 0)
		c->irq_saved = f;
}

static inline void irq_pop(void)
{
	struct cpu *c = this_cpu();

	if (--c->irq_depth == 0)
		hal_irq_restore(c->irq_saved);
}
