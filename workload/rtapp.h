// SPDX-License-Identifier: MIT
// rt-app workloads (the JSON format of Linaro's rt-app, documented in
// Debian's rt-app package, /usr/share/doc/rt-app/tutorial.txt) turned into
// a neutral description: tasks with instances, loops, affinity, policy and
// priority, and phases of events. The host simulator (sim/) runs it on
// simulated CPUs; the kernel is to run the same description as kernel
// threads (docs/research.md says what is still missing there).
//
// Times are nanoseconds (rt-app writes microseconds). Resources (mutexes,
// condition variables, barriers, timers, suspend/resume events) are named
// in the file and numbered here; each name has one kind. Every key of the
// file is understood or refused: an unknown key is an error naming it and
// where it is, never silently ignored. Keys rt-app uses only for its own
// logging or for Linux features Cairn does not model are accepted and
// listed in docs/research.md.
//
// No locks: a parsed workload is read-only; wl_free() releases it.
#pragma once

#include <lib/cpumask.h>
#include <lib/types.h>

#define WL_NAME_MAX 48
#define WL_MAX_TASKS 1024
#define WL_MAX_THREADS 65536 // instances over all tasks
#define WL_MAX_RESOURCES 1024
#define WL_MAX_EVENTS 256 // per phase
#define WL_MAX_PHASES 256 // per task
#define WL_LOOP_FOREVER (-1)

enum wl_event_type {
	WL_RUN,     // compute ns of work (slower on remote memory)
	WL_RUNTIME, // stay runnable until ns of wall time have passed
	WL_SLEEP,   // block for ns
	WL_TIMER,   // block until the next period of timer res (ns period)
	WL_BARRIER, // block until every thread using res has arrived
	WL_LOCK,    // take mutex res (FIFO hand-over)
	WL_UNLOCK,  // release mutex res
	WL_WAIT,    // release mutex res2, wait on condition res, retake res2
	WL_SIGNAL,  // wake one waiter of condition res
	WL_BROAD,   // wake every waiter of condition res
	WL_SYNC,    // signal condition res, then wait on it (mutex res2)
	WL_SUSPEND, // block until res is resumed (a pending resume counts)
	WL_RESUME,  // wake the threads suspended on res (or leave it pending)
	WL_FORK,    // start one new thread of task `task`
	WL_YIELD,   // give the CPU up
	WL_EVENT_TYPES
};

enum wl_res_kind {
	WL_RES_MUTEX,
	WL_RES_COND,
	WL_RES_BARRIER,
	WL_RES_TIMER,
	WL_RES_EVENT, // suspend / resume
};

enum wl_policy {
	WL_SCHED_OTHER, // fair class; priority = nice
	WL_SCHED_FIFO,  // real-time; priority 1..99
	WL_SCHED_RR,
};

struct wl_event {
	uint8_t type;  // enum wl_event_type
	bool absolute; // WL_TIMER: "mode": "absolute"
	uint16_t res;  // resource (by type)
	uint16_t res2; // WL_WAIT / WL_SYNC: the mutex
	uint16_t task; // WL_FORK: task index
	uint64_t ns;   // WL_RUN, WL_RUNTIME, WL_SLEEP, WL_TIMER (period)
	unsigned line; // where the event is in the file
};

struct wl_phase {
	struct wl_event *ev;
	unsigned nev;
	int64_t loop; // >= 1
	bool has_cpus;
	struct cpumask cpus; // "cpus" of the phase: affinity while it runs
};

struct wl_task {
	char name[WL_NAME_MAX];
	unsigned instances; // started at the beginning (0: only by fork)
	int64_t loop;       // times the phase list runs; WL_LOOP_FOREVER
	uint8_t policy;     // enum wl_policy
	int nice;           // WL_SCHED_OTHER
	unsigned rt_prio;   // WL_SCHED_FIFO / RR: 1..99
	bool has_cpus;
	struct cpumask cpus; // "cpus": allowed CPUs (else all)
	int mem_node;        // "nodes_membind": home node, -1 = first touch
	uint64_t delay_ns;   // "delay": start after
	struct wl_phase *ph;
	unsigned nph;
};

struct wl_resource {
	char name[WL_NAME_MAX];
	uint8_t kind;   // enum wl_res_kind
	unsigned users; // WL_RES_BARRIER: threads that use it
};

struct workload {
	struct wl_task *task;
	unsigned ntasks;
	struct wl_resource *res;
	unsigned nres;
	int64_t duration_ns; // "global"."duration"; -1: until all tasks end
	uint8_t default_policy;
	unsigned max_cpu; // highest CPU named in a "cpus" list + 1
};

struct wl_error {
	unsigned line, col; // 0 when no place applies
	char msg[200];
};

// Parses an rt-app JSON file of len bytes into *out. E_INVAL with e
// filled (place and what was wrong), E_NOMEM when the heap ran out.
__must_check err_t wl_parse(const char *text, size_t len, struct workload **out,
                            struct wl_error *e);
void wl_free(struct workload *w);
const char *wl_event_name(unsigned type);
// Threads started at the beginning (the sum of instances).
unsigned wl_initial_threads(const struct workload *w);
