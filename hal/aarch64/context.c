// SPDX-License-Identifier: MIT
// AArch64 thread contexts (hal/context.h): the first frame of a new thread,
// laid out as hal_context_switch (context.S) loads it.
#include <hal/context.h>

void a64_thread_trampoline(void);

void hal_context_init(struct hal_context *c, void *stack_top, size_t stack_size,
                      void (*entry)(void *), void *arg)
{
	// x19 .. x28, x29, x30: 12 slots, 96 bytes, sp stays 16-byte aligned.
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top - 96);

	(void)stack_size;
	for (int i = 0; i < 12; i++)
		sp[i] = 0;
	sp[0] = (uint64_t)(uintptr_t)entry; // x19
	sp[1] = (uint64_t)(uintptr_t)arg;   // x20
	sp[10] = 0;                         // x29: ends the frame chain
	sp[11] = (uint64_t)(uintptr_t)a64_thread_trampoline; // x30
	c->sp = sp;
}
