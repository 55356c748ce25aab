// SPDX-License-Identifier: MIT
// The real-time class: fixed priorities 1..99 (higher runs first), FIFO
// (runs until it blocks or yields) or round-robin (a slice, then behind its
// equals). The core asks this class before the fair policy, so a runnable
// real-time thread always preempts fair ones (kernel/sched/core.c).
//
// Per CPU one list sorted by priority, FIFO among equals; a preempted
// thread goes back to the head of its priority, a yielding or expired
// round-robin one to the tail. Hooks and locks as in docs/sched.md.
#include <kernel/sched/balance.h>
#include <kernel/sched/policy.h>

// How many CPUs from the previous one a wake-up looks at for an idle one.
// No balance hook: idle CPUs pull through the fair policy's balance, and
// sched_pull() offers real-time threads first.
#define RT_SCAN 8u

struct rt_rq {
	struct sched_list queue;
};

static struct rt_rq *rrq(struct sched_rq *rq)
{
	return rq->priv;
}

static void rt_init_rq(struct sched_rq *rq)
{
	sched_list_init(&rrq(rq)->queue);
}

static unsigned rt_select_cpu(struct sched_entity *se, unsigned prev,
                              unsigned waker, unsigned flags)
{
	unsigned n = sched_cpu_count();

	for (unsigned i = 0; i < RT_SCAN && i < n; i++) {
		unsigned cpu = (prev + i) % n;

		if (sched_allowed(se, cpu) && sched_cpu_is_idle(cpu))
			return cpu;
	}
	return prev;
}

static void rt_enqueue(struct sched_rq *rq, struct sched_entity *se,
                       unsigned flags)
{
	struct sched_list *h = &rrq(rq)->queue, *l;
	// Preempted: back to the head of its priority; an expired
	// round-robin slice (se->slice set by rt_tick) or a yield: the tail.
	bool head = (flags & SCHED_ENQ_PREEMPT) && !se->slice;

	// First entity of lower priority (or, at the head, of equal one).
	for (l = h->next; l != h; l = l->next) {
		struct sched_entity *o =
		    container_of(l, struct sched_entity, link);

		if (o->rt_prio < se->rt_prio ||
		    (head && o->rt_prio == se->rt_prio))
			break;
	}
	sched_list_insert_before(l, &se->link);
	sched_balance_waiting(rq->cpu, SCHED_WAIT_RT, true);
	se->slice = 0;
	if (rq->curr && rq->curr->rt_prio < se->rt_prio)
		sched_resched(rq);
}

// The balancer's overload mask: is anything left waiting here?
static void rt_note_waiting(struct sched_rq *rq)
{
	sched_balance_waiting(rq->cpu, SCHED_WAIT_RT,
	                      !sched_list_empty(&rrq(rq)->queue));
}

static void rt_dequeue(struct sched_rq *rq, struct sched_entity *se,
                       unsigned flags)
{
	sched_list_del(&se->link);
	rt_note_waiting(rq);
}

static struct sched_entity *rt_pick_next(struct sched_rq *rq)
{
	struct sched_list *h = &rrq(rq)->queue;
	struct sched_entity *se;

	if (sched_list_empty(h))
		return NULL;
	se = container_of(h->next, struct sched_entity, link);
	sched_list_del(&se->link);
	rt_note_waiting(rq);
	return se;
}

static void rt_running(struct sched_rq *rq, struct sched_entity *se)
{
	sched_set_slice(rq, SCHED_SLICE_NS);
}

static void rt_stopping(struct sched_rq *rq, struct sched_entity *se,
                        bool runnable)
{
}

// stopping (nothing to do) + enqueue + pick_next + running of a switch in
// one call.
// rq->curr is still prev here, so rt_enqueue's preemption test (a lower
// priority running) cannot fire, as with rq->curr cleared.
static struct sched_entity *rt_put_pick(struct sched_rq *rq,
                                        struct sched_entity *prev,
                                        bool runnable, unsigned flags)
{
	struct sched_entity *next;

	if (runnable)
		rt_enqueue(rq, prev, flags);
	next = rt_pick_next(rq);
	if (next)
		rt_running(rq, next);
	return next;
}

// Round-robin: behind an equal if one waits. FIFO: never by time.
static void rt_tick(struct sched_rq *rq, struct sched_entity *se)
{
	struct sched_list *h = &rrq(rq)->queue;

	if (se->rt_rr && !sched_list_empty(h) &&
	    container_of(h->next, struct sched_entity, link)->rt_prio >=
	        se->rt_prio) {
		se->slice = 1; // rt_enqueue puts it at the tail
		sched_resched(rq);
	} else
		sched_set_slice(rq, SCHED_SLICE_NS);
}

static struct sched_entity *rt_steal(struct sched_rq *src, unsigned dst)
{
	struct sched_list *h = &rrq(src)->queue;

	for (struct sched_list *l = h->next; l != h; l = l->next) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if (sched_allowed(se, dst))
			return se;
	}
	return NULL;
}

const struct sched_ops sched_rt_ops = {
    .name = "rt",
    .rq_size = sizeof(struct rt_rq),
    .init_rq = rt_init_rq,
    .select_cpu = rt_select_cpu,
    .enqueue = rt_enqueue,
    .dequeue = rt_dequeue,
    .pick_next = rt_pick_next,
    .running = rt_running,
    .stopping = rt_stopping,
    .tick = rt_tick,
    .steal = rt_steal,
    .put_pick = rt_put_pick,
};
