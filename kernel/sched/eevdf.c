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
// Wake placement: the previous CPU if idle, else an idle CPU among a few
// after it, else the previous CPU (placement through the cache domains
// comes with kernel/sched/domain.h). Idle CPUs pull from the busiest of a
// few neighbours.
//
// Locks as in docs/sched.md; all state is in rq->priv and the entities.
#include <kernel/sched/policy.h>

#define EEVDF_SCAN 8u
#define EEVDF_SLICE_NS SCHED_SLICE_NS

struct eevdf_rq {
	struct sched_list queue; // queued entities, unsorted
	uint64_t base;           // keys are vruntime - base
	int64_t sum_wk;          // sum of weight * key, queued and running
	uint64_t sum_w;          // sum of weights, queued and running
};

static struct eevdf_rq *erq(struct sched_rq *rq)
{
	return rq->priv;
}

static void eevdf_init_rq(struct sched_rq *rq)
{
	sched_list_init(&erq(rq)->queue);
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

static uint64_t vslice(const struct sched_entity *se)
{
	return EEVDF_SLICE_NS * SCHED_WEIGHT_NICE0 / se->weight;
}

// Charges the running entity for the time since it last was.
static void update_curr(struct sched_rq *rq)
{
	struct sched_entity *se = rq->curr;
	struct eevdf_rq *q = erq(rq);
	uint64_t now = sched_now(), dv;

	if (!se || now <= se->exec_start)
		return;
	dv = (now - se->exec_start) * SCHED_WEIGHT_NICE0 / se->weight;
	se->exec_start = now;
	se->vruntime += dv;
	q->sum_wk += (int64_t)(dv * se->weight);
}

static void account_add(struct eevdf_rq *q, struct sched_entity *se)
{
	uint64_t v = avg_vruntime(q);

	if (!q->sum_w)
		q->base = v;
	se->vruntime = v - (uint64_t)se->lag;
	se->deadline = se->vruntime + vslice(se);
	q->sum_w += se->weight;
	q->sum_wk += key(q, se) * (int64_t)se->weight;
}

static void account_remove(struct eevdf_rq *q, struct sched_entity *se)
{
	int64_t lag = (int64_t)(avg_vruntime(q) - se->vruntime);
	int64_t limit = (int64_t)vslice(se);

	se->lag = lag > limit ? limit : lag < -limit ? -limit : lag;
	q->sum_w -= se->weight;
	q->sum_wk -= key(q, se) * (int64_t)se->weight;
	if (!q->sum_w) // exact integer sums: sum_wk is 0 again
		q->sum_wk = 0;
}

static unsigned eevdf_select_cpu(struct sched_entity *se, unsigned prev,
                                 unsigned waker, unsigned flags)
{
	unsigned n = sched_cpu_count();

	for (unsigned i = 0; i < EEVDF_SCAN && i < n; i++) {
		unsigned cpu = (prev + i) % n;

		if (sched_allowed(se, cpu) && sched_cpu_is_idle(cpu))
			return cpu;
	}
	if (sched_allowed(se, waker) &&
	    sched_rq_len(waker) < sched_rq_len(prev))
		return waker;
	return prev;
}

static void eevdf_enqueue(struct sched_rq *rq, struct sched_entity *se,
                          unsigned flags)
{
	struct eevdf_rq *q = erq(rq);

	update_curr(rq);
	if (!(flags & (SCHED_ENQ_PREEMPT | SCHED_ENQ_YIELD))) {
		if (flags & SCHED_ENQ_NEW)
			se->lag = 0;
		account_add(q, se);
	}
	if (flags & SCHED_ENQ_YIELD) // behind every eligible entity
		se->deadline = se->vruntime + 2 * vslice(se);
	sched_list_add_tail(&q->queue, &se->link);
	// A woken entity with an earlier deadline that is eligible preempts.
	if ((flags & SCHED_ENQ_WAKE) && rq->curr &&
	    se->vruntime <= avg_vruntime(q) &&
	    (int64_t)(se->deadline - rq->curr->deadline) < 0)
		sched_resched(rq);
}

static void eevdf_dequeue(struct sched_rq *rq, struct sched_entity *se,
                          unsigned flags)
{
	update_curr(rq);
	sched_list_del(&se->link);
	account_remove(erq(rq), se);
}

static struct sched_entity *eevdf_pick_next(struct sched_rq *rq)
{
	struct eevdf_rq *q = erq(rq);
	struct sched_entity *best = NULL, *first = NULL;
	uint64_t v = avg_vruntime(q);

	for (struct sched_list *l = q->queue.next; l != &q->queue;
	     l = l->next) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if (!first || (int64_t)(se->vruntime - first->vruntime) < 0)
			first = se;
		if ((int64_t)(se->vruntime - v) <= 0 &&
		    (!best || (int64_t)(se->deadline - best->deadline) < 0))
			best = se;
	}
	if (!best)
		best = first; // rounding: nobody below V
	if (best)
		sched_list_del(&best->link);
	return best;
}

static void eevdf_running(struct sched_rq *rq, struct sched_entity *se)
{
	se->exec_start = sched_now();
	sched_set_slice(rq, EEVDF_SLICE_NS);
}

static void eevdf_stopping(struct sched_rq *rq, struct sched_entity *se,
                           bool runnable)
{
	update_curr(rq);
	if (!runnable)
		account_remove(erq(rq), se);
}

// Slice used up: a new deadline; someone else may now come first.
static void eevdf_tick(struct sched_rq *rq, struct sched_entity *se)
{
	update_curr(rq);
	se->deadline = se->vruntime + vslice(se);
	if (rq->nr_queued)
		sched_resched(rq);
	else
		sched_set_slice(rq, EEVDF_SLICE_NS);
}

// The queued entity allowed on dst with the latest deadline (it would
// wait longest here).
static struct sched_entity *eevdf_steal(struct sched_rq *src, unsigned dst)
{
	struct eevdf_rq *q = erq(src);
	struct sched_entity *best = NULL;

	for (struct sched_list *l = q->queue.next; l != &q->queue;
	     l = l->next) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if (sched_allowed(se, dst) &&
		    (!best || (int64_t)(se->deadline - best->deadline) > 0))
			best = se;
	}
	return best;
}

static void eevdf_balance(unsigned cpu)
{
	unsigned n = sched_cpu_count(), busiest = cpu, most = 1;

	for (unsigned i = 1; i <= EEVDF_SCAN && i < n; i++) {
		unsigned src = (cpu + i) % n, len = sched_rq_len(src);

		if (len > most) {
			most = len;
			busiest = src;
		}
	}
	if (busiest != cpu)
		(void)sched_pull(cpu, busiest);
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
    .balance = eevdf_balance,
    .steal = eevdf_steal,
};
