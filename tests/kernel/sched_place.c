// SPDX-License-Identifier: MIT
// Placement and balancing through the scheduling domains (eevdf, the
// default policy; docs/sched.md "Placement and load balancing"): busy
// threads spread to every CPU, a waking thread takes an idle CPU of its
// cache domain, balancing never breaks affinity. Times are guest time
// (the HAL clock), bounded generously: under TCG on a shared host a vCPU
// can stall for tens of milliseconds.
#include <string.h>
#include <kernel/sched/balance.h>
#include <kernel/sched/domain.h>
#include "sched_util.h"

#define SPREAD_MAX_THREADS (2u * MAX_CPUS)
#define SPREAD_EVEN_NS 4000000000ull // every CPU exactly 2 by then (+ below)
// How often the test thread (the boot thread, pinned to CPU 0) looks.
// It is itself a runnable thread on CPU 0 each time it wakes, and the
// balancer counts instantaneous weight, not an average: waking every
// millisecond it was often queued on CPU 0 when that CPU balanced, made
// CPU 0 look loaded and kept it at one spinner for up to 4 s (in a dozen
// runs, whenever one CPU was left with one spinner, it was CPU 0).
#define SPREAD_POLL_NS 10000000ull

struct busy_arg {
	volatile bool stop;
	struct cpumask mask; // empty: any CPU
	uint64_t bad, checks;
};

static void busy_fn(void *p)
{
	struct busy_arg *a = p;

	while (!a->stop) {
		irqflags_t f = hal_irq_save();

		if (!cpumask_empty(&a->mask)) {
			a->bad += !cpumask_test(&a->mask, hal_cpu_id());
			a->checks++;
		}
		hal_irq_restore(f);
		for (volatile unsigned k = 0; k < 200; k++)
			;
	}
}

static bool is_eevdf(void)
{
	return strcmp(sched_policy_name(), "eevdf") == 0;
}

// Test threads per CPU, from the run queue each is on (se.cpu).
static void count_per_cpu(struct thread **th, unsigned nt, unsigned *per)
{
	memset(per, 0, sizeof(unsigned) * MAX_CPUS);
	for (unsigned i = 0; i < nt; i++) {
		unsigned c = __atomic_load_n(&th[i]->se.cpu, __ATOMIC_RELAXED);

		if (c < MAX_CPUS)
			per[c]++;
	}
}

// The balancer's counters summed over CPUs, for one level.
static void sum_balance_stats(unsigned lv, struct sched_balance_stats *sum)
{
	unsigned n = sched_test_cpus();
	struct sched_balance_stats s;

	memset(sum, 0, sizeof(*sum));
	for (unsigned c = 0; c < n; c++) {
		sched_balance_get_stats(c, lv, &s);
		sum->attempts += s.attempts;
		sum->newidle += s.newidle;
		sum->periodic += s.periodic;
		sum->nohz += s.nohz;
		sum->failed += s.failed;
		sum->migrations += s.migrations;
	}
}

static void log_balance_stats(struct ktest *t)
{
	unsigned depth = sched_domain_depth();

	for (unsigned lv = 0; lv < depth && lv < SCHED_BALANCE_LEVELS; lv++) {
		struct sched_balance_stats sum;

		sum_balance_stats(lv, &sum);
		ktest_log(
		    t,
		    "level %u: %lu passes (%lu newidle, %lu periodic, "
		    "%lu nohz), %lu failed, %lu migrations",
		    lv, (unsigned long)sum.attempts, (unsigned long)sum.newidle,
		    (unsigned long)sum.periodic, (unsigned long)sum.nohz,
		    (unsigned long)sum.failed, (unsigned long)sum.migrations);
	}
}

// Passes and migrations at every level so far (the spread's course in
// the balancer's own units, not only guest time).
static void balance_totals(uint64_t *passes, uint64_t *moves)
{
	unsigned depth = sched_domain_depth();

	*passes = *moves = 0;
	for (unsigned lv = 0; lv < depth && lv < SCHED_BALANCE_LEVELS; lv++) {
		struct sched_balance_stats sum;

		sum_balance_stats(lv, &sum);
		*passes += sum.attempts;
		*moves += sum.migrations;
	}
}

// Once the test's threads are gone, an idle CPU's load must be 0 (a
// thread just placed there shows for a moment: retried for 200 ms); a weight
// left in a run queue's sum by a move or a parameter change would make the
// balancer chase a phantom thread.
static bool no_load_left(struct ktest *t)
{
	unsigned n = sched_test_cpus(), bad;
	uint64_t end = hal_time_ns() + 200000000ull;

	for (;;) {
		bool last = hal_time_ns() > end; // this pass reports
		irqflags_t f = hal_irq_save();
		unsigned me = hal_cpu_id();

		hal_irq_restore(f);
		bad = 0;
		for (unsigned c = 0; c < n; c++) {
			uint64_t load;

			if (c == me || !sched_cpu_is_idle(c) ||
			    !(load = sched_balance_cpu_load(c)))
				continue;
			bad++;
			if (last)
				ktest_log(t,
				          "cpu %u: idle with load %lu, run "
				          "queue %u",
				          c, (unsigned long)load,
				          sched_rq_len(c));
		}
		if (!bad || last)
			return !bad;
		sleep_ns(2000000);
	}
}

// The spread's bound: SPREAD_EVEN_NS plus two maximum intervals of the
// top domain level. The last moves (a CPU left with one spinner, another
// with three) are made by the busy CPU with one at its periodic pass of
// that level, whose interval is the span's weight in ms, doubled up to 2x
// while its passes find nothing (kernel/sched/domain.c): up to one maximum
// interval away, and one more when that pull lost a race with another
// CPU's. That is 16 ms at 8 CPUs, but 1,024 ms at 512 (docs/sched.md,
// "`ninja scale`").
static uint64_t spread_bound(void)
{
	const struct sched_domain *top = sched_domain_lowest(0);

	while (top && top->parent)
		top = top->parent;
	return SPREAD_EVEN_NS + (top ? 2 * top->max_interval_ns : 0);
}

// 2 x N busy threads, any CPU: every CPU gets exactly two of them within
// spread_bound() of the first one's creation (seen by a look at or before
// it: a late look that finds them even does not count).
KTEST(sched_place, spread_2n_busy_threads)
{
	static struct busy_arg a[SPREAD_MAX_THREADS];
	static struct thread *th[SPREAD_MAX_THREADS];
	static unsigned per[MAX_CPUS];
	static struct {
		uint64_t at, passes, moves;
		unsigned min, max, min_cpu, max_cpu, used;
	} seen[16];
	unsigned n = sched_test_cpus(), nt = 2 * n, busy_all = 0, nseen = 0;
	uint64_t start, t_busy = 0, t_even = 0, t_created, now, p0, m0;
	uint64_t bound = spread_bound();

	if (n < 2)
		KT_SKIP("one CPU");
	if (!is_eevdf())
		KT_SKIP("placement through domains is the eevdf policy's");
	// 2 x N at every size: a cap of 64 left no thread at all above 64
	// CPUs (`ninja scale`: 0 threads on 255 and 512 CPUs, busy_all 0).
	KT_ASSERT(nt <= SPREAD_MAX_THREADS);
	balance_totals(&p0, &m0);
	start = hal_time_ns();
	for (unsigned i = 0; i < nt; i++) {
		a[i] = (struct busy_arg){0};
		KT_ASSERT(!sched_test_spawn(&th[i], "busy", busy_fn, &a[i], ~0u,
		                            0, 0));
	}
	t_created = hal_time_ns() - start;
	do {
		unsigned min = ~0u, max = 0, min_cpu = 0, max_cpu = 0, used = 0;
		uint64_t passes, moves;

		sleep_ns(SPREAD_POLL_NS);
		now = hal_time_ns();
		count_per_cpu(th, nt, per);
		balance_totals(&passes, &moves);
		for (unsigned c = 0; c < n; c++) {
			used += per[c] > 0;
			if (per[c] < min) {
				min = per[c];
				min_cpu = c;
			}
			if (per[c] > max) {
				max = per[c];
				max_cpu = c;
			}
		}
		// The spread's course, for a run that misses the bound.
		if (nseen < 16 && (!nseen || seen[nseen - 1].min != min ||
		                   seen[nseen - 1].max != max))
			seen[nseen++] = (typeof(seen[0])){
			    now - start, passes - p0, moves - m0, min,
			    max,         min_cpu,     max_cpu,    used};
		if (min >= 1 && !busy_all++)
			t_busy = now - start;
		if (min == nt / n && max == nt / n)
			t_even = now - start;
	} while (!t_even && now - start < bound);
	// What the balancer saw (a weight left behind by a move shows here),
	// for the CPUs off the even count (hundreds of lines at 512 CPUs).
	for (unsigned c = 0; c < n; c++)
		if (per[c] != nt / n)
			ktest_log(t,
			          "cpu %u: %u of the threads at the end, run "
			          "queue %u, load %lu",
			          c, per[c], sched_rq_len(c),
			          (unsigned long)sched_balance_cpu_load(c));
	for (unsigned i = 0; i < nseen; i++)
		ktest_log(t,
		          "at %lu us: %u (cpu %u) to %u (cpu %u) threads per "
		          "CPU, %u CPUs used; %lu balance passes, %lu "
		          "migrations since the start",
		          (unsigned long)(seen[i].at / 1000), seen[i].min,
		          seen[i].min_cpu, seen[i].max, seen[i].max_cpu,
		          seen[i].used, (unsigned long)seen[i].passes,
		          (unsigned long)seen[i].moves);
	for (unsigned i = 0; i < nt; i++)
		a[i].stop = true;
	for (unsigned i = 0; i < nt; i++)
		(void)thread_join(th[i]);
	KT_EXPECT(no_load_left(t));
	ktest_log(t,
	          "%u threads on %u CPUs: created after %lu us, all CPUs "
	          "busy after %lu us, %u per CPU after %lu us (bound %lu us)",
	          nt, n, (unsigned long)(t_created / 1000),
	          (unsigned long)(t_busy / 1000), nt / n,
	          (unsigned long)(t_even / 1000),
	          (unsigned long)(bound / 1000));
	log_balance_stats(t);
	KT_EXPECT(busy_all > 0);
	KT_EXPECT(t_even > 0);
	KT_EXPECT(t_even <= bound);
}

// ---- Wake-up into the cache domain -----------------------------------------

struct wake_arg {
	unsigned p; // the busy CPU the sleeper sleeps on
	unsigned rounds, in_llc, on_p, elsewhere, idle_seen;
	unsigned where[MAX_CPUS > 64 ? 64 : MAX_CPUS];
};

static err_t set_affinity(struct thread *th, const struct cpumask *m)
{
	struct thread_params p;

	thread_params_default(&p);
	p.affinity = *m;
	return thread_set_params(th, &p);
}

// Goes to P (busy with a pinned spinner), widens its affinity to every
// CPU, sleeps there 1 ms: the timer wakes it on P, whose LLC has idle CPUs.
static void wake_fn(void *p)
{
	struct wake_arg *a = p;
	const struct cpumask *llc = sched_llc_cpus(a->p);
	struct cpumask one = {0}, all;
	struct thread *me = thread_current();

	cpumask_fill(&all, sched_test_cpus());
	cpumask_set(&one, a->p);
	for (unsigned i = 0; i < a->rounds; i++) {
		unsigned cpu, idle = 0, c;

		if (set_affinity(me, &one))
			return;
		while (hal_cpu_id() != a->p)
			thread_yield();
		if (set_affinity(me, &all)) // taken at the next switch
			return;
		CPUMASK_FOR_EACH(c, llc)
		{
			idle += c != a->p && sched_cpu_is_idle(c);
		}
		a->idle_seen += idle > 0;
		sleep_ns(1000000);
		cpu = hal_cpu_id();
		a->where[i % 64] = cpu;
		if (cpu == a->p)
			a->on_p++;
		else if (cpumask_test(llc, cpu))
			a->in_llc++;
		else
			a->elsewhere++;
	}
}

// A thread woken (by its timer) on a busy CPU lands on another CPU of that
// CPU's last-level cache when one is idle, never outside it or on the busy
// one.
KTEST(sched_place, wake_lands_on_idle_llc_cpu)
{
	static struct busy_arg spin;
	static struct wake_arg w;
	struct thread *ts, *tw;
	unsigned n = sched_test_cpus(), p = n - 1;

	if (n < 2)
		KT_SKIP("one CPU");
	if (!is_eevdf())
		KT_SKIP("placement through domains is the eevdf policy's");
	// The CPU of the largest LLC, counting from the top (CPU 0 runs
	// the test and the boot threads more often).
	for (unsigned c = n; c-- > 0;)
		if (cpumask_weight(sched_llc_cpus(c)) >
		    cpumask_weight(sched_llc_cpus(p)))
			p = c;
	KT_ASSERT(cpumask_weight(sched_llc_cpus(p)) >= 2);
	spin = (struct busy_arg){0};
	cpumask_set(&spin.mask, p);
	w = (struct wake_arg){.p = p, .rounds = 20};
	KT_ASSERT(!sched_test_spawn(&ts, "spin", busy_fn, &spin, p, 0, 0));
	KT_ASSERT(!sched_test_spawn(&tw, "waker", wake_fn, &w, p, 0, 0));
	(void)thread_join(tw);
	spin.stop = true;
	(void)thread_join(ts);
	ktest_log(t,
	          "busy CPU %u, LLC of %u CPUs: %u wake-ups, %u in the LLC, "
	          "%u on the busy CPU, %u elsewhere; an idle LLC CPU seen "
	          "before %u sleeps",
	          p, cpumask_weight(sched_llc_cpus(p)), w.rounds, w.in_llc,
	          w.on_p, w.elsewhere, w.idle_seen);
	KT_EXPECT_EQ_U(w.in_llc + w.on_p + w.elsewhere, w.rounds);
	KT_EXPECT_EQ_U(w.elsewhere, 0);
	// An idle CPU of the LLC was there before each sleep: the wake-up
	// must have found one (a rare race with another wake-up aside).
	KT_EXPECT(w.idle_seen >= w.rounds / 2);
	KT_EXPECT(w.in_llc + 1 >= w.idle_seen);
	KT_EXPECT_EQ_U(spin.bad, 0);
}

// ---- Affinity under balancing ----------------------------------------------

// 2 x N spinners, each allowed on one or two CPUs (or one NUMA node):
// balancing and wake-ups never run one outside its mask.
KTEST(sched_place, affinity_kept_by_balancing)
{
	static struct busy_arg a[SPREAD_MAX_THREADS];
	static struct thread *th[SPREAD_MAX_THREADS];
	unsigned n = sched_test_cpus(), nt = 2 * n;
	uint64_t bad = 0, checks = 0;

	if (nt > SPREAD_MAX_THREADS)
		nt = SPREAD_MAX_THREADS;
	for (unsigned i = 0; i < nt; i++) {
		struct thread_params p;

		a[i] = (struct busy_arg){0};
		if (i % 3 == 2) { // a whole node
			unsigned node = sched_cpu_node(i % n);

			for (unsigned c = 0; c < n; c++)
				if (sched_cpu_node(c) == node)
					cpumask_set(&a[i].mask, c);
		} else {
			for (unsigned k = 0; k <= i % 2; k++)
				cpumask_set(&a[i].mask, (i * 5 + k * 3) % n);
		}
		thread_params_default(&p);
		p.affinity = a[i].mask;
		KT_ASSERT(!thread_create(&th[i], "aff", busy_fn, &a[i], &p));
	}
	for (unsigned k = 0; k < 30; k++) {
		// Sleeping and waking here stirs wake-up and idle balancing.
		sleep_ns(10000000);
	}
	for (unsigned i = 0; i < nt; i++)
		a[i].stop = true;
	for (unsigned i = 0; i < nt; i++) {
		(void)thread_join(th[i]);
		bad += a[i].bad;
		checks += a[i].checks;
	}
	ktest_log(t, "%lu checks by %u threads", (unsigned long)checks, nt);
	log_balance_stats(t);
	KT_EXPECT(checks > 0);
	KT_EXPECT_EQ_U(bad, 0);
}
