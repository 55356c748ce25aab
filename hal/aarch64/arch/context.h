// SPDX-License-Identifier: MIT
// AArch64 part of hal/context.h: a context is the saved stack pointer; the
// stack holds x19-x28, x29 (frame pointer) and x30 (return address)
// (context.S).
#pragma once

struct hal_context {
	void *sp;
};
