// SPDX-License-Identifier: MIT
// x86_64 thread contexts (hal/context.h): the first frame of a new thread,
// laid out as hal_context_switch (context.S) pops it.
#include <hal/context.h>

void x86_thread_trampoline(void);

void hal_context_init(struct hal_context *c, void *stack_top, size_t stack_size,
                      void (*entry)(void *), void *arg)
{
	// r15 r14 r13 r12 rbx rbp ret, then 16 bytes so that the trampoline
	// runs with rsp 16-byte aligned (it calls with a fresh return address).
	uint64_t *sp = (uint64_t *)((uintptr_t)stack_top - 16) - 7;

	(void)stack_size;
	sp[0] = sp[1] = 0;                  // r15, r14
	sp[2] = (uint64_t)(uintptr_t)arg;   // r13
	sp[3] = (uint64_t)(uintptr_t)entry; // r12
	sp[4] = 0;                          // rbx
	sp[5] = 0;                          // rbp: ends the frame chain
	sp[6] = (uint64_t)(uintptr_t)x86_thread_trampoline;
	c->sp = sp;
}
