// SPDX-License-Identifier: MIT
// The simulator's shared state (sim/*.c only). One simulation at a time:
// the policy API (kernel/sched/policy.h) has no context argument, so the
// running simulation is the global sim_cur.
#pragma once

#include <sim/sim.h>

enum sim_ev_kind {
	EV_CPU,     // a CPU's next deadline (slice end, run end, program step)
	EV_WAKE,    // a sleeping / timer-waiting thread wakes
	EV_RESCHED, // a reschedule request reaches its CPU (IPI)
	EV_START,   // an initial thread starts (after its delay)
	EV_SAMPLE,  // run-queue lengths are sampled
};

struct sim_ev {
	uint64_t t, seq;
	uint32_t kind, idx;
	uint64_t gen;
};

struct sim_trace_rec {
	uint64_t ts;
	uint8_t type;
	uint32_t tid, a, b;
	uint64_t c;
};

struct sim_ring {
	struct sim_trace_rec *r;
	uint64_t written;
};

#define SIM_MAX_LEVELS 24

struct sim {
	const struct workload *w;
	struct sim_options o;
	const struct sched_ops *cls[SIM_NCLASSES];
	unsigned ncpu;
	struct sim_cpu *cpu;
	struct sim_thread **th;
	unsigned nth, capth, live;
	struct wl_res *res;
	struct wl_run run; // the phase interpreter's state (workload/interp.h)
	uint64_t now, events, seq;
	struct sim_ev *heap;
	unsigned nheap, capheap;
	unsigned this_cpu; // the CPU whose code runs (the waker)
	unsigned step_cpu; // the CPU of the thread wl_step() runs for
	uint64_t rng;
	// Idle-while-runnable bookkeeping (sim/metrics.c).
	unsigned nidle, nwaiting;
	bool restricted; // some task or phase has "cpus" (sim_acc)
	uint64_t acc_at, iwr_ns, wc_since, wc_longest;
	bool wc_on;
	unsigned wc_violations;
	// Migrations by the lowest domain holding both CPUs.
	char lvl_name[SIM_MAX_LEVELS][24];
	uint64_t lvl_count[SIM_MAX_LEVELS], lvl_cost[SIM_MAX_LEVELS];
	unsigned nlvl;
	uint64_t switches, migrations;
	struct sim_ring *ring;
	unsigned ring_size;
	FILE *rqf;
	uint64_t makespan;
	bool done;
};

extern struct sim *sim_cur;

// core.c: the scheduling mechanics.
void sim_place(struct sim *s, struct sim_thread *t, unsigned flags);
void sim_schedule(struct sim *s, struct sim_cpu *c, unsigned flags);
// The kernel's periodic balancing point (kernel/sched/core.c balance_tick):
// at slice ends and at switches, at most once per simulated ms.
void sim_balance_tick(struct sim *s, struct sim_cpu *c);
void sim_resched_cpu(struct sim *s, struct sim_cpu *c);
void sim_account(struct sim *s, struct sim_cpu *c);
void sim_arm(struct sim *s, struct sim_cpu *c);
uint64_t sim_run_need(const struct sim_cpu *c, const struct sim_thread *t);
unsigned sim_class_of(const struct sim_thread *t);
// run.c: events and the threads' programs.
void sim_run_init(struct sim *s); // the interpreter's state
void sim_push(struct sim *s, uint64_t t, unsigned kind, unsigned idx,
              uint64_t gen);
void sim_step_thread(struct sim *s, struct sim_cpu *c);
// metrics.c: accounting and outputs.
void sim_acc(struct sim *s); // before any state change at s->now
void sim_wc_close(struct sim *s, uint64_t end);
void sim_trace(struct sim *s, unsigned cpu, unsigned type, unsigned tid,
               unsigned a, unsigned b, uint64_t c);
void sim_migrated(struct sim *s, struct sim_thread *t, unsigned from,
                  unsigned to, uint64_t *cost);
void sim_latency(struct sim *s, struct sim_thread *t, uint64_t ns);
int sim_write_outputs(struct sim *s);
void sim_sample(struct sim *s);

enum {
	TR_SWITCH = 1,
	TR_WAKEUP,
	TR_MIGRATE,
	TR_CREATE,
	TR_EXIT,
	TR_IDLE_ENTER,
	TR_IDLE_EXIT,
	TR_MARK
};

void sim_idle_changed(struct sim *s, struct sim_cpu *c, bool idle);
