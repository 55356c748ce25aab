// SPDX-License-Identifier: MIT
// The minimal policy ("sched=minimal"): the example to copy. One FIFO queue
// per CPU, a fixed slice, round-robin between the threads of a CPU. A
// waking thread goes to its previous CPU if that is idle, else to the
// first idle CPU among the next few, else back to its previous CPU. An idle
// CPU pulls one thread from the first busy CPU among the next few.
//
// Every hook runs with interrupts off; enqueue, dequeue, pick_next,
// running, stopping, tick and steal with the run queue's lock held
// (docs/sched.md). The policy keeps all its state in rq->priv and in each
// entity's `link`.
#include <kernel/sched/policy.h>

// How many CPUs after the previous one a wake-up or an idle CPU looks at.
#define MINIMAL_SCAN 8u

struct minimal_rq {
	struct sched_list queue; // FIFO: head runs next
};

static struct minimal_rq *mrq(struct sched_rq *rq)
{
	return rq->priv;
}

static void minimal_init_rq(struct sched_rq *rq)
{
	sched_list_init(&mrq(rq)->queue);
}

static unsigned minimal_select_cpu(struct sched_entity *se, unsigned prev,
                                   unsigned waker, unsigned flags)
{
	unsigned n = sched_cpu_count();

	for (unsigned i = 0; i < MINIMAL_SCAN && i < n; i++) {
		unsigned cpu = (prev + i) % n;

		if (sched_allowed(se, cpu) && sched_cpu_is_idle(cpu))
			return cpu;
	}
	return sched_allowed(se, prev) ? prev : waker; // the core checks
}

static void minimal_enqueue(struct sched_rq *rq, struct sched_entity *se,
                            unsigned flags)
{
	sched_list_add_tail(&mrq(rq)->queue, &se->link);
}

static void minimal_dequeue(struct sched_rq *rq, struct sched_entity *se,
                            unsigned flags)
{
	sched_list_del(&se->link);
}

static struct sched_entity *minimal_pick_next(struct sched_rq *rq)
{
	struct sched_list *h = &mrq(rq)->queue;
	struct sched_entity *se;

	if (sched_list_empty(h))
		return NULL;
	se = container_of(h->next, struct sched_entity, link);
	sched_list_del(&se->link);
	return se;
}

// The core gives every thread SCHED_SLICE_NS before this hook; a policy
// with slices of its own would call sched_set_slice(rq, ns) here.
static void minimal_running(struct sched_rq *rq, struct sched_entity *se) {}

static void minimal_stopping(struct sched_rq *rq, struct sched_entity *se,
                             bool runnable)
{
}

// Optional: stopping + enqueue + pick_next + running of a switch in one
// call (the core would otherwise make the separate calls; policy.h).
// stopping and running do nothing here.
static struct sched_entity *minimal_put_pick(struct sched_rq *rq,
                                             struct sched_entity *prev,
                                             bool runnable, unsigned flags)
{
	if (runnable)
		minimal_enqueue(rq, prev, flags);
	return minimal_pick_next(rq);
}

// Slice over: let the next one run, or carry on alone.
static void minimal_tick(struct sched_rq *rq, struct sched_entity *se)
{
	if (rq->nr_queued)
		sched_resched(rq);
	else
		sched_set_slice(rq, SCHED_SLICE_NS);
}

// The last queued entity that may run on dst (the one waiting least).
static struct sched_entity *minimal_steal(struct sched_rq *src, unsigned dst)
{
	struct sched_list *h = &mrq(src)->queue;

	for (struct sched_list *l = h->prev; l != h; l = l->prev) {
		struct sched_entity *se =
		    container_of(l, struct sched_entity, link);

		if (sched_allowed(se, dst))
			return se;
	}
	return NULL;
}

static void minimal_balance(unsigned cpu)
{
	unsigned n = sched_cpu_count();

	for (unsigned i = 1; i <= MINIMAL_SCAN && i < n; i++) {
		unsigned src = (cpu + i) % n;

		if (sched_rq_len(src) > 1 && sched_pull(cpu, src))
			return;
	}
}

const struct sched_ops sched_minimal_ops = {
    .name = "minimal",
    .rq_size = sizeof(struct minimal_rq),
    .init_rq = minimal_init_rq,
    .select_cpu = minimal_select_cpu,
    .enqueue = minimal_enqueue,
    .dequeue = minimal_dequeue,
    .pick_next = minimal_pick_next,
    .running = minimal_running,
    .stopping = minimal_stopping,
    .tick = minimal_tick,
    .balance = minimal_balance,
    .steal = minimal_steal,
    .put_pick = minimal_put_pick,
};
