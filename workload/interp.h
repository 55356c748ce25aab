// SPDX-License-Identifier: MIT
// The rt-app phase interpreter: one source for what a workload thread does
// next, compiled into the kernel's workload runner (kernel/workload_run.c)
// and into the host simulator (sim/run.c), so both run the same semantics.
//
// The interpreter owns a thread's place in its program (loops, phases,
// events), the per-thread "unique" timers and the resources' state (mutex
// owner with FIFO hand-over, condition / barrier / suspend wait lists,
// shared timers). It never blocks and never takes time: wl_step() carries
// out every zero-time event at once and returns the first action the host
// must perform (run, sleep, block, yield, move, fork, exit); the host
// performs it and calls wl_step() again. The host supplies three
// operations (struct wl_ops): the clock, waking a blocked thread, and
// setting a thread's affinity for a new phase. None of them may sleep, so
// a host can call wl_step() under a spinlock; starting a thread (which
// allocates) is an action, done by the host outside its lock.
//
// Locking: none here. A host with real concurrency (the kernel) calls
// wl_step(), wl_res_pop() and the ops under one lock of its own that
// guards every struct wl_prog and struct wl_res of a run; the simulator
// has one host thread and needs none.
#pragma once

#include <lib/cpumask.h>
#include <lib/types.h>
#include <workload/rtapp.h>

struct wl_prog;

// A resource of the workload (one per struct wl_resource).
struct wl_res {
	struct wl_prog *owner;        // mutex: the holder, NULL when free
	struct wl_prog *head, **tail; // FIFO waiters (tail NULL: empty)
	unsigned count;               // barrier arrivals
	uint64_t next;                // shared timer: next expiry
	bool started;                 // shared timer used once
};

// One thread's place in its task's program. The host embeds it in its own
// thread structure and finds that structure back with container_of.
struct wl_prog {
	unsigned task;      // index into workload.task
	int64_t loops_left; // task loops still to start (-1: forever)
	unsigned phase;
	int64_t phase_left; // runs of the current phase left, this one included
	unsigned ev;        // next event of the current phase
	uint64_t *timers;   // "unique" timers: next expiry per resource
	struct wl_prog *wnext; // wait-list link
	uint16_t wait_cond;    // WL_WAIT / WL_SYNC: the mutex to retake
	unsigned spins;        // zero-time events since the last action
};

struct wl_run;

struct wl_ops {
	uint64_t (*now)(struct wl_run *r); // ns on the run's clock
	// p was blocked (BLOCK returned) and may run again.
	void (*wake)(struct wl_run *r, struct wl_prog *p);
	// p enters a phase: its allowed CPUs are m (all CPUs when !has).
	// Returns true when the CPU p runs on is no longer allowed.
	bool (*set_affinity)(struct wl_run *r, struct wl_prog *p,
	                     const struct cpumask *m, bool has);
};

struct wl_run {
	const struct workload *w;
	struct wl_res *res; // w->nres entries (wl_run_init)
	const struct wl_ops *ops;
	void *host; // the host's own state
};

enum wl_act_kind {
	WL_ACT_RUN,     // compute ns of the thread's own CPU time
	WL_ACT_RUNTIME, // stay on the CPU until ns of clock time passed
	WL_ACT_SLEEP,   // sleep until the clock reads `until`
	WL_ACT_BLOCK,   // wait until ops->wake (the thread is queued)
	WL_ACT_YIELD,   // give the CPU up, stay runnable
	WL_ACT_MOVE,    // the new phase's affinity excludes this CPU
	WL_ACT_FORK,    // start one thread of task `ns`, then step again
	WL_ACT_EXIT,    // the program is over
};

struct wl_act {
	enum wl_act_kind kind;
	uint64_t ns; // RUN, RUNTIME: length; SLEEP: wake-up time; FORK: task
};

// After this many zero-time events in a row (forks included), wl_step()
// returns a 1 us run
// so a program that loops without taking time still moves the clock on
// (and, in the kernel, still reaches a preemption point).
#define WL_SPIN_LIMIT 4096
#define WL_SPIN_RUN_NS 1000

// r->res must hold w->nres zeroed entries; sets their wait lists empty.
void wl_run_init(struct wl_run *r);
// p starts task `task`; timers must hold w->nres entries (or be NULL when
// w->nres is 0). Returns the first phase's affinity through *m / *has.
void wl_prog_init(const struct wl_run *r, struct wl_prog *p, unsigned task,
                  uint64_t *timers, const struct cpumask **m, bool *has);
// The next action of p (see the file comment). Zero-time events, timers
// that already expired and resources that are free are dealt with inside.
struct wl_act wl_step(struct wl_run *r, struct wl_prog *p);
// Removes and returns the first waiter of res (NULL when none): the host
// uses it to release every waiter when it stops a run early.
struct wl_prog *wl_res_pop(struct wl_res *res);
