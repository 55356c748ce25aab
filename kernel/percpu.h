// SPDX-License-Identifier: MIT
// Per-CPU data. struct cpu is reachable in O(1) from the CPU it describes
// through this_cpu() (a per-CPU base register set by hal_percpu_set()).
#pragma once

#include <kernel/types.h>

struct cpu {
	struct cpu *self; // first: the HAL may load it with one instruction
	unsigned id;      // 0 .. cpu_count-1, boot CPU 0 (= hal_cpu_id())
	uint64_t hwid;    // APIC ID / MPIDR affinity
	volatile bool online;
	void *stack_top;  // kernel stack of this CPU's boot thread
	unsigned irq_depth;
	uint64_t hal[16]; // owned by the HAL (e.g. TSS pointer, IST stacks)
};

extern struct cpu *cpus[MAX_CPUS];
extern unsigned cpu_count; // CPUs listed (started or not)

#include <hal/cpu.h> // hal_this_cpu()

static inline struct cpu *this_cpu(void)
{
	return hal_this_cpu();
}
