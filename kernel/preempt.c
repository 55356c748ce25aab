// SPDX-License-Identifier: MIT
// The preemption count's out-of-line part (lib/preempt.h; the increment
// and decrement are inline there) on this CPU's struct cpu. Nothing else
// writes another CPU's count.
#include <kernel/percpu.h>
#include <lib/preempt.h>

unsigned preempt_count(void)
{
	return this_cpu()->preempt;
}
