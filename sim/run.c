// SPDX-License-Identifier: MIT
// The discrete-event loop and the simulated threads' programs. Events sit
// in a binary heap ordered by (time, sequence number), so equal times keep
// the order they were posted in and a run is reproducible. A CPU or a
// thread has at most one live pending event: each carries the generation
// it was posted for and is dropped when the generation moved on.
//
// A thread runs its rt-app program while it is the current thread of a
// CPU: the phase interpreter (workload/interp.c, shared with the kernel's
// workload runner) does the zero-time events (lock, signal, fork, ...) at
// once and says what comes next: a run takes CPU time, blocking actions
// leave the CPU through sim_schedule().
#include <stdlib.h>
#include <string.h>
#include <sim/internal.h>

// ---- The event heap -------------------------------------------------------

static bool ev_before(const struct sim_ev *a, const struct sim_ev *b)
{
	return a->t != b->t ? a->t < b->t : a->seq < b->seq;
}

void sim_push(struct sim *s, uint64_t t, unsigned kind, unsigned idx,
              uint64_t gen)
{
	struct sim_ev e = {t, s->seq++, kind, idx, gen};
	unsigned i;

	if (s->nheap == s->capheap) {
		s->capheap = s->capheap ? s->capheap * 2 : 1024;
		s->heap = realloc(s->heap, s->capheap * sizeof(*s->heap));
		if (!s->heap) {
			fprintf(stderr, "cairn-sim: out of memory\n");
			exit(2);
		}
	}
	for (i = s->nheap++; i && ev_before(&e, &s->heap[(i - 1) / 2]);
	     i = (i - 1) / 2)
		s->heap[i] = s->heap[(i - 1) / 2];
	s->heap[i] = e;
}

static struct sim_ev pop(struct sim *s)
{
	struct sim_ev top = s->heap[0], last = s->heap[--s->nheap];
	unsigned i = 0, n = s->nheap;

	for (;;) {
		unsigned l = 2 * i + 1, m = i;

		if (l < n && ev_before(&s->heap[l], &last))
			m = l;
		if (l + 1 < n &&
		    ev_before(&s->heap[l + 1], m == i ? &last : &s->heap[l]))
			m = l + 1;
		if (m == i)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (n)
		s->heap[i] = last;
	return top;
}

// ---- Threads ---------------------------------------------------------------

static uint64_t rng_next(struct sim *s)
{
	uint64_t x = s->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	s->rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t jitter(struct sim *s, uint64_t ns)
{
	uint64_t span, r;

	if (!s->o.jitter_permille || !ns)
		return ns;
	span = ns * s->o.jitter_permille / 1000;
	r = rng_next(s) % (2 * span + 1);
	return ns - span + r;
}

static void set_affinity(struct sim *s, struct sim_thread *t,
                         const struct cpumask *m, bool has)
{
	cpumask_clear_all(&t->se.affinity);
	for (unsigned c = 0; c < s->ncpu; c++)
		if (!has || cpumask_test(m, c))
			cpumask_set(&t->se.affinity, c);
}

// flags: SCHED_ENQ_WAKE, with SCHED_ENQ_NEW for a thread's first placement
// (as kernel/sched/core.c's sched_start_thread).
static void wake_flags(struct sim *s, struct sim_thread *t, unsigned flags)
{
	if (t->state != ST_BLOCKED)
		return;
	t->state = ST_RUNNABLE;
	t->wakeups++;
	t->wake_ns = s->now;
	t->woken = true;
	sim_place(s, t, flags);
}

static void wake(struct sim *s, struct sim_thread *t)
{
	wake_flags(s, t, SCHED_ENQ_WAKE);
}

static struct sim_thread *new_thread(struct sim *s, unsigned task,
                                     unsigned instance, unsigned parent_cpu)
{
	const struct wl_task *wt = &s->w->task[task];
	struct sim_thread *t = calloc(1, sizeof(*t));
	uint64_t *timers = malloc(s->w->nres * sizeof(uint64_t) + 8);
	const struct cpumask *m;
	uint64_t name = 0;
	bool has;

	if (!t || !timers)
		goto nomem;
	if (s->nth == s->capth) {
		s->capth = s->capth ? s->capth * 2 : 64;
		s->th = realloc(s->th, s->capth * sizeof(*s->th));
		if (!s->th)
			goto nomem;
	}
	s->th[s->nth++] = t;
	t->id = s->nth;
	t->task = task;
	t->instance = instance;
	t->last_cpu = SIM_NONE;
	t->home_node = wt->mem_node;
	wl_prog_init(&s->run, &t->prog, task, timers, &m, &has);
	t->se.nice = wt->policy == WL_SCHED_OTHER ? wt->nice : 0;
	t->se.weight = sched_nice_to_weight(t->se.nice);
	t->se.rt_prio = wt->policy == WL_SCHED_OTHER ? 0 : wt->rt_prio;
	t->se.rt_rr = wt->policy == WL_SCHED_RR;
	t->se.id = t->id;
	set_affinity(s, t, m, has);
	t->se.cpu = sched_allowed(&t->se, parent_cpu)
	                ? parent_cpu
	                : cpumask_first(&t->se.affinity);
	sched_list_init(&t->se.link);
	memcpy(&name, wt->name, strnlen(wt->name, 8));
	sim_trace(s, parent_cpu, TR_CREATE, t->id, 0, 0, name);
	return t;
nomem:
	fprintf(stderr, "cairn-sim: out of memory\n");
	exit(2);
}

static void start_thread(struct sim *s, struct sim_thread *t)
{
	s->live++;
	t->state = ST_BLOCKED;
	t->start_ns = s->now;
	wake_flags(s, t, SCHED_ENQ_WAKE | SCHED_ENQ_NEW);
	t->wakeups--; // creation is no wake-up
}

static void block(struct sim *s, struct sim_cpu *c, struct sim_thread *t)
{
	t->state = ST_BLOCKED;
	sim_schedule(s, c, 0);
}

static void exit_thread(struct sim *s, struct sim_cpu *c, struct sim_thread *t)
{
	t->state = ST_DEAD;
	t->end_ns = s->now;
	sim_trace(s, c->cpu, TR_EXIT, t->id, 0, 0, 0);
	if (!--s->live)
		s->makespan = s->now;
	sim_schedule(s, c, 0);
}

// ---- The interpreter's operations (workload/interp.h) ----------------------

static struct sim_thread *thread_of(struct wl_prog *p)
{
	return container_of(p, struct sim_thread, prog);
}

static uint64_t op_now(struct wl_run *r)
{
	return ((struct sim *)r->host)->now;
}

static void op_wake(struct wl_run *r, struct wl_prog *p)
{
	wake(r->host, thread_of(p));
}

static bool op_set_affinity(struct wl_run *r, struct wl_prog *p,
                            const struct cpumask *m, bool has)
{
	struct sim *s = r->host;
	struct sim_thread *t = thread_of(p);

	set_affinity(s, t, m, has);
	return !sched_allowed(&t->se, s->step_cpu);
}

static const struct wl_ops sim_wl_ops = {
    .now = op_now,
    .wake = op_wake,
    .set_affinity = op_set_affinity,
};

void sim_run_init(struct sim *s)
{
	s->run.w = s->w;
	s->run.res = s->res;
	s->run.ops = &sim_wl_ops;
	s->run.host = s;
	wl_run_init(&s->run);
}

// ---- The program
// ---------------------------------------------------------------

static bool run_done(const struct sim *s, const struct sim_thread *t)
{
	return t->runtime_end ? s->now >= t->runtime_end : !t->work_left;
}

// c's current thread t carries on with its program at s->now: it starts
// a run (and stays), blocks, yields, exits or must move CPUs.
void sim_step_thread(struct sim *s, struct sim_cpu *c)
{
	struct sim_thread *t = c->curr;
	struct wl_act a;

	if (t->in_run) {
		if (!run_done(s, t))
			return;
		t->in_run = false;
		t->runtime_end = 0;
	}
	s->step_cpu = c->cpu;
	while ((a = wl_step(&s->run, &t->prog)).kind == WL_ACT_FORK)
		start_thread(s, new_thread(s, (unsigned)a.ns, 0, c->cpu));
	switch (a.kind) {
	case WL_ACT_RUN:
		t->work_left = jitter(s, a.ns);
		t->in_run = true;
		break;
	case WL_ACT_RUNTIME:
		t->runtime_end = s->now + a.ns;
		t->in_run = true;
		break;
	case WL_ACT_SLEEP:
		sim_push(s, a.ns, EV_WAKE, t->id - 1, ++t->gen);
		block(s, c, t);
		break;
	case WL_ACT_BLOCK: block(s, c, t); break;
	case WL_ACT_YIELD: sim_schedule(s, c, SCHED_ENQ_YIELD); break;
	case WL_ACT_MOVE: sim_schedule(s, c, SCHED_ENQ_PREEMPT); break;
	case WL_ACT_EXIT: exit_thread(s, c, t); break;
	case WL_ACT_FORK: break; // done above
	}
}

// ---- The loop
// ------------------------------------------------------------------

static void cpu_event(struct sim *s, struct sim_cpu *c)
{
	struct sim_thread *t;

	sim_account(s, c);
	t = c->curr;
	if (t && s->now >= c->seg_start && (!t->in_run || run_done(s, t)))
		sim_step_thread(s, c);
	t = c->curr;
	if (t && c->slice_end && s->now >= c->slice_end) {
		unsigned k = sim_class_of(t);
		uint64_t end = c->slice_end;

		s->cls[k]->tick(&c->cls[k], &t->se);
		if (c->need_resched || c->slice_end <= end)
			sim_schedule(s, c, SCHED_ENQ_PREEMPT);
		if (c->curr) // the kernel's slice timer balances every time
			sim_balance_tick(s, c);
	}
	if (c->need_resched)
		sim_schedule(s, c, SCHED_ENQ_PREEMPT);
	sim_arm(s, c);
}

static void dispatch(struct sim *s, const struct sim_ev *e)
{
	struct sim_cpu *c;
	struct sim_thread *t;

	switch (e->kind) {
	case EV_CPU:
		c = &s->cpu[e->idx];
		if (e->gen == c->gen) {
			s->this_cpu = c->cpu;
			cpu_event(s, c);
		}
		break;
	case EV_WAKE:
		t = s->th[e->idx];
		if (e->gen == t->gen) {
			s->this_cpu = t->se.cpu; // its timer fired there
			wake(s, t);
		}
		break;
	case EV_RESCHED:
		c = &s->cpu[e->idx];
		if (c->need_resched) {
			s->this_cpu = c->cpu;
			sim_schedule(s, c, SCHED_ENQ_PREEMPT);
		}
		break;
	case EV_START:
		s->this_cpu = 0;
		start_thread(s, s->th[e->idx]);
		break;
	case EV_SAMPLE:
		sim_sample(s);
		if (s->live || s->nheap)
			sim_push(s, s->now + s->o.sample_ns, EV_SAMPLE, 0, 0);
		break;
	}
}

static void create_initial(struct sim *s)
{
	for (unsigned i = 0; i < s->w->ntasks; i++)
		for (unsigned k = 0; k < s->w->task[i].instances; k++) {
			struct sim_thread *t = new_thread(s, i, k, 0);

			sim_push(s, s->w->task[i].delay_ns, EV_START, t->id - 1,
			         0);
		}
}

int sim_run(struct sim *s)
{
	uint64_t end = s->o.max_ns;

	if (s->w->duration_ns >= 0 && (uint64_t)s->w->duration_ns < end)
		end = (uint64_t)s->w->duration_ns;
	create_initial(s);
	if (s->o.sample_ns)
		sim_push(s, 0, EV_SAMPLE, 0, 0);
	while (s->nheap) {
		struct sim_ev e = pop(s);

		if (e.t > end) {
			s->now = end;
			break;
		}
		s->now = e.t;
		s->events++;
		dispatch(s, &e);
		if (!s->live && s->makespan)
			break;
	}
	sim_acc(s);
	if (s->wc_on)
		sim_wc_close(s, s->now);
	if (s->live)
		s->makespan = s->now;
	return sim_write_outputs(s);
}
