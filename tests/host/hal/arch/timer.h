// SPDX-License-Identifier: MIT
// Host stand-in for the inline part of hal/timer.h: the clock is
// CLOCK_MONOTONIC (tests/host/hal/smp.c).
#pragma once

uint64_t hal_time_ns(void);
