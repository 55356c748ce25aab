// SPDX-License-Identifier: MIT
// Host stand-in for hal/context.h on ucontext: the new context starts in
// host_thread_start, which calls sched_thread_start(entry, arg) as the
// kernel's trampolines do.
#include <hal/context.h>
#include <kernel/sched/sched.h>

static void host_thread_start(unsigned hi, unsigned lo)
{
	struct hal_context *c =
	    (struct hal_context *)(uintptr_t)((uint64_t)hi << 32 | lo);

	sched_thread_start(c->entry, c->arg);
}

void hal_context_init(struct hal_context *c, void *stack_top, size_t stack_size,
                      void (*entry)(void *), void *arg)
{
	uint64_t p = (uint64_t)(uintptr_t)c;

	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = (char *)stack_top - stack_size;
	c->uc.uc_stack.ss_size = stack_size;
	c->uc.uc_link = NULL;
	c->entry = entry;
	c->arg = arg;
	makecontext(&c->uc, (void (*)(void))host_thread_start, 2,
	            (unsigned)(p >> 32), (unsigned)p);
}

void hal_context_switch(struct hal_context *from, struct hal_context *to)
{
	swapcontext(&from->uc, &to->uc);
}
