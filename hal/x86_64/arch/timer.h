// SPDX-License-Identifier: MIT
// x86_64 implementation of the inline part of hal/timer.h: the clock is
// the TSC scaled by a 32.32 factor (timer.c sets both values once, at
// hal_timer_init; 0 before that).
#pragma once

#include <hal/cpu.h>

extern uint64_t x86_tsc0, x86_tsc_mult;

static inline uint64_t hal_time_ns(void)
{
	uint64_t t = hal_ticks();

	if (!x86_tsc_mult || t < x86_tsc0)
		return 0;
	return (uint64_t)(((unsigned __int128)(t - x86_tsc0) * x86_tsc_mult) >>
	                  32);
}
