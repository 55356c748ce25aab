// SPDX-License-Identifier: MIT
// build/host/cairn-sim-core: one simulation (one policy) per run; the
// front end tools/cairn-sim runs it per policy and draws the plots.
//
//   cairn-sim-core --topology DIR|FILE.xml|"SYNTHETIC" --workload W.json
//       --policy NAME [--out DIR] [options]   (--help lists them)
//
// Exit status: 0 done, 1 bad input (topology, workload, options: the
// message names which and where), 2 I/O or internal failure.
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <acpi/acpi.h>
#include <lib/err.h>
#include <tests/host/hal/host_util.h>
#include <topology/topology.h>
#include <kernel/sched/balance.h>
#include <sim/internal.h>
#include <sim/topo.h>

int sim_heap_init(void);

static const char usage_text[] =
    "usage: cairn-sim-core --topology DIR|FILE.xml|SYNTHETIC --workload "
    "W.json --policy NAME [options]\n"
    "  --out DIR               write report.txt metrics.json latency.csv "
    "rq.csv trace.log\n"
    "  --numa-distances LIST   n*n distances row by row (hwloc inputs)\n"
    "  --seed N                seed of the run-length jitter (default 1)\n"
    "  --jitter PERMILLE       run events vary +-this much (default 0)\n"
    "  --max-time MS           stop at this virtual time (default 10000)\n"
    "  --sample-us N           run-queue sampling period (default 1000, "
    "0 off)\n"
    "  --wc-threshold-us N     idle-while-runnable episode counted as a "
    "violation (default 1000)\n"
    "  --trace-records N       trace ring per CPU (default 65536, 0 off)\n"
    "  --switch-ns N           context switch cost (default 2000)\n"
    "  --ipi-ns N              remote reschedule latency (default 1000)\n"
    "  --refill-bytes-per-ns N cache refill bandwidth (default 8)\n"
    "  --wss-kib N             working set of a thread (default 512)\n"
    "  --mem-permille N        share of run time stalled on memory "
    "(default 300)\n"
    "  --fair-bugs LIST        Wasted Cores bugs of the balancer: "
    "group_avg,numa_onepov,wake_busy_node\n"
    "  --print-topology        print the topology tree first\n"
    "  --bench                 print host time and events per second\n"
    "  --quiet                 no report on stdout\n";

struct args {
	const char *topology, *workload, *distances;
	bool print_topo, bench;
};

static bool num_arg(const char *opt, const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (!v || !*v || *v == '-')
		goto bad;
	x = strtoull(v, &end, 10);
	if (*end || x > max)
		goto bad;
	*out = x;
	return true;
bad:
	fprintf(stderr, "cairn-sim: %s wants a number 0..%llu, not \"%s\"\n",
	        opt, (unsigned long long)max, v ? v : "");
	return false;
}

static const struct {
	const char *name;
	uint64_t max, scale;
	size_t off; // in struct sim_options
	unsigned size;
} num_opts[] = {
#define OPT(n, max, scale, field)                                              \
	{                                                                      \
		n, max, scale, offsetof(struct sim_options, field),            \
		    sizeof(((struct sim_options *)0)->field)                   \
	}
    OPT("--seed", UINT64_MAX, 1, seed),
    OPT("--jitter", 1000, 1, jitter_permille),
    OPT("--max-time", 100000000, 1000000, max_ns),
    OPT("--sample-us", 10000000, 1000, sample_ns),
    OPT("--wc-threshold-us", 100000000, 1000, wc_threshold_ns),
    OPT("--trace-records", 1u << 24, 1, trace_records),
    OPT("--switch-ns", 100000000, 1, costs.switch_ns),
    OPT("--ipi-ns", 100000000, 1, costs.ipi_ns),
    OPT("--refill-bytes-per-ns", 1000000, 1, costs.refill_bpns),
    OPT("--wss-kib", 1u << 24, 1024, costs.wss_bytes),
    OPT("--mem-permille", 100000, 1, costs.mem_permille),
#undef OPT
};

static bool set_num(struct sim_options *o, const char *opt, const char *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(num_opts); i++) {
		uint64_t x;

		if (strcmp(opt, num_opts[i].name))
			continue;
		if (!num_arg(opt, v, num_opts[i].max, &x))
			return false;
		x *= num_opts[i].scale;
		if (num_opts[i].size == 8)
			*(uint64_t *)((char *)o + num_opts[i].off) = x;
		else
			*(unsigned *)((char *)o + num_opts[i].off) =
			    (unsigned)x;
		return true;
	}
	fprintf(stderr, "cairn-sim: unknown option %s (--help lists them)\n",
	        opt);
	return false;
}

static void defaults(struct sim_options *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->max_ns = 10000000000ull;
	o->sample_ns = 1000000;
	o->wc_threshold_ns = 1000000;
	o->trace_records = 65536;
	o->costs.switch_ns = 2000;
	o->costs.ipi_ns = 1000;
	o->costs.refill_bpns = 8;
	o->costs.wss_bytes = 512 << 10;
	o->costs.mem_permille = 300;
	o->costs.def_cache[0] = 48 << 10;
	o->costs.def_cache[1] = 1280 << 10;
	o->costs.def_cache[2] = 32 << 20;
}

static int parse_args(int argc, char **argv, struct args *a,
                      struct sim_options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "--help")) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (!strcmp(k, "--print-topology")) {
			a->print_topo = true;
		} else if (!strcmp(k, "--bench")) {
			a->bench = true;
		} else if (!strcmp(k, "--quiet")) {
			o->quiet = true;
		} else if (!v) {
			fprintf(stderr, "cairn-sim: %s needs a value\n", k);
			return -1;
		} else if (!strcmp(k, "--topology")) {
			a->topology = argv[++i];
		} else if (!strcmp(k, "--workload")) {
			a->workload = argv[++i];
		} else if (!strcmp(k, "--policy")) {
			o->policy = argv[++i];
		} else if (!strcmp(k, "--out")) {
			o->out_dir = argv[++i];
		} else if (!strcmp(k, "--fair-bugs")) {
			// Same switch as the kernel's sched.fair.bugs=
			// (kernel/sched/balance.c); unknown names are warned.
			(void)sched_fair_set_bugs(argv[++i]);
		} else if (!strcmp(k, "--numa-distances")) {
			a->distances = argv[++i];
		} else if (!set_num(o, k, argv[++i])) {
			return -1;
		}
	}
	if (!a->topology || !a->workload || !o->policy) {
		fputs(usage_text, stderr);
		return -1;
	}
	if (!sim_find_policy(o->policy)) {
		fprintf(stderr,
		        "cairn-sim: unknown policy \"%s\" (known: ", o->policy);
		sim_list_policies(stderr);
		fprintf(stderr, ")\n");
		return -1;
	}
	return 0;
}

static struct workload *load_workload(const char *path)
{
	size_t len = 0;
	char *text = host_read_file(path, &len);
	struct workload *w = NULL;
	struct wl_error e;
	err_t err;

	if (!text) {
		perror(path);
		return NULL;
	}
	err = wl_parse(text, len, &w, &e);
	free(text);
	if (err) {
		if (e.line)
			fprintf(stderr, "%s:%u:%u: %s\n", path, e.line, e.col,
			        e.msg);
		else
			fprintf(stderr, "%s: %s\n", path, e.msg);
		return NULL;
	}
	return w;
}

static void out_stdout(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

// The process's CPU time, not wall time: the benchmark's figures must not
// depend on how loaded the host is (docs/research.md, "Performance").
static double host_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sim_options o;
	struct args a = {0};
	struct workload *w;
	struct sim *s;
	char err[512];
	double t0;
	int rc;

	defaults(&o);
	if (parse_args(argc, argv, &a, &o) || sim_heap_init())
		return 1;
	acpi_set_quiet(true);
	if (sim_topo_load(a.topology, a.distances, err, sizeof(err))) {
		fprintf(stderr, "cairn-sim: topology %s\n", err);
		return 1;
	}
	if (a.print_topo) {
		struct topo_out to = {out_stdout, stdout};

		topo_print_tree(&to);
	}
	if (!(w = load_workload(a.workload)))
		return 1;
	if (!(s = sim_create(w, &o)))
		return 1;
	t0 = host_s();
	rc = sim_run(s);
	if (a.bench) {
		double dt = host_s() - t0;

		printf(
		    "bench: %u CPUs, %llu events in %.3f s host: %.0f "
		    "events/s; %.3f s simulated: %.2f simulated s per host s\n",
		    topo_cpu_count(), (unsigned long long)sim_events(s), dt,
		    (double)sim_events(s) / dt, (double)sim_now_ns(s) / 1e9,
		    (double)sim_now_ns(s) / 1e9 / dt);
	}
	sim_destroy(s);
	wl_free(w);
	return rc ? 2 : 0;
}
