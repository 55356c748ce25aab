// SPDX-License-Identifier: MIT
// Placement and load balancing through the scheduling domains, for fair
// policies (docs/sched.md, "Placement and load balancing"). Policy-side
// code: it uses only kernel/sched/policy.h, kernel/sched/domain.h (neutral,
// read-only after boot) and lib/, so it compiles unmodified into host
// programs (the simulator of issue 15).
//
// A policy hands its notion of a CPU's load to sched_balance_init() and
// calls the helpers from its hooks:
//   select_cpu -> sched_wake_cpu()       (bounded: see SCHED_WAKE_SCAN)
//   balance    -> sched_balance_newidle() (the CPU is about to idle)
//   balance_tick -> sched_balance_tick() (busy CPU, periodic per level)
//   cpu_idle   -> sched_balance_idle()   (the tickless-idle mask)
// Its steal hook decides what moves (see eevdf.c).
//
// Statistics are per CPU and per domain level, counted by the CPU that
// balanced (for nohz passes: the CPU pulled for). Counters only grow;
// readers take no lock (values may be a pass apart from each other).
#pragma once

#include <kernel/sched/policy.h>

// Levels with their own counters; deeper domains count in the last one.
#define SCHED_BALANCE_LEVELS 8u
// At most this many CPUs of a last-level cache are looked at per wake-up
// (the previous CPU's LLC, then the waker's if it differs).
#define SCHED_WAKE_SCAN 16u
// No idle CPU for a waking thread: it leaves its previous CPU for the
// least loaded one looked at only if prev's load average is more than
// this % of that one's (Linux's imbalance_pct in wake_affine_weight).
#define SCHED_WAKE_IMBALANCE_PCT 117u
// At most this many threads move in one balance pass (Linux:
// sysctl_sched_nr_migrate, 32); fewer when the imbalance is met first.
#define SCHED_BALANCE_MAX_MOVES 8u

// ---- A run queue's load (docs/sched.md, "Load") ----
// The balancer's notion of a CPU's load, for fair policies: the weight the
// run queue held over time, as a decaying average (after Linux's PELT).
//
// Decay: time runs in periods of 2^SCHED_AVG_PERIOD_SHIFT ns (1.05 ms);
// after n periods at weight w, avg = w + (avg - w) * 2^(-n / 32): a
// half-life of 32 periods (33.6 ms), a step reaching 95 % in about 145 ms.
// Integer only (a table of 2^(-k/32) in 32-bit fixed point and shifts).
//
// Cost: a change of the weight held (a thread joins or leaves the run
// queue) is one multiply-add on the area under the weight since the last
// fold,
//   area = sum over changes of (weight that left - weight that joined) * t
//          + weight held * now,
// kept modulo 2^64 (each term wraps; the true area, weight x window, does
// not). At most every SCHED_LOAD_FOLD_NS the owner folds it: the mean
// weight over the window goes into the average as if held throughout it,
// and a new window starts. Readers see the average as of the last fold.
// (Keeping averages exact at every sleep and wake-up, per thread and per
// run queue, had cost about 135 of a 1,232-instruction one-CPU wake-up
// round trip.) The caller serialises every call for one struct but the
// _remote one (the run queue's lock), and calls sched_load_fold at every
// weight change or at least every few ms.
#define SCHED_AVG_PERIOD_SHIFT 20u
#define SCHED_AVG_HALFLIFE 32u
// The average keeps this many bits below a weight unit, so that small,
// frequent contributions are not lost to rounding.
#define SCHED_AVG_FRAC 10u
#define SCHED_LOAD_FOLD_NS (1ull << SCHED_AVG_PERIOD_SHIFT)

// v * 2^(-periods / 32), rounded down.
uint64_t sched_avg_decay(uint64_t v, uint64_t periods);

struct sched_load {
	struct sched_avg avg; // the folded average; stamp: last fold
	uint64_t area;        // weight x ns since avg.stamp (mod 2^64)
	uint64_t fold_at;     // next fold due (ns)
	uint64_t removed;     // left for another CPU: out at the next fold
};

// w starts (join) or stops (leave) being held at now.
static inline void sched_load_join(struct sched_load *l, uint64_t w,
                                   uint64_t now)
{
	l->area -= w * now;
}
static inline void sched_load_leave(struct sched_load *l, uint64_t w,
                                    uint64_t now)
{
	l->area += w * now;
}
// held: the weight held now (joined and not left). A new struct (zeroed)
// starts its first window at avg.stamp: set it to the time of creation.
void sched_load_fold_slow(struct sched_load *l, uint64_t held, uint64_t now);
static inline void sched_load_fold(struct sched_load *l, uint64_t held,
                                   uint64_t now)
{
	if (now >= l->fold_at)
		sched_load_fold_slow(l, held, now);
}
// The average as of the last fold, less what left since, in weight units.
static inline uint64_t sched_load_avg(const struct sched_load *l)
{
	uint64_t a = __atomic_load_n(&l->avg.load, __ATOMIC_RELAXED);
	uint64_t r = __atomic_load_n(&l->removed, __ATOMIC_RELAXED);

	return (a > r ? a - r : 0) >> SCHED_AVG_FRAC;
}
// A thread of weight w arrives from elsewhere (new, moved) or leaves for
// another CPU: it counts at once, fully, in the average (Linux: a new
// task's load starts at its weight), so that a pull shows on both CPUs
// before the next decision of the same pass.
void sched_load_add(struct sched_load *l, uint64_t w);
void sched_load_sub(struct sched_load *l, uint64_t w);
// sched_load_sub by a CPU that does not hold l's lock (a thread woken
// elsewhere leaves its old CPU's load): seen by readers at once, applied
// to the average at l's next fold.
void sched_load_sub_remote(struct sched_load *l, uint64_t w);

// ---- Waiting threads (the balancer's overload mask) ----
// A class says whether it has threads waiting on cpu (queued, not running:
// what sched_pull could take). Caller holds cpu's run-queue lock (one byte
// per CPU, written only under it). A balance level whose span has no CPU
// with waiting threads is skipped: nothing there could move. Inline: on
// the switch path the answer rarely changes (one load, one compare).
#define SCHED_WAIT_FAIR 1u
#define SCHED_WAIT_RT 2u
extern uint8_t sched_waiting[MAX_CPUS]; // SCHED_WAIT_* bits per CPU
void sched_balance_waiting_set(unsigned cpu, unsigned bits);

static inline void sched_balance_waiting(unsigned cpu, unsigned cls_bit,
                                         bool on)
{
	unsigned was = sched_waiting[cpu];
	unsigned now = on ? was | cls_bit : was & ~cls_bit;

	if (now != was)
		sched_balance_waiting_set(cpu, now);
}

struct sched_balance_stats {
	uint64_t attempts;   // balance passes at this level (all triggers)
	uint64_t newidle;    //   of which: the CPU was about to idle
	uint64_t periodic;   //   of which: the busy CPU's interval expired
	uint64_t nohz;       //   of which: an idle CPU balanced for this one
	uint64_t balanced;   // no imbalance found (or not this CPU's turn)
	uint64_t imbalanced; // an imbalance found: a pull was tried
	uint64_t failed;     // imbalance found but nothing could move
	uint64_t migrations; // threads pulled to this CPU at this level
	uint64_t cpu_reads;  // CPUs whose load the passes read
	uint64_t sum_reads;  // per-LLC summaries they read (levels above it)
};

// Per-LLC summaries read by the levels above the LLC: found fresh (hits)
// or rebuilt by reading the LLC's CPUs (rebuilds). Machine-wide.
struct sched_sum_stats {
	uint64_t hits;
	uint64_t rebuilds;
};

// A summary older than this is rebuilt by its reader (an LLC-level pass
// rebuilds its own LLC's whenever it reads all of it).
#define SCHED_LLC_SUM_NS 4000000ull

// Wake-up placement counters, per CPU that was chosen.
struct sched_wake_stats {
	uint64_t prev_idle;   // the previous CPU was idle
	uint64_t llc_idle;    // an idle CPU of the previous / waker's LLC
	uint64_t remote_idle; // an idle CPU further away (idle mask)
	uint64_t busy;        // no idle CPU found: previous or waker's CPU
};

// The Wasted Cores bugs (Lozi et al., EuroSys'16), on demand, for the
// research harness; all off by default.
#define SCHED_BUG_GROUP_AVG 1u      // groups compared by average load
#define SCHED_BUG_NUMA_ONEPOV 2u    // NUMA groups of the span's first CPU
#define SCHED_BUG_WAKE_BUSY_NODE 4u // wake-ups never leave the node

// Parses "group_avg,numa_onepov,wake_busy_node" (any subset, comma
// separated; NULL or "" = none) into the bug set in use. Unknown names are
// warned about with the list of known ones and ignored. Returns the set.
unsigned sched_fair_set_bugs(const char *list);
unsigned sched_fair_bugs(void);

// Balancing off (true) or on again, for tests that need an imbalance to
// stay; wake-up placement goes on as usual.
void sched_balance_pause(bool on);
// Benchmarks: only cpu balances, at every level each time (intervals
// ignored), so its passes are timed alone; MAX_CPUS: back to normal.
void sched_balance_probe_cpu(unsigned cpu);

// load(cpu): the policy's load of a CPU (e.g. the sum of its runnable
// threads' weights); nr(cpu): its runnable threads (sched_rq_len). Both
// read without the CPU's lock (hints).
void sched_balance_init(uint64_t (*load)(unsigned cpu),
                        unsigned (*nr)(unsigned cpu));
// The load the balancer sees for cpu (0 before sched_balance_init).
uint64_t sched_balance_cpu_load(unsigned cpu);

unsigned sched_wake_cpu(const struct sched_entity *se, unsigned prev,
                        unsigned waker);
void sched_balance_newidle(unsigned cpu);
void sched_balance_tick(unsigned cpu);
void sched_balance_idle(unsigned cpu, bool idle);

// The decision of one balance pass of cpu at its domain sd: true and the
// CPU to pull from in *src when sd's groups are imbalanced for cpu (the
// groups compared by minimum load, or by average under group_avg; under
// numa_onepov a NUMA level uses its first CPU's groups). Pure: reads the
// loads, moves nothing (host tests call it directly).
struct sched_domain;
bool sched_balance_find_source(unsigned cpu, const struct sched_domain *sd,
                               unsigned *src);

// Copies of the counters (zeros for a CPU or level that has none).
void sched_balance_get_stats(unsigned cpu, unsigned level,
                             struct sched_balance_stats *out);
void sched_wake_get_stats(unsigned cpu, struct sched_wake_stats *out);
void sched_balance_get_sum_stats(struct sched_sum_stats *out);
// Marks every per-LLC summary stale (host tests that set loads by hand).
void sched_balance_forget_sums(void);
