// SPDX-License-Identifier: MIT
// The simulated scheduler core: the policy API of kernel/sched/policy.h
// implemented over simulated CPUs, and the core's mechanics (place a
// runnable thread, switch, idle balancing, slice end) following
// kernel/sched/core.c step by step, so a policy makes the decisions it
// would make in the kernel. There are no locks: one host thread runs
// everything, and a "remote" reschedule arrives after the IPI latency of
// the cost model as an event.
#include <stdlib.h>
#include <string.h>
#include <kernel/sched/domain.h>
#include <kernel/sched/registry.h>
#include <sim/internal.h>

struct sim *sim_cur;

const struct sched_ops *sim_find_policy(const char *name)
{
	return sched_policy_find(name);
}

void sim_list_policies(FILE *f)
{
	const struct sched_ops *ops;

	for (size_t i = 0; (ops = sched_policy_at(i)); i++)
		fprintf(f, "%s%s", i ? ", " : "", ops->name);
}

static struct sim_cpu *cpu_of_srq(struct sched_rq *sr)
{
	return container_of(sr - sr->cls, struct sim_cpu, cls[0]);
}

static struct sim_thread *thread_of(struct sched_entity *se)
{
	return container_of(se, struct sim_thread, se);
}

unsigned sim_class_of(const struct sim_thread *t)
{
	return t->se.rt_prio ? SIM_CLASS_RT : SIM_CLASS_FAIR;
}

// ---- The policy API ---------------------------------------------------------

uint64_t sched_now(void)
{
	return sim_cur->now;
}

unsigned sched_cpu_count(void)
{
	return sim_cur->ncpu;
}

bool sched_cpu_online(unsigned cpu)
{
	return cpu < sim_cur->ncpu;
}

unsigned sched_cpu_node(unsigned cpu)
{
	return cpu < sim_cur->ncpu ? sim_cur->cpu[cpu].node : 0;
}

bool sched_cpu_is_idle(unsigned cpu)
{
	return cpu < sim_cur->ncpu && !sim_cur->cpu[cpu].curr &&
	       !sim_cur->cpu[cpu].nr_running;
}

unsigned sched_rq_len(unsigned cpu)
{
	return cpu < sim_cur->ncpu ? sim_cur->cpu[cpu].nr_running : 0;
}

void sched_resched(struct sched_rq *rq)
{
	sim_resched_cpu(sim_cur, cpu_of_srq(rq));
}

void sched_set_slice(struct sched_rq *rq, uint64_t ns)
{
	cpu_of_srq(rq)->slice_end = sim_cur->now + ns;
}

// ---- Queues -----------------------------------------------------------------

static void enqueue(struct sim *s, struct sim_cpu *c, struct sim_thread *t,
                    unsigned flags)
{
	unsigned k = sim_class_of(t);

	t->se.cpu = c->cpu;
	s->cls[k]->enqueue(&c->cls[k], &t->se, flags);
	c->cls[k].nr_queued++;
}

static void dequeue(struct sim *s, struct sim_cpu *c, struct sim_thread *t,
                    unsigned flags)
{
	unsigned k = sim_class_of(t);

	s->cls[k]->dequeue(&c->cls[k], &t->se, flags);
	c->cls[k].nr_queued--;
}

static struct sim_thread *pick(struct sim *s, struct sim_cpu *c)
{
	for (unsigned k = 0; k < SIM_NCLASSES; k++) {
		struct sched_entity *se;

		if (!c->cls[k].nr_queued)
			continue;
		se = s->cls[k]->pick_next(&c->cls[k]);
		if (se) {
			c->cls[k].nr_queued--;
			return thread_of(se);
		}
	}
	return NULL;
}

void sim_resched_cpu(struct sim *s, struct sim_cpu *c)
{
	if (c->need_resched)
		return;
	c->need_resched = true;
	sim_push(s, s->now + (c->cpu == s->this_cpu ? 0 : s->o.costs.ipi_ns),
	         EV_RESCHED, c->cpu, 0);
}

static void check_preempt(struct sim *s, struct sim_cpu *c,
                          struct sim_thread *t)
{
	if (!c->curr || sim_class_of(t) < sim_class_of(c->curr))
		sim_resched_cpu(s, c);
}

static bool usable(const struct sim *s, const struct sim_thread *t,
                   unsigned cpu)
{
	return cpu < s->ncpu && sched_allowed(&t->se, cpu);
}

// A runnable thread that is on no run queue goes onto one (the kernel's
// place_thread, with the same fall-backs for a bad answer).
void sim_place(struct sim *s, struct sim_thread *t, unsigned flags)
{
	unsigned prev = t->se.cpu, cpu;
	struct sim_cpu *c;

	cpu = s->cls[sim_class_of(t)]->select_cpu(&t->se, prev, s->this_cpu,
	                                          flags);
	if (!usable(s, t, cpu)) {
		cpu = usable(s, t, prev) ? prev : s->this_cpu;
		for (unsigned i = 0; !usable(s, t, cpu) && i < s->ncpu; i++)
			cpu = i;
	}
	c = &s->cpu[cpu];
	sim_acc(s);
	t->on_rq = true;
	t->mark_ns = s->now;
	c->nr_running++;
	s->nwaiting++;
	enqueue(s, c, t, flags);
	if (flags & SCHED_ENQ_WAKE)
		sim_trace(
		    s, s->this_cpu, TR_WAKEUP, t->id, cpu,
		    s->cpu[s->this_cpu].curr ? s->cpu[s->this_cpu].curr->id : 0,
		    0);
	check_preempt(s, c, t);
}

bool sched_pull(unsigned dst, unsigned src)
{
	struct sim *s = sim_cur;
	struct sim_cpu *d, *sc;
	struct sched_entity *se = NULL;
	struct sim_thread *t;

	if (dst >= s->ncpu || src >= s->ncpu || dst == src)
		return false;
	d = &s->cpu[dst];
	sc = &s->cpu[src];
	for (unsigned k = 0; k < SIM_NCLASSES && !se; k++)
		if (sc->cls[k].nr_queued && s->cls[k]->steal)
			se = s->cls[k]->steal(&sc->cls[k], dst);
	if (!se || !sched_allowed(se, dst) || thread_of(se) == sc->curr)
		return false;
	t = thread_of(se);
	dequeue(s, sc, t, SCHED_ENQ_MIGRATE);
	sc->nr_running--;
	d->nr_running++;
	enqueue(s, d, t, SCHED_ENQ_MIGRATE);
	sim_trace(s, dst, TR_MIGRATE, t->id, src, dst, 0);
	check_preempt(s, d, t);
	return true;
}

// ---- Progress of the running thread ----------------------------------------

// Virtual ns the running thread needs to finish its run event on c.
uint64_t sim_run_need(const struct sim_cpu *c, const struct sim_thread *t)
{
	return (t->work_left * c->factor + 999) / 1000;
}

// Brings the running thread's work up to s->now.
void sim_account(struct sim *s, struct sim_cpu *c)
{
	struct sim_thread *t = c->curr;
	uint64_t el;

	if (!t || s->now <= c->seg_start)
		return;
	el = s->now - c->seg_start;
	if (t->in_run && t->work_left) {
		if (el >= sim_run_need(c, t))
			t->work_left = 0;
		else
			t->work_left -= el * 1000 / c->factor;
	}
	c->seg_start = s->now;
}

// The next time something happens on c by itself.
void sim_arm(struct sim *s, struct sim_cpu *c)
{
	struct sim_thread *t = c->curr;
	uint64_t at = UINT64_MAX;

	c->gen++;
	if (!t)
		return;
	if (c->slice_end)
		at = c->slice_end;
	if (!t->in_run)
		at = c->seg_start < at ? c->seg_start : at;
	else if (t->runtime_end) {
		uint64_t e = t->runtime_end > c->seg_start ? t->runtime_end
		                                           : c->seg_start;

		at = e < at ? e : at;
	} else if (c->seg_start + sim_run_need(c, t) < at)
		at = c->seg_start + sim_run_need(c, t);
	if (at < s->now)
		at = s->now;
	sim_push(s, at, EV_CPU, c->cpu, c->gen);
}

// ---- Switching --------------------------------------------------------------

static void put_prev(struct sim *s, struct sim_cpu *c, struct sim_thread *p,
                     unsigned flags, struct sim_thread **move)
{
	unsigned k = sim_class_of(p);
	bool runnable = p->state == ST_RUNNABLE;

	sim_account(s, c);
	p->run_ns += s->now - p->mark_ns;
	p->mark_ns = s->now;
	s->cls[k]->stopping(&c->cls[k], &p->se, runnable);
	c->cls[k].curr = NULL;
	c->curr = NULL;
	if (runnable && sched_allowed(&p->se, c->cpu)) {
		s->nwaiting++;
		enqueue(s, c, p, flags);
		return;
	}
	p->on_rq = false;
	c->nr_running--;
	if (runnable)
		*move = p; // placed elsewhere once off this CPU
}

static struct sim_thread *balance_and_pick(struct sim *s, struct sim_cpu *c)
{
	struct sim_thread *next;

	for (unsigned k = 0; k < SIM_NCLASSES; k++) {
		if (!s->cls[k]->balance)
			continue;
		s->cls[k]->balance(c->cpu);
		if ((next = pick(s, c)))
			return next;
	}
	return NULL;
}

// Cost of starting t on c: the switch, plus a cache-cold refill after a
// migration (sim/metrics.c counts it by domain level).
static uint64_t start_cost(struct sim *s, struct sim_cpu *c,
                           struct sim_thread *t)
{
	uint64_t cost = s->o.costs.switch_ns;

	if (t->last_cpu != SIM_NONE && t->last_cpu != c->cpu) {
		uint64_t mig = 0;

		t->migrations++;
		s->migrations++;
		sim_migrated(s, t, t->last_cpu, c->cpu, &mig);
		cost += mig;
	}
	return cost;
}

// Speed factor (per mille, >= 1000) of t on c: memory on a remote node.
static unsigned speed_factor(struct sim *s, struct sim_cpu *c,
                             struct sim_thread *t);

static void set_next(struct sim *s, struct sim_cpu *c, struct sim_thread *n,
                     bool same)
{
	unsigned k = sim_class_of(n);
	uint64_t cost = same ? 0 : start_cost(s, c, n);

	if (n->home_node < 0)
		n->home_node = (int)c->node; // first touch
	c->curr = n;
	c->cls[k].curr = &n->se;
	if (!same) {
		n->switches++;
		c->switches++;
		s->switches++;
		n->wait_ns += s->now - n->mark_ns;
		if (n->woken) {
			sim_latency(s, n, s->now - n->wake_ns);
			n->woken = false;
		}
		n->overhead_ns += cost;
	}
	s->nwaiting--;
	n->mark_ns = s->now;
	n->last_cpu = c->cpu;
	c->seg_start = s->now + cost;
	c->factor = speed_factor(s, c, n);
	c->slice_end = s->now + SCHED_SLICE_NS;
	s->cls[k]->running(&c->cls[k], &n->se);
}

// The CPU starts / stops idling: the policies' cpu_idle (kernel/sched/
// core.c's idle_changed_locked).
void sim_idle_changed(struct sim *s, struct sim_cpu *c, bool idle)
{
	for (unsigned k = 0; k < SIM_NCLASSES; k++)
		if (s->cls[k]->cpu_idle)
			s->cls[k]->cpu_idle(&c->cls[k], idle);
}

// Periodic balancing, at most once per simulated ms (the kernel's
// SCHED_BALANCE_TICK_NS); idle CPUs are balanced for by the policy.
void sim_balance_tick(struct sim *s, struct sim_cpu *c)
{
	if (!s->cls[SIM_CLASS_FAIR]->balance_tick || s->now < c->balance_mark)
		return;
	c->balance_mark = s->now + 1000000u;
	s->cls[SIM_CLASS_FAIR]->balance_tick(c->cpu);
}

void sim_schedule(struct sim *s, struct sim_cpu *c, unsigned flags)
{
	struct sim_thread *prev = c->curr, *next, *move = NULL;
	unsigned saved = s->this_cpu;

	s->this_cpu = c->cpu;
	sim_acc(s);
	c->need_resched = false;
	if (prev)
		put_prev(s, c, prev, flags, &move);
	next = pick(s, c);
	if (!next)
		next = balance_and_pick(s, c);
	sim_acc(s);
	if (next) {
		if (!prev) {
			c->idle_ns += s->now - c->idle_since;
			s->nidle--;
			sim_trace(s, c->cpu, TR_IDLE_EXIT, 0, 0, 0, 0);
			sim_idle_changed(s, c, false);
		}
		if (next != prev)
			sim_trace(s, c->cpu, TR_SWITCH, prev ? prev->id : 0,
			          next->id, prev && prev->state != ST_RUNNABLE,
			          0);
		set_next(s, c, next, next == prev);
		sim_balance_tick(s, c);
	} else {
		c->slice_end = 0;
		if (prev) {
			sim_trace(s, c->cpu, TR_SWITCH, prev->id, 0,
			          prev->state != ST_RUNNABLE, 0);
			sim_trace(s, c->cpu, TR_IDLE_ENTER, 0, 0, 0, 0);
			c->idle_since = s->now;
			s->nidle++;
			sim_idle_changed(s, c, true);
		}
	}
	if (move)
		sim_place(s, move, SCHED_ENQ_MIGRATE);
	sim_arm(s, c);
	s->this_cpu = saved;
}

static unsigned speed_factor(struct sim *s, struct sim_cpu *c,
                             struct sim_thread *t)
{
	unsigned home = t->home_node < 0 ? c->node : (unsigned)t->home_node;
	uint64_t local, remote, f;

	if (home == c->node)
		return 1000;
	// HMAT latencies when the firmware gave them, else SLIT distances
	// (both "relative latency": 10 = local in the SLIT).
	local = topo_node_latency_ps(home, home);
	remote = topo_node_latency_ps(c->node, home);
	if (!local || !remote) {
		local = 10;
		remote = topo_node_distance(c->node, home);
		if (remote < 10 || remote == 0xff)
			remote = 10;
	}
	f = 1000 + (uint64_t)s->o.costs.mem_permille *
	               (remote > local ? remote - local : 0) / local;
	return f > 100000 ? 100000 : (unsigned)f;
}

// A busy CPU asks an idle one to balance (the kernel sends IPI_RESCHED):
// here the idle CPU gets a reschedule event, whose empty pick runs the
// policy's balance hook.
void sched_kick(unsigned cpu)
{
	struct sim *s = sim_cur;

	if (cpu < s->ncpu && !s->cpu[cpu].curr)
		sim_resched_cpu(s, &s->cpu[cpu]);
}
