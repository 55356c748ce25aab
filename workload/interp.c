// SPDX-License-Identifier: MIT
// The rt-app phase interpreter (workload/interp.h): loops, phases, events
// and the resources' wait lists, shared by the kernel's workload runner and
// the host simulator. Semantics in one place:
// - run: ns of the thread's own CPU time; runtime: ns of clock time;
// - sleep: ns from now; timer: the next period of the timer, counted from
//   its first use; "unique..." timers are per thread, others shared; a
//   relative timer that was missed restarts its period from now, an
//   absolute one keeps the grid (and does not sleep until it catches up);
// - lock: FIFO hand-over (no barging), as Cairn's mutex does; unlock by a
//   thread that does not hold the mutex does nothing;
// - wait: release the mutex res2, wait on the condition, retake res2 before
//   going on; signal / broad wake one / every waiter; sync = signal + wait;
// - barrier: the last of its `users` threads wakes the others;
// - suspend waits for the next resume; a resume nobody waits for is lost,
//   as with rt-app's condition variable;
// - fork starts one thread of the named task; yield gives the CPU up.
// No locks: see the header for the host's lock.
#include <string.h>
#include <workload/interp.h>

void wl_run_init(struct wl_run *r)
{
	for (unsigned i = 0; i < r->w->nres; i++)
		r->res[i].tail = &r->res[i].head;
}

void wl_prog_init(const struct wl_run *r, struct wl_prog *p, unsigned task,
                  uint64_t *timers, const struct cpumask **m, bool *has)
{
	const struct wl_task *wt = &r->w->task[task];

	memset(p, 0, sizeof(*p));
	p->task = task;
	p->loops_left = wt->loop;
	p->phase_left = wt->ph[0].loop;
	p->timers = timers;
	for (unsigned i = 0; i < r->w->nres; i++)
		timers[i] = UINT64_MAX;
	*has = wt->ph[0].has_cpus || wt->has_cpus;
	*m = wt->ph[0].has_cpus ? &wt->ph[0].cpus : &wt->cpus;
}

// ---- Wait lists -----------------------------------------------------------

static void res_wait(struct wl_res *res, struct wl_prog *p)
{
	if (!res->tail)
		res->tail = &res->head;
	p->wnext = NULL;
	*res->tail = p;
	res->tail = &p->wnext;
}

struct wl_prog *wl_res_pop(struct wl_res *res)
{
	struct wl_prog *p = res->head;

	if (p) {
		res->head = p->wnext;
		if (!res->head)
			res->tail = &res->head;
	}
	return p;
}

static void mutex_release(struct wl_run *r, struct wl_res *m)
{
	struct wl_prog *n = wl_res_pop(m);

	m->owner = n;
	if (n)
		r->ops->wake(r, n);
}

// A waiter of a condition was signalled: it wakes once it has the mutex.
static void cond_wake(struct wl_run *r, struct wl_prog *p)
{
	struct wl_res *m = &r->res[p->wait_cond];

	if (!m->owner) {
		m->owner = p;
		r->ops->wake(r, p);
	} else {
		res_wait(m, p);
	}
}

// The timer event: true (and *until set) when the thread must sleep.
static bool timer_wait(struct wl_run *r, struct wl_prog *p,
                       const struct wl_event *e, uint64_t *until)
{
	struct wl_res *res = &r->res[e->res];
	bool unique = !strncmp(r->w->res[e->res].name, "unique", 6);
	uint64_t now = r->ops->now(r);
	uint64_t *next = unique ? &p->timers[e->res] : &res->next;
	bool first = unique ? *next == UINT64_MAX : !res->started;

	res->started = true;
	if (first)
		*next = now;
	*next += e->ns;
	if (*next > now) {
		*until = *next;
		return true;
	}
	if (!e->absolute) // missed: the next period counts from now
		*next = now;
	return false;
}

// ---- The program ------------------------------------------------------------

// The event p is at, moving to the next phase or loop when one ended; NULL
// when the program is over. *moved: the new phase's affinity excludes the
// current CPU.
static const struct wl_event *cur_event(struct wl_run *r, struct wl_prog *p,
                                        bool *moved)
{
	const struct wl_task *wt = &r->w->task[p->task];

	*moved = false;
	while (p->ev >= wt->ph[p->phase].nev) {
		const struct wl_phase *ph;

		p->ev = 0;
		if (--p->phase_left > 0)
			continue;
		if (++p->phase == wt->nph) {
			p->phase = 0;
			if (p->loops_left > 0 && --p->loops_left == 0)
				return NULL;
		}
		ph = &wt->ph[p->phase];
		p->phase_left = ph->loop;
		if (ph->has_cpus || wt->nph > 1)
			*moved = r->ops->set_affinity(
			    r, p, ph->has_cpus ? &ph->cpus : &wt->cpus,
			    ph->has_cpus || wt->has_cpus);
	}
	return &wt->ph[p->phase].ev[p->ev];
}

// Zero-time events that never block; false for any other event.
static bool step_instant(struct wl_run *r, struct wl_prog *p,
                         const struct wl_event *e)
{
	struct wl_res *res = &r->res[e->res];

	switch (e->type) {
	case WL_UNLOCK:
		if (res->owner == p)
			mutex_release(r, res);
		return true;
	case WL_SIGNAL:
		if (res->head)
			cond_wake(r, wl_res_pop(res));
		return true;
	case WL_BROAD:
		while (res->head)
			cond_wake(r, wl_res_pop(res));
		return true;
	case WL_RESUME: // nobody suspended: lost, as with rt-app's condvar
		while (res->head)
			r->ops->wake(r, wl_res_pop(res));
		return true;
	}
	return false;
}

// Events that may wait; true (and *a set) when the thread must.
static bool step_wait(struct wl_run *r, struct wl_prog *p,
                      const struct wl_event *e, struct wl_act *a)
{
	struct wl_res *res = &r->res[e->res];

	a->kind = WL_ACT_BLOCK;
	switch (e->type) {
	case WL_SLEEP:
		a->kind = WL_ACT_SLEEP;
		a->ns = r->ops->now(r) + e->ns;
		return e->ns != 0;
	case WL_TIMER:
		a->kind = WL_ACT_SLEEP;
		return timer_wait(r, p, e, &a->ns);
	case WL_BARRIER:
		if (++res->count >= r->w->res[e->res].users) {
			res->count = 0;
			while (res->head)
				r->ops->wake(r, wl_res_pop(res));
			return false;
		}
		break;
	case WL_LOCK:
		if (!res->owner) {
			res->owner = p;
			return false;
		}
		break;
	case WL_SYNC:
		if (res->head)
			cond_wake(r, wl_res_pop(res));
		/* fall through */
	case WL_WAIT:
		if (r->res[e->res2].owner == p)
			mutex_release(r, &r->res[e->res2]);
		p->wait_cond = e->res2;
		break;
	case WL_SUSPEND: break;
	case WL_YIELD: a->kind = WL_ACT_YIELD; return true;
	default: return false;
	}
	res_wait(res, p);
	return true;
}

struct wl_act wl_step(struct wl_run *r, struct wl_prog *p)
{
	struct wl_act a = {WL_ACT_EXIT, 0};

	for (;; p->spins++) {
		bool moved;
		const struct wl_event *e = cur_event(r, p, &moved);

		if (!e || moved) { // moved: its new phase may not run here
			a.kind = e ? WL_ACT_MOVE : WL_ACT_EXIT;
			break;
		}
		if (p->spins == WL_SPIN_LIMIT) { // the event is not consumed
			a.kind = WL_ACT_RUN;
			a.ns = WL_SPIN_RUN_NS;
			break;
		}
		p->ev++;
		if ((e->type == WL_RUN || e->type == WL_RUNTIME) && e->ns) {
			a.kind =
			    e->type == WL_RUN ? WL_ACT_RUN : WL_ACT_RUNTIME;
			a.ns = e->ns;
			break;
		}
		if (e->type == WL_FORK) { // zero time: the count goes on
			a.kind = WL_ACT_FORK;
			a.ns = e->task;
			p->spins++;
			return a;
		}
		if (step_instant(r, p, e))
			continue;
		if (step_wait(r, p, e, &a))
			break;
	}
	p->spins = 0;
	return a;
}
