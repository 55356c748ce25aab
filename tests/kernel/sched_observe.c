// SPDX-License-Identifier: MIT
// Seeing what the scheduler did (docs/sched.md, "Seeing what it did"):
//   - observe.trace_workload: a known workload (a semaphore ping-pong
//     between the first and the last CPU, a thread that walks every CPU by
//     changing its own affinity); with trace=sched and sched.stats on the
//     command line, tests/trace/trace_test.py checks the dump and the
//     statistics printed at exit against it;
//   - the stall watchdog made to fire (a thread spinning with preemption
//     disabled while another thread waits on its CPU) and staying quiet
//     under an ordinary load;
//   - the work-conservation rule on hand-made observations, and live: a
//     CPU left idle while threads allowed on it queue up on another CPU.
#include <lib/preempt.h>
#include <kernel/sched/balance.h>
#include <kernel/sched/stats.h>
#include <kernel/sched/watchdog.h>
#include "sched_util.h"

static unsigned last_cpu(void)
{
	unsigned last = 0;

	for (unsigned c = 0; c < cpu_count; c++)
		if (cpus[c] && cpus[c]->online)
			last = c;
	return last;
}

// ---- The traced workload
// --------------------------------------------------------

#define OBS_ROUNDS 20

struct pingpong {
	struct semaphore ping, pong;
	volatile uint64_t done;
};

static void ping_fn(void *p)
{
	struct pingpong *pp = p;

	for (unsigned i = 0; i < OBS_ROUNDS; i++) {
		sem_up(&pp->ping);
		sem_down(&pp->pong);
	}
	__atomic_fetch_add(&pp->done, 1, __ATOMIC_RELEASE);
}

static void pong_fn(void *p)
{
	struct pingpong *pp = p;

	for (unsigned i = 0; i < OBS_ROUNDS; i++) {
		sem_down(&pp->ping);
		sem_up(&pp->pong);
	}
	__atomic_fetch_add(&pp->done, 1, __ATOMIC_RELEASE);
}

struct walk {
	volatile uint64_t wrong; // times it ran outside its one-CPU mask
};

// Moves itself to every online CPU in turn (twice round).
static void walk_fn(void *p)
{
	struct walk *w = p;
	struct thread *me = thread_current();

	for (unsigned round = 0; round < 2; round++) {
		for (unsigned c = 0; c < cpu_count; c++) {
			struct thread_params q;

			if (!cpus[c] || !cpus[c]->online)
				continue;
			thread_params_default(&q);
			cpumask_set(&q.affinity, c);
			if (thread_set_params(me, &q))
				w->wrong++;
			thread_yield();
			sleep_ns(200000);
			if (this_cpu()->id != c)
				w->wrong++;
		}
	}
}

KTEST(observe, trace_workload)
{
	static struct pingpong pp;
	static struct walk w;
	struct thread *a, *b, *m;

	sem_init(&pp.ping, 0);
	sem_init(&pp.pong, 0);
	pp.done = 0;
	w.wrong = 0;
	KT_ASSERT(!sched_test_spawn(&a, "obs-ping", ping_fn, &pp, 0, 0, 0));
	KT_ASSERT(
	    !sched_test_spawn(&b, "obs-pong", pong_fn, &pp, last_cpu(), 0, 0));
	KT_ASSERT(!sched_test_spawn(&m, "obs-walk", walk_fn, &w, ~0u, 0, 0));
	KT_EXPECT(sched_test_wait_for(&pp.done, 2));
	KT_EXPECT_EQ(thread_join(a), 0);
	KT_EXPECT_EQ(thread_join(b), 0);
	KT_EXPECT_EQ(thread_join(m), 0);
	KT_EXPECT_EQ_U(w.wrong, 0);
}

// ---- Stall watchdog
// ------------------------------------------------------------

#define WD_TEST_STALL_NS 50000000ull // 50 ms
#define WD_TEST_SPIN_NS 300000000ull // six times that

static void noop_fn(void *p)
{
	__atomic_fetch_add((volatile uint64_t *)p, 1, __ATOMIC_RELEASE);
}

struct stall_arg {
	unsigned cpu;
	struct thread *waiter;
	volatile uint64_t waiter_ran;
	err_t err;
};

// Preemption off, a thread queued behind it on the same CPU, 300 ms.
static void stall_fn(void *p)
{
	struct stall_arg *a = p;
	uint64_t end;

	preempt_disable();
	a->err = sched_test_spawn(&a->waiter, "obs-wait", noop_fn,
	                          (void *)&a->waiter_ran, a->cpu, 0, 0);
	end = hal_time_ns() + WD_TEST_SPIN_NS;
	while (hal_time_ns() < end)
		hal_cpu_relax();
	preempt_enable();
}

static void wd_off(void)
{
	sched_watchdog_config(0, 0);
	sleep_ns(20000000); // the armed timers run once more and stop
}

KTEST(observe, watchdog_reports_stall)
{
	static struct stall_arg a;
	struct sched_watchdog_counts before, after;
	struct thread *s;

	a = (struct stall_arg){.cpu = last_cpu()};
	sched_obs_enable_stats();
	sched_watchdog_config(WD_TEST_STALL_NS, 0);
	sched_watchdog_start();
	sched_watchdog_counts(&before);
	KT_ASSERT(
	    !sched_test_spawn(&s, "obs-stall", stall_fn, &a, a.cpu, 0, 0));
	KT_EXPECT_EQ(thread_join(s), 0);
	KT_EXPECT_EQ(a.err, 0);
	if (!a.err) {
		KT_EXPECT_EQ(thread_join(a.waiter), 0);
		KT_EXPECT_EQ_U(a.waiter_ran, 1);
	}
	sched_watchdog_counts(&after);
	wd_off();
	KT_EXPECT(after.checks > before.checks);
	// One stall: reported once (not once per check), by its own CPU or
	// the next one.
	KT_EXPECT_EQ_U(after.stalls - before.stalls, 1);
}

// ---- Quiet under an ordinary load
// ------------------------------------------------

struct busy_arg {
	volatile bool stop;
	volatile uint64_t loops;
};

static void busy_fn(void *p)
{
	struct busy_arg *a = p;

	while (!a->stop) {
		for (volatile unsigned i = 0; i < 20000; i++)
			;
		if (++a->loops % 3)
			thread_yield();
		else
			sleep_ns(500000);
	}
}

#define QUIET_THREADS 16

KTEST(observe, watchdog_and_wcheck_quiet_under_load)
{
	static struct busy_arg a[QUIET_THREADS];
	struct thread *th[QUIET_THREADS];
	struct sched_watchdog_counts before, after;
	unsigned n = MIN(2 * sched_test_cpus(), QUIET_THREADS);

	sched_obs_enable_stats();
	// Thresholds well above a TCG vCPU's pauses on a shared host.
	sched_watchdog_config(1000000000ull, 500000000ull);
	sched_watchdog_start();
	sched_watchdog_counts(&before);
	for (unsigned i = 0; i < n; i++) {
		a[i] = (struct busy_arg){0};
		KT_ASSERT(!sched_test_spawn(&th[i], "obs-busy", busy_fn, &a[i],
		                            ~0u, 0, 0));
	}
	sleep_ns(1500000000ull);
	for (unsigned i = 0; i < n; i++)
		a[i].stop = true;
	for (unsigned i = 0; i < n; i++)
		(void)thread_join(th[i]);
	sched_watchdog_counts(&after);
	wd_off();
	KT_EXPECT(after.checks > before.checks);
	KT_EXPECT_EQ_U(after.stalls - before.stalls, 0);
	KT_EXPECT_EQ_U(after.wchecks - before.wchecks, 0);
}

// ---- Work conservation
// ----------------------------------------------------------

KTEST(observe, wcheck_rule)
{
	struct sched_wcheck_state s = {0};
	const uint64_t ms = 1000000, limit = 100 * ms;

	// A violation seen at 10 ms and on: reported once, at 110 ms.
	KT_EXPECT(!sched_wcheck_step(&s, true, 10 * ms, 5 * ms, limit));
	KT_EXPECT(!sched_wcheck_step(&s, true, 60 * ms, 5 * ms, limit));
	KT_EXPECT(sched_wcheck_step(&s, true, 110 * ms, 5 * ms, limit));
	KT_EXPECT(!sched_wcheck_step(&s, true, 200 * ms, 5 * ms, limit));
	// It ends; a new one starts at 300 ms.
	KT_EXPECT(!sched_wcheck_step(&s, false, 250 * ms, 5 * ms, limit));
	KT_EXPECT(!sched_wcheck_step(&s, true, 300 * ms, 5 * ms, limit));
	// The CPU ran something at 350 ms: not idle all along, start again.
	KT_EXPECT(!sched_wcheck_step(&s, true, 360 * ms, 350 * ms, limit));
	KT_EXPECT(!sched_wcheck_step(&s, true, 430 * ms, 350 * ms, limit));
	KT_EXPECT(sched_wcheck_step(&s, true, 460 * ms, 350 * ms, limit));
	// Shorter than the limit: never.
	s = (struct sched_wcheck_state){0};
	for (uint64_t k = 0; k < 20; k++)
		KT_EXPECT(!sched_wcheck_step(&s, k % 2 == 0, k * 50 * ms + 1, 0,
		                             limit));
}

static void spin_fn(void *p)
{
	struct busy_arg *a = p;

	while (!a->stop)
		a->loops++;
}

#define WC_SPINNERS 3
#define WC_LIMIT_NS 50000000ull

// The work-conservation checker in a live machine: CPU `idle` stays idle
// while threads allowed on it queue up on CPU `busy`. They start pinned to
// `busy` and are then allowed on `idle` too; nothing makes `idle` look for
// work unless a balancer pulls for idle CPUs, so the fair policy's balancer
// is paused for the test (sched_balance_pause). If the violation still
// ends before the limit, the checker has nothing to report: a failure.
KTEST(observe, wcheck_reports_idle_cpu)
{
	static struct busy_arg a[WC_SPINNERS];
	struct thread *th[WC_SPINNERS];
	struct sched_watchdog_counts before, after;
	unsigned busy = 0, idle = last_cpu();
	bool held = true;
	uint64_t end;

	if (idle == busy)
		KT_SKIP("needs two CPUs");
	sched_obs_enable_stats();
	sched_balance_pause(true);
	for (unsigned i = 0; i < WC_SPINNERS; i++) {
		a[i] = (struct busy_arg){0};
		KT_ASSERT(!sched_test_spawn(&th[i], "obs-spin", spin_fn, &a[i],
		                            busy, 0, 0));
	}
	sleep_ns(20000000);
	for (unsigned i = 0; i < WC_SPINNERS; i++) {
		struct thread_params q;

		thread_params_default(&q);
		cpumask_set(&q.affinity, busy);
		cpumask_set(&q.affinity, idle);
		KT_EXPECT_EQ(thread_set_params(th[i], &q), 0);
	}
	sched_watchdog_config(0, WC_LIMIT_NS);
	sched_watchdog_start();
	sched_watchdog_counts(&before);
	// Watch it ourselves for four limits: idle CPU idle, busy CPU with
	// threads waiting.
	end = hal_time_ns() + 4 * WC_LIMIT_NS;
	while (hal_time_ns() < end) {
		if (!sched_cpu_is_idle(idle) || sched_rq_len(busy) < 2)
			held = false;
		sleep_ns(2000000);
	}
	sched_watchdog_counts(&after);
	for (unsigned i = 0; i < WC_SPINNERS; i++)
		a[i].stop = true;
	for (unsigned i = 0; i < WC_SPINNERS; i++)
		(void)thread_join(th[i]);
	wd_off();
	sched_balance_pause(false);
	ktest_log(t, "violation held all along: %s; reports %lu",
	          held ? "yes" : "no",
	          (unsigned long)(after.wchecks - before.wchecks));
	// Wake-up placement may still move a spinner (they never sleep, so it
	// should not): then there was no violation and no report is right.
	KT_EXPECT(held);
	KT_EXPECT(after.wchecks > before.wchecks);
}
