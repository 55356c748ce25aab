// SPDX-License-Identifier: MIT
// Host stand-in for arch/pt_defs.h (see tests/host/hal/arch/mmu.h).
#pragma once

#include <hal/x86_64/arch/pt_defs.h>
