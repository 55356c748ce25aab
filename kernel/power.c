// SPDX-License-Identifier: MIT
// kernel_exit(): the one way the kernel ends a run with a status.
#include <hal/power.h>
#include <kernel/power.h>
#include <kernel/printk.h>

__noreturn void kernel_exit(int status)
{
	printk("cairn: exit status %d\n", status);
	hal_machine_exit(status);
}
