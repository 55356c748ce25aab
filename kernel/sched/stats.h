// SPDX-License-Identifier: MIT
// Scheduler statistics printed by `sched.stats` at the end of a run
// (docs/sched.md, "Statistics"), and the per-domain-level counters the
// load balancer fills in.
//
// Per CPU: context switches, switch-ins of threads and re-picks of the
// running one, idle time, migrations in by domain level (the lowest domain
// of the destination CPU whose span holds the source CPU), balance attempts
// and failures by level, run-queue length (now, maximum, time-weighted
// average). Per thread: the core's struct thread_stats, summed over live
// and exited threads.
//
// Locking: a CPU's counters are written by that CPU only, under its
// run-queue lock or with interrupts off; the printer reads them racily at
// the end of the run (when the machine is quiet).
#pragma once

#include <lib/types.h>

struct thread;

// Domain levels counted (kernel/sched/domain.h's level numbers; deeper
// levels fall into the last).
#define SCHED_STATS_LEVELS 8u

struct sched_level_stats {
	uint64_t migrations; // threads that came from a CPU of this level
	// Balance passes are counted by the balancer itself
	// (sched_balance_get_stats in kernel/sched/balance.h).
};

struct sched_obs_cpu {
	uint64_t switch_in;   // context switches to a non-idle thread
	uint64_t repick;      // the running thread was picked again
	uint64_t migrate_far; // migrations from a CPU outside every domain
	unsigned nr_now;      // run-queue length at the last event
	unsigned nr_max;
	uint64_t nr_area;        // sum of length x ns since nr_since0
	uint64_t nr_last;        // time of the last event
	uint64_t nr_since0;      // first event
	uint64_t last_switch_ns; // last switch or re-pick (watchdog)
	uint64_t wait_since;     // a wake-up gave the CPU its first waiter
	struct sched_level_stats level[SCHED_STATS_LEVELS];
};

// The counters of cpu (NULL for cpu >= MAX_CPUS).
struct sched_obs_cpu *sched_obs_cpu(unsigned cpu);

// Sums over the threads: the live ones (registered at creation) and the
// exited ones (added when they switch out for the last time).
struct sched_thread_totals {
	uint64_t threads_live, threads_exited;
	uint64_t switches, migrations, wakeups, run_ns, wait_ns;
};
void sched_stats_thread_totals(struct sched_thread_totals *out);

// Prints the statistics between
//   -----BEGIN CAIRN SCHED STATS----- / -----END CAIRN SCHED STATS-----
// (format in docs/sched.md); once. Called on the way out of a run.
void sched_stats_dump(void);

// Kernel boot, before sched_init(): reads sched.stats, sched.watchdog and
// sched.wcheck and turns the counters on if any is set.
void sched_obs_boot(void);
// Turns the counters and the thread registry on (boot, or a test: threads
// created before are not in the registry).
void sched_obs_enable_stats(void);
// After sched_init(): trace records for the threads that exist already
// (main and the idle threads), the watchdog timers.
void sched_obs_start(void);

// ---- The thread registry (stats.c): every thread the core started, for
// the totals and for the watchdog's run-queue reports. Only kept while the
// counters are on. ----

// Calls fn(t, arg) for each registered thread, under the registry's lock
// (a leaf: fn takes no lock).
void sched_obs_for_each_thread(void (*fn)(struct thread *t, void *arg),
                               void *arg);
