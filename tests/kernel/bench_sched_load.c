// SPDX-License-Identifier: MIT
// Scheduler workload benchmarks (`bench=sched`, tools/bench-sched), all
// kernel threads, figures in virtual ns (`-icount shift=0`: the guest
// instructions of every CPU, as QEMU runs the vCPUs in turn):
//   - sched.schbench: a message thread wakes W workers per round; each
//     worker notes how long after its wake-up call it ran (p50, p99), does
//     a short piece of work and reports back;
//   - sched.hackbench: groups of senders and receivers; every sender sends
//     L messages to every receiver of its group through the receiver's
//     bounded queue (a pipe's stand-in); total time and time per message;
//   - sched.scale: the policy's wake placement decision (select_cpu) for a
//     thread whose CPU is busy, and one idle balance pass, timed alone on
//     one CPU (instructions), and a wake-up round trip between CPU 1 and
//     the last CPU; tools/bench-sched runs it at 8, 64 and 255/512 CPUs.
//   - sched.scale_wait: the same balance pass with threads waiting (a busy
//     machine: see scale_wait below), at every domain level.
#include <mm/heap.h>
#include <kernel/sched/balance.h>
#include <kernel/sched/domain.h>
#include <kernel/sched/probe.h>
#include <tests/kernel/bench.h>
#include <tests/kernel/bench_sched.h>

// ---- schbench-shaped
// ---------------------------------------------------------

#define SCH_MAX_WORKERS 16u
#define SCH_ROUNDS 60u
#define SCH_WORK_NS 20000u  // a worker's busy time per wake-up
#define SCH_SLEEP_NS 50000u // the message thread's sleep between rounds

struct sch;

struct sch_worker {
	struct sch *s;
	struct semaphore go;
	volatile uint64_t woke_at; // when the message thread woke it
	struct thread *t;
};

struct sch {
	struct sch_worker w[SCH_MAX_WORKERS];
	unsigned nw;
	volatile bool stop;
	struct semaphore done;
	uint64_t *lat;
	unsigned nlat; // atomic
};

static void spin_for(uint64_t ns)
{
	uint64_t end = hal_time_ns() + ns;

	while (hal_time_ns() < end)
		hal_cpu_relax();
}

static void sch_worker_fn(void *arg)
{
	struct sch_worker *w = arg;
	struct sch *s = w->s;

	for (;;) {
		uint64_t lat;
		unsigned i;

		sem_down(&w->go);
		lat = hal_time_ns() - w->woke_at;
		if (s->stop)
			return;
		i = __atomic_fetch_add(&s->nlat, 1, __ATOMIC_RELAXED);
		if (i < s->nw * SCH_ROUNDS)
			s->lat[i] = lat;
		spin_for(SCH_WORK_NS);
		sem_up(&s->done);
	}
}

static void sch_message_fn(void *arg)
{
	struct sch *s = arg;

	for (unsigned r = 0; r < SCH_ROUNDS; r++) {
		for (unsigned i = 0; i < s->nw; i++) {
			s->w[i].woke_at = hal_time_ns();
			sem_up(&s->w[i].go);
		}
		for (unsigned i = 0; i < s->nw; i++)
			sem_down(&s->done);
		sleep_ns(SCH_SLEEP_NS);
	}
}

// Starts the workers; returns how many started.
static unsigned sch_start(struct sch *s)
{
	unsigned n = 0;

	for (; n < s->nw; n++) {
		s->w[n].s = s;
		sem_init(&s->w[n].go, 0);
		if (bench_spawn(&s->w[n].t, "sch-worker", sch_worker_fn,
		                &s->w[n], ~0u))
			break;
	}
	return n;
}

static void sch_stop(struct sch *s, unsigned started)
{
	s->stop = true;
	for (unsigned i = 0; i < started; i++) {
		sem_up(&s->w[i].go);
		(void)thread_join(s->w[i].t);
	}
}

BENCH(sched, schbench)
{
	unsigned cpus = sched_test_cpus(), started;
	struct sch *s = kzalloc(sizeof(*s));
	struct thread *m;

	if (!s || !(s->lat = kmalloc(SCH_MAX_WORKERS * SCH_ROUNDS * 8))) {
		kfree(s);
		bench_skip("no memory");
		return;
	}
	s->nw = MIN(SCH_MAX_WORKERS, MAX(2u, 2 * (cpus - 1)));
	sem_init(&s->done, 0);
	started = sch_start(s);
	if (started == s->nw &&
	    !bench_spawn(&m, "sch-message", sch_message_fn, s, 0)) {
		(void)thread_join(m);
		bench_sort(s->lat, s->nlat);
		bench_report("p50", bench_percentile(s->lat, s->nlat, 50),
		             "vns", "workers=%u samples=%u", s->nw, s->nlat);
		bench_report("p99", bench_percentile(s->lat, s->nlat, 99),
		             "vns", "workers=%u samples=%u", s->nw, s->nlat);
	} else {
		bench_skip("could not start the threads");
	}
	sch_stop(s, started);
	kfree(s->lat);
	kfree(s);
}

// ---- hackbench-shaped ------------------------------------------------------

#define HB_GROUPS 2u
#define HB_FDS 4u // senders and receivers per group, as hackbench's -f
#define HB_LOOPS 20u
#define HB_SLOTS 8u

// A receiver's queue: a bounded ring, semaphores for slots and items.
struct hb_queue {
	spinlock_t lock;
	struct semaphore slots, items;
	uint64_t ring[HB_SLOTS];
	unsigned head, tail; // lock
	uint64_t sum;        // receiver only
};

struct hb {
	struct hb_queue q[HB_GROUPS * HB_FDS];
	struct completion go;
	struct thread *t[2 * HB_GROUPS * HB_FDS];
	struct {
		struct hb *hb;
		unsigned group, idx;
	} arg[2 * HB_GROUPS * HB_FDS];
};

static void hb_send(struct hb_queue *q, uint64_t v)
{
	irqflags_t f;

	sem_down(&q->slots);
	f = spin_lock_irqsave(&q->lock);
	q->ring[q->tail++ % HB_SLOTS] = v;
	spin_unlock_irqrestore(&q->lock, f);
	sem_up(&q->items);
}

static uint64_t hb_recv(struct hb_queue *q)
{
	irqflags_t f;
	uint64_t v;

	sem_down(&q->items);
	f = spin_lock_irqsave(&q->lock);
	v = q->ring[q->head++ % HB_SLOTS];
	spin_unlock_irqrestore(&q->lock, f);
	sem_up(&q->slots);
	return v;
}

static void hb_sender(void *arg)
{
	typeof(((struct hb *)0)->arg[0]) *a = arg;

	wait_for_completion(&a->hb->go);
	for (unsigned l = 0; l < HB_LOOPS; l++)
		for (unsigned r = 0; r < HB_FDS; r++)
			hb_send(&a->hb->q[a->group * HB_FDS + r], l + 1);
}

static void hb_receiver(void *arg)
{
	typeof(((struct hb *)0)->arg[0]) *a = arg;
	struct hb_queue *q = &a->hb->q[a->group * HB_FDS + a->idx];

	wait_for_completion(&a->hb->go);
	for (unsigned m = 0; m < HB_FDS * HB_LOOPS; m++)
		q->sum += hb_recv(q);
}

// Starts every sender and receiver (waiting on hb->go); how many started.
static unsigned hb_start(struct hb *hb)
{
	unsigned n = 0;

	for (unsigned i = 0; i < HB_GROUPS * HB_FDS; i++) {
		spin_lock_init(&hb->q[i].lock);
		sem_init(&hb->q[i].slots, HB_SLOTS);
		sem_init(&hb->q[i].items, 0);
	}
	completion_init(&hb->go);
	for (; n < 2 * HB_GROUPS * HB_FDS; n++) {
		unsigned k = n % (HB_GROUPS * HB_FDS);

		hb->arg[n].hb = hb;
		hb->arg[n].group = k / HB_FDS;
		hb->arg[n].idx = k % HB_FDS;
		if (bench_spawn(&hb->t[n],
		                n < HB_GROUPS * HB_FDS ? "hb-recv" : "hb-send",
		                n < HB_GROUPS * HB_FDS ? hb_receiver
		                                       : hb_sender,
		                &hb->arg[n], ~0u))
			break;
	}
	return n;
}

BENCH(sched, hackbench)
{
	struct hb *hb = kzalloc(sizeof(*hb));
	const unsigned msgs = HB_GROUPS * HB_FDS * HB_FDS * HB_LOOPS;
	uint64_t t0, ns, sum = 0;
	unsigned started;

	if (!hb) {
		bench_skip("no memory");
		return;
	}
	started = hb_start(hb);
	if (started < 2 * HB_GROUPS * HB_FDS) {
		// The started ones lack partners: give every queue enough
		// slots and items that they all run through, then join them.
		bench_skip("could not start every thread");
		for (unsigned i = 0; i < HB_GROUPS * HB_FDS; i++)
			for (unsigned m = 0; m < HB_FDS * HB_LOOPS; m++) {
				sem_up(&hb->q[i].slots);
				sem_up(&hb->q[i].items);
			}
	}
	t0 = hal_time_ns();
	complete_all(&hb->go);
	for (unsigned i = 0; i < started; i++)
		(void)thread_join(hb->t[i]);
	ns = hal_time_ns() - t0;
	for (unsigned i = 0; i < HB_GROUPS * HB_FDS; i++)
		sum += hb->q[i].sum;
	// Each receiver gets 1 + ... + HB_LOOPS from each of its senders.
	if (started == 2 * HB_GROUPS * HB_FDS &&
	    sum == (uint64_t)HB_GROUPS * HB_FDS * HB_FDS * HB_LOOPS *
	               (HB_LOOPS + 1) / 2) {
		bench_report("total", ns, "vns",
		             "groups=%u fds=%u loops=%u messages=%u", HB_GROUPS,
		             HB_FDS, HB_LOOPS, msgs);
		bench_report("per_message", ns / msgs, "vns", "messages=%u",
		             msgs);
	} else if (started == 2 * HB_GROUPS * HB_FDS) {
		bench_skip("messages lost or duplicated");
	}
	kfree(hb);
}

// ---- Scaling probes
// ----------------------------------------------------------

#define SCALE_N 64u

struct scale {
	uint64_t select[SCALE_N], balance[SCALE_N];
	unsigned picked;
};

// On an unpinned thread (its own CPU busy: it runs there) so the policy
// looks for an idle CPU as for a thread woken while its CPU is taken.
static void scale_fn(void *arg)
{
	struct scale *s = arg;

	for (unsigned i = 0; i < SCALE_N; i++) {
		uint64_t t0 = hal_time_ns();

		s->picked = sched_probe_select(thread_current());
		s->select[i] = hal_time_ns() - t0;
		t0 = hal_time_ns();
		sched_probe_balance();
		s->balance[i] = hal_time_ns() - t0;
	}
}

BENCH(sched, scale)
{
	struct scale *s = kzalloc(sizeof(*s));
	struct thread *t;

	if (!s || bench_spawn(&t, "bench-scale", scale_fn, s, ~0u)) {
		kfree(s);
		bench_skip("no memory");
		return;
	}
	(void)thread_join(t);
	bench_report("select_cpu", bench_median(s->select, SCALE_N),
	             "ns/decision", "n=%u picked=%u", SCALE_N, s->picked);
	bench_report("balance", bench_median(s->balance, SCALE_N), "ns/pass",
	             "n=%u", SCALE_N);
	kfree(s);
}

// ---- The balance pass with threads waiting
// -------------------------------------------
//
// The pass a busy machine makes: CPUs 1..7 and the last CPU each run a
// pinned real-time FIFO thread that waits for interrupts with a second one
// queued behind it (so their CPUs are loaded, 2048, and have a thread
// waiting that nothing may move), the other CPUs idle. CPU 0 runs the
// probe, which balances at every level each time (intervals ignored) with
// every other CPU's balancing off, so that only the probe's instructions
// are counted (-icount: the figure is all CPUs' instructions). With a
// thread waiting in every level's span no level is skipped: a level within
// the LLC reads each CPU of its groups, a level above it one summary per
// LLC. The first pass finds the summaries cold (rebuilt by reading their
// LLCs); the median one finds them fresh, as the LLC-level passes of a busy
// machine keep them.

struct halt_pair {
	volatile bool stop;
};

static void halt_fn(void *arg)
{
	struct halt_pair *h = arg;

	while (!h->stop)
		hal_cpu_idle();
}

struct scale_wait {
	uint64_t balance[SCALE_N];
	uint64_t reads, sums;
};

static void scale_wait_fn(void *arg)
{
	struct scale_wait *s = arg;
	struct sched_balance_stats a = {0}, b = {0}, st;

	for (unsigned lv = 0; lv < SCHED_BALANCE_LEVELS; lv++) {
		sched_balance_get_stats(0, lv, &st);
		a.cpu_reads += st.cpu_reads;
		a.sum_reads += st.sum_reads;
	}
	sched_balance_probe_cpu(0);
	for (unsigned i = 0; i < SCALE_N; i++) {
		uint64_t t0 = hal_time_ns();

		sched_probe_balance();
		s->balance[i] = hal_time_ns() - t0;
	}
	sched_balance_probe_cpu(MAX_CPUS);
	for (unsigned lv = 0; lv < SCHED_BALANCE_LEVELS; lv++) {
		sched_balance_get_stats(0, lv, &st);
		b.cpu_reads += st.cpu_reads;
		b.sum_reads += st.sum_reads;
	}
	s->reads = b.cpu_reads - a.cpu_reads;
	s->sums = b.sum_reads - a.sum_reads;
}

#define WAIT_CPUS 8u // CPUs 1..7 and the last one get a pair

static bool halt_spawn(struct thread **t, struct halt_pair *h, unsigned cpu)
{
	struct thread_params p;

	thread_params_default(&p);
	cpumask_set(&p.affinity, cpu);
	p.rt_prio = 1;
	return !thread_create(t, "bench-halt", halt_fn, h, &p);
}

BENCH(sched, scale_wait)
{
	static struct halt_pair h;
	struct thread *th[2 * WAIT_CPUS + 2], *t;
	struct scale_wait *s = kzalloc(sizeof(*s));
	unsigned n = sched_test_cpus(), made = 0;
	uint64_t first;

	if (n < 2 || !s) {
		kfree(s);
		bench_skip(n < 2 ? "one CPU" : "no memory");
		return;
	}
	h.stop = false;
	// CPUs 1..7 (all of CPU 0's LLC of 8: CPU 0 is then a least loaded
	// CPU of its group and reads on) and the last CPU, far away.
	for (unsigned i = 1; i <= WAIT_CPUS && i < n; i++) {
		unsigned cpu = i == WAIT_CPUS ? n - 1 : i;

		if (i == WAIT_CPUS && cpu < WAIT_CPUS)
			break; // the last CPU had its pair already
		for (unsigned k = 0; k < 2; k++)
			if (halt_spawn(&th[made], &h, cpu))
				made++;
	}
	sleep_ns(5000000); // all placed and waiting
	if (!bench_spawn(&t, "bench-scale-wait", scale_wait_fn, s, 0))
		(void)thread_join(t);
	h.stop = true;
	for (unsigned i = 0; i < made; i++)
		(void)thread_join(th[i]);
	first = s->balance[0];
	bench_report("balance", bench_median(s->balance, SCALE_N), "ns/pass",
	             "n=%u first=%lu cpu_reads/pass=%lu summaries/pass=%lu "
	             "llc=%u",
	             SCALE_N, (unsigned long)first,
	             (unsigned long)(s->reads / SCALE_N),
	             (unsigned long)(s->sums / SCALE_N),
	             cpumask_weight(sched_llc_cpus(0)));
	kfree(s);
}
