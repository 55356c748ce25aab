// SPDX-License-Identifier: MIT
// The scheduling-policy interface (docs/sched.md, "The ops, hook by hook").
//
// A policy file includes this header (and lib/ headers) only: it sees
// threads as struct sched_entity and CPUs as struct sched_rq, never the HAL,
// struct thread or a lock. The kernel's core (kernel/sched/core.c)
// implements the functions declared at the end; a host simulator can
// implement them too and compile the same policy files.
#pragma once

#include <lib/types.h>
#include <lib/cpumask.h>

// An intrusive doubly linked list for policies' queues.
struct sched_list {
	struct sched_list *next, *prev;
};

static inline void sched_list_init(struct sched_list *h)
{
	h->next = h->prev = h;
}
static inline bool sched_list_empty(const struct sched_list *h)
{
	return h->next == h;
}
static inline void sched_list_insert_before(struct sched_list *pos,
                                            struct sched_list *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}
static inline void sched_list_add_tail(struct sched_list *h,
                                       struct sched_list *n)
{
	sched_list_insert_before(h, n);
}
static inline void sched_list_del(struct sched_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define SCHED_WEIGHT_NICE0 1024u

// A decaying average of a weight over time (kernel/sched/balance.h,
// struct sched_load): load follows the weight held with a half-life of
// about 32 ms.
struct sched_avg {
	uint64_t load;  // in 1/1024 weight units (SCHED_AVG_FRAC)
	uint64_t stamp; // ns up to which load is accounted (whole periods)
};

// What a policy knows of a thread. Fields above `link` are the core's
// (read-only to policies); `link` and below belong to the policy of the
// thread's class while it is in that class.
struct sched_entity {
	unsigned weight;  // fair: from nice (SCHED_WEIGHT_NICE0 at nice 0)
	int nice;         // -20 .. 19
	unsigned rt_prio; // 0: fair class; 1 .. 99: real-time, higher first
	bool rt_rr;       // real-time round-robin (else FIFO)
	unsigned cpu;     // CPU whose run queue it is on / last ran on
	unsigned node;    // home NUMA node
	struct cpumask affinity;
	uint64_t id; // thread ID (for traces and tie-breaks)
	// policy-owned:
	struct sched_list link;
	uint64_t vruntime, deadline, exec_start, slice;
	int64_t lag;
	unsigned load_cpu; // the CPU whose load last counted it (fair)
};

// What a policy knows of a CPU's run queue, one per class per CPU.
struct sched_rq {
	unsigned cpu;
	unsigned cls;              // class index (core's)
	unsigned nr_queued;        // entities this class has queued here
	struct sched_entity *curr; // this class's running entity, or NULL
	void *priv;                // ops->rq_size bytes for the policy
	const uint64_t *clock;     // the core's; read with sched_rq_clock()
};

// enqueue / dequeue flags
#define SCHED_ENQ_WAKE 1u    // it was blocked (or new)
#define SCHED_ENQ_PREEMPT 2u // it was running and lost the CPU
#define SCHED_ENQ_YIELD 4u   // it gave the CPU up
#define SCHED_ENQ_MIGRATE 8u // moved from another CPU
#define SCHED_ENQ_NEW 16u    // just created

struct sched_ops {
	const char *name;
	size_t rq_size;
	void (*init_rq)(struct sched_rq *rq);
	unsigned (*select_cpu)(struct sched_entity *se, unsigned prev_cpu,
	                       unsigned waker_cpu, unsigned flags);
	void (*enqueue)(struct sched_rq *rq, struct sched_entity *se,
	                unsigned flags);
	void (*dequeue)(struct sched_rq *rq, struct sched_entity *se,
	                unsigned flags);
	struct sched_entity *(*pick_next)(struct sched_rq *rq);
	void (*running)(struct sched_rq *rq, struct sched_entity *se);
	void (*stopping)(struct sched_rq *rq, struct sched_entity *se,
	                 bool runnable);
	void (*tick)(struct sched_rq *rq, struct sched_entity *se);
	void (*balance)(unsigned cpu);
	void (*balance_tick)(unsigned cpu);
	struct sched_entity *(*steal)(struct sched_rq *src, unsigned dst_cpu);
	void (*set_weight)(struct sched_rq *rq, struct sched_entity *se);
	void (*set_affinity)(struct sched_rq *rq, struct sched_entity *se);
	void (*cpu_idle)(struct sched_rq *rq, bool idle);
	// Optional fast path of a switch: exactly stopping(rq, prev,
	// runnable), then (rq->curr cleared) enqueue(rq, prev, flags) if
	// runnable, then pick_next(rq), then running(rq, next) for the
	// entity picked (rq->curr still NULL: the core sets it after), in
	// one call. prev is rq's running entity; runnable, it stays on this
	// CPU and flags is SCHED_ENQ_PREEMPT or SCHED_ENQ_YIELD. No class
	// before this one has anything queued. Returns what pick_next would
	// (prev itself if it goes on; NULL if nothing of this class is left,
	// and then no running call). The core runs the returned entity and
	// makes no running call of its own for it. A core may always make
	// the separate calls instead (the host simulator does): the result
	// is the same.
	struct sched_entity *(*put_pick)(struct sched_rq *rq,
	                                 struct sched_entity *prev,
	                                 bool runnable, unsigned flags);
};

// For the hooks of a policy that a core compiles into itself to call them
// directly (kernel/sched/core.c and eevdf.c): inline at such a call; the
// ops table still gets a copy of its own.
#define SCHED_HOOK_INLINE inline __attribute__((always_inline))

// ---- What a policy may call (implemented by the core) ----

uint64_t sched_now(void); // ns, monotonic, all CPUs
// The time (as sched_now()) the core read when it took rq's lock for the
// operation in progress: a switch, a wake-up, a slice end, a migration.
// Hooks called with rq locked use it instead of sched_now(): it is a load,
// not a clock read, and every hook of one switch sees the same time.
static inline uint64_t sched_rq_clock(const struct sched_rq *rq)
{
	return *rq->clock;
}
unsigned sched_cpu_count(void); // CPUs 0 .. n-1 exist
bool sched_cpu_online(unsigned cpu);
unsigned sched_cpu_node(unsigned cpu); // NUMA node of a CPU
bool sched_cpu_is_idle(unsigned cpu);  // racy hint: runs its idle thread
unsigned sched_rq_len(unsigned cpu);   // racy hint: runnable threads
static inline bool sched_allowed(const struct sched_entity *se, unsigned cpu)
{
	return cpumask_test(&se->affinity, cpu);
}
// rq's CPU should pick again soon (rq locked: from enqueue or tick).
void sched_resched(struct sched_rq *rq);
// Length of the slice the running entity gets from now (running / tick).
void sched_set_slice(struct sched_rq *rq, uint64_t ns);
// From balance or balance_tick: moves one entity that src's policy offers
// (ops->steal) from src's run queue to dst's; dst need not be the calling
// CPU (an idle CPU balances for tickless idle ones). True if one moved.
bool sched_pull(unsigned dst, unsigned src);
// From balance or balance_tick: makes an idle CPU run its balance hook
// soon (IPI_RESCHED); nothing if it is busy.
void sched_kick(unsigned cpu);

// Default slice for policies that do not compute their own.
#define SCHED_SLICE_NS 3000000ull

// Weight of a nice level (1.25x per step, nice 0 = 1024).
unsigned sched_nice_to_weight(int nice);
