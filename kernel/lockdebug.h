// SPDX-License-Identifier: MIT
// Lock debugging's kernel side (lib/spinlock.h has the hooks the locks
// call; docs/locking.md the order it checks).
#pragma once

#include <lib/spinlock.h> // lockdebug_on
#include <lib/types.h>

// Turns the checks on for the rest of the run (command line `lockdebug`,
// or a test). Locks held at that moment are not known to the order check.
void lockdebug_enable(void);
// Problems reported since boot (order, not held, sleeping while atomic).
uint64_t lockdebug_reports(void);
// The caller may sleep: reports it (with a backtrace) when the running
// thread holds a spinlock or has interrupts off. Thread context.
// Off, one flag test inline (it is on every sleeping call's path).
void lockdebug_might_sleep_slow(const char *fn);
static inline void lockdebug_might_sleep(const char *fn)
{
	if (unlikely(lockdebug_on))
		lockdebug_might_sleep_slow(fn);
}
