// SPDX-License-Identifier: MIT
// Per-CPU data: the struct cpu of every CPU. The boot CPU's is static (it
// is needed before any allocator exists); the others come from the heap.
// cpus[] and cpu_count are written by the boot CPU only, before the CPUs
// they describe start; read-only afterwards.
#include <stddef.h>
#include <string.h>
#include <hal/smp.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <lib/preempt.h>
#include <mm/heap.h>

_Static_assert(offsetof(struct cpu, self) == 0, "HAL loads self at 0");
_Static_assert(offsetof(struct cpu, id) == 8, "HAL loads id at 8");
_Static_assert(offsetof(struct cpu, preempt) == PREEMPT_COUNT_OFFSET,
               "lib/preempt.h finds the preemption count there");
_Static_assert(offsetof(struct cpu, need_resched) == PREEMPT_RESCHED_OFFSET,
               "lib/preempt.h finds the reschedule flag there");

struct cpu *cpus[MAX_CPUS];
unsigned cpu_count;
static struct cpu cpu_boot;

struct cpu *percpu_alloc(unsigned id, uint64_t hwid)
{
	struct cpu *c;

	if (id >= MAX_CPUS)
		return NULL;
	c = id == 0 ? &cpu_boot : kzalloc(sizeof(*c));
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->self = c;
	c->id = id;
	c->hwid = hwid;
	cpus[id] = c;
	if (id >= cpu_count)
		cpu_count = id + 1;
	return c;
}

void percpu_init_boot(void)
{
	struct cpu *c = percpu_alloc(0, 0);

	smp_entry_ticks = hal_ticks();
	c->online = true;
	hal_percpu_set(c);
}
