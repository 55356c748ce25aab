// SPDX-License-Identifier: MIT
// The weighted fair policy ("sched=eevdf", the default): Earliest Eligible
// Virtual Deadline First, after Stoica and Abdel-Wahab and Linux 6.6+.
//
// Each entity's virtual run time advances by real run time * 1024 / weight
// (weight from nice, 1.25x per step). The run queue's virtual time V is the
// weighted average of the virtual run times of all its entities (queued and
// running). An entity is eligible when its virtual run time is at most V;
// among the eligible the one with the earliest virtual deadline (virtual
// run time + slice * 1024 / weight) runs. An entity leaving the queue keeps
// its lag (V - its virtual run time, bounded by one slice) and is placed
// back at V - lag, on this CPU or another: sleeping gains no credit beyond
// a slice, migrating loses none.
//
// Placement and balancing go through the scheduling domains
// (kernel/sched/balance.c): a waking thread takes an idle CPU sharing the
// last-level cache with its previous CPU or its waker (a bounded scan),
// else the nearest idle one; CPUs balance per domain level on going idle,
// periodically while busy, and for tickless idle CPUs. A CPU's load is the
// decaying average of its fair runnable weight over time (half-life 32 ms;
// struct sched_load, kernel/sched/balance.h: a sleep or a wake-up adds one
// term to the area under sum_w, folded into the average about once a
// millisecond) plus 1024 per real-time thread, and 0 while it has no fair
// thread runnable. A thread arriving from another CPU counts its full
// weight there at once and leaves its old CPU's load, so a pull shows at
// once on both CPUs. The steal hook moves a thread only if that lowers the
// busier CPU's runnable weight below the other's (no thread ping-pong).
//
// The kernel compiles this file inside kernel/sched/unit.c, whose core
// calls eevdf_enqueue and eevdf_put_pick directly and inline
// (SCHED_HOOK_INLINE); the simulator compiles it alone.
//
// Locks as in docs/sched.md; all state is in rq->priv and the entities.
#include <kernel/sched/balance.h>
#include <kernel/sched/policy.h>

#define EEVDF_SLICE_NS SCHED_SLICE_NS

struct eevdf_rq {
	struct sched_list queue; // queued entities, unsorted
	uint64_t base;           // keys are vruntime - base
	int64_t sum_wk;          // sum of weight * key, queued and running
	uint64_t sum_w;          // sum of weights, queued and running
	unsigned nr;             // entities counted in sum_w
	struct sched_load load;  // sum_w over time, folded (balance.h)
};

// Every CPU's state, for loads read by other CPUs (racy hints, except in
// steal, which holds both run queues' locks).
static struct eevdf_rq *eevdf_rqs[MAX_CPUS];

// Weight of cpu's real-time threads (1024 each) plus, with now = true,
// the runnable fair weight now, else its decaying average (0 when no fair
// thread is runnable).
static uint64_t cpu_weight(unsigned cpu, bool now)
{
	struct eevdf_rq *q = cpu < MAX_CPUS ? eevdf_rqs[cpu] : NULL;
	unsigned nr, other;
	uint64_t w;

	if (!q)
		return 0;
	nr = __atomic_load_n(&q->nr, __ATOMIC_RELAXED);
	other = sched_rq_len(cpu);
	other = other > nr ? other - nr : 0; // real-time threads
	w = __atomic_load_n(&q->sum_w, __ATOMIC_RELAXED);
	if (w && !now)
		w = sched_load_avg(&q->load);
	return w + (uint64_t)other * SCHED_WEIGHT_NICE0;
}

// The balancer's load: the decaying average.
static uint64_t eevdf_load(unsigned cpu)
{
	return cpu_weight(cpu, false);
}

static struct eevdf_rq *erq(struct sched_rq *rq)
{
	return rq->priv;
}

static void eevdf_init_rq(struct sched_rq *rq)
{
	sched_list_init(&erq(rq)->queue);
	// The load's first window starts now: nothing was held before.
	erq(rq)->load.avg.stamp = sched_rq_clock(rq);
	if (rq->cpu < MAX_CPUS)
		eevdf_rqs[rq->cpu] = erq(rq);
	sched_balance_init(eevdf_load, sched_rq_len);
}

static int64_t key(struct eevdf_rq *q, const struct sched_entity *se)
{
	return (int64_t)(se->vruntime - q->base);
}

// V, the weighted average virtual time.
static uint64_t avg_vruntime(struct eevdf_rq *q)
{
	if (!q->sum_w)
		return q->base;
	return q->base + (uint64_t)(q->sum_wk / (int64_t)q->sum_w);
}

// The slice in virtual time. Computed once per entry into the sums
// (account_add) and kept in se->slice: an entity's weight changes only
// while it is out of them (the core's parameter changes dequeue it, or
// stop it as if it slept, first), so the division need not be repeated
// at every yield, tick and departure.
static uint64_t vslice(const struct sched_entity *se)
{
	return EEVDF_SLICE_NS * SCHED_WEIGHT_NICE0 / se->weight;
}

// Charges the running entity for the time since it last was.
static void update_curr(struct sched_rq *rq)
{
	struct sched_entity *se = rq->curr;
	struct eevdf_rq *q = erq(rq);
	uint64_t now, dv;

	if (!se || (now = sched_rq_clock(rq)) <= se->exec_start)
		return;
	dv = (now - se->exec_start) * SCHED_WEIGHT_NICE0 / se->weight;
	se->exec_start = now;
	se->vruntime += dv;
	q->sum_wk += (int64_t)(dv * se->weight);
}

// ---- Load (rq locked; now = sched_rq_clock) ----

// se arrives on rq's CPU from elsewhere (new, moved by the balancer, or
// woken on another CPU than the one whose load last counted it): its
// weight counts at once in rq's average, and a woken one's leaves the old
// CPU's (at that CPU's next fold; its readers see it at once). A pulled
// one left its source's in eevdf_dequeue.
static void load_arrive(struct sched_rq *rq, struct eevdf_rq *q,
                        struct sched_entity *se, unsigned flags)
{
	if (!(flags & SCHED_ENQ_NEW)) {
		if (se->load_cpu == rq->cpu)
			return; // still counted here
		if (se->load_cpu < MAX_CPUS && eevdf_rqs[se->load_cpu])
			sched_load_sub_remote(&eevdf_rqs[se->load_cpu]->load,
			                      se->weight);
	}
	se->load_cpu = rq->cpu;
	sched_load_add(&q->load, se->weight);
}

// The balancer's overload mask: is a fair thread waiting here? Exact
// (set or cleared) where the queue changes off the hot paths: dequeue,
// the slice tick, going idle.
static void note_waiting(struct sched_rq *rq)
{
	sched_balance_waiting(rq->cpu, SCHED_WAIT_FAIR,
	                      !sched_list_empty(&erq(rq)->queue));
}

// Set at once when a thread waits, cleared lazily (the tick, going idle,
// a dequeue): a wake-up ping-pong or a yield that empties and refills
// the queue each time then tests a byte instead of flipping a mask bit
// with an atomic twice per switch. The bit may stay set up to a slice
// longer than a thread waits here, which costs a balancer that looks at
// this CPU a read of its load and nothing else (steal finds nothing);
// it is never clear while a thread waits, so no pull is missed.
static inline void note_waiting_set(struct sched_rq *rq)
{
	if (!sched_list_empty(&erq(rq)->queue))
		sched_balance_waiting(rq->cpu, SCHED_WAIT_FAIR, true);
}

// se joins the sums (and the load) at now.
static void account_add(struct eevdf_rq *q, struct sched_entity *se,
                        uint64_t now)
{
	uint64_t v = avg_vruntime(q);

	if (!q->sum_w)
		q->base = v;
	se->vruntime = v - (uint64_t)se->lag;
	se->slice = vslice(se);
	se->deadline = se->vruntime + se->slice;
	q->sum_w += se->weight;
	q->nr++;
	q->sum_wk += key(q, se) * (int64_t)se->weight;
	sched_load_join(&q->load, se->weight, now);
}

// se leaves the sums (and the load) at now; a fold if one is due.
static void account_remove(struct eevdf_rq *q, struct sched_entity *se,
                           uint64_t now)
{
	int64_t lag = (int64_t)(avg_vruntime(q) - se->vruntime);
	int64_t limit = (int64_t)se->slice;

	se->lag = lag > limit ? limit : lag < -limit ? -limit : lag;
	q->sum_w -= se->weight;
	q->nr--;
	q->sum_wk -= key(q, se) * (int64_t)se->weight;
	if (!q->sum_w) // exact integer sums: sum_wk is 0 again
		q->sum_wk = 0;
	sched_load_leave(&q->load, se->weight, now);
	sched_load_fold(&q->load, q->sum_w, now);
}

static unsigned eevdf_select_cpu(struct sched_entity *se, unsigned prev,
                                 unsigned waker, unsigned flags)
{
	return sched_wake_cpu(se, prev, waker);
}

static SCHED_HOOK_INLINE void
eevdf_enqueue(struct sched_rq *rq, struct sched_entity *se, unsigned flags)
{
	struct eevdf_rq *q = erq(rq);

	update_curr(rq);
	if (!(flags & (SCHED_ENQ_PREEMPT | SCHED_ENQ_YIELD))) {
		if (flags & SCHED_ENQ_NEW)
			se->lag = 0;
		load_arrive(rq, q, se, flags);
		account_add(q, se, sched_rq_clock(rq));
	}
	if (flags & SCHED_ENQ_YIELD) // behind every eligible entity
		se->deadline = se->vruntime + 2 * se->slice;
	sched_list_add_tail(&q->queue, &se->link);
	sched_balance_waiting(rq->cpu, SCHED_WAIT_FAIR, true);
	// A woken entity with an earlier deadline that is eligible preempts
	// (the deadlines first: they are loads, V is a division).
	if ((flags & SCHED_ENQ_WAKE) && rq->curr &&
	    (int64_t)(se->deadline - rq->curr->deadline) < 0 &&
	    se->vruntime <= avg_vruntime(q))
		sched_resched(rq);
}

static void eevdf_dequeue(struct sched_rq *rq, struct sched_entity *se,
                          unsigned flags)
{
	struct eevdf_rq *q = erq(rq);

	update_curr(rq);
	sched_list_del(&se->link);
	note_waiting(rq);
	account_remove(q, se, sched_rq_clock(rq));
	if (flags & SCHED_ENQ_MIGRATE) { // leaves this CPU's load at once
		sched_load_sub(&q->load, se->weight);
		se->load_cpu = MAX_CPUS;
	}
}

// The entity with the smallest virtual run time (rounding: nobody was
// found eligible, which V, an average, rules out but for truncation).
static struct sched_entity *eevdf_first(struct eevdf_rq *q)
{
	struct sched_entity *first = NULL;

	for (struct sched_list *l = q->queue.next; l != &q->queue;
	     l = l->next) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if (!first || (int64_t)(se->vruntime - first->vruntime) < 0)
			first = se;
	}
	return first;
}

// Inline in both hooks that pick (pick_next, put_pick): a frame and a
// call less per switch.
static inline __attribute__((always_inline)) struct sched_entity *
pick_inline(struct sched_rq *rq)
{
	struct eevdf_rq *q = erq(rq);
	struct sched_list *head = q->queue.next;
	struct sched_entity *best = NULL;
	uint64_t v;

	if (head == &q->queue)
		return NULL;
	// One entity queued: it is the pick whether eligible or not (the
	// scan, else eevdf_first), so neither V nor the scan is needed. A
	// ping-pong's sleep finds exactly that.
	if (head->next == &q->queue) {
		best = container_of(head, struct sched_entity, link);
		sched_list_del(head);
		return best; // the queue is empty: nobody waits
	}
	v = avg_vruntime(q);
	for (struct sched_list *l = head; l != &q->queue; l = l->next) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if ((int64_t)(se->vruntime - v) <= 0 &&
		    (!best || (int64_t)(se->deadline - best->deadline) < 0))
			best = se;
	}
	if (!best)
		best = eevdf_first(q);
	sched_list_del(&best->link);
	note_waiting_set(rq); // a yielding prev may wait now
	return best;
}

static struct sched_entity *eevdf_pick_next(struct sched_rq *rq)
{
	return pick_inline(rq);
}

static void eevdf_running(struct sched_rq *rq, struct sched_entity *se)
{
	// The core gives every thread SCHED_SLICE_NS (= EEVDF_SLICE_NS)
	// before this hook: no sched_set_slice needed.
	se->exec_start = sched_rq_clock(rq);
}

// The running se goes to sleep: out of the sums and the load.
static inline __attribute__((always_inline)) void
put_sleeping(struct sched_rq *rq, struct sched_entity *se)
{
	account_remove(erq(rq), se, sched_rq_clock(rq));
}

static void eevdf_stopping(struct sched_rq *rq, struct sched_entity *se,
                           bool runnable)
{
	update_curr(rq);
	if (!runnable)
		put_sleeping(rq, se);
}

// A switch away from prev that goes to sleep: eevdf_stopping (update_curr,
// out of the sums), eevdf_pick_next and eevdf_running. Inline in
// eevdf_put_pick, and with it in the core's sleep (kernel/sched/unit.c).
static SCHED_HOOK_INLINE struct sched_entity *
put_pick_sleeping(struct sched_rq *rq, struct sched_entity *prev)
{
	struct sched_entity *next;

	update_curr(rq);
	put_sleeping(rq, prev);
	next = pick_inline(rq);
	if (next) // eevdf_running
		next->exec_start = sched_rq_clock(rq);
	return next;
}

// A switch away from prev: eevdf_stopping, eevdf_enqueue (a preempted or
// yielding prev: no re-accounting, no preemption check; a yield pushes
// the deadline back), eevdf_pick_next and eevdf_running in one call, with
// one update_curr.
static SCHED_HOOK_INLINE struct sched_entity *
eevdf_put_pick(struct sched_rq *rq, struct sched_entity *prev, bool runnable,
               unsigned flags)
{
	struct sched_entity *next;

	if (!runnable)
		return put_pick_sleeping(rq, prev);
	update_curr(rq);
	// A CPU whose threads only yield changes no weight: fold here too.
	sched_load_fold(&erq(rq)->load, erq(rq)->sum_w, sched_rq_clock(rq));
	if (flags & SCHED_ENQ_YIELD)
		prev->deadline = prev->vruntime + 2 * prev->slice;
	sched_list_add_tail(&erq(rq)->queue, &prev->link);
	next = pick_inline(rq);
	if (next) // eevdf_running
		next->exec_start = sched_rq_clock(rq);
	return next;
}

// Slice used up: a new deadline; someone else may now come first.
static void eevdf_tick(struct sched_rq *rq, struct sched_entity *se)
{
	update_curr(rq);
	sched_load_fold(&erq(rq)->load, erq(rq)->sum_w, sched_rq_clock(rq));
	note_waiting(rq); // a lazily kept bit clears
	se->deadline = se->vruntime + se->slice;
	if (rq->nr_queued)
		sched_resched(rq);
	else
		sched_set_slice(rq, EEVDF_SLICE_NS);
}

// The queued entity allowed on dst with the latest deadline (it would
// wait longest here) among those whose move leaves dst's load below src's:
// moving weight w helps only if load(dst) + w < load(src), and then moving
// it back never would (no ping-pong).
static struct sched_entity *eevdf_steal(struct sched_rq *src, unsigned dst)
{
	struct eevdf_rq *q = erq(src);
	struct sched_entity *best = NULL;
	uint64_t from = cpu_weight(src->cpu, true), to = cpu_weight(dst, true);

	for (struct sched_list *l = q->queue.next; l != &q->queue;
	     l = l->next) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if (sched_allowed(se, dst) && to + se->weight < from &&
		    (!best || (int64_t)(se->deadline - best->deadline) > 0))
			best = se;
	}
	return best;
}

static void eevdf_cpu_idle(struct sched_rq *rq, bool idle)
{
	if (idle) // nothing is queued: a lazily kept bit clears
		note_waiting(rq);
	sched_balance_idle(rq->cpu, idle);
}

const struct sched_ops sched_eevdf_ops = {
    .name = "eevdf",
    .rq_size = sizeof(struct eevdf_rq),
    .init_rq = eevdf_init_rq,
    .select_cpu = eevdf_select_cpu,
    .enqueue = eevdf_enqueue,
    .dequeue = eevdf_dequeue,
    .pick_next = eevdf_pick_next,
    .running = eevdf_running,
    .stopping = eevdf_stopping,
    .tick = eevdf_tick,
    .balance = sched_balance_newidle,
    .balance_tick = sched_balance_tick,
    .steal = eevdf_steal,
    .cpu_idle = eevdf_cpu_idle,
    .put_pick = eevdf_put_pick,
};
