// SPDX-License-Identifier: MIT
// The stack protector is off in the kernel, but libfdt.a was built with it:
// its checks land here. Kernel only (the loader links no libfdt; the host
// has the C library's).
#include <stdint.h>
#include <lib/panic.h>

__attribute__((noreturn)) void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed");
}
uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull;
