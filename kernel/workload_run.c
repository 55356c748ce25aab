// SPDX-License-Identifier: MIT
// rt-app workloads as kernel threads (kernel/workload_run.h). Each thread
// of the workload is a kernel thread that walks its task's phases exactly
// as sim/run.c's program does: `run` spins until the thread has had that
// much CPU time (its own run_ns), `runtime` until that much wall time
// passed, `sleep`/`timer` use sleep_until_ns, and the resources (mutex
// with FIFO hand-over, condition, barrier, suspend/resume) are wait lists
// of this file, so hand-over order and lost resumes match the simulator.
//
// Locking: wr.lock (a sleeping mutex) guards every resource, the thread
// list and `live`/`stop`. A thread blocks by queueing itself under the
// lock, dropping it and sleeping on its own semaphore; a waker pops it
// and raises that semaphore (so a wake before the sleep is not lost).
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
#include <lib/wait.h>
#include <mm/heap.h>
#include <mm/phys.h>
#include <workload/rtapp.h>

#define WR_MAX_LAT 4096                 // wake-up latency samples per thread
#define WR_CAP_NS (20ull * 1000000000u) // no duration: stop after 20 s
#define WR_GRACE_NS 2000000000ull       // after stop, wait this for exits
#define WR_SAMPLE_NS 1000000ull         // idle-while-runnable sampling
#define WR_MAX_LEVELS 8

struct wr_thread;

struct wr_res {
	struct wr_thread *head, **tail; // waiters, FIFO
	struct wr_thread *owner;        // mutex
	unsigned count;                 // barrier arrivals
	uint64_t next;                  // shared timer: next expiry
	bool started;
};

struct wr_thread {
	struct thread *th;
	unsigned task, id;
	struct semaphore sem;
	struct wr_thread *wnext; // wait list link
	struct wr_thread *all;   // every thread, newest first
	uint16_t wait_cond;      // WL_WAIT / WL_SYNC: the mutex to retake
	uint64_t *timers;        // "unique" timers: next expiry per resource
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
	struct mutex lock;
	const struct workload *w;
	struct wr_res *res;
	struct wr_thread *all;
	unsigned nth, live, next_id;
	bool stop;
	uint64_t t0, events;
	struct completion finished; // live reached 0
} wr;

static uint64_t cpu_time(void)
{
	struct thread *t = thread_current();
	uint64_t ns;

	preempt_disable(); // run_ns and mark_ns change at a switch
	ns = t->stats.run_ns + (hal_time_ns() - t->mark_ns);
	preempt_enable();
	return ns;
}

// ---- Resources (wr.lock held) -----------------------------------------

static void res_wait(struct wr_res *r, struct wr_thread *t)
{
	if (!r->tail)
		r->tail = &r->head;
	t->wnext = NULL;
	*r->tail = t;
	r->tail = &t->wnext;
}

static struct wr_thread *res_pop(struct wr_res *r)
{
	struct wr_thread *t = r->head;

	if (t) {
		r->head = t->wnext;
		if (!r->head)
			r->tail = &r->head;
	}
	return t;
}

static void wake(struct wr_thread *t)
{
	t->wake_ns = hal_time_ns();
	t->woken = true;
	sem_up(&t->sem);
}

static void mutex_release(struct wr_res *m)
{
	struct wr_thread *n = res_pop(m);

	m->owner = n;
	if (n)
		wake(n);
}

static void cond_wake(struct wr_thread *t)
{
	struct wr_res *m = &wr.res[t->wait_cond];

	if (!m->owner) {
		m->owner = t;
		wake(t);
	} else {
		res_wait(m, t);
	}
}

// Lock dropped; sleeps until a waker (or stop) raises t->sem.
static void block(struct wr_thread *t)
{
	mutex_unlock(&wr.lock);
	sem_down(&t->sem);
	if (t->woken) {
		uint64_t lat = hal_time_ns() - t->wake_ns;

		t->woken = false;
		if (t->nlat < WR_MAX_LAT)
			t->lat[t->nlat++] = lat;
	}
}

// The timer event (sim/run.c timer_wait): true and *until when to sleep.
static bool timer_wait(struct wr_thread *t, const struct wl_event *e,
                       uint64_t now, uint64_t *until)
{
	struct wr_res *r = &wr.res[e->res];
	bool unique = !strncmp(wr.w->res[e->res].name, "unique", 6);
	uint64_t *next = unique ? &t->timers[e->res] : &r->next;
	bool first = unique ? *next == UINT64_MAX : !r->started;

	r->started = true;
	if (first)
		*next = now;
	*next += e->ns;
	if (*next > now) {
		*until = *next;
		return true;
	}
	if (!e->absolute)
		*next = now;
	return false;
}

static void sleep_until(struct wr_thread *t, uint64_t until)
{
	sleep_until_ns(until);
	if (t->nlat < WR_MAX_LAT)
		t->lat[t->nlat++] = hal_time_ns() - until;
}

// ---- Threads ------------------------------------------------------------

static void task_params(const struct wl_task *wt, const struct wl_phase *p,
                        struct thread_params *tp)
{
	const struct cpumask *m = p && p->has_cpus ? &p->cpus : &wt->cpus;
	bool has = (p && p->has_cpus) || wt->has_cpus;

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

static void start_thread(unsigned task)
{
	const struct wl_task *wt = &wr.w->task[task];
	struct wr_thread *t = kzalloc(sizeof(*t));
	struct thread_params tp;
	char name[THREAD_NAME_MAX];
	err_t err = E_NOMEM;

	if (t && wr.w->nres)
		t->timers = kmalloc(wr.w->nres * sizeof(uint64_t));
	if (t && (t->timers || !wr.w->nres)) {
		for (unsigned i = 0; i < wr.w->nres; i++)
			t->timers[i] = UINT64_MAX;
		sem_init(&t->sem, 0);
		t->task = task;
		task_params(wt, wt->nph ? &wt->ph[0] : NULL, &tp);
		mutex_lock(&wr.lock);
		t->id = ++wr.next_id;
		t->all = wr.all;
		wr.all = t;
		wr.nth++;
		wr.live++;
		mutex_unlock(&wr.lock);
		ksnprintf(name, sizeof(name), "%s-%u", wt->name, t->id);
		err = thread_create(&t->th, name, thread_main, t, &tp);
		if (!err) {
			thread_detach(t->th);
			return;
		}
		mutex_lock(&wr.lock); // stays listed, done, for the report
		t->done = true;
		if (!--wr.live)
			complete(&wr.finished);
		mutex_unlock(&wr.lock);
	}
	pr_err("workload: task %s: cannot start a thread (%s)\n", wt->name,
	       err_name(err));
}

// The zero-time and blocking events (sim/run.c step_instant/step_block).
static void step_event(struct wr_thread *t, const struct wl_event *e)
{
	struct wr_res *r = &wr.res[e->res];
	uint64_t now = hal_time_ns(), until;

	mutex_lock(&wr.lock);
	if (wr.stop) {
		mutex_unlock(&wr.lock);
		return;
	}
	switch (e->type) {
	case WL_UNLOCK:
		if (r->owner == t)
			mutex_release(r);
		break;
	case WL_SIGNAL:
		if (r->head)
			cond_wake(res_pop(r));
		break;
	case WL_BROAD:
		while (r->head)
			cond_wake(res_pop(r));
		break;
	case WL_RESUME: // nobody suspended: lost, as with rt-app's condvar
		while (r->head)
			wake(res_pop(r));
		break;
	case WL_TIMER:
		if (timer_wait(t, e, now, &until)) {
			mutex_unlock(&wr.lock);
			sleep_until(t, until);
			return;
		}
		break;
	case WL_BARRIER:
		if (++r->count >= wr.w->res[e->res].users) {
			r->count = 0;
			while (r->head)
				wake(res_pop(r));
			break;
		}
		res_wait(r, t);
		block(t);
		return;
	case WL_LOCK:
		if (!r->owner) {
			r->owner = t;
			break;
		}
		res_wait(r, t);
		block(t);
		return;
	case WL_SYNC:
		if (r->head)
			cond_wake(res_pop(r));
		/* fall through */
	case WL_WAIT:
		if (wr.res[e->res2].owner == t)
			mutex_release(&wr.res[e->res2]);
		t->wait_cond = e->res2;
		res_wait(r, t);
		block(t);
		return;
	case WL_SUSPEND:
		res_wait(r, t);
		block(t);
		return;
	}
	mutex_unlock(&wr.lock);
}

static bool stopping(void)
{
	return __atomic_load_n(&wr.stop, __ATOMIC_RELAXED);
}

static void run_event(struct wr_thread *t, const struct wl_event *e)
{
	uint64_t start = e->type == WL_RUN ? cpu_time() : hal_time_ns();

	__atomic_fetch_add(&wr.events, 1, __ATOMIC_RELAXED);
	switch (e->type) {
	case WL_RUN:
		while (cpu_time() - start < e->ns && !stopping())
			hal_cpu_relax();
		break;
	case WL_RUNTIME:
		while (hal_time_ns() - start < e->ns && !stopping())
			hal_cpu_relax();
		break;
	case WL_SLEEP:
		if (e->ns)
			sleep_until(t, start + e->ns);
		break;
	case WL_YIELD: thread_yield(); break;
	case WL_FORK: start_thread(e->task); break;
	default: step_event(t, e);
	}
}

// A phase with its own "cpus" (or any phase change of a multi-phase task)
// sets the affinity, as sim/run.c cur_event does; leaves a CPU it may no
// longer use at once.
static void enter_phase(struct wr_thread *t, const struct wl_task *wt,
                        unsigned ph)
{
	struct thread_params tp;

	if (!wt->ph[ph].has_cpus && wt->nph <= 1)
		return;
	task_params(wt, &wt->ph[ph], &tp);
	(void)t;
	if (thread_set_params(thread_current(), &tp))
		return;
	if (!cpumask_test(&tp.affinity, hal_cpu_id()))
		thread_yield();
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
	mutex_lock(&wr.lock);
	t->done = true;
	if (!--wr.live)
		complete(&wr.finished);
	mutex_unlock(&wr.lock);
}

static void thread_main(void *arg)
{
	struct wr_thread *t = arg;
	const struct wl_task *wt = &wr.w->task[t->task];

	if (wt->delay_ns)
		sleep_ns(wt->delay_ns);
	for (int64_t l = 0; wt->nph && !stopping() &&
	                    (wt->loop == WL_LOOP_FOREVER || l < wt->loop);
	     l++)
		for (unsigned p = 0; p < wt->nph && !stopping(); p++) {
			const struct wl_phase *ph = &wt->ph[p];

			enter_phase(t, wt, p);
			for (int64_t k = 0; k < ph->loop && !stopping(); k++)
				for (unsigned i = 0; i < ph->nev && !stopping();
				     i++)
					run_event(t, &ph->ev[i]);
		}
	finish(t);
}

// ---- The run and its report --------------------------------------------

// Stop: every waiter is released; running threads see `stop` at their next
// event or spin check.
static void stop_all(void)
{
	mutex_lock(&wr.lock);
	wr.stop = true;
	for (unsigned i = 0; i < wr.w->nres; i++) {
		struct wr_thread *t;

		while ((t = res_pop(&wr.res[i])))
			sem_up(&t->sem);
	}
	mutex_unlock(&wr.lock);
}

struct wr_sampler {
	uint64_t iwr_ns, wc_longest, episode;
	unsigned violations;
};

// Called every WR_SAMPLE_NS by the controller: min(idle CPUs, threads
// waiting in a run queue) CPUs were wasted for that period (the
// simulator's integral, sampled; affinity ignored as there).
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
	printk("%-16.16s %4u %7lu.%03lu %7lu.%03lu %7lu.%03lu %10lu %10lu "
	       "%10lu\n",
	       wr.w->task[k].name, threads, (unsigned long)(run / 1000000),
	       (unsigned long)(run / 1000 % 1000),
	       (unsigned long)(wait / 1000000),
	       (unsigned long)(wait / 1000 % 1000), 0ul, 0ul,
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
	if (wr.live)
		printk("  (%u threads had not finished at %lu.%03lu ms)\n",
		       wr.live, (unsigned long)(end / 1000000),
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
		printk("  %-12s %10lu  cache-cold cost 0.000 ms\n", name,
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
static void run_all(struct wr_sampler *s, uint64_t *makespan)
{
	uint64_t limit =
	    wr.w->duration_ns > 0 ? (uint64_t)wr.w->duration_ns : WR_CAP_NS;

	wr.t0 = hal_time_ns();
	for (unsigned k = 0; k < wr.w->ntasks; k++)
		for (unsigned i = 0; i < wr.w->task[k].instances; i++)
			start_thread(k);
	mutex_lock(&wr.lock);
	if (!wr.live)
		complete(&wr.finished);
	mutex_unlock(&wr.lock);
	while (!wait_for_completion_timeout(&wr.finished, WR_SAMPLE_NS)) {
		sample(s);
		if (hal_time_ns() - wr.t0 >= limit)
			break;
	}
	*makespan = 0;
	for (struct wr_thread *t = wr.all; t; t = t->all)
		if (t->done && t->end_ns - wr.t0 > *makespan)
			*makespan = t->end_ns - wr.t0;
	if (wr.live) {
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
	uint64_t makespan;
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
	mutex_init(&wr.lock);
	completion_init(&wr.finished);
	wr.w = w;
	wr.res = kzalloc((w->nres + 1) * sizeof(*wr.res));
	if (!wr.res) {
		pr_err("workload: %s: out of memory\n", name);
		wl_free(w);
		return;
	}
	sched_obs_enable_stats(); // migrations by domain level
	pr_info("workload: %s: %u tasks, %u threads at start\n", name,
	        w->ntasks, wl_initial_threads(w));
	snapshot(&b0);
	run_all(&s, &makespan);
	report(&b0, &s, makespan, hal_time_ns() - wr.t0);
	if (wr.live) { // threads still running use wr: leak it on purpose
		pr_err("workload: %s: %u threads did not stop; not freed\n",
		       name, wr.live);
		return;
	}
	while (wr.all) {
		struct wr_thread *t = wr.all;

		wr.all = t->all;
		kfree(t->timers);
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
