// SPDX-License-Identifier: MIT
// The scheduler core's per-CPU run queue (kernel/sched/core.c only, and
// its tests).
#pragma once

#include <kernel/sched/policy.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/timer.h>
#include <lib/spinlock.h>

// Class 0 is the real-time class, class 1 the policy chosen by sched=.
#define SCHED_CLASS_RT 0u
#define SCHED_CLASS_FAIR 1u
#define SCHED_NCLASSES 2u

// Lock key r = lock. `curr` is also read racily by other CPUs (hints).
struct rq {
	spinlock_t lock;
	unsigned cpu;
	struct thread *curr; // r: running thread (idle included)
	struct thread *idle; // constant once set
	struct thread *prev; // r: the thread being switched away from
	struct thread *move; // r: runnable prev that must leave this CPU
	unsigned nr_running; // r: threads on this rq (queued + running)
	struct sched_rq cls[SCHED_NCLASSES]; // r
	uint64_t clock;     // r: sched_rq_clock(), read when r is taken
	uint64_t slice_end; // r: 0 when none
	struct ktimer slice_timer;
	uint64_t idle_mark;           // r: when the idle thread started running
	uint64_t balance_mark;        // own CPU: next periodic balance call
	struct sched_cpu_stats stats; // r
};

extern const struct sched_ops sched_rt_ops;
extern const struct sched_ops sched_eevdf_ops;
extern const struct sched_ops sched_minimal_ops;
