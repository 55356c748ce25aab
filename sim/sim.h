// SPDX-License-Identifier: MIT
// The scheduling simulator (tools/cairn-sim, docs/research.md): the
// kernel's policy files (kernel/sched/eevdf.c, minimal.c, rt.c) and
// domain builder linked unmodified against a simulated core: simulated
// CPUs, a virtual clock and a discrete-event loop. One host thread; every
// decision is a function of the inputs and the seed, so two runs give the
// same bytes.
//
// Host-only layer (docs/layers.md): sim/ may include any neutral header
// and the host's C library; nothing neutral includes sim/.
#pragma once

#include <stdio.h>
#include <kernel/sched/policy.h>
#include <workload/interp.h>
#include <workload/rtapp.h>

#define SIM_NCLASSES 2 // 0: real-time (rt.c), 1: the fair policy
#define SIM_CLASS_RT 0u
#define SIM_CLASS_FAIR 1u
#define SIM_NONE (~0u)

// The cost model (docs/research.md, "Cost model"); all ns or per-mille.
struct sim_costs {
	uint64_t switch_ns;    // every switch to another thread
	uint64_t ipi_ns;       // a remote reschedule reaches its CPU
	uint64_t refill_bpns;  // cache refill bandwidth, bytes per ns
	uint64_t wss_bytes;    // a thread's working set (cache-cold cost cap)
	unsigned mem_permille; // share of a run that waits on memory
	uint64_t
	    def_cache[4]; // cache sizes by level when the topology has none
};

struct sim_options {
	const char *policy;  // fair-class policy name
	const char *out_dir; // NULL: no files
	uint64_t seed;
	unsigned jitter_permille; // run lengths vary +-this (seeded)
	uint64_t max_ns;          // stop at this virtual time
	uint64_t sample_ns;       // run-queue sampling period (0: off)
	uint64_t wc_threshold_ns; // idle-while-runnable episode = violation
	unsigned trace_records;   // per CPU ring size (0: no trace)
	struct sim_costs costs;
	bool quiet;
};

enum sim_state { ST_NEW, ST_RUNNABLE, ST_BLOCKED, ST_DEAD };

struct sim_thread {
	struct sched_entity se;
	unsigned id;   // 1.. (0 is "idle" in traces)
	unsigned task; // workload task
	unsigned instance;
	enum sim_state state;
	bool on_rq;        // queued or running
	unsigned last_cpu; // SIM_NONE before the first run
	int home_node;     // memory home; -1 until first touch
	// Where the thread is in its program (workload/interp.c).
	struct wl_prog prog;
	bool in_run;          // a run/runtime action is in progress
	uint64_t work_left;   // WL_ACT_RUN: ns of work still to do
	uint64_t runtime_end; // WL_ACT_RUNTIME: virtual time it ends
	// Accounting.
	uint64_t mark_ns; // when it last became runnable / started running
	uint64_t wake_ns; // when it last woke (latency start)
	bool woken;       // next run ends a wake-up latency
	uint64_t run_ns, wait_ns, overhead_ns;
	unsigned switches, migrations, wakeups;
	uint64_t *lat; // wake-up latencies (ns)
	unsigned nlat, caplat;
	uint64_t gen; // invalidates its pending wake event
	uint64_t start_ns, end_ns;
};

struct sim_cpu {
	struct sched_rq cls[SIM_NCLASSES];
	unsigned cpu, node;
	struct sim_thread *curr; // NULL: idle
	unsigned nr_running;     // queued + running
	bool need_resched;
	uint64_t slice_end; // 0: none
	uint64_t seg_start; // when the running thread's progress (re)started
	unsigned factor;    // per-mille speed penalty of curr (remote memory)
	uint64_t gen;       // invalidates its pending CPU event
	uint64_t idle_since;
	uint64_t idle_ns, busy_ns;
	unsigned switches;
	uint64_t balance_mark; // next periodic balance_tick (kernel: 1 ms)
};

struct sim;
// The simulator's state and its entry points (sim/core.c, sim/run.c).
struct sim *sim_create(const struct workload *w, const struct sim_options *o);
int sim_run(struct sim *s); // 0 or an error (message printed)
void sim_destroy(struct sim *s);
uint64_t sim_events(const struct sim *s);
uint64_t sim_now_ns(const struct sim *s);
const struct sched_ops *sim_find_policy(const char *name);
void sim_list_policies(FILE *f);
