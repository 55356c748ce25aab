// SPDX-License-Identifier: MIT
// Scheduler core (docs/sched.md): per-CPU run queues, the switch path,
// wake-ups, preemption, migration and statistics. Policies decide through
// struct sched_ops (kernel/sched/policy.h); the core does the locking.
//
// Locking (docs/sched.md, "Run queues and locking"): rq->lock guards a run
// queue and the policy state inside it; thread->wake_lock serialises the
// wakers of one thread and is taken before any rq->lock; two rq locks are
// taken in ascending CPU order. Every thread switch happens with the
// switching CPU's rq->lock held and the preemption count at 1; the thread
// switched to releases both (sched_finish_switch).
//
// Compiled inside kernel/sched/unit.c, after the default policy (eevdf.c):
// when eevdf is the policy in use the wake-up and switch paths call its
// enqueue and put_pick directly and inline; other policies go through the
// ops.
#include <string.h>
#include <hal/context.h>
#include <hal/cpu.h>
#include <hal/irq.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <kernel/percpu.h>
#include <lib/printk.h>
#include <kernel/sched/core.h>
#include <kernel/sched/observe.h>
#include <kernel/sched/registry.h>
#include <kernel/thread.h>
#include <mm/heap.h>

static const struct sched_ops *classes[SCHED_NCLASSES];
static bool started;
// The fair class runs eevdf (compiled into this unit, kernel/sched/unit.c):
// the hot paths call its enqueue and put_pick directly, with the class's
// index a constant. One byte, tested first.
static bool fair_eevdf;

static inline struct rq *rq_of(unsigned cpu)
{
	return cpu < cpu_count && cpus[cpu] ? cpus[cpu]->rq : NULL;
}

static inline struct thread *thread_of(struct sched_entity *se)
{
	return container_of(se, struct thread, se);
}

static inline unsigned class_of(const struct thread *t)
{
	return t->se.rt_prio ? SCHED_CLASS_RT : SCHED_CLASS_FAIR;
}

static inline struct rq *rq_of_srq(struct sched_rq *sr)
{
	return container_of(sr - sr->cls, struct rq, cls[0]);
}

bool sched_started(void)
{
	return __atomic_load_n(&started, __ATOMIC_ACQUIRE);
}

const char *sched_policy_name(void)
{
	return classes[SCHED_CLASS_FAIR] ? classes[SCHED_CLASS_FAIR]->name
	                                 : "none";
}

// ---- The policy API (kernel/sched/policy.h) ------------------------------

uint64_t sched_now(void)
{
	return hal_time_ns();
}

unsigned sched_cpu_count(void)
{
	return cpu_count;
}

bool sched_cpu_online(unsigned cpu)
{
	return rq_of(cpu) != NULL;
}

unsigned sched_cpu_node(unsigned cpu)
{
	struct rq *rq = rq_of(cpu);

	return rq && rq->idle ? rq->idle->se.node : 0;
}

bool sched_cpu_is_idle(unsigned cpu)
{
	struct rq *rq = rq_of(cpu);

	return rq && __atomic_load_n(&rq->curr, __ATOMIC_RELAXED) == rq->idle &&
	       __atomic_load_n(&rq->nr_running, __ATOMIC_RELAXED) == 0;
}

unsigned sched_rq_len(unsigned cpu)
{
	struct rq *rq = rq_of(cpu);

	return rq ? __atomic_load_n(&rq->nr_running, __ATOMIC_RELAXED) : 0;
}

// rq locked. A remote CPU is kicked with IPI_RESCHED; it switches on the
// way out of that interrupt.
static void resched_rq(struct rq *rq)
{
	struct cpu *c = cpus[rq->cpu];

	if (c->need_resched)
		return;
	c->need_resched = true;
	if (rq->cpu != hal_cpu_id()) {
		rq->stats.wakeups_remote++;
		hal_ipi_send(rq->cpu, IPI_RESCHED);
	}
}

void sched_resched(struct sched_rq *sr)
{
	resched_rq(rq_of_srq(sr));
}

void sched_set_slice(struct sched_rq *sr, uint64_t ns)
{
	struct rq *rq = rq_of_srq(sr);

	rq->slice_end = rq->clock + ns;
}

// ---- Queue operations (rq locked) -----------------------------------------

// One test for a whole wake-up or switch path: is lock debugging or an
// observer (observe.h) on? The hot paths run a copy of themselves made
// with the answer as a constant `chk`: false, the usual case, and their
// locks, lock assertions and observation hooks test nothing more
// (spin_lock_raw_chk); true, each tests its flag as before. A path in
// flight when trace_start() sets its bit records nothing (interrupts are
// off, so one per CPU): tracing starts raggedly per CPU, as it did when
// each hook read the flag for itself.
static inline bool path_checks(void)
{
	return unlikely((sched_obs_on | lockdebug_on) != 0); // one branch
}

static inline __attribute__((always_inline)) void
enqueue_locked_chk(struct rq *rq, struct thread *t, unsigned flags, bool chk)
{
	unsigned c = class_of(t);

	SPIN_ASSERT_HELD_CHK(&rq->lock, chk);
	t->se.cpu = rq->cpu;
	if (fair_eevdf && c == SCHED_CLASS_FAIR) {
		eevdf_enqueue(&rq->cls[SCHED_CLASS_FAIR], &t->se, flags);
		rq->cls[SCHED_CLASS_FAIR].nr_queued++;
		return;
	}
	classes[c]->enqueue(&rq->cls[c], &t->se, flags);
	rq->cls[c].nr_queued++;
}

static void enqueue_locked(struct rq *rq, struct thread *t, unsigned flags)
{
	enqueue_locked_chk(rq, t, flags, true);
}

static void dequeue_locked(struct rq *rq, struct thread *t, unsigned flags)
{
	unsigned c = class_of(t);

	SPIN_ASSERT_HELD(&rq->lock);
	classes[c]->dequeue(&rq->cls[c], &t->se, flags);
	rq->cls[c].nr_queued--;
}

static struct thread *pick_locked(struct rq *rq)
{
	SPIN_ASSERT_HELD(&rq->lock);
	for (unsigned c = 0; c < SCHED_NCLASSES; c++) {
		struct sched_entity *se;

		if (!rq->cls[c].nr_queued)
			continue;
		se = classes[c]->pick_next(&rq->cls[c]);
		if (se) {
			rq->cls[c].nr_queued--;
			return thread_of(se);
		}
	}
	return NULL;
}

// A thread just became runnable on rq: does it outrank the running one?
// Policies ask for finer preemption themselves (sched_resched).
static inline __attribute__((always_inline)) void
check_preempt_locked_chk(struct rq *rq, struct thread *t, bool chk)
{
	SPIN_ASSERT_HELD_CHK(&rq->lock, chk);
	if (rq->curr == rq->idle || class_of(t) < class_of(rq->curr))
		resched_rq(rq);
}

static void check_preempt_locked(struct rq *rq, struct thread *t)
{
	check_preempt_locked_chk(rq, t, true);
}

// A runnable thread that is not on any run queue goes onto one. Inline
// in the wake-up path (sched_wake); place_thread below for the others.
// chk: path_checks().
static inline __attribute__((always_inline)) void
place_thread_inline(struct thread *t, unsigned flags, bool chk)
{
	unsigned me, cpu = t->only_cpu;
	struct rq *rq;

	// A pinned thread's one CPU is allowed by construction (only_cpu is
	// the single CPU of its affinity): only its run queue is checked.
	if (cpu == ~0u || !(rq = rq_of(cpu))) {
		me = hal_cpu_id();
		cpu = classes[class_of(t)]->select_cpu(&t->se, t->se.cpu, me,
		                                       flags);
		if (!rq_of(cpu) || !sched_allowed(&t->se, cpu)) {
			cpu =
			    sched_allowed(&t->se, t->se.cpu) && rq_of(t->se.cpu)
				? t->se.cpu
				: me;
			for (unsigned i = 0;
			     !sched_allowed(&t->se, cpu) || !rq_of(cpu); i++)
				cpu = i;
		}
		rq = rq_of(cpu);
	}
	spin_lock_raw_chk(&rq->lock, chk);
	t->on_rq = true;
	t->mark_ns = rq->clock = hal_time_ns();
	rq->nr_running++;
	enqueue_locked_chk(rq, t, flags, chk);
	check_preempt_locked_chk(rq, t, chk);
	if (chk)
		sched_obs_wake(rq, t, flags);
	spin_unlock_raw_chk(&rq->lock, chk);
}

static void place_thread(struct thread *t, unsigned flags)
{
	place_thread_inline(t, flags, true);
}

static void apply_params(struct thread *t)
{
	const struct thread_params *p = &t->params;

	t->pending = false;
	t->se.nice = p->nice;
	t->se.weight = p->weight ? p->weight : sched_nice_to_weight(p->nice);
	t->se.rt_prio = p->rt_prio;
	t->se.rt_rr = p->rt_rr;
	t->se.affinity = p->affinity;
	thread_note_affinity(t);
}

// ---- Switching -------------------------------------------------------------

// True if a class before k has threads queued on rq. Two classes, the
// real-time one first: one test, not a loop.
_Static_assert(SCHED_NCLASSES == 2 && SCHED_CLASS_RT == 0,
               "higher_queued knows two classes");
static inline bool higher_queued(const struct rq *rq, unsigned k)
{
	return k != SCHED_CLASS_RT && rq->cls[SCHED_CLASS_RT].nr_queued;
}

// prev's class c picked se (NULL: nothing of c left) in its put_pick.
static inline __attribute__((always_inline)) void
put_picked(struct rq *rq, unsigned c, struct thread *prev,
           struct sched_entity *se, bool runnable, bool *picked,
           struct thread **next)
{
	rq->cls[c].curr = NULL;
	*picked = true;
	*next = se ? thread_of(se) : NULL;
	if (runnable)
		return; // prev in, next out: the class's count is unchanged
	if (se)
		rq->cls[c].nr_queued--;
	prev->on_rq = false;
	rq->nr_running--;
}

// Takes prev off the CPU (schedule_locked asserted rq->lock). When prev's
// class has a put_pick and nothing is queued before it, the policy picks
// the next thread along: *picked is set, to NULL if that class had none
// left (the caller then asks the classes after it).
static inline __attribute__((always_inline)) void
put_prev_locked(struct rq *rq, struct thread *prev, uint64_t now,
                unsigned flags, bool *picked, struct thread **next, bool chk)
{
	unsigned c = class_of(prev);
	const struct sched_ops *ops = classes[c];
	bool runnable = prev->state == THREAD_RUNNING, allowed = true;

	if (prev == rq->idle) {
		rq->stats.idle_ns += now - rq->idle_mark;
		return;
	}
	prev->stats.run_ns += now - prev->mark_ns;
	prev->mark_ns = now;
	// New parameters (weight, class, affinity) take effect now: the
	// thread leaves its policy's accounting under the old ones (stopping
	// as if it slept) and, if it stays, comes back as a full enqueue under
	// the new ones. Kept in the accounting across a move, a fair thread's
	// weight stayed in its old CPU's load for good (eevdf's sum_w).
	if (unlikely(prev->pending)) {
		ops->stopping(&rq->cls[c], &prev->se, false);
		flags &= ~(unsigned)(SCHED_ENQ_PREEMPT | SCHED_ENQ_YIELD);
		apply_params(prev);
		// Only new parameters make a running thread unwelcome here:
		// every way onto a CPU checks its affinity.
		allowed = sched_allowed(&prev->se, rq->cpu);
	} else if (fair_eevdf && c == SCHED_CLASS_FAIR &&
	           !higher_queued(rq, c)) {
		// The usual yield, preemption or sleep: one policy call,
		// inline.
		put_picked(rq, SCHED_CLASS_FAIR, prev,
		           eevdf_put_pick(&rq->cls[SCHED_CLASS_FAIR], &prev->se,
		                          runnable, flags),
		           runnable, picked, next);
		return;
	} else if (ops->put_pick && !higher_queued(rq, c)) {
		put_picked(
		    rq, c, prev,
		    ops->put_pick(&rq->cls[c], &prev->se, runnable, flags),
		    runnable, picked, next);
		return;
	} else {
		ops->stopping(&rq->cls[c], &prev->se, runnable);
	}
	rq->cls[c].curr = NULL;
	if (runnable && allowed) {
		enqueue_locked_chk(rq, prev, flags, chk);
		return;
	}
	prev->on_rq = false;
	rq->nr_running--;
	if (runnable)
		rq->move = prev; // placed elsewhere once off this CPU
}

// ran: next came from its class's put_pick, which made the running call
// (policy.h).
static void set_next_locked(struct rq *rq, struct thread *next, uint64_t now,
                            bool ran)
{
	struct cpu *c = this_cpu();
	unsigned k = class_of(next);

	// schedule_locked, the only caller, asserted rq->lock.
	rq->curr = next;
	next->on_cpu = true;
	c->thread = next;
	c->stack_top = next->stack_top;
	if (next == rq->idle) {
		(void)ktimer_cancel(&rq->slice_timer);
		rq->slice_end = 0;
		rq->idle_mark = now;
		return;
	}
	next->stats.switches++;
	next->stats.wait_ns += now - next->mark_ns;
	next->mark_ns = now;
	rq->slice_end = now + SCHED_SLICE_NS;
	rq->cls[k].curr = &next->se;
	if (!ran)
		classes[k]->running(&rq->cls[k], &next->se);
	// Slice ends only move later, so the armed timer is kept unless it
	// is late: slice_expired re-arms one that fires early. Re-arming on
	// every switch was a third of a switch's instructions.
	if (!rq->slice_timer.armed || rq->slice_timer.deadline > rq->slice_end)
		ktimer_arm(&rq->slice_timer, rq->slice_end);
}

// The CPU starts / stops running its idle thread: the policies' cpu_idle.
static void idle_changed_locked(struct rq *rq, bool idle)
{
	for (unsigned k = 0; k < SCHED_NCLASSES; k++)
		if (classes[k]->cpu_idle)
			classes[k]->cpu_idle(&rq->cls[k], idle);
}

// Periodic balancing (the policy's balance_tick, no lock held): at slice
// ends and at switches, at most once per SCHED_BALANCE_TICK_NS, so a CPU
// that switches before its slices end still balances. Idle CPUs have no
// tick: the policy balances for them (docs/sched.md).
#define SCHED_BALANCE_TICK_NS 1000000ull

static inline void balance_tick(struct rq *rq, uint64_t now)
{
	if (now < rq->balance_mark)
		return;
	if (!classes[SCHED_CLASS_FAIR]->balance_tick) {
		rq->balance_mark = UINT64_MAX; // one compare per switch
		return;
	}
	rq->balance_mark = now + SCHED_BALANCE_TICK_NS;
	classes[SCHED_CLASS_FAIR]->balance_tick(rq->cpu);
}

// The first thing a thread does on a CPU after a switch to it: the thread
// switched away from is now off-CPU; dead ones are handed to thread.c.
// Inline: it runs once per switch, after every hal_context_switch.
static inline __attribute__((always_inline)) void sched_finish_switch(void)
{
	struct cpu *c = this_cpu();
	struct rq *rq = c->rq;
	struct thread *prev = rq->prev, *move = rq->move;
	bool dead = prev->state == THREAD_DEAD;

	uint64_t now = rq->curr->mark_ns; // the switch time, for a thread

	rq->prev = rq->move = NULL;
	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	spin_unlock_raw(&rq->lock);
	c->preempt--;
	if (move)
		place_thread(move, SCHED_ENQ_MIGRATE);
	if (dead)
		thread_reap(prev);
	if (rq->curr != rq->idle)
		balance_tick(rq, now);
}

// Idle balancing: the fair policy (then the RT class) may pull work for
// this CPU. The rq lock is dropped meanwhile; preemption stays off.
static struct thread *balance_and_pick(struct rq *rq)
{
	struct thread *next;

	for (unsigned k = 0; k < SCHED_NCLASSES; k++) {
		if (!classes[k]->balance)
			continue;
		spin_unlock_raw(&rq->lock);
		classes[k]->balance(rq->cpu);
		spin_lock_raw(&rq->lock);
		rq->clock = hal_time_ns();
		if ((next = pick_locked(rq)))
			return next;
	}
	return NULL;
}

// rq locked, preemption count 1, interrupts off. Returns with the lock
// released and the count 0, possibly on another CPU. Inline in each of
// its callers (thread_yield, schedule, sched_sleep_unlock): a call more
// per switch otherwise. chk: path_checks(), tested by the caller before
// it took rq->lock (the thread switched to releases it in
// sched_finish_switch, which always tests: that may be another path's
// copy).
static inline __attribute__((always_inline)) void
schedule_locked(struct rq *rq, unsigned flags, bool chk)
{
	struct thread *prev = rq->curr, *next = NULL;
	uint64_t now = rq->clock = hal_time_ns();
	bool picked = false;

	SPIN_ASSERT_HELD_CHK(&rq->lock, chk);
	this_cpu()->need_resched = false;
	put_prev_locked(rq, prev, now, flags, &picked, &next, chk);
	if (!picked || !next) {
		picked = false;
		next = pick_locked(rq);
	}
	if (!next)
		next = balance_and_pick(rq);
	if (!next)
		next = rq->idle;
	if (unlikely(next->last_cpu != rq->cpu)) {
		if (next != rq->idle && next->last_cpu != ~0u) {
			next->stats.migrations++;
			if (chk)
				sched_obs_migrate(rq, next, next->last_cpu);
		}
		next->last_cpu = rq->cpu;
	}
	if ((next == rq->idle) != (prev == rq->idle))
		idle_changed_locked(rq, next == rq->idle);
	now = rq->clock; // later if balance_and_pick dropped the lock
	set_next_locked(rq, next, now, picked);
	if (chk)
		sched_obs_switch(rq, prev, next, now);
	if (next == prev) {
		// Tested: balance_and_pick may have taken the lock again.
		spin_unlock_raw(&rq->lock);
		this_cpu()->preempt--;
		return;
	}
	rq->prev = prev;
	rq->stats.switches++;
	hal_context_switch(&prev->ctx, &next->ctx);
	sched_finish_switch();
}

static inline __attribute__((always_inline)) void schedule_flags(unsigned flags)
{
	irqflags_t f = hal_irq_save();
	struct cpu *c = this_cpu();
	struct rq *rq = c->rq;

	// c->thread is set only once the CPU has its run queue (rq too).
	if (!c->thread) {
		hal_irq_restore(f);
		return;
	}
	if (c->preempt) {
		pr_err("sched: %s sleeps or yields with preemption count %u "
		       "(a spinlock held?)\n",
		       c->thread->name, c->preempt);
		backtrace_print();
		hal_irq_restore(f);
		return;
	}
	c->preempt++;
	if (path_checks()) {
		spin_lock_raw(&rq->lock);
		schedule_locked(rq, flags, true);
	} else {
		spin_lock_raw_chk(&rq->lock, false);
		schedule_locked(rq, flags, false);
	}
	hal_irq_restore(f);
}

void schedule(void)
{
	schedule_flags(SCHED_ENQ_PREEMPT);
}

void thread_yield(void)
{
	schedule_flags(SCHED_ENQ_YIELD);
}

void sched_sleep_unlock(spinlock_t *l)
{
	struct cpu *c = this_cpu();
	struct rq *rq = c->rq;

	// The count is l's; it becomes the run-queue lock's (l before a run
	// queue's is the documented order). Anything else: the long way,
	// where schedule() reports a count still held.
	if (unlikely(c->preempt != 1 || !rq || !c->thread)) {
		spin_unlock_raw(l);
		(void)preempt_dec_irqoff();
		schedule();
		return;
	}
	// l was taken before this test: released with one (spinlock.h).
	if (path_checks()) {
		spin_lock_raw(&rq->lock);
		spin_unlock_raw(l);
		schedule_locked(rq, SCHED_ENQ_PREEMPT, true);
		return;
	}
	spin_lock_raw_chk(&rq->lock, false);
	spin_unlock_raw(l);
	schedule_locked(rq, SCHED_ENQ_PREEMPT, false);
}

// sched_sleep_unlock for the unchecked copies of the sleeping primitives
// (kernel/wait.c, the same unit: sem_down): inline there, with the usual
// case only; anything else, the function above. The caller tested
// lock debugging (its chk is false), so only the observers are tested
// here: lock debugging only ever turns on, and a path that started
// unchecked may finish so (lib/spinlock.h, the _chk forms).
static inline __attribute__((always_inline)) void
sched_sleep_unlock_fast(spinlock_t *l)
{
	struct cpu *c = this_cpu();
	struct rq *rq = c->rq;

	if (unlikely(c->preempt != 1 || !rq || !c->thread || sched_obs_on)) {
		sched_sleep_unlock(l);
		return;
	}
	spin_lock_raw_chk(&rq->lock, false);
	spin_unlock_raw_chk(l, false);
	schedule_locked(rq, SCHED_ENQ_PREEMPT, false);
}

void sched_irq_exit(void)
{
	struct cpu *c = this_cpu();

	if (c->need_resched && !c->preempt && c->thread)
		schedule();
}

void sched_preempt(void)
{
	if (hal_irq_enabled() && this_cpu()->thread)
		schedule();
}

__noreturn void sched_thread_start(void (*entry)(void *), void *arg)
{
	sched_finish_switch();
	hal_irq_enable();
	entry(arg);
	thread_exit(0);
}

// ---- Wake-ups, new threads, parameters -----------------------------------

// Locks the run queue t is on (t->se.cpu may change until it is held).
static struct rq *lock_rq_of(struct thread *t)
{
	for (;;) {
		struct rq *rq = rq_of(t->se.cpu);

		spin_lock_raw(&rq->lock);
		if (rq->cpu == t->se.cpu)
			return rq;
		spin_unlock_raw(&rq->lock);
	}
}

// sched_wake with t->wake_lock held; chk: path_checks().
static inline __attribute__((always_inline)) bool wake_locked(struct thread *t,
                                                              bool chk)
{
	if (t->state != THREAD_BLOCKED)
		return false;
	t->stats.wakeups++;
	// A blocked thread's on_rq becomes true only under its wake_lock
	// (held), so a false seen here stays false; a true may turn false
	// any moment (its CPU switching away): that is checked under the
	// run-queue lock. The usual case, asleep and off its queue, takes
	// no run-queue lock but the one it is queued with.
	if (__atomic_load_n(&t->on_rq, __ATOMIC_ACQUIRE)) {
		struct rq *rq = lock_rq_of(t);

		if (t->on_rq) {
			// Not switched out yet: schedule() sees it runnable.
			t->state = THREAD_RUNNING;
			sched_obs_wake(rq, t, SCHED_ENQ_WAKE);
			spin_unlock_raw(&rq->lock);
			return true;
		}
		spin_unlock_raw(&rq->lock);
	}
	// Off its run queue; its last CPU may still be on its stack.
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
	t->state = THREAD_RUNNING;
	place_thread_inline(t, SCHED_ENQ_WAKE, chk);
	return true;
}

bool sched_wake(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&t->wake_lock);
	bool woken = wake_locked(t, true);

	spin_unlock_irqrestore(&t->wake_lock, f);
	return woken;
}

static inline __attribute__((always_inline)) bool
wake_irqoff_chk(struct thread *t, bool chk)
{
	bool woken;

	spin_lock_raw_chk(&t->wake_lock, chk);
	woken = wake_locked(t, chk);
	spin_unlock_raw_chk(&t->wake_lock, chk);
	return woken;
}

// Interrupts are off and the caller's spinlock holds the preemption count,
// so the wake_lock needs neither (sched.h).
bool sched_wake_irqoff(struct thread *t)
{
	if (path_checks())
		return wake_irqoff_chk(t, true);
	return wake_irqoff_chk(t, false);
}

// The same, inline in the unchecked copies of the sleeping primitives
// (kernel/wait.c, the same unit: sem_up); lock debugging as in
// sched_sleep_unlock_fast.
static inline __attribute__((always_inline)) bool
sched_wake_irqoff_fast(struct thread *t)
{
	if (unlikely(sched_obs_on))
		return sched_wake_irqoff(t);
	return wake_irqoff_chk(t, false);
}

void sched_start_thread(struct thread *t)
{
	irqflags_t f;

	sched_obs_create(t);
	f = spin_lock_irqsave(&t->wake_lock);
	t->state = THREAD_RUNNING;
	place_thread(t, SCHED_ENQ_WAKE | SCHED_ENQ_NEW);
	spin_unlock_irqrestore(&t->wake_lock, f);
}

// The new parameters are in p; written under the run-queue lock, with t
// off its policy's queue meanwhile. A running thread that may no longer
// run where it is, or that lost its class rank, is rescheduled.
void sched_set_params(struct thread *t, const struct thread_params *p)
{
	irqflags_t f = spin_lock_irqsave(&t->wake_lock);
	struct rq *rq = lock_rq_of(t);
	bool queued = t->on_rq && rq->curr != t;

	rq->clock = hal_time_ns();
	if (queued)
		dequeue_locked(rq, t, 0);
	t->params = *p;
	t->pending = true;
	if (rq->curr == t) {
		// It keeps its old class and accounting until it stops
		// (put_prev_locked applies them); make that happen soon.
		resched_rq(rq);
	} else {
		apply_params(t);
	}
	if (queued && !sched_allowed(&t->se, rq->cpu)) {
		t->on_rq = false;
		rq->nr_running--;
		spin_unlock_raw(&rq->lock);
		place_thread(t, SCHED_ENQ_MIGRATE);
		spin_unlock_irqrestore(&t->wake_lock, f);
		return;
	}
	if (queued) {
		enqueue_locked(rq, t, 0);
		check_preempt_locked(rq, t);
	}
	spin_unlock_raw(&rq->lock);
	spin_unlock_irqrestore(&t->wake_lock, f);
}

// ---- Migration for balancing ----------------------------------------------

bool sched_pull(unsigned dst, unsigned src)
{
	struct rq *d = rq_of(dst), *s = rq_of(src), *lo, *hi;
	struct sched_entity *se = NULL;
	unsigned k;

	if (!d || !s || d == s)
		return false;
	lo = dst < src ? d : s;
	hi = dst < src ? s : d;
	spin_lock_raw(&lo->lock);
	spin_lock_raw(&hi->lock);
	d->clock = s->clock = hal_time_ns();
	for (k = 0; k < SCHED_NCLASSES && !se; k++)
		if (s->cls[k].nr_queued && classes[k]->steal)
			se = classes[k]->steal(&s->cls[k], dst);
	if (se && sched_allowed(se, dst) && thread_of(se) != s->curr) {
		struct thread *t = thread_of(se);

		dequeue_locked(s, t, SCHED_ENQ_MIGRATE);
		s->nr_running--;
		d->nr_running++;
		enqueue_locked(d, t, SCHED_ENQ_MIGRATE);
		d->stats.pulls++;
		d->stats.migrations_in++;
		check_preempt_locked(d, t);
	} else {
		se = NULL;
	}
	spin_unlock_raw(&hi->lock);
	spin_unlock_raw(&lo->lock);
	return se != NULL;
}

void sched_kick(unsigned cpu)
{
	struct rq *rq = rq_of(cpu);

	if (!rq)
		return;
	spin_lock_raw(&rq->lock);
	if (rq->curr == rq->idle)
		resched_rq(rq);
	spin_unlock_raw(&rq->lock);
}

// ---- The slice timer -------------------------------------------------------

static void slice_expired(struct ktimer *kt)
{
	struct rq *rq = container_of(kt, struct rq, slice_timer);
	struct thread *curr;
	uint64_t end;

	spin_lock(&rq->lock);
	curr = rq->curr;
	rq->clock = hal_time_ns();
	if (curr != rq->idle && rq->slice_end > rq->clock) {
		// Armed for an earlier slice (set_next_locked): wait on.
		ktimer_arm(&rq->slice_timer, rq->slice_end);
	} else if (curr != rq->idle) {
		unsigned k = class_of(curr);

		end = rq->slice_end;
		if (classes[k]->tick)
			classes[k]->tick(&rq->cls[k], &curr->se);
		else
			resched_rq(rq);
		// The policy extended the slice (sched_set_slice): wait on.
		if (!this_cpu()->need_resched && rq->slice_end > end)
			ktimer_arm(&rq->slice_timer, rq->slice_end);
		else
			resched_rq(rq);
	}
	spin_unlock(&rq->lock);
	if (curr != rq->idle)
		balance_tick(rq, hal_time_ns());
}

// ---- Start-up --------------------------------------------------------------

static const struct sched_ops *policy_by_name(const char *name)
{
	const struct sched_ops *ops = name ? sched_policy_find(name) : NULL;
	char list[128];
	size_t n = 0;

	if (!name || ops)
		return ops ? ops : sched_policy_at(0);
	list[0] = 0;
	for (size_t i = 0; (ops = sched_policy_at(i)); i++)
		n += (size_t)ksnprintf(list + n, sizeof(list) - n, "%s%s",
		                       i ? ", " : "", ops->name);
	pr_warn("sched: unknown policy '%s' (known: %s); using %s\n", name,
	        list, sched_policy_at(0)->name);
	return sched_policy_at(0);
}

static err_t rq_create(unsigned cpu)
{
	struct rq *rq = kzalloc(sizeof(*rq));

	if (!rq)
		return E_NOMEM;
	spin_lock_init(&rq->lock);
	spin_lock_set_class(&rq->lock, LOCK_CLASS_RQ, cpu);
	rq->cpu = cpu;
	rq->slice_timer.fn = slice_expired;
	rq->clock = hal_time_ns(); // init_rq's sched_rq_clock: its creation
	for (unsigned k = 0; k < SCHED_NCLASSES; k++) {
		rq->cls[k].cpu = cpu;
		rq->cls[k].cls = k;
		rq->cls[k].clock = &rq->clock;
		if (classes[k]->rq_size &&
		    !(rq->cls[k].priv = kzalloc(classes[k]->rq_size)))
			return E_NOMEM;
		if (classes[k]->init_rq)
			classes[k]->init_rq(&rq->cls[k]);
	}
	cpus[cpu]->rq = rq;
	return 0;
}

// Makes the running context (a boot stack) the thread t on this CPU.
static void adopt_context(struct rq *rq, struct thread *t)
{
	struct cpu *c = this_cpu();

	t->on_cpu = true;
	t->last_cpu = rq->cpu;
	t->se.cpu = rq->cpu;
	t->mark_ns = rq->clock = hal_time_ns();
	rq->curr = t;
	c->thread = t;
	if (t != rq->idle) {
		unsigned k = class_of(t);

		// Through the policy like any new thread, so its accounting
		// (eevdf's weight sums) includes it from the start. Nobody
		// contends yet; the lock is what the *_locked calls expect.
		spin_lock_raw(&rq->lock);
		t->on_rq = true;
		rq->nr_running++;
		enqueue_locked(rq, t, SCHED_ENQ_WAKE | SCHED_ENQ_NEW);
		if (pick_locked(rq) != t)
			panic("sched: the boot thread is not the only one");
		rq->cls[k].curr = &t->se;
		classes[k]->running(&rq->cls[k], &t->se);
		spin_unlock_raw(&rq->lock);
	} else {
		rq->idle_mark = t->mark_ns;
	}
	idle_changed_locked(rq, t == rq->idle);
}

static __noreturn void idle_loop(void)
{
	struct cpu *c = this_cpu();

	for (;;) {
		hal_irq_disable();
		if (c->need_resched) {
			hal_irq_enable();
			schedule();
			continue;
		}
		hal_cpu_idle(); // an interrupt's sched_irq_exit switches
	}
}

void sched_cpu_enter(void)
{
	struct cpu *c = this_cpu();
	struct rq *rq = c->rq;

	if (!sched_started() || !rq || c->thread)
		return;
	hal_irq_disable();
	ktimer_init_cpu();
	adopt_context(rq, rq->idle);
	hal_irq_enable();
	idle_loop();
}

// The idle thread of the boot CPU starts on a fresh stack.
static void boot_idle_entry(void *arg)
{
	(void)arg;
	idle_loop();
}

void sched_init(const char *policy_name)
{
	struct thread *main;
	unsigned n = 0;

	classes[SCHED_CLASS_RT] = &sched_rt_ops;
	classes[SCHED_CLASS_FAIR] = policy_by_name(policy_name);
	fair_eevdf = classes[SCHED_CLASS_FAIR] == &sched_eevdf_ops;
	for (unsigned i = 0; i < cpu_count; i++) {
		if (!cpus[i] || !cpus[i]->online)
			continue;
		struct rq *rq;

		if (rq_create(i))
			panic("sched: no memory for cpu %u's run queue", i);
		rq = cpus[i]->rq;
		rq->idle = thread_alloc_idle(i, i != 0);
		if (!rq->idle)
			panic("sched: no memory for cpu %u's idle thread", i);
		rq->curr = rq->idle;
		// Idle from now on for the policies too (the tickless-idle
		// mask), not only once the CPU enters the scheduler: a
		// secondary takes sched_init's IPI late (under icount at 40
		// CPUs, 6 ms after the first test had placed its threads),
		// and wake-up placement and the nohz balancer look for idle
		// CPUs in that mask. The boot CPU's adopt_context clears it.
		idle_changed_locked(rq, true);
		n++;
	}
	main = thread_adopt_boot("main");
	if (!main)
		panic("sched: no memory for the main thread");
	hal_irq_disable();
	ktimer_init_cpu();
	adopt_context(cpus[0]->rq, main);
	thread_start_idle(((struct rq *)cpus[0]->rq)->idle, boot_idle_entry);
	__atomic_store_n(&started, true, __ATOMIC_RELEASE);
	hal_irq_enable();
	hal_ipi_send_others(IPI_RESCHED); // secondaries: sched_cpu_enter()
	pr_info("sched: policy %s, %u CPU%s\n", sched_policy_name(), n,
	        n == 1 ? "" : "s");
}

void sched_cpu_stats(unsigned cpu, struct sched_cpu_stats *out)
{
	struct rq *rq = rq_of(cpu);

	if (rq)
		*out = rq->stats;
	else
		memset(out, 0, sizeof(*out));
}

// ---- Benchmark probes (kernel/sched/probe.h) -------------------------------

unsigned sched_probe_select(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&t->wake_lock);
	unsigned cpu = classes[class_of(t)]->select_cpu(
	    &t->se, t->se.cpu, hal_cpu_id(), SCHED_ENQ_WAKE);

	spin_unlock_irqrestore(&t->wake_lock, f);
	return cpu;
}

void sched_probe_balance(void)
{
	irqflags_t f = hal_irq_save();

	this_cpu()->preempt++;
	for (unsigned k = 0; k < SCHED_NCLASSES; k++)
		if (classes[k]->balance)
			classes[k]->balance(hal_cpu_id());
	this_cpu()->preempt--;
	hal_irq_restore(f);
}
