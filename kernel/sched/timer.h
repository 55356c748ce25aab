// SPDX-License-Identifier: MIT
// Per-CPU timer queue: many deadlines (slice ends, sleep_ns) on the one
// HAL one-shot timer of each CPU. The HAL timer is armed for the earliest
// deadline only, and not at all when the queue is empty (tickless idle).
#pragma once

#include <lib/types.h>
#include <lib/wait.h>

struct ktimer {
	uint64_t deadline;            // q: absolute, hal_time_ns()
	void (*fn)(struct ktimer *t); // runs on the arming CPU, interrupts off
	struct ktimer *next;          // q
	unsigned cpu;                 // q: the queue it is on
	bool armed;                   // q
};

// Sets this CPU's HAL timer handler to the queue's (every CPU, at
// sched_init; tests that borrow the HAL timer call it again after).
void ktimer_init_cpu(void);

// Queues t on this CPU for deadline (re-arming moves it). Any context.
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);

// Takes t off its queue; if its fn is running on some CPU, waits until it
// returned, so t may be freed afterwards. True if t was still queued. Not
// from t's own fn.
bool ktimer_cancel(struct ktimer *t);

// sleep_ns() and sleep_until_ns(): lib/wait.h (implemented in timer.c).
