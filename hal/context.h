// SPDX-License-Identifier: MIT
// HAL: kernel thread contexts (docs/sched.md, "HAL contract").
//
// A context is what a thread that is not running leaves behind: its stack
// pointer, with the callee-saved registers of the ABI saved on its stack
// (the host stand-in keeps a ucontext instead). Kernel threads use
// general-purpose registers only (-mgeneral-regs-only), so no FP/SIMD
// state is saved.
#pragma once

#include <lib/types.h>

struct hal_context; // from arch/context.h

// Prepares c so that the first hal_context_switch() to it runs, on the
// stack [stack_top - stack_size, stack_top), the arch's start trampoline,
// which calls sched_thread_start(entry, arg) (kernel/sched/sched.h) with
// interrupts off. stack_top is 16-byte aligned. Any context.
void hal_context_init(struct hal_context *c, void *stack_top, size_t stack_size,
                      void (*entry)(void *), void *arg);

// Saves the running thread's callee-saved registers and stack pointer in
// from and continues in to; returns when some CPU switches back to from.
// Interrupts must be off on entry; they are off on return (each side
// restores its own interrupt state afterwards). The caller-saved registers
// and flags are the compiler's business across the call.
void hal_context_switch(struct hal_context *from, struct hal_context *to);

// The interrupt return path of the HAL calls sched_irq_exit()
// (kernel/sched/sched.h) after an external interrupt, a timer event or an
// IPI was handled, on the interrupted thread's stack, interrupts off,
// before the interrupted registers are restored. It may switch threads;
// the frame stays on the old thread's stack until it runs again. Never
// called for exceptions or for IST-stack vectors (x86_64 NMI, #DF, #MC).

#include <arch/context.h>
