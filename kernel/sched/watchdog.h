// SPDX-License-Identifier: MIT
// The stall watchdog and the work-conservation checker (docs/sched.md,
// "Watchdog"). Both run from a per-CPU timer of the scheduler's timer queue
// while enabled; they read other CPUs' run queues racily and report with
// pr_warn, never stopping the machine.
//
//   stall: a CPU with runnable threads waiting that has not been through
//          the scheduler (a switch or a re-pick) for `stall_ns`. Each CPU
//          checks itself and the next online CPU, so a CPU spinning with
//          interrupts off is still seen when there are two. The report
//          names the running thread, the preemption count and every queued
//          thread, with a backtrace when the stalled CPU reports itself.
//   wcheck: a CPU that stayed idle for `wcheck_ns` while a thread allowed
//           on it waited on another CPU's run queue the whole time.
#pragma once

#include <lib/types.h>

#define SCHED_WATCHDOG_DEFAULT_MS 2000u
#define SCHED_WCHECK_DEFAULT_MS 100u

// Thresholds (0 = off); from sched_obs_boot (sched.watchdog=MS,
// sched.wcheck=MS) or a test. Takes effect at the next timer.
void sched_watchdog_config(uint64_t stall_ns, uint64_t wcheck_ns);
// Arms the per-CPU timers of every online CPU if a threshold is set.
// Thread context, scheduler running.
void sched_watchdog_start(void);

struct sched_watchdog_counts {
	uint64_t checks;  // timer runs
	uint64_t stalls;  // stall reports
	uint64_t wchecks; // work-conservation reports
};
void sched_watchdog_counts(struct sched_watchdog_counts *out);
// One line for the sched.stats dump.
void sched_watchdog_dump_counts(void);

// The work-conservation rule on one observation of one CPU (the timer
// uses it; tests feed it by hand). `violated`: the CPU is idle and a thread
// allowed on it waits on another CPU's run queue; `sched_at`: when the CPU
// last went through the scheduler. True when this observation is the
// first of a violation that has lasted wcheck_ns (one report per episode).
struct sched_wcheck_state {
	uint64_t since;    // start of the current violation, 0 = none
	uint64_t reported; // `since` of the last episode reported
};
bool sched_wcheck_step(struct sched_wcheck_state *s, bool violated,
                       uint64_t now, uint64_t sched_at, uint64_t wcheck_ns);
