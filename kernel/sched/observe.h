// SPDX-License-Identifier: MIT
// What the scheduler core tells the observers (docs/sched.md, "Seeing what
// it did"): the trace (kernel/trace.h), the statistics of `sched.stats`
// (kernel/sched/stats.c) and the stall watchdog / work-conservation checker
// (kernel/sched/watchdog.c).
//
// Hot path: each hook is inline and tests one flag, `sched_obs_on`, marked
// unlikely; it is non-zero only when trace=sched, sched.stats,
// sched.watchdog or sched.wcheck asked for it at boot, and is written only
// before the scheduler starts (sched_obs_boot) and by trace_stop() /
// trace_start(). With everything off a hook is one load and one
// never-taken branch; the work is out of line in stats.c.
//
// Every hook runs with interrupts off and, except sched_obs_create, with
// the run-queue lock of `rq` held (the core's *_locked context).
#pragma once

#include <lib/types.h>

struct rq;
struct thread;

// Bits of sched_obs_on.
#define SCHED_OBS_TRACE 1u // trace=sched is recording
#define SCHED_OBS_STATS 2u // sched.stats, watchdog, wcheck: counters

extern unsigned sched_obs_on;

void sched_obs_switch_slow(struct rq *rq, struct thread *prev,
                           struct thread *next, uint64_t now);
void sched_obs_wake_slow(struct rq *rq, struct thread *t, unsigned flags);
void sched_obs_migrate_slow(struct rq *rq, struct thread *t, unsigned from);
void sched_obs_create_slow(struct thread *t);

// rq's CPU picked next after prev (next == prev: it carries on). Called
// after set_next_locked, before the context switch.
static inline void sched_obs_switch(struct rq *rq, struct thread *prev,
                                    struct thread *next, uint64_t now)
{
	if (unlikely(sched_obs_on))
		sched_obs_switch_slow(rq, prev, next, now);
}

// t was just queued on rq (a wake-up, a new thread, a move).
static inline void sched_obs_wake(struct rq *rq, struct thread *t,
                                  unsigned flags)
{
	if (unlikely(sched_obs_on))
		sched_obs_wake_slow(rq, t, flags);
}

// t starts running on rq's CPU; it last ran on `from`.
static inline void sched_obs_migrate(struct rq *rq, struct thread *t,
                                     unsigned from)
{
	if (unlikely(sched_obs_on))
		sched_obs_migrate_slow(rq, t, from);
}

// A new thread is about to become runnable (no lock held).
static inline void sched_obs_create(struct thread *t)
{
	if (unlikely(sched_obs_on))
		sched_obs_create_slow(t);
}
