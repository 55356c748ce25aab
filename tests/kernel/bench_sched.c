// SPDX-License-Identifier: MIT
// Scheduler micro-benchmarks (`bench=sched`, tools/bench-sched): thread
// switch by yield, wake-up round trips on one and on two CPUs, thread
// create + join, contended mutex hand-off. Every figure is hal_time_ns()
// per operation: under `-icount shift=0` guest instructions. One-CPU
// figures run both threads pinned to one CPU while every other CPU idles,
// so they count that CPU's instructions only; two-CPU figures are virtual
// time (QEMU runs the vCPUs in turn). Each figure is the median of
// BENCH_REPS runs. The workload benchmarks (schbench- and hackbench-shaped)
// and the scaling probes are in bench_sched_load.c.
#include <tests/kernel/bench.h>
#include <tests/kernel/bench_sched.h>

#define BENCH_REPS 5

unsigned bench_cpu_a(void)
{
	return sched_test_cpus() > 1 ? 1 : 0;
}

unsigned bench_cpu_b(void)
{
	return sched_test_cpus() > 2 ? 2 : 0;
}

err_t bench_spawn(struct thread **t, const char *name, void (*fn)(void *),
                  void *arg, unsigned cpu)
{
	return sched_test_spawn(t, name, fn, arg, cpu, 0, 0);
}

uint64_t bench_median(uint64_t *v, unsigned n)
{
	bench_sort(v, n);
	return v[n / 2];
}

// ---- Two threads started together -----------------------------------------

struct pair {
	volatile unsigned ready;
	unsigned n;
	uint64_t start[2], end[2];
	struct semaphore sa, sb;
	struct mutex m;
	void (*body)(struct pair *p, unsigned side);
};

// Both sides wait for each other (yielding: they may share a CPU), then
// run body; start/end are taken inside body around the timed part.
static void pair_main(struct pair *p, unsigned side)
{
	__atomic_fetch_add(&p->ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&p->ready, __ATOMIC_ACQUIRE) < 2)
		thread_yield();
	p->start[side] = hal_time_ns();
	p->body(p, side);
	p->end[side] = hal_time_ns();
}

static void pair_a(void *arg)
{
	pair_main(arg, 0);
}

static void pair_b(void *arg)
{
	pair_main(arg, 1);
}

// Runs body on two threads (CPUs ca and cb) and returns the time from
// the first start to the last end, or 0 if a thread could not start.
static uint64_t pair_run(struct pair *p, unsigned ca, unsigned cb)
{
	struct thread *a, *b;

	p->ready = 0;
	sem_init(&p->sa, 0);
	sem_init(&p->sb, 0);
	mutex_init(&p->m);
	if (bench_spawn(&a, "bench-a", pair_a, p, ca))
		return 0;
	if (bench_spawn(&b, "bench-b", pair_b, p, cb)) {
		p->n = 0; // a goes on alone, with nothing to do
		__atomic_fetch_add(&p->ready, 1, __ATOMIC_ACQ_REL);
		(void)thread_join(a);
		return 0;
	}
	(void)thread_join(a);
	(void)thread_join(b);
	return MAX(p->end[0], p->end[1]) - MIN(p->start[0], p->start[1]);
}

// The median over BENCH_REPS runs of pair_run / ops.
static uint64_t pair_figure(struct pair *p, unsigned ca, unsigned cb,
                            uint64_t ops)
{
	uint64_t v[BENCH_REPS];

	for (unsigned r = 0; r < BENCH_REPS; r++)
		v[r] = pair_run(p, ca, cb) / ops;
	return bench_median(v, BENCH_REPS);
}

// ---- Thread switch by yield ------------------------------------------------

static void yield_body(struct pair *p, unsigned side)
{
	for (unsigned i = 0; i < p->n; i++)
		thread_yield();
}

BENCH(sched, switch_yield)
{
	struct pair p = {.n = 2000, .body = yield_body};
	unsigned cpu = bench_cpu_a();

	// Each yield of one thread is one switch to the other.
	bench_report(NULL, pair_figure(&p, cpu, cpu, 2 * p.n), "ns/switch",
	             "n=%u cpu=%u", 2 * p.n, cpu);
}

// ---- Wake-up round trip
// ------------------------------------------------------

// Side 0 wakes side 1 and sleeps until woken back: one round trip each.
static void pingpong_body(struct pair *p, unsigned side)
{
	for (unsigned i = 0; i < p->n; i++) {
		if (side == 0) {
			sem_up(&p->sb);
			sem_down(&p->sa);
		} else {
			sem_down(&p->sb);
			sem_up(&p->sa);
		}
	}
}

BENCH(sched, wake_roundtrip)
{
	struct pair p = {.n = 1000, .body = pingpong_body};
	unsigned a = bench_cpu_a(), b = bench_cpu_b();

	bench_report("one_cpu", pair_figure(&p, a, a, p.n), "ns/roundtrip",
	             "n=%u cpu=%u", p.n, a);
	if (a == b) {
		bench_skip("two_cpus: fewer than 3 CPUs");
		return;
	}
	bench_report("two_cpus", pair_figure(&p, a, b, p.n), "vns/roundtrip",
	             "n=%u cpus=%u,%u", p.n, a, b);
}

// ---- Contended mutex hand-off
// ------------------------------------------------

// The holder yields inside, so on one CPU the other thread is always
// waiting when it unlocks: every unlock hands the mutex over.
static void mutex_body(struct pair *p, unsigned side)
{
	for (unsigned i = 0; i < p->n; i++) {
		mutex_lock(&p->m);
		thread_yield();
		mutex_unlock(&p->m);
	}
}

// Two CPUs: a short critical section; a waiter sleeps and is handed it.
static void mutex2_body(struct pair *p, unsigned side)
{
	for (unsigned i = 0; i < p->n; i++) {
		mutex_lock(&p->m);
		for (volatile unsigned k = 0; k < 50; k++)
			;
		mutex_unlock(&p->m);
	}
}

BENCH(sched, mutex_handoff)
{
	struct pair p = {.n = 1000, .body = mutex_body};
	unsigned a = bench_cpu_a(), b = bench_cpu_b();

	bench_report("one_cpu", pair_figure(&p, a, a, 2 * p.n),
	             "ns/lock+yield+unlock", "n=%u cpu=%u", 2 * p.n, a);
	if (a == b) {
		bench_skip("two_cpus: fewer than 3 CPUs");
		return;
	}
	p.body = mutex2_body;
	bench_report("two_cpus", pair_figure(&p, a, b, 2 * p.n),
	             "vns/lock+unlock", "n=%u cpus=%u,%u", 2 * p.n, a, b);
}

// ---- Thread create + join ---------------------------------------------------

static void empty_fn(void *arg) {}

struct cj {
	unsigned n, cpu, failed;
	uint64_t ns;
};

static void create_join_fn(void *arg)
{
	struct cj *c = arg;
	uint64_t t0 = hal_time_ns();

	for (unsigned i = 0; i < c->n; i++) {
		struct thread *t;

		if (bench_spawn(&t, "bench-child", empty_fn, NULL, c->cpu)) {
			c->failed++;
			continue;
		}
		(void)thread_join(t);
	}
	c->ns = hal_time_ns() - t0;
}

BENCH(sched, create_join)
{
	struct cj c = {.n = 500, .cpu = bench_cpu_a()};
	uint64_t v[BENCH_REPS];

	for (unsigned r = 0; r < BENCH_REPS; r++) {
		struct thread *t;

		c.ns = 0;
		if (bench_spawn(&t, "bench-cj", create_join_fn, &c, c.cpu)) {
			bench_skip("no memory for the creating thread");
			return;
		}
		(void)thread_join(t);
		v[r] = c.ns / c.n;
	}
	if (c.failed) {
		bench_skip("thread_create failed");
		return;
	}
	bench_report(NULL, bench_median(v, BENCH_REPS), "ns/create+join",
	             "n=%u cpu=%u", c.n, c.cpu);
}

// ---- What a switch is made of
// ------------------------------------------------

static void parts_timer_fn(struct ktimer *kt) {}

// The building blocks of the switch path, each timed alone (loop
// overhead included), to see where a switch's instructions go.
BENCH(sched, parts)
{
	const unsigned n = 1000;
	struct ktimer kt = {.fn = parts_timer_fn};
	spinlock_t lock = SPINLOCK_INIT;
	uint64_t t0, sink = 0;
	irqflags_t f;

	t0 = hal_time_ns();
	for (unsigned i = 0; i < n; i++)
		sink += hal_time_ns();
	bench_report("hal_time_ns", (hal_time_ns() - t0) / n, "ns/call", "n=%u",
	             n + (unsigned)(sink & 0));
	t0 = hal_time_ns();
	for (unsigned i = 0; i < n; i++) {
		f = spin_lock_irqsave(&lock);
		spin_unlock_irqrestore(&lock, f);
	}
	bench_report("spin_lock_irqsave+unlock", (hal_time_ns() - t0) / n,
	             "ns/pair", "n=%u", n);
	t0 = hal_time_ns();
	for (unsigned i = 0; i < n; i++)
		ktimer_arm(&kt, hal_time_ns() + 1000000000ull + i);
	bench_report("ktimer_arm", (hal_time_ns() - t0) / n, "ns/call",
	             "n=%u (re-arming one timer 1 s ahead)", n);
	(void)ktimer_cancel(&kt);
	t0 = hal_time_ns();
	for (unsigned i = 0; i < n; i++)
		thread_yield(); // nobody else on CPU 0's queue: no switch
	bench_report("yield_no_switch", (hal_time_ns() - t0) / n, "ns/call",
	             "n=%u", n);
}
