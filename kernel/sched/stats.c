// SPDX-License-Identifier: MIT
// The observers' side of the scheduler core's hooks (kernel/sched/observe.h):
// trace records, the counters `sched.stats` prints at the end of a run, and
// the registry of threads the watchdog and the totals walk.
//
// Locking: the hooks run on the CPU whose counters they write, under its
// run-queue lock (or with interrupts off); the registry has its own leaf
// lock `reg_lock` (key o), taken inside run-queue locks and never around
// another lock. The printer reads the counters racily at the end of a run.
#include <string.h>
#include <hal/cpu.h>
#include <hal/timer.h>
#include <kernel/cmdline.h>
#include <kernel/percpu.h>
#include <kernel/sched/balance.h>
#include <kernel/sched/core.h>
#include <kernel/sched/domain.h>
#include <kernel/sched/observe.h>
#include <kernel/sched/stats.h>
#include <kernel/sched/watchdog.h>
#include <kernel/thread.h>
#include <kernel/trace.h>
#include <lib/printk.h>
#include <lib/spinlock.h>

unsigned sched_obs_on;
static bool stats_print, stats_dumped;
static struct sched_obs_cpu obs_cpus[MAX_CPUS];

static spinlock_t reg_lock = SPINLOCK_INIT_CLASS(LOCK_CLASS_LEAF);
static struct sched_list reg_head = {&reg_head, &reg_head};
static struct sched_thread_totals exited; // reg_lock

struct sched_obs_cpu *sched_obs_cpu(unsigned cpu)
{
	return cpu < MAX_CPUS ? &obs_cpus[cpu] : NULL;
}

static inline bool stats_on(void)
{
	return __atomic_load_n(&sched_obs_on, __ATOMIC_RELAXED) &
	       SCHED_OBS_STATS;
}

static inline uint32_t tid_of(const struct thread *t)
{
	return t ? (uint32_t)t->id : 0;
}

// ---- The thread registry ----------------------------------------------------

static void reg_add(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&reg_lock);

	sched_list_add_tail(&reg_head, &t->obs_link);
	spin_unlock_irqrestore(&reg_lock, f);
}

// t switched out dead: its statistics are final.
static void reg_remove_dead(struct thread *t)
{
	irqflags_t f;

	if (!t->obs_link.next) // created before the counters were on
		return;
	f = spin_lock_irqsave(&reg_lock);
	sched_list_del(&t->obs_link);
	exited.threads_exited++;
	exited.switches += t->stats.switches;
	exited.migrations += t->stats.migrations;
	exited.wakeups += t->stats.wakeups;
	exited.run_ns += t->stats.run_ns;
	exited.wait_ns += t->stats.wait_ns;
	spin_unlock_irqrestore(&reg_lock, f);
}

void sched_obs_for_each_thread(void (*fn)(struct thread *t, void *arg),
                               void *arg)
{
	irqflags_t f = spin_lock_irqsave(&reg_lock);

	for (struct sched_list *l = reg_head.next; l != &reg_head; l = l->next)
		fn(container_of(l, struct thread, obs_link), arg);
	spin_unlock_irqrestore(&reg_lock, f);
}

static void add_thread(struct thread *t, void *arg)
{
	struct sched_thread_totals *s = arg;

	s->threads_live++;
	s->switches += t->stats.switches;
	s->migrations += t->stats.migrations;
	s->wakeups += t->stats.wakeups;
	s->run_ns += t->stats.run_ns;
	s->wait_ns += t->stats.wait_ns;
}

void sched_stats_thread_totals(struct sched_thread_totals *out)
{
	irqflags_t f = spin_lock_irqsave(&reg_lock);

	*out = exited;
	spin_unlock_irqrestore(&reg_lock, f);
	sched_obs_for_each_thread(add_thread, out);
}

// ---- Hooks (observe.h) ------------------------------------------------------

// Run-queue length, integrated over time between events.
static void nr_event(struct sched_obs_cpu *o, unsigned nr, uint64_t now)
{
	if (!o->nr_since0)
		o->nr_since0 = now;
	else if (now > o->nr_last)
		o->nr_area += (uint64_t)o->nr_now * (now - o->nr_last);
	o->nr_last = now;
	o->nr_now = nr;
	if (nr > o->nr_max)
		o->nr_max = nr;
}

static void switch_stats(struct rq *rq, struct thread *prev,
                         struct thread *next, uint64_t now)
{
	struct sched_obs_cpu *o = &obs_cpus[rq->cpu];

	__atomic_store_n(&o->last_switch_ns, now, __ATOMIC_RELAXED);
	// As the core counts a thread's switches: idle threads never.
	if (next == rq->idle)
		;
	else if (next == prev)
		o->repick++;
	else
		o->switch_in++;
	nr_event(o, rq->nr_running, now);
	if (next != prev && prev->state == THREAD_DEAD)
		reg_remove_dead(prev);
}

void sched_obs_switch_slow(struct rq *rq, struct thread *prev,
                           struct thread *next, uint64_t now)
{
	if (stats_on())
		switch_stats(rq, prev, next, now);
	if (next == prev)
		return;
	if (prev == rq->idle)
		trace_sched(TRACE_IDLE_EXIT, tid_of(prev), 0, 0, 0);
	if (prev->state == THREAD_DEAD)
		trace_sched(TRACE_EXIT, tid_of(prev), (uint32_t)prev->exit_code,
		            0, 0);
	trace_sched(TRACE_SWITCH, tid_of(prev), tid_of(next),
	            (uint32_t)prev->state, 0);
	if (next == rq->idle)
		trace_sched(TRACE_IDLE_ENTER, tid_of(next), 0, 0, 0);
}

void sched_obs_wake_slow(struct rq *rq, struct thread *t, unsigned flags)
{
	if (stats_on()) {
		struct sched_obs_cpu *o = &obs_cpus[rq->cpu];
		uint64_t now = hal_time_ns();

		nr_event(o, rq->nr_running, now);
		// A waiter on a CPU that was idle or running alone: the
		// watchdog counts its wait from now, not from the last switch.
		if (rq->nr_running - (rq->curr != rq->idle) == 1)
			__atomic_store_n(&o->wait_since, now, __ATOMIC_RELAXED);
	}
	if ((flags & SCHED_ENQ_WAKE) && !(flags & SCHED_ENQ_NEW))
		trace_sched(TRACE_WAKEUP, tid_of(t), rq->cpu,
		            tid_of(this_cpu()->thread), 0);
}

// The level of to's lowest domain whose span holds from.
static unsigned level_between(unsigned to, unsigned from)
{
	const struct sched_domain *d = sched_domain_lowest(to);

	for (; d; d = d->parent)
		if (cpumask_test(&d->span, from))
			return MIN(d->level, SCHED_STATS_LEVELS - 1);
	return ~0u;
}

void sched_obs_migrate_slow(struct rq *rq, struct thread *t, unsigned from)
{
	if (stats_on()) {
		struct sched_obs_cpu *o = &obs_cpus[rq->cpu];
		unsigned lvl = level_between(rq->cpu, from);

		if (lvl == ~0u)
			o->migrate_far++;
		else
			o->level[lvl].migrations++;
	}
	trace_sched(TRACE_MIGRATE, tid_of(t), from, rq->cpu, 0);
}

void sched_obs_create_slow(struct thread *t)
{
	irqflags_t f = hal_irq_save();
	struct thread *parent = this_cpu()->thread;

	hal_irq_restore(f);
	if (stats_on())
		reg_add(t);
	trace_sched(TRACE_CREATE, tid_of(t), tid_of(parent), 0,
	            trace_name_word(t->name));
}

// ---- Boot -------------------------------------------------------------------

void sched_obs_enable_stats(void)
{
	uint64_t now = hal_time_ns();

	for (unsigned c = 0; c < MAX_CPUS; c++)
		if (!obs_cpus[c].last_switch_ns)
			obs_cpus[c].last_switch_ns = now;
	__atomic_fetch_or(&sched_obs_on, SCHED_OBS_STATS, __ATOMIC_RELEASE);
}

void sched_obs_boot(void)
{
	uint64_t wd = 0, wc = 0;

	stats_print = cmdline_has("sched.stats");
	if (cmdline_has("sched.watchdog"))
		wd = cmdline_get_uint("sched.watchdog",
		                      SCHED_WATCHDOG_DEFAULT_MS);
	if (cmdline_has("sched.wcheck"))
		wc = cmdline_get_uint("sched.wcheck", SCHED_WCHECK_DEFAULT_MS);
	if (cmdline_get("sched.watchdog") && !*cmdline_get("sched.watchdog"))
		wd = SCHED_WATCHDOG_DEFAULT_MS;
	if (cmdline_get("sched.wcheck") && !*cmdline_get("sched.wcheck"))
		wc = SCHED_WCHECK_DEFAULT_MS;
	sched_watchdog_config(wd * 1000000ull, wc * 1000000ull);
	if (stats_print || wd || wc)
		sched_obs_enable_stats();
}

void sched_obs_start(void)
{
	struct thread *main = thread_current();

	if (stats_on() && main && !main->obs_link.next)
		reg_add(main);
	for (unsigned c = 0; c < cpu_count; c++) {
		struct rq *rq = cpus[c] ? cpus[c]->rq : NULL;

		if (rq && rq->idle)
			trace_sched(TRACE_CREATE, tid_of(rq->idle), 0, 0,
			            trace_name_word(rq->idle->name));
	}
	if (main)
		trace_sched(TRACE_CREATE, tid_of(main), 0, 0,
		            trace_name_word(main->name));
	sched_watchdog_start();
}

// ---- The dump ---------------------------------------------------------------

static void dump_levels(unsigned cpu, const struct sched_obs_cpu *o)
{
	const struct sched_domain *d = sched_domain_lowest(cpu);

	for (; d; d = d->parent) {
		unsigned lv = MIN(d->level, SCHED_STATS_LEVELS - 1);
		struct sched_balance_stats b;

		// The balancer's own counters (kernel/sched/balance.c), kept
		// whether or not sched.stats is on.
		sched_balance_get_stats(cpu, d->level, &b);
		printk("cpu %u level %u %s span %u migrations %lu "
		       "balance_attempts %lu balance_failed %lu "
		       "balance_moved %lu newidle %lu periodic %lu nohz %lu\n",
		       cpu, d->level, d->name, d->weight,
		       (unsigned long)o->level[lv].migrations,
		       (unsigned long)b.attempts, (unsigned long)b.failed,
		       (unsigned long)b.migrations, (unsigned long)b.newidle,
		       (unsigned long)b.periodic, (unsigned long)b.nohz);
		if (d->level >= SCHED_STATS_LEVELS - 1)
			break; // deeper levels share the last counters
	}
}

static void dump_cpu(unsigned cpu, uint64_t now)
{
	const struct sched_obs_cpu *o = &obs_cpus[cpu];
	struct sched_cpu_stats st;
	struct rq *rq = cpus[cpu]->rq;
	uint64_t idle, span = now - o->nr_since0, area = o->nr_area;

	sched_cpu_stats(cpu, &st);
	idle = st.idle_ns;
	if (__atomic_load_n(&rq->curr, __ATOMIC_RELAXED) == rq->idle &&
	    now > rq->idle_mark)
		idle += now - rq->idle_mark;
	if (o->nr_since0 && now > o->nr_last)
		area += (uint64_t)o->nr_now * (now - o->nr_last);
	printk("cpu %u switches %lu switch_in %lu repick %lu idle_ns %lu "
	       "pulls %lu wakeups_remote %lu migrate_far %lu rq_now %u "
	       "rq_max %u rq_avg_milli %lu\n",
	       cpu, (unsigned long)st.switches, (unsigned long)o->switch_in,
	       (unsigned long)o->repick, (unsigned long)idle,
	       (unsigned long)st.pulls, (unsigned long)st.wakeups_remote,
	       (unsigned long)o->migrate_far, rq->nr_running, o->nr_max,
	       (unsigned long)(o->nr_since0 && span ? area * 1000 / span : 0));
	dump_levels(cpu, o);
}

void sched_stats_dump(void)
{
	struct sched_thread_totals tt;
	uint64_t now = hal_time_ns();
	unsigned n = 0;
	irqflags_t f;

	if (!stats_print || stats_dumped || !sched_started())
		return;
	stats_dumped = true;
	// No slice end on this CPU between the per-CPU lines and the thread
	// totals: a re-pick meanwhile would make them disagree.
	f = hal_irq_save();
	for (unsigned c = 0; c < cpu_count; c++)
		n += cpus[c] && cpus[c]->rq;
	sched_stats_thread_totals(&tt);
	printk("-----BEGIN CAIRN SCHED STATS-----\n");
	printk("sched-stats 1 cpus %u policy %s levels %u uptime_ns %lu\n", n,
	       sched_policy_name(), sched_domain_depth(), (unsigned long)now);
	for (unsigned c = 0; c < cpu_count; c++)
		if (cpus[c] && cpus[c]->rq)
			dump_cpu(c, now);
	printk("threads live %lu exited %lu switches %lu migrations %lu "
	       "wakeups %lu run_ns %lu wait_ns %lu\n",
	       (unsigned long)tt.threads_live, (unsigned long)tt.threads_exited,
	       (unsigned long)tt.switches, (unsigned long)tt.migrations,
	       (unsigned long)tt.wakeups, (unsigned long)tt.run_ns,
	       (unsigned long)tt.wait_ns);
	sched_watchdog_dump_counts();
	printk("-----END CAIRN SCHED STATS-----\n");
	hal_irq_restore(f);
}
