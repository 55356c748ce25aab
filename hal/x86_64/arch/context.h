// SPDX-License-Identifier: MIT
// x86_64 part of hal/context.h: a context is the saved stack pointer; the
// stack holds rbp, rbx, r12-r15 and the return address (context.S).
#pragma once

struct hal_context {
	void *sp;
};
