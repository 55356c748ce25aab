// SPDX-License-Identifier: MIT
// Fault probes (kernel/fault.h). One armed probe per CPU at most, kept in
// a per-CPU slot that only that CPU touches (with interrupts off while it
// is armed), so no lock.
#include <hal/cpu.h>
#include <kernel/fault.h>
#include <lib/printk.h>

struct fault_probe_slot {
	hal_jmp_buf jb;
	struct fault_info info;
};

static struct fault_probe_slot *armed[MAX_CPUS];

const char *fault_access_name(enum fault_access a)
{
	return a == FAULT_WRITE  ? "write"
	       : a == FAULT_EXEC ? "execute"
	                         : "read";
}

bool fault_probe(void (*fn)(void *), void *arg, struct fault_info *fi)
{
	struct fault_probe_slot slot;
	irqflags_t f = hal_irq_save();
	unsigned cpu = hal_cpu_id();
	bool faulted = false;

	if (hal_setjmp(&slot.jb) == 0) {
		armed[cpu] = &slot;
		fn(arg);
	} else {
		*fi = slot.info;
		faulted = true;
	}
	armed[cpu] = NULL;
	hal_irq_restore(f);
	return faulted;
}

void fault_probe_catch(const struct fault_info *fi)
{
	struct fault_probe_slot *slot = armed[hal_cpu_id()];

	if (!slot)
		return;
	slot->info = *fi;
	printk("fault probe: caught %s %s at %#lx from pc %#lx\n",
	       fi->present ? "protection fault," : "not-present fault,",
	       fault_access_name(fi->access), (unsigned long)fi->addr,
	       (unsigned long)fi->pc);
	hal_longjmp(&slot->jb, 1);
}
