// SPDX-License-Identifier: MIT
// AArch64 implementation of the inline part of hal/timer.h: the clock is
// the virtual counter scaled by a 32.32 factor (timer.c sets both values
// once, at hal_timer_init, before any CPU reads the clock).
#pragma once

#include <hal/cpu.h>

extern uint64_t a64_time_base_ticks, a64_time_ns_mult;

static inline uint64_t hal_time_ns(void)
{
	uint64_t t = hal_ticks() - a64_time_base_ticks;

	return (uint64_t)(((unsigned __int128)t * a64_time_ns_mult) >> 32);
}
