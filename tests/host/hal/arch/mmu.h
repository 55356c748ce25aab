// SPDX-License-Identifier: MIT
// Host stand-in for arch/mmu.h: host tests of mm/vm.c build tables in
// ordinary memory with the x86_64 encodings; nothing is ever activated.
#pragma once

#include <hal/x86_64/arch/mmu.h>
