// SPDX-License-Identifier: MIT
// rt-app workloads as kernel threads (kernel/workload_run.h). Each thread
// of the workload is a kernel thread driven by the phase interpreter the
// simulator uses too (workload/interp.c): it asks wl_step() what to do
// next and does it: `run` spins until the thread has had that much CPU
// time (its own run_ns), `runtime` until that much wall time passed,
// sleeps use sleep_until_ns, blocking (mutex, condition, barrier,
// suspend) sleeps on the thread's own semaphore until the interpreter's
// wake operation raises it (a wake before the sleep is not lost).
//
// Locking: wr.lock (a spinlock, interrupts off) guards the interpreter's
// state (every struct wl_prog and struct wl_res), the thread list and
// `live`/`stop`; wl_step() and its operations run with it held and do not
// sleep (a wake is a sem_up). A spinlock rather than a sleeping mutex so a
// workload of run/sleep events gains no blocking the simulator does not
// have: a holder is never preempted, a contender spins for a few steps.
// Starting a thread and changing its parameters (which may sleep) happen
// outside the lock.
#include <string.h>
#include <hal/cpu.h>
#include <hal/timer.h>
#include <kernel/boot.h>
#include <kernel/percpu.h>
#include <kernel/sched/domain.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/stats.h>
#include <kernel/thread.h>
#include <kernel/workload_run.h>
#include <lib/bootinfo.h>
#include <lib/err.h>
#include <lib/preempt.h>
#include <lib/printk.h>
#include <lib/spinlock.h>
#include <lib/wait.h>
#include <mm/heap.h>
#include <mm/phys.h>
#include <workload/interp.h>
#include <workload/rtapp.h>

#define WR_MAX_LAT 4096                 // wake-up latency samples per thread
#define WR_CAP_NS (20ull * 1000000000u) // no duration: stop after 20 s
#define WR_GRACE_NS 2000000000ull       // after stop, wait this for exits
#define WR_SAMPLE_NS 1000000ull         // idle-while-runnable sampling
#define WR_MAX_LEVELS 8

struct wr_thread {
	struct thread *th;
	unsigned task, id;
	struct wl_prog prog;     // its place in the program (wr.lock)
	struct semaphore sem;    // raised by op_wake
	struct wr_thread *all;   // every thread, newest first
	struct thread_params tp; // parameters of the current phase
	bool tp_new;             // tp changed: apply it outside the lock
	uint64_t wake_ns;        // when a waker raised sem
	bool woken;
	uint64_t lat[WR_MAX_LAT];
	unsigned nlat;
	bool done;
	// Final figures, taken by the thread itself as it ends.
	uint64_t run_ns, wait_ns, end_ns;
	unsigned switches, migrations, wakeups;
};

static struct {
	spinlock_t lock;
	irqflags_t flags; // of the holder
	const struct workload *w;
	struct wl_res *res;
	struct wl_run run;
	struct wr_thread *all;
	unsigned nth, live, next_id;
	unsigned unfinished; // live when the cap or duration stopped the run
	bool stop;
	bool restricted; // a task or phase has "cpus": sample per thread
	uint64_t t0, events;
	struct completion finished; // live reached 0
} wr;

static void wr_lock(void)
{
	irqflags_t f = spin_lock_irqsave(&wr.lock);

	wr.flags = f;
}

static void wr_unlock(void)
{
	spin_unlock_irqrestore(&wr.lock, wr.flags);
}

static uint64_t cpu_time(void)
{
	struct thread *t = thread_current();
	uint64_t ns;

	preempt_disable(); // run_ns and mark_ns change at a switch
	ns = t->stats.run_ns + (hal_time_ns() - t->mark_ns);
	preempt_enable();
	return ns;
}

// ---- Blocking -----------------------------------------------------------

static void wake(struct wr_thread *t)
{
	t->wake_ns = hal_time_ns();
	t->woken = true;
	sem_up(&t->sem);
}

// Lock dropped; sleeps until a waker (or stop) raises t->sem.
static void block(struct wr_thread *t)
{
	wr_unlock();
	sem_down(&t->sem);
	if (t->woken) {
		uint64_t lat = hal_time_ns() - t->wake_ns;

		t->woken = false;
		if (t->nlat < WR_MAX_LAT)
			t->lat[t->nlat++] = lat;
	}
}

static void sleep_until(struct wr_thread *t, uint64_t until)
{
	sleep_until_ns(until);
	if (t->nlat < WR_MAX_LAT)
		t->lat[t->nlat++] = hal_time_ns() - until;
}

// ---- Threads ------------------------------------------------------------

// The thread parameters of task wt with allowed CPUs m (all when !has).
static void task_params(const struct wl_task *wt, const struct cpumask *m,
                        bool has, struct thread_params *tp)
{
	thread_params_default(tp);
	if (wt->policy == WL_SCHED_OTHER) {
		tp->nice = wt->nice;
	} else {
		tp->rt_prio = wt->rt_prio;
		tp->rt_rr = wt->policy == WL_SCHED_RR;
	}
	if (wt->mem_node >= 0)
		tp->node = (unsigned)wt->mem_node;
	cpumask_clear_all(&tp->affinity);
	for (unsigned c = 0; c < cpu_count; c++)
		if ((!has || cpumask_test(m, c)) && sched_cpu_online(c))
			cpumask_set(&tp->affinity, c);
}

static void thread_main(void *arg);

// A new thread of task `task` (wr.lock not held: this allocates).
static void start_thread(unsigned task)
{
	const struct wl_task *wt = &wr.w->task[task];
	struct wr_thread *t = kzalloc(sizeof(*t));
	uint64_t *timers = kmalloc(wr.w->nres * sizeof(uint64_t) + 8);
	const struct cpumask *m;
	char name[THREAD_NAME_MAX];
	err_t err = E_NOMEM;
	bool has;

	if (!t || !timers) {
		kfree(timers);
		kfree(t);
		goto fail;
	}
	sem_init(&t->sem, 0);
	t->task = task;
	wl_prog_init(&wr.run, &t->prog, task, timers, &m, &has);
	task_params(wt, m, has, &t->tp);
	wr_lock();
	t->id = ++wr.next_id;
	t->all = wr.all;
	wr.all = t;
	wr.nth++;
	wr.live++;
	wr_unlock();
	ksnprintf(name, sizeof(name), "%s-%u", wt->name, t->id);
	err = thread_create(&t->th, name, thread_main, t, &t->tp);
	if (!err) {
		thread_detach(t->th);
		return;
	}
	wr_lock(); // stays listed, done, for the report
	t->done = true;
	if (!--wr.live)
		complete(&wr.finished);
	wr_unlock();
fail:
	pr_err("workload: task %s: cannot start a thread (%s)\n", wt->name,
	       err_name(err));
}

// ---- The interpreter's operations (workload/interp.h), wr.lock held -----

static struct wr_thread *thread_of(struct wl_prog *p)
{
	return container_of(p, struct wr_thread, prog);
}

static uint64_t op_now(struct wl_run *r)
{
	(void)r;
	return hal_time_ns();
}

static void op_wake(struct wl_run *r, struct wl_prog *p)
{
	(void)r;
	wake(thread_of(p));
}

// Only the calling thread changes phase, so p is the current thread; the
// new parameters are applied by perform(), outside the lock.
static bool op_set_affinity(struct wl_run *r, struct wl_prog *p,
                            const struct cpumask *m, bool has)
{
	struct wr_thread *t = thread_of(p);

	(void)r;
	task_params(&wr.w->task[t->task], m, has, &t->tp);
	t->tp_new = true;
	return !cpumask_test(&t->tp.affinity, hal_cpu_id());
}

static const struct wl_ops wr_ops = {
    .now = op_now,
    .wake = op_wake,
    .set_affinity = op_set_affinity,
};

static bool stopping(void)
{
	return __atomic_load_n(&wr.stop, __ATOMIC_RELAXED);
}

// Performs one action of the interpreter; false when the thread is done.
// Called with wr.lock held, returns with it held.
static bool perform(struct wr_thread *t, struct wl_act a)
{
	uint64_t start;

	if (a.kind == WL_ACT_EXIT)
		return false;
	if (t->tp_new) { // a new phase's affinity (op_set_affinity)
		t->tp_new = false;
		wr_unlock();
		if (thread_set_params(thread_current(), &t->tp))
			pr_err("workload: thread %u: the phase's CPUs were "
			       "refused\n",
			       t->id);
		wr_lock();
	}
	if (a.kind == WL_ACT_BLOCK) {
		block(t);
		wr_lock();
		return true;
	}
	wr_unlock();
	switch (a.kind) {
	case WL_ACT_RUN:
		start = cpu_time();
		while (cpu_time() - start < a.ns && !stopping())
			hal_cpu_relax();
		break;
	case WL_ACT_RUNTIME:
		start = hal_time_ns();
		while (hal_time_ns() - start < a.ns && !stopping())
			hal_cpu_relax();
		break;
	case WL_ACT_SLEEP: sleep_until(t, a.ns); break;
	case WL_ACT_FORK: start_thread((unsigned)a.ns); break;
	default: thread_yield(); break; // YIELD, MOVE
	}
	wr_lock();
	return true;
}

static void finish(struct wr_thread *t)
{
	struct thread *th = thread_current();

	preempt_disable();
	t->run_ns = th->stats.run_ns + (hal_time_ns() - th->mark_ns);
	t->wait_ns = th->stats.wait_ns;
	t->switches = (unsigned)th->stats.switches;
	t->migrations = (unsigned)th->stats.migrations;
	t->wakeups = (unsigned)th->stats.wakeups;
	t->end_ns = hal_time_ns();
	preempt_enable();
	wr_lock();
	t->done = true;
	if (!--wr.live)
		complete(&wr.finished);
	wr_unlock();
}

static void thread_main(void *arg)
{
	struct wr_thread *t = arg;
	const struct wl_task *wt = &wr.w->task[t->task];

	if (wt->delay_ns)
		sleep_ns(wt->delay_ns);
	wr_lock();
	while (!wr.stop) {
		struct wl_act a = wl_step(&wr.run, &t->prog);

		__atomic_fetch_add(&wr.events, 1, __ATOMIC_RELAXED);
		if (!perform(t, a))
			break;
	}
	wr_unlock();
	finish(t);
}

// ---- The run and its report --------------------------------------------

// Stop: every waiter is released; running threads see `stop` at their next
// event or spin check.
static void stop_all(void)
{
	wr_lock();
	wr.stop = true;
	for (unsigned i = 0; i < wr.w->nres; i++) {
		struct wl_prog *p;

		while ((p = wl_res_pop(&wr.res[i])))
			sem_up(&thread_of(p)->sem);
	}
	wr_unlock();
}

struct wr_sampler {
	uint64_t iwr_ns, wc_longest, episode;
	unsigned violations;
};

// With affinity restricted (as sim/metrics.c usable_idle): min(m, idle
// CPUs some waiting workload thread may use, waiting workload threads with
// such a CPU). Racy reads of on_rq / on_cpu / affinity: a sample.
static unsigned usable_idle(unsigned m)
{
	struct cpumask any;
	unsigned threads = 0, cpus = 0, c;

	cpumask_clear_all(&any);
	wr_lock(); // a thread not done cannot pass finish(): th stays valid
	for (struct wr_thread *t = wr.all; t; t = t->all) {
		struct thread *th = t->th;
		bool has = false;

		if (t->done || !th || !th->on_rq || th->on_cpu)
			continue;
		CPUMASK_FOR_EACH(c, &th->se.affinity)
		{
			if (c < cpu_count && sched_cpu_online(c) &&
			    sched_cpu_is_idle(c)) {
				cpumask_set(&any, c);
				has = true;
			}
		}
		threads += has;
	}
	wr_unlock();
	CPUMASK_FOR_EACH(c, &any)
	{
		cpus++;
	}
	m = threads < m ? threads : m;
	return cpus < m ? cpus : m;
}

// Called every WR_SAMPLE_NS by the controller: min(idle CPUs, threads
// waiting in a run queue) CPUs were wasted for that period (the
// simulator's integral, sampled; with restricted affinity only CPUs a
// waiting workload thread may use, as in the simulator).
static void sample(struct wr_sampler *s)
{
	unsigned idle = 0, waiting = 0;

	for (unsigned c = 0; c < cpu_count; c++) {
		unsigned n = sched_rq_len(c);

		if (!sched_cpu_online(c))
			continue;
		if (sched_cpu_is_idle(c))
			idle++;
		else if (n > 1)
			waiting += n - 1;
	}
	idle = idle < waiting ? idle : waiting;
	if (idle && wr.restricted)
		idle = usable_idle(idle);
	s->iwr_ns += idle * WR_SAMPLE_NS;
	if (!idle) {
		s->episode = 0;
		return;
	}
	s->episode += WR_SAMPLE_NS;
	if (s->episode == 2 * WR_SAMPLE_NS) // longer than the 1 ms threshold
		s->violations++;
	if (s->episode > s->wc_longest)
		s->wc_longest = s->episode;
}

static void print_ms(const char *label, uint64_t ns)
{
	printk("%-34s %8lu.%03lu ms\n", label, (unsigned long)(ns / 1000000),
	       (unsigned long)(ns / 1000 % 1000));
}

static void sort_u64(uint64_t *v, unsigned n)
{
	for (unsigned gap = n / 2; gap; gap /= 2) // shell sort, no recursion
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && v[j - gap] > v[j];
			     j -= gap) {
				uint64_t x = v[j];
				v[j] = v[j - gap];
				v[j - gap] = x;
			}
}

static uint64_t pct(const uint64_t *v, unsigned n, unsigned p)
{
	uint64_t k = ((uint64_t)n * p + 99) / 100;

	return n ? v[k ? k - 1 : 0] : 0;
}

static void level_name(unsigned lv, char *buf, size_t n)
{
	const struct sched_domain *d = sched_domain_lowest(0);

	for (unsigned i = 0; d && i < lv; i++)
		d = d->parent;
	if (!d)
		ksnprintf(buf, n, "level%u", lv);
	else if (d->kind == SD_KIND_NUMA)
		ksnprintf(buf, n, "NUMA(%u)", d->distance);
	else
		ksnprintf(buf, n, "%s", d->name);
}

static void print_task(unsigned k)
{
	unsigned threads = 0, nlat = 0;
	uint64_t run = 0, wait = 0, *lat;

	for (struct wr_thread *t = wr.all; t; t = t->all)
		nlat += t->task == k ? t->nlat : 0;
	lat = kmalloc((nlat + 1) * sizeof(uint64_t));
	nlat = 0;
	for (struct wr_thread *t = wr.all; t; t = t->all) {
		if (t->task != k)
			continue;
		threads++;
		run += t->run_ns;
		wait += t->wait_ns;
		for (unsigned i = 0; lat && i < t->nlat; i++)
			lat[nlat++] = t->lat[i];
	}
	sort_u64(lat, nlat);
	// switch ms: the simulator's modelled switch cost; not measured
	// here, so "-" (sched-compare reads it as absent).
	printk("%-16.16s %4u %7lu.%03lu %7lu.%03lu %11s %10lu %10lu "
	       "%10lu\n",
	       wr.w->task[k].name, threads, (unsigned long)(run / 1000000),
	       (unsigned long)(run / 1000 % 1000),
	       (unsigned long)(wait / 1000000),
	       (unsigned long)(wait / 1000 % 1000), "-",
	       (unsigned long)(pct(lat, nlat, 50) / 1000),
	       (unsigned long)(pct(lat, nlat, 99) / 1000),
	       (unsigned long)(nlat ? lat[nlat - 1] / 1000 : 0));
	kfree(lat);
}

struct wr_before {
	uint64_t idle, switches;
	uint64_t lvl[WR_MAX_LEVELS];
};

static void snapshot(struct wr_before *b)
{
	memset(b, 0, sizeof(*b));
	for (unsigned c = 0; c < cpu_count; c++) {
		struct sched_cpu_stats st;
		struct sched_obs_cpu *o = sched_obs_cpu(c);

		sched_cpu_stats(c, &st);
		b->idle += st.idle_ns;
		b->switches += st.switches;
		for (unsigned l = 0; o && l < WR_MAX_LEVELS; l++)
			b->lvl[l] += o->level[l].migrations;
	}
}

static void report(const struct wr_before *b0, const struct wr_sampler *s,
                   uint64_t makespan, uint64_t end)
{
	struct wr_before b1;
	unsigned depth = sched_domain_depth();
	char name[24];

	snapshot(&b1);
	printk("-----BEGIN CAIRN WORKLOAD REPORT-----\n");
	printk("policy %s on %u CPUs: %u threads, %lu events\n",
	       sched_policy_name(), cpu_count, wr.nth,
	       (unsigned long)wr.events);
	print_ms("makespan", makespan);
	// As sim/metrics.c: threads still live when the run was stopped
	// (blocked for good after a lost resume or signal, or still running
	// at the duration), counted before stop_all() released them.
	if (wr.unfinished)
		printk("  (%u threads had not finished at %lu.%03lu ms)\n",
		       wr.unfinished, (unsigned long)(end / 1000000),
		       (unsigned long)(end / 1000 % 1000));
	print_ms("idle CPU time", b1.idle - b0->idle);
	print_ms("idle while runnable (wasted cores)", s->iwr_ns);
	printk("%-34s %12u (longer than 1.000 ms; longest %lu.%03lu ms)\n",
	       "work-conservation violations", s->violations,
	       (unsigned long)(s->wc_longest / 1000000),
	       (unsigned long)(s->wc_longest / 1000 % 1000));
	printk("%-34s %12lu\n", "switches",
	       (unsigned long)(b1.switches - b0->switches));
	printk("migrations by domain level:\n");
	for (unsigned l = 0; l < depth && l < WR_MAX_LEVELS; l++) {
		level_name(l, name, sizeof(name));
		// The kernel does not measure a migration's cache-cold cost
		// (a simulator cost-model output): "-", not a made-up 0.
		printk("  %-12s %10lu  cache-cold cost -\n", name,
		       (unsigned long)(b1.lvl[l] - b0->lvl[l]));
	}
	printk("\n%-16s %4s %11s %11s %11s %10s %10s %10s\n", "task", "thr",
	       "run ms", "wait ms", "switch ms", "lat p50us", "p99 us",
	       "max us");
	for (unsigned k = 0; k < wr.w->ntasks; k++)
		print_task(k);
	printk("-----END CAIRN WORKLOAD REPORT-----\n");
}

// Runs until every thread ended, or the duration (else WR_CAP_NS) passed.
// *makespan and *end: when the last thread ended; when the run was stopped
// with threads live, the stop time (as the simulator, whose makespan is
// then its --max-time), not the last end of the threads that did finish.
static void run_all(struct wr_sampler *s, uint64_t *makespan, uint64_t *end)
{
	uint64_t limit =
	    wr.w->duration_ns > 0 ? (uint64_t)wr.w->duration_ns : WR_CAP_NS;

	wr.t0 = hal_time_ns();
	for (unsigned k = 0; k < wr.w->ntasks; k++)
		for (unsigned i = 0; i < wr.w->task[k].instances; i++)
			start_thread(k);
	wr_lock();
	if (!wr.live)
		complete(&wr.finished);
	wr_unlock();
	while (!wait_for_completion_timeout(&wr.finished, WR_SAMPLE_NS)) {
		sample(s);
		if (hal_time_ns() - wr.t0 >= limit)
			break;
	}
	*end = hal_time_ns() - wr.t0;
	// The start on the guest clock, to the ns: under -icount, runs of one
	// boot that start at different times (the firmware's disk reads
	// complete on the host's schedule) are told apart by this line.
	// Printed after the run: a console line can cost milliseconds of
	// guest time (a framebuffer console that scrolls redraws the screen),
	// which would be charged to the workload.
	pr_info("workload: started at %lu.%06lu ms\n",
	        (unsigned long)(wr.t0 / 1000000),
	        (unsigned long)(wr.t0 % 1000000));
	*makespan = *end;
	wr_lock();
	wr.unfinished = wr.live;
	if (!wr.unfinished) {
		*makespan = 0;
		for (struct wr_thread *t = wr.all; t; t = t->all)
			if (t->done && t->end_ns - wr.t0 > *makespan)
				*makespan = t->end_ns - wr.t0;
	}
	wr_unlock();
	if (wr.unfinished) {
		stop_all();
		(void)wait_for_completion_timeout(&wr.finished, WR_GRACE_NS);
	}
}

void workload_run(const char *name, const char *text, size_t len)
{
	struct workload *w;
	struct wl_error e;
	struct wr_before b0;
	struct wr_sampler s = {0};
	uint64_t makespan, end;
	err_t err = wl_parse(text, len, &w, &e);

	if (err) {
		if (e.line)
			pr_err("workload: %s:%u:%u: %s\n", name, e.line, e.col,
			       e.msg);
		else
			pr_err("workload: %s: %s (%s)\n", name, e.msg,
			       err_name(err));
		return;
	}
	memset(&wr, 0, sizeof(wr));
	spin_lock_init(&wr.lock);
	completion_init(&wr.finished);
	wr.w = w;
	wr.res = kzalloc((w->nres + 1) * sizeof(*wr.res));
	if (!wr.res) {
		pr_err("workload: %s: out of memory\n", name);
		wl_free(w);
		return;
	}
	wr.run.w = w;
	wr.run.res = wr.res;
	wr.run.ops = &wr_ops;
	wl_run_init(&wr.run);
	for (unsigned i = 0; i < w->ntasks; i++) {
		wr.restricted |= w->task[i].has_cpus;
		for (unsigned k = 0; k < w->task[i].nph; k++)
			wr.restricted |= w->task[i].ph[k].has_cpus;
	}
	sched_obs_enable_stats(); // migrations by domain level
	pr_info("workload: %s: %u tasks, %u threads at start\n", name,
	        w->ntasks, wl_initial_threads(w));
	snapshot(&b0);
	run_all(&s, &makespan, &end);
	report(&b0, &s, makespan, end);
	if (wr.live) { // threads still running use wr: leak it on purpose
		pr_err("workload: %s: %u threads did not stop; not freed\n",
		       name, wr.live);
		return;
	}
	while (wr.all) {
		struct wr_thread *t = wr.all;

		wr.all = t->all;
		kfree(t->prog.timers);
		kfree(t);
	}
	kfree(wr.res);
	wl_free(w);
}

void workload_boot(const char *path)
{
	const struct boot_info *bi = kernel_boot_info();
	bool has =
	    bi->size >= offsetof(struct boot_info, file_name) + 64 && bi->file;

	if (!path || !*path) {
		pr_err("workload: workload= needs a file name\n");
		return;
	}
	if (!has || strcmp(bi->file_name, path)) {
		pr_err("workload: %s: the loader passed no such file (%s%s); "
		       "tools/cairn-run --workload FILE puts it on the ESP\n",
		       path, has ? "it passed " : "none passed",
		       has ? bi->file_name : "");
		return;
	}
	workload_run(path, phys_to_virt(bi->file), bi->file_size);
}
