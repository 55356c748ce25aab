// SPDX-License-Identifier: MIT
// Host stand-in for hal/context.h: a ucontext per thread, so neutral code
// that creates and switches threads links (and can run) in a host program.
#pragma once

#include <ucontext.h>

struct hal_context {
	ucontext_t uc;
	void (*entry)(void *);
	void *arg;
};
