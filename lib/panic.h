// SPDX-License-Identifier: MIT
// panic() is for broken invariants (bugs), never for bad input: it prints the
// message, the caller's registers and a symbolized backtrace, then stops the
// machine (in test mode, QEMU exits with a failure status).
// An upward interface (docs/layers.md): every floor may panic; the
// implementation is on the top floor (kernel/panic.c).
#pragma once

#include <lib/types.h>

__noreturn void panic(const char *fmt, ...) __printf_like(1, 2);

#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (unlikely(!(cond)))                                         \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, \
			      __LINE__);                                       \
	} while (0)

#define ASSERT_MSG(cond, ...)                                                  \
	do {                                                                   \
		if (unlikely(!(cond)))                                         \
			panic(__VA_ARGS__);                                    \
	} while (0)

// Test hook: when non-NULL, panic() formats its message and calls the hook
// first. A hook that does not return (host tests longjmp out of it) turns a
// panic into a test result. Normal kernels leave it NULL.
extern void (*panic_hook)(const char *msg);

// Exit status panic() leaves QEMU with; -1 (default) halts instead. Set by
// test mode so a panic fails the run rather than hanging it.
extern int panic_exit_status;

// Prints a symbolized backtrace of the caller.
void backtrace_print(void);
