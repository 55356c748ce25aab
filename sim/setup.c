// SPDX-License-Identifier: MIT
// Setting a simulation up: the kernel heap on a host arena (the domain
// builder and the workload parser allocate from it, as in the kernel),
// the scheduling domains of the loaded topology, the simulated CPUs with
// their policy state, and the checks that the workload fits the machine.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/sched/domain.h>
#include <lib/err.h>
#include <mm/heap.h>
#include <tests/host/mm_arena.h>
#include <topology/topology.h>
#include <sim/internal.h>

extern const struct sched_ops sched_rt_ops;

#define ARENA_BASE 0x800000000UL
#define ARENA_BYTES (128ull << 20)

static struct buddy sim_buddy;

int sim_heap_init(void)
{
	struct buddy_config cfg = mm_arena_config(0, 0);

	mm_arena_open(ARENA_BASE, ARENA_BYTES);
	if (buddy_init(&sim_buddy, &cfg) ||
	    buddy_add_range(&sim_buddy, 0, ARENA_BASE, ARENA_BYTES) ||
	    kmem_init(&sim_buddy)) {
		fprintf(stderr, "cairn-sim: cannot set the heap up\n");
		return -1;
	}
	return 0;
}

static int check_workload(const struct workload *w, unsigned ncpu)
{
	for (unsigned i = 0; i < w->ntasks; i++) {
		const struct wl_task *t = &w->task[i];
		struct cpumask on;

		cpumask_fill(&on, ncpu);
		if (t->has_cpus && !cpumask_intersects(&t->cpus, &on)) {
			fprintf(stderr,
			        "cairn-sim: task \"%s\": \"cpus\" names "
			        "no CPU of this machine (%u CPUs)\n",
			        t->name, ncpu);
			return -1;
		}
		for (unsigned k = 0; k < t->nph; k++)
			if (t->ph[k].has_cpus &&
			    !cpumask_intersects(&t->ph[k].cpus, &on)) {
				fprintf(stderr,
				        "cairn-sim: task \"%s\", phase "
				        "%u: \"cpus\" names no CPU of this "
				        "machine (%u CPUs)\n",
				        t->name, k + 1, ncpu);
				return -1;
			}
		if (t->mem_node >= (int)topo_node_count()) {
			fprintf(stderr,
			        "cairn-sim: task \"%s\": "
			        "\"nodes_membind\" %d, but the machine "
			        "has %u node(s)\n",
			        t->name, t->mem_node, topo_node_count());
			return -1;
		}
	}
	return 0;
}

static int setup_cpus(struct sim *s)
{
	s->cpu = calloc(s->ncpu, sizeof(*s->cpu));
	if (!s->cpu)
		return -1;
	for (unsigned i = 0; i < s->ncpu; i++) {
		struct sim_cpu *c = &s->cpu[i];
		unsigned node = topo_cpu_node(i);

		c->cpu = i;
		c->node = node == TOPO_NONE ? 0 : node;
		c->factor = 1000;
		for (unsigned k = 0; k < SIM_NCLASSES; k++) {
			c->cls[k].cpu = i;
			c->cls[k].cls = k;
			c->cls[k].clock = &s->now; // one clock, still per event
			c->cls[k].priv = calloc(1, s->cls[k]->rq_size + 1);
			if (!c->cls[k].priv)
				return -1;
			s->cls[k]->init_rq(&c->cls[k]);
		}
	}
	s->nidle = s->ncpu;
	return 0;
}

static int setup_outputs(struct sim *s)
{
	char path[4096];

	if (s->o.trace_records) {
		unsigned n = 16;

		while (n < s->o.trace_records && n < (1u << 24))
			n <<= 1;
		s->ring_size = n;
		s->ring = calloc(s->ncpu, sizeof(*s->ring));
		for (unsigned c = 0; s->ring && c < s->ncpu; c++)
			if (!(s->ring[c].r = calloc(n, sizeof(*s->ring[c].r))))
				return -1;
		if (!s->ring)
			return -1;
	}
	if (!s->o.out_dir)
		return 0;
	if (mkdir(s->o.out_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "cairn-sim: %s: %s\n", s->o.out_dir,
		        strerror(errno));
		return -1;
	}
	if (s->o.sample_ns) {
		snprintf(path, sizeof(path), "%s/rq.csv", s->o.out_dir);
		s->rqf = fopen(path, "w");
		if (!s->rqf) {
			fprintf(stderr, "cairn-sim: %s: %s\n", path,
			        strerror(errno));
			return -1;
		}
		fprintf(s->rqf, "t_ns");
		for (unsigned c = 0; c < s->ncpu; c++)
			fprintf(s->rqf, ",cpu%u", c);
		fputc('\n', s->rqf);
	}
	return 0;
}

struct sim *sim_create(const struct workload *w, const struct sim_options *o)
{
	struct sim *s = calloc(1, sizeof(*s));
	struct cpumask all;

	if (!s)
		return NULL;
	s->w = w;
	s->o = *o;
	s->rng = o->seed * 0x9e3779b97f4a7c15ull + 1;
	s->ncpu = topo_cpu_count();
	s->cls[SIM_CLASS_RT] = &sched_rt_ops;
	s->cls[SIM_CLASS_FAIR] = sim_find_policy(o->policy);
	s->res = calloc(w->nres + 1, sizeof(*s->res));
	if (!s->cls[SIM_CLASS_FAIR] || !s->res || check_workload(w, s->ncpu))
		goto fail;
	sim_run_init(s);
	for (unsigned i = 0; i < w->ntasks; i++) {
		s->restricted |= w->task[i].has_cpus;
		for (unsigned k = 0; k < w->task[i].nph; k++)
			s->restricted |= w->task[i].ph[k].has_cpus;
	}
	cpumask_fill(&all, s->ncpu);
	if (sched_domains_build(&all) != E_OK) {
		fprintf(stderr, "cairn-sim: building the scheduling domains "
		                "failed\n");
		goto fail;
	}
	if (setup_cpus(s) || setup_outputs(s))
		goto fail;
	sim_cur = s;
	// Every CPU starts idle: the policies' cpu_idle, as the kernel's idle
	// threads do at boot.
	for (unsigned i = 0; i < s->ncpu; i++)
		sim_idle_changed(s, &s->cpu[i], true);
	return s;
fail:
	sim_destroy(s);
	return NULL;
}

void sim_destroy(struct sim *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nth; i++) {
		free(s->th[i]->lat);
		free(s->th[i]->prog.timers);
		free(s->th[i]);
	}
	for (unsigned c = 0; s->cpu && c < s->ncpu; c++)
		for (unsigned k = 0; k < SIM_NCLASSES; k++)
			free(s->cpu[c].cls[k].priv);
	for (unsigned c = 0; s->ring && c < s->ncpu; c++)
		free(s->ring[c].r);
	if (s->rqf)
		fclose(s->rqf);
	free(s->ring);
	free(s->th);
	free(s->cpu);
	free(s->res);
	free(s->heap);
	if (sim_cur == s)
		sim_cur = NULL;
	free(s);
}

uint64_t sim_events(const struct sim *s)
{
	return s->events;
}

uint64_t sim_now_ns(const struct sim *s)
{
	return s->now;
}
