// SPDX-License-Identifier: MIT
// Stall watchdog and work-conservation checker (kernel/sched/watchdog.h).
//
// Each online CPU has a timer on its own scheduler timer queue that runs
// wd_fire() every period (a quarter of the smaller threshold) while a
// threshold is set; it runs in interrupt context with interrupts off. The
// stall check reads a CPU's run queue under that queue's lock (r, from a
// timer callback as the slice timer does) and reports after releasing it;
// listing threads takes only the registry's leaf lock (stats.c). The
// work-conservation check reads other CPUs' fields racily: a report is a
// hint, and its threshold (several balance intervals) outlasts a torn read.
#include <string.h>
#include <hal/cpu.h>
#include <hal/timer.h>
#include <kernel/percpu.h>
#include <kernel/sched/core.h>
#include <kernel/sched/stats.h>
#include <kernel/sched/watchdog.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <lib/panic.h>
#include <lib/printk.h>

#define WD_MIN_PERIOD_NS 1000000ull

static uint64_t stall_ns, wcheck_ns; // written by config, read by timers
static struct ktimer wd_timers[MAX_CPUS];
static uint64_t stall_reported[MAX_CPUS]; // last_switch_ns reported on
static struct sched_wcheck_state wc_state[MAX_CPUS];
static struct sched_watchdog_counts counts;

void sched_watchdog_config(uint64_t stall, uint64_t wcheck)
{
	__atomic_store_n(&stall_ns, stall, __ATOMIC_RELAXED);
	__atomic_store_n(&wcheck_ns, wcheck, __ATOMIC_RELAXED);
}

static uint64_t wd_period(void)
{
	uint64_t s = __atomic_load_n(&stall_ns, __ATOMIC_RELAXED);
	uint64_t w = __atomic_load_n(&wcheck_ns, __ATOMIC_RELAXED);
	uint64_t p = s && w ? MIN(s, w) : (s ? s : w);

	return p ? MAX(p / 4, WD_MIN_PERIOD_NS) : 0;
}

void sched_watchdog_counts(struct sched_watchdog_counts *out)
{
	out->checks = __atomic_load_n(&counts.checks, __ATOMIC_RELAXED);
	out->stalls = __atomic_load_n(&counts.stalls, __ATOMIC_RELAXED);
	out->wchecks = __atomic_load_n(&counts.wchecks, __ATOMIC_RELAXED);
}

void sched_watchdog_dump_counts(void)
{
	struct sched_watchdog_counts c;

	sched_watchdog_counts(&c);
	printk("watchdog stall_ms %lu wcheck_ms %lu checks %lu stalls %lu "
	       "wchecks %lu\n",
	       (unsigned long)(stall_ns / 1000000),
	       (unsigned long)(wcheck_ns / 1000000), (unsigned long)c.checks,
	       (unsigned long)c.stalls, (unsigned long)c.wchecks);
}

static struct rq *wd_rq(unsigned cpu)
{
	return cpu < cpu_count && cpus[cpu] && cpus[cpu]->online ? cpus[cpu]->rq
	                                                         : NULL;
}

// ---- Stalls
// -------------------------------------------------------------------

struct queued_arg {
	unsigned cpu;
	unsigned long curr_id;
};

static void print_queued(struct thread *t, void *p)
{
	struct queued_arg *a = p;

	if (t->on_rq && t->se.cpu == a->cpu && t->id != a->curr_id)
		pr_warn("sched:   queued: %s (tid %lu) %s%u, waiting since "
		        "%lu ns\n",
		        t->name, (unsigned long)t->id,
		        t->se.rt_prio ? "rt prio " : "fair weight ",
		        t->se.rt_prio ? t->se.rt_prio : t->se.weight,
		        (unsigned long)t->mark_ns);
}

// curr_name / curr_id: what the CPU was running, copied under its lock
// (the thread may be gone by now).
static void stall_report(unsigned cpu, const char *curr_name,
                         unsigned long curr_id, uint64_t idle_for,
                         unsigned waiting, bool self)
{
	struct queued_arg a = {cpu, curr_id};

	__atomic_fetch_add(&counts.stalls, 1, __ATOMIC_RELAXED);
	pr_warn("sched: watchdog: cpu %u: %u thread%s waiting %lu ms without a "
	        "switch; running %s (tid %lu), preemption count %u (seen from "
	        "cpu %u)\n",
	        cpu, waiting, waiting == 1 ? "" : "s",
	        (unsigned long)(idle_for / 1000000), curr_name, curr_id,
	        cpus[cpu]->preempt, hal_cpu_id());
	sched_obs_for_each_thread(print_queued, &a);
	if (self)
		backtrace_print();
}

static void check_stall(unsigned cpu, uint64_t now, uint64_t limit, bool self)
{
	struct rq *rq = wd_rq(cpu);
	struct thread *curr;
	char name[THREAD_NAME_MAX];
	unsigned long id;
	unsigned nr, waiting;
	uint64_t last;
	bool report = false;

	if (!rq)
		return;
	// Under the run queue's lock: a wake-up raises nr_running and sets
	// wait_since in one critical section, and a reading between the two
	// saw a CPU with a waiter and a stale start (a false stall, seen when
	// a long-idle CPU got a thread from another CPU at that moment).
	spin_lock(&rq->lock);
	// Threads have waited since the last switch, or since the wake-up
	// that gave a long-idle (or lone) CPU its first waiter.
	last = MAX(sched_obs_cpu(cpu)->last_switch_ns,
	           sched_obs_cpu(cpu)->wait_since);
	curr = rq->curr;
	nr = rq->nr_running;
	waiting = nr - (curr != rq->idle && nr ? 1 : 0);
	// One report per stall: the same last switch is not reported twice.
	if (waiting && now >= last && now - last >= limit)
		report = __atomic_exchange_n(&stall_reported[cpu], last,
		                             __ATOMIC_RELAXED) != last;
	if (report) {
		memcpy(name, curr->name, sizeof(name));
		name[sizeof(name) - 1] = 0;
		id = (unsigned long)curr->id;
	}
	spin_unlock(&rq->lock);
	if (report)
		stall_report(cpu, name, id, now - last, waiting, self);
}

// ---- Work conservation
// ----------------------------------------------------------

bool sched_wcheck_step(struct sched_wcheck_state *s, bool violated,
                       uint64_t now, uint64_t sched_at, uint64_t limit)
{
	if (!violated) {
		s->since = 0;
		return false;
	}
	// A CPU that went through the scheduler since the episode began was
	// not idle all along: the episode starts again.
	if (!s->since || sched_at > s->since)
		s->since = now;
	if (now - s->since < limit || s->reported == s->since)
		return false;
	s->reported = s->since;
	return true;
}

struct waiting_arg {
	unsigned idle_cpu;
	struct thread *found;
};

// t waits on another CPU's queue and may run on idle_cpu.
static void find_waiting(struct thread *t, void *p)
{
	struct waiting_arg *a = p;
	struct rq *rq;

	if (a->found || t->idle || !t->on_rq || t->se.cpu == a->idle_cpu ||
	    !cpumask_test(&t->se.affinity, a->idle_cpu))
		return;
	rq = wd_rq(t->se.cpu);
	if (rq && __atomic_load_n(&rq->curr, __ATOMIC_RELAXED) != t &&
	    rq->move != t)
		a->found = t;
}

static void check_wcheck(unsigned cpu, uint64_t now, uint64_t limit)
{
	struct rq *rq = wd_rq(cpu);
	struct waiting_arg a = {cpu, NULL};
	uint64_t at;

	if (!rq)
		return;
	if (rq->curr == rq->idle && !rq->nr_running)
		sched_obs_for_each_thread(find_waiting, &a);
	at = __atomic_load_n(&sched_obs_cpu(cpu)->last_switch_ns,
	                     __ATOMIC_RELAXED);
	if (!sched_wcheck_step(&wc_state[cpu], a.found != NULL, now, at, limit))
		return;
	__atomic_fetch_add(&counts.wchecks, 1, __ATOMIC_RELAXED);
	pr_warn("sched: wcheck: cpu %u idle for %lu ms while %s (tid %lu), "
	        "allowed on it, waits on cpu %u (run queue length %u)\n",
	        cpu, (unsigned long)((now - wc_state[cpu].since) / 1000000),
	        a.found->name, (unsigned long)a.found->id, a.found->se.cpu,
	        sched_rq_len(a.found->se.cpu));
}

// ---- The timers
// -----------------------------------------------------------------

static unsigned next_online(unsigned cpu)
{
	for (unsigned i = 1; i < cpu_count; i++) {
		unsigned c = (cpu + i) % cpu_count;

		if (wd_rq(c))
			return c;
	}
	return cpu;
}

static void wd_fire(struct ktimer *kt)
{
	unsigned me = hal_cpu_id();
	uint64_t now = hal_time_ns(), period = wd_period();
	uint64_t s = __atomic_load_n(&stall_ns, __ATOMIC_RELAXED);
	uint64_t w = __atomic_load_n(&wcheck_ns, __ATOMIC_RELAXED);

	if (!period)
		return; // turned off: the timer stops here
	__atomic_fetch_add(&counts.checks, 1, __ATOMIC_RELAXED);
	if (s) {
		check_stall(me, now, s, true);
		if (next_online(me) != me)
			check_stall(next_online(me), now, s, false);
	}
	if (w)
		check_wcheck(me, now, w);
	ktimer_arm(kt, now + period);
}

static void wd_arm_here(void *arg)
{
	unsigned me = hal_cpu_id();
	uint64_t period = wd_period();

	(void)arg;
	if (!period)
		return;
	wd_timers[me].fn = wd_fire;
	wc_state[me].since = 0;
	ktimer_arm(&wd_timers[me], hal_time_ns() + period);
}

void sched_watchdog_start(void)
{
	if (!wd_period())
		return;
	sched_obs_enable_stats();
	for (unsigned c = 0; c < cpu_count; c++) {
		if (wd_rq(c))
			smp_call(c, wd_arm_here, NULL, true);
	}
}
