// SPDX-License-Identifier: MIT
// What the simulator measures and writes (docs/research.md, "Outputs"):
// idle-while-runnable time and work-conservation episodes integrated at
// every event, migrations by domain level with their cache-cold cost,
// wake-up latencies, the scheduling trace in the kernel's dump format
// (docs/trace.md) and sampled run-queue lengths. No locks (one thread).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/sched/domain.h>
#include <topology/topology.h>
#include <sim/internal.h>

// An idle-while-runnable episode ended at `end`.
void sim_wc_close(struct sim *s, uint64_t end)
{
	uint64_t len = end - s->wc_since;

	s->wc_on = false;
	if (len > s->o.wc_threshold_ns)
		s->wc_violations++;
	if (len > s->wc_longest)
		s->wc_longest = len;
}

// min(m, idle CPUs some waiting thread may run on, waiting threads that
// may run on an idle CPU). A bound, not a matching: two threads pinned to
// one idle CPU count as one CPU wasted, which is what min() gives.
static unsigned usable_idle(const struct sim *s, unsigned m)
{
	struct cpumask any;
	unsigned threads = 0, cpus = 0, cpu;

	cpumask_clear_all(&any);
	for (unsigned i = 0; i < s->nth; i++) {
		const struct sim_thread *t = s->th[i];
		bool has = false;

		if (!t->on_rq || s->cpu[t->se.cpu].curr == t)
			continue;
		CPUMASK_FOR_EACH(cpu, &t->se.affinity)
		{
			if (cpu < s->ncpu && !s->cpu[cpu].curr) {
				cpumask_set(&any, cpu);
				has = true;
			}
		}
		threads += has;
	}
	CPUMASK_FOR_EACH(cpu, &any)
	{
		cpus++;
	}
	if (threads < m)
		m = threads;
	return cpus < m ? cpus : m;
}

// Before any change of the idle / waiting counts at s->now: the counts
// held since the last call (every change follows a call at its time), so
// min(idle CPUs, waiting threads) is integrated over [acc_at, now]. An
// episode of that product being non-zero for longer than the threshold
// is a work-conservation violation (Wasted Cores' invariant). When the
// workload restricts affinity, only idle CPUs some waiting thread may use
// and waiting threads with such a CPU count (usable_idle): a thread
// pinned away from every idle CPU wastes nothing.
void sim_acc(struct sim *s)
{
	unsigned m = s->nidle < s->nwaiting ? s->nidle : s->nwaiting;
	uint64_t dt = s->now - s->acc_at;

	if (dt && m && s->restricted)
		m = usable_idle(s, m);
	if (dt) {
		s->iwr_ns += dt * m;
		if (m && !s->wc_on) {
			s->wc_on = true;
			s->wc_since = s->acc_at;
		} else if (!m && s->wc_on) {
			sim_wc_close(s, s->acc_at);
		}
	}
	s->acc_at = s->now;
}

void sim_trace(struct sim *s, unsigned cpu, unsigned type, unsigned tid,
               unsigned a, unsigned b, uint64_t c)
{
	struct sim_ring *r;

	if (!s->ring_size)
		return;
	r = &s->ring[cpu];
	r->r[r->written++ & (s->ring_size - 1)] =
	    (struct sim_trace_rec){s->now, (uint8_t)type, tid, a, b, c};
}

void sim_latency(struct sim *s, struct sim_thread *t, uint64_t ns)
{
	if (t->nlat == t->caplat) {
		t->caplat = t->caplat ? t->caplat * 2 : 16;
		t->lat = realloc(t->lat, t->caplat * sizeof(*t->lat));
		if (!t->lat) {
			fprintf(stderr, "cairn-sim: out of memory\n");
			exit(2);
		}
	}
	t->lat[t->nlat++] = ns;
}

// Size of cpu's cache of a level (data or unified), or the default.
static uint64_t cache_size(const struct sim *s, unsigned cpu, unsigned level)
{
	unsigned idx[TOPO_MAX_CPU_CACHES], n = topo_cpu_caches(cpu, idx);

	for (unsigned i = 0; i < n; i++) {
		const struct topo_cache *c = topo_cache_get(idx[i]);

		if (c->level == level && c->type != TOPO_CACHE_INSTRUCTION &&
		    c->size)
			return c->size;
	}
	return level <= 4 ? s->o.costs.def_cache[level - 1] : 0;
}

// A thread moved from one CPU to another: counted at the lowest domain
// of `from` that holds `to`; *cost is the cache-cold refill: the caches
// the two CPUs do not share (private L1 and L2 unless one core, the LLC
// unless one LLC), capped at the working set, at the refill bandwidth.
void sim_migrated(struct sim *s, struct sim_thread *t, unsigned from,
                  unsigned to, uint64_t *cost)
{
	const struct sched_domain *d = sched_domain_lowest(from);
	char name[24];
	uint64_t lost = 0;
	unsigned i;

	while (d && !cpumask_test(&d->span, to))
		d = d->parent;
	if (!d)
		snprintf(name, sizeof(name), "none");
	else if (d->kind == SD_KIND_NUMA)
		snprintf(name, sizeof(name), "NUMA(%u)", d->distance);
	else
		snprintf(name, sizeof(name), "%s", d->name);
	if (!d || !(d->flags & SD_SHARE_CPU))
		lost += cache_size(s, from, 1) + cache_size(s, from, 2);
	if (!d || !(d->flags & SD_SHARE_LLC))
		lost += cache_size(s, from, 3);
	if (lost > s->o.costs.wss_bytes)
		lost = s->o.costs.wss_bytes;
	*cost = lost / (s->o.costs.refill_bpns ? s->o.costs.refill_bpns : 1);
	for (i = 0; i < s->nlvl && strcmp(s->lvl_name[i], name); i++)
		;
	if (i == s->nlvl && s->nlvl < SIM_MAX_LEVELS)
		memcpy(s->lvl_name[s->nlvl++], name, sizeof(name));
	if (i < s->nlvl) {
		s->lvl_count[i]++;
		s->lvl_cost[i] += *cost;
	}
	sim_trace(s, to, TR_MIGRATE, t->id, from, to, 0);
}

void sim_sample(struct sim *s)
{
	if (!s->rqf)
		return;
	fprintf(s->rqf, "%llu", (unsigned long long)s->now);
	for (unsigned c = 0; c < s->ncpu; c++)
		fprintf(s->rqf, ",%u", s->cpu[c].nr_running);
	fputc('\n', s->rqf);
}

// ---- Writing ---------------------------------------------------------------

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

// Nearest-rank percentile of n sorted values.
static uint64_t pct(const uint64_t *v, unsigned n, unsigned p)
{
	uint64_t k;

	if (!n)
		return 0;
	k = ((uint64_t)n * p + 99) / 100;
	return v[k ? k - 1 : 0];
}

struct task_sum {
	uint64_t run, wait, over, *lat;
	unsigned threads, nlat, switches, migrations, wakeups, done;
};

static void sum_task(const struct sim *s, unsigned task, struct task_sum *ts)
{
	memset(ts, 0, sizeof(*ts));
	for (unsigned i = 0; i < s->nth; i++)
		ts->nlat += s->th[i]->task == task ? s->th[i]->nlat : 0;
	ts->lat = malloc((ts->nlat + 1) * sizeof(uint64_t));
	if (!ts->lat)
		exit(2);
	ts->nlat = 0;
	for (unsigned i = 0; i < s->nth; i++) {
		const struct sim_thread *t = s->th[i];

		if (t->task != task)
			continue;
		ts->threads++;
		ts->done += t->state == ST_DEAD;
		ts->run += t->run_ns;
		ts->wait += t->wait_ns;
		ts->over += t->overhead_ns;
		ts->switches += t->switches;
		ts->migrations += t->migrations;
		ts->wakeups += t->wakeups;
		memcpy(ts->lat + ts->nlat, t->lat, t->nlat * sizeof(uint64_t));
		ts->nlat += t->nlat;
	}
	qsort(ts->lat, ts->nlat, sizeof(uint64_t), cmp_u64);
}

static FILE *out_open(const struct sim *s, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", s->o.out_dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "cairn-sim: %s: %s\n", path, strerror(errno));
	return f;
}

static uint64_t idle_total(const struct sim *s)
{
	uint64_t idle = 0;

	for (unsigned c = 0; c < s->ncpu; c++)
		idle += s->cpu[c].idle_ns +
		        (s->cpu[c].curr ? 0 : s->now - s->cpu[c].idle_since);
	return idle;
}

static void write_json(const struct sim *s, FILE *f)
{
	fprintf(f, "{\n \"policy\": \"%s\",\n \"cpus\": %u,\n", s->o.policy,
	        s->ncpu);
	fprintf(f, " \"makespan_ns\": %llu,\n \"end_ns\": %llu,\n",
	        (unsigned long long)s->makespan, (unsigned long long)s->now);
	fprintf(f, " \"threads\": %u,\n \"unfinished\": %u,\n", s->nth,
	        s->live);
	fprintf(f, " \"events\": %llu,\n \"switches\": %llu,\n",
	        (unsigned long long)s->events, (unsigned long long)s->switches);
	fprintf(f, " \"idle_ns\": %llu,\n", (unsigned long long)idle_total(s));
	fprintf(f, " \"idle_while_runnable_ns\": %llu,\n",
	        (unsigned long long)s->iwr_ns);
	fprintf(f, " \"wc_violations\": %u,\n \"wc_longest_ns\": %llu,\n",
	        s->wc_violations, (unsigned long long)s->wc_longest);
	fprintf(f, " \"migrations\": {");
	for (unsigned i = 0; i < s->nlvl; i++)
		fprintf(f, "%s\"%s\": {\"count\": %llu, \"cost_ns\": %llu}",
		        i ? ", " : "", s->lvl_name[i],
		        (unsigned long long)s->lvl_count[i],
		        (unsigned long long)s->lvl_cost[i]);
	fprintf(f, "},\n \"tasks\": [");
	for (unsigned k = 0; k < s->w->ntasks; k++) {
		struct task_sum ts;

		sum_task(s, k, &ts);
		fprintf(f,
		        "%s\n  {\"name\": \"%s\", \"threads\": %u, "
		        "\"run_ns\": %llu, \"wait_ns\": %llu, "
		        "\"overhead_ns\": %llu, \"switches\": %u, "
		        "\"migrations\": %u, \"wakeups\": %u, "
		        "\"lat_p50_ns\": %llu, \"lat_p99_ns\": %llu, "
		        "\"lat_max_ns\": %llu, \"lat_samples\": %u}",
		        k ? "," : "", s->w->task[k].name, ts.threads,
		        (unsigned long long)ts.run, (unsigned long long)ts.wait,
		        (unsigned long long)ts.over, ts.switches, ts.migrations,
		        ts.wakeups,
		        (unsigned long long)pct(ts.lat, ts.nlat, 50),
		        (unsigned long long)pct(ts.lat, ts.nlat, 99),
		        (unsigned long long)(ts.nlat ? ts.lat[ts.nlat - 1] : 0),
		        ts.nlat);
		free(ts.lat);
	}
	fprintf(f, "\n ]\n}\n");
}

static void ms(FILE *f, const char *label, uint64_t ns)
{
	fprintf(f, "%-34s %12.3f ms\n", label, (double)ns / 1e6);
}

static void write_report(const struct sim *s, FILE *f)
{
	fprintf(f, "policy %s on %u CPUs: %u threads, %llu events\n",
	        s->o.policy, s->ncpu, s->nth, (unsigned long long)s->events);
	ms(f, "makespan", s->makespan);
	if (s->live)
		fprintf(f, "  (%u threads had not finished at %.3f ms)\n",
		        s->live, (double)s->now / 1e6);
	ms(f, "idle CPU time", idle_total(s));
	ms(f, "idle while runnable (wasted cores)", s->iwr_ns);
	fprintf(f, "%-34s %12u (longer than %.3f ms; longest %.3f ms)\n",
	        "work-conservation violations", s->wc_violations,
	        (double)s->o.wc_threshold_ns / 1e6,
	        (double)s->wc_longest / 1e6);
	fprintf(f, "%-34s %12llu\n", "switches",
	        (unsigned long long)s->switches);
	fprintf(f, "migrations by domain level:\n");
	for (unsigned i = 0; i < s->nlvl; i++)
		fprintf(f, "  %-12s %10llu  cache-cold cost %.3f ms\n",
		        s->lvl_name[i], (unsigned long long)s->lvl_count[i],
		        (double)s->lvl_cost[i] / 1e6);
	fprintf(f, "\n%-16s %4s %11s %11s %11s %10s %10s %10s\n", "task", "thr",
	        "run ms", "wait ms", "switch ms", "lat p50us", "p99 us",
	        "max us");
	for (unsigned k = 0; k < s->w->ntasks; k++) {
		struct task_sum ts;

		sum_task(s, k, &ts);
		fprintf(f,
		        "%-16.16s %4u %11.3f %11.3f %11.3f %10.1f %10.1f "
		        "%10.1f\n",
		        s->w->task[k].name, ts.threads, (double)ts.run / 1e6,
		        (double)ts.wait / 1e6, (double)ts.over / 1e6,
		        (double)pct(ts.lat, ts.nlat, 50) / 1e3,
		        (double)pct(ts.lat, ts.nlat, 99) / 1e3,
		        (double)(ts.nlat ? ts.lat[ts.nlat - 1] : 0) / 1e3);
		free(ts.lat);
	}
}

static const char *const tr_names[] = {"none",       "switch",    "wakeup",
                                       "migrate",    "create",    "exit",
                                       "idle_enter", "idle_exit", "mark"};

// The kernel's dump format (docs/trace.md), so tools/trace2perfetto.py
// converts it unchanged.
static void write_trace(const struct sim *s, FILE *f)
{
	fprintf(f, "-----BEGIN CAIRN TRACE-----\n");
	fprintf(f, "cairn-trace 1 cpus %u record-bytes 32 clock ns\n", s->ncpu);
	for (unsigned c = 0; c < s->ncpu; c++) {
		const struct sim_ring *r = &s->ring[c];
		uint64_t held =
		    r->written < s->ring_size ? r->written : s->ring_size;

		fprintf(f, "cpu %u written %llu dropped %llu size %u\n", c,
		        (unsigned long long)r->written,
		        (unsigned long long)(r->written - held), s->ring_size);
		for (uint64_t i = r->written - held; i < r->written; i++) {
			const struct sim_trace_rec *e =
			    &r->r[i & (s->ring_size - 1)];

			fprintf(f, "%u %llu %s %u %u %u %llx\n", c,
			        (unsigned long long)e->ts, tr_names[e->type],
			        e->tid, e->a, e->b, (unsigned long long)e->c);
		}
	}
	fprintf(f, "-----END CAIRN TRACE-----\n");
}

static void write_latency(const struct sim *s, FILE *f)
{
	fprintf(f, "task,thread,latency_ns\n");
	for (unsigned i = 0; i < s->nth; i++)
		for (unsigned k = 0; k < s->th[i]->nlat; k++)
			fprintf(f, "%s,%u,%llu\n",
			        s->w->task[s->th[i]->task].name, s->th[i]->id,
			        (unsigned long long)s->th[i]->lat[k]);
}

static int write_one(const struct sim *s, const char *name,
                     void (*fn)(const struct sim *, FILE *))
{
	FILE *f = out_open(s, name);

	if (!f)
		return -1;
	fn(s, f);
	return fclose(f) ? -1 : 0;
}

int sim_write_outputs(struct sim *s)
{
	int err = 0;

	if (!s->o.quiet)
		write_report(s, stdout);
	if (!s->o.out_dir)
		return 0;
	if (s->rqf && fclose(s->rqf))
		err = -1;
	s->rqf = NULL;
	err |= write_one(s, "report.txt", write_report);
	err |= write_one(s, "metrics.json", write_json);
	err |= write_one(s, "latency.csv", write_latency);
	if (s->ring_size)
		err |= write_one(s, "trace.log", write_trace);
	return err;
}
