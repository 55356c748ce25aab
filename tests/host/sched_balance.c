// SPDX-License-Identifier: MIT
// The balancing decision of kernel/sched/balance.c on synthetic machines,
// with and without the Wasted Cores bug options: the loads are set by hand
// and sched_balance_find_source() says whether (and from where) a CPU
// would pull. Expected answers follow from the machines' shapes, worked
// out in the comments.
#include <kernel/sched/balance.h>
#include <tests/host/sched_domain_host.h>

static uint64_t bl_load[MAX_CPUS];
static unsigned bl_nr[MAX_CPUS];

static uint64_t bl_load_fn(unsigned cpu)
{
	return bl_load[cpu];
}

static unsigned bl_nr_fn(unsigned cpu)
{
	return bl_nr[cpu];
}

static void bl_set(unsigned lo, unsigned hi, unsigned nr, uint64_t load)
{
	for (unsigned c = lo; c <= hi; c++) {
		bl_nr[c] = nr;
		bl_load[c] = load;
		// As a class would: a second runnable thread waits.
		sched_balance_waiting(c, SCHED_WAIT_FAIR, nr >= 2);
	}
	sched_balance_forget_sums(); // the loads changed behind their back
}

static bool bl_open(struct ktest *t, const struct sdh_machine *m)
{
	struct cpumask all;

	if (!sdh_heap_open(t))
		return false;
	sdh_build(m);
	cpumask_fill(&all, sdh_cpus(m));
	if (!KT_EXPECT_EQ(sched_domains_build(&all), E_OK))
		return false;
	sched_balance_init(bl_load_fn, bl_nr_fn);
	bl_set(0, MAX_CPUS - 1, 0, 0);
	return true;
}

static void bl_close(void)
{
	(void)sched_fair_set_bugs(NULL);
	sdh_heap_close();
}

// Two nodes of 4 CPUs. Node 0: CPU 0 runs one thread of weight 16384,
// CPUs 1-3 idle (average 4096). Node 1: two threads of 1024 on each CPU
// (average and minimum 2048). By minimum, node 1 (2048) outweighs node 0
// (0): idle CPU 1 pulls from node 1. By average (group_avg), node 0 looks
// the busier one and CPU 1 stays idle: the Group Imbalance bug.
KTEST(sched_balance, group_imbalance_min_not_average)
{
	static const struct sdh_machine m = {2, 1, 1, 4, 1, 3, 2, NULL, false};
	const struct sched_domain *top;
	unsigned src = MAX_CPUS;

	if (!bl_open(t, &m))
		return;
	top = sched_domain_top(1);
	KT_ASSERT(top && (top->flags & SD_NUMA) && top->weight == 8);
	bl_set(0, 0, 1, 16384);
	bl_set(4, 7, 2, 2048);
	KT_EXPECT(sched_balance_find_source(1, top, &src));
	KT_EXPECT(src >= 4 && src <= 7);
	// Within node 0 nobody has a thread to spare.
	KT_EXPECT(!sched_balance_find_source(1, sched_domain_lowest(1), &src));
	// CPU 0 is not the least loaded of its group: not its turn.
	KT_EXPECT(!sched_balance_find_source(0, top, &src));
	KT_EXPECT_EQ_U(sched_fair_set_bugs("group_avg"), SCHED_BUG_GROUP_AVG);
	KT_EXPECT(!sched_balance_find_source(1, top, &src));
	bl_close();
}

// Busy CPUs compare by minimum with imbalance_pct (117 here): node 0 at
// 1024 per CPU pulls from node 1 at 3072 per CPU (three threads each), not
// from node 1 at 1100 per CPU (two light threads: within 17%).
KTEST(sched_balance, busy_cpus_threshold)
{
	static const struct sdh_machine m = {2, 1, 1, 4, 1, 3, 2, NULL, false};
	const struct sched_domain *top;
	unsigned src = MAX_CPUS;

	if (!bl_open(t, &m))
		return;
	top = sched_domain_top(2);
	KT_ASSERT(top != NULL);
	KT_EXPECT_EQ_U(top->imbalance_pct, 117);
	bl_set(0, 3, 1, 1024);
	bl_set(4, 7, 3, 3072);
	KT_EXPECT(sched_balance_find_source(2, top, &src));
	KT_EXPECT(src >= 4 && src <= 7);
	bl_set(4, 7, 2, 1100);
	KT_EXPECT(!sched_balance_find_source(2, top, &src));
	bl_close();
}

// The 8-node cube of tests/host/sched_domain.c (one hop 16, two or three
// hops 22; node n = CPUs 8n .. 8n+7). Node 2 is overloaded, all else idle.
// CPU 8 (node 1) sees at its top level its own group, node 1's one-hop
// neighbourhood {0, 1, 3, 5}, and the rest, which holds node 2: it pulls.
// With numa_onepov the groups are CPU 0's: {0, 1, 2, 4} first, holding
// both nodes 1 and 2, so CPU 8 never balances against node 2.
static unsigned bl_cube(unsigned a, unsigned b)
{
	return a == b ? 10 : __builtin_popcount(a ^ b) == 1 ? 16 : 22;
}

KTEST(sched_balance, numa_groups_own_point_of_view)
{
	static const struct sdh_machine m = {8, 1, 1,       8,    1,
	                                     3, 8, bl_cube, false};
	const struct sched_domain *top;
	unsigned src = MAX_CPUS;

	if (!bl_open(t, &m))
		return;
	top = sched_domain_top(8);
	KT_ASSERT(top && top->distance == 22 && top->weight == 64);
	bl_set(16, 23, 3, 3072);
	KT_EXPECT(sched_balance_find_source(8, top, &src));
	KT_EXPECT(src >= 16 && src <= 23);
	KT_EXPECT_EQ_U(sched_fair_set_bugs("numa_onepov"),
	               SCHED_BUG_NUMA_ONEPOV);
	KT_EXPECT(!sched_balance_find_source(8, top, &src));
	// CPU 0's own view is the same either way: node 2 is in its group.
	KT_EXPECT(!sched_balance_find_source(0, sched_domain_top(0), &src));
	bl_close();
}

// A per-LLC summary names one source CPU. Node 1's CPUs run three threads
// each; idle CPU 1 reads node 1's summary (source CPU 4, the first of the
// most loaded) and pulls. Then CPU 4 is drained (one thread left, no
// longer waiting) while CPUs 5-7 still have threads waiting, and nothing
// forgets the summary (a kernel pull does not): within SCHED_LLC_SUM_NS,
// idle CPU 2 must still find a source in node 1, and not CPU 4. Before the
// summary checked its source, every reader of it picked CPU 4, and an
// nohz pass over many idle CPUs moved one CPU's threads only
// (docs/research.md, "Wasted Cores in the simulator").
KTEST(sched_balance, llc_summary_drained_source)
{
	static const struct sdh_machine m = {2, 1, 1, 4, 1, 3, 2, NULL, false};
	const struct sched_domain *top;
	unsigned src = MAX_CPUS;
	uint64_t t0;

	if (!bl_open(t, &m))
		return;
	top = sched_domain_top(1);
	KT_ASSERT(top && !(top->flags & SD_SHARE_LLC));
	bl_set(4, 7, 3, 3072);
	t0 = sched_now();
	KT_EXPECT(sched_balance_find_source(1, top, &src));
	KT_EXPECT_EQ_U(src, 4);
	bl_nr[4] = 1; // pulled from: the summary is not forgotten
	bl_load[4] = 1024;
	sched_balance_waiting(4, SCHED_WAIT_FAIR, false);
	src = MAX_CPUS;
	KT_EXPECT(sched_balance_find_source(2, top, &src));
	if (sched_now() - t0 < SCHED_LLC_SUM_NS) // else rebuilt anyway
		KT_EXPECT(src >= 5 && src <= 7);
	bl_close();
}

KTEST(sched_balance, bug_option_names)
{
	KT_EXPECT_EQ_U(sched_fair_set_bugs(NULL), 0);
	KT_EXPECT_EQ_U(sched_fair_set_bugs(""), 0);
	KT_EXPECT_EQ_U(sched_fair_set_bugs("group_avg,wake_busy_node"),
	               SCHED_BUG_GROUP_AVG | SCHED_BUG_WAKE_BUSY_NODE);
	// Unknown names are warned about and ignored; the rest still count.
	KT_EXPECT_EQ_U(sched_fair_set_bugs("bogus,numa_onepov,,group"),
	               SCHED_BUG_NUMA_ONEPOV);
	KT_EXPECT_EQ_U(sched_fair_bugs(), SCHED_BUG_NUMA_ONEPOV);
	KT_EXPECT_EQ_U(sched_fair_set_bugs(NULL), 0);
}

// The run queue's load (struct sched_load): a step to 1024 reaches half
// after one half-life (32 periods), 3/4 after two, and decays back the
// same way; folds only see the mean weight of their window, so many short
// windows end where one long one does, to within rounding; the area's
// terms wrap modulo 2^64 without error.
KTEST(sched_balance, load_average_half_life)
{
	const uint64_t p = 1ull << SCHED_AVG_PERIOD_SHIFT;
	struct sched_load a = {0}, b = {0};
	uint64_t d, t0;

	KT_EXPECT_EQ_U(sched_avg_decay(1024, 0), 1024);
	KT_EXPECT_EQ_U(sched_avg_decay(1024, 32), 512);
	KT_EXPECT_EQ_U(sched_avg_decay(1024, 64), 256);
	KT_EXPECT_EQ_U(sched_avg_decay(1ull << 40, 32), 1ull << 39);
	KT_EXPECT_EQ_U(sched_avg_decay(~0ull, 64 * 32), 0);
	// 2^(-16/32) = 0.7071: 1024 -> 724.
	KT_EXPECT_EQ_U(sched_avg_decay(1024, 16), 724);
	sched_load_join(&a, 1024, 0);
	sched_load_fold(&a, 1024, 32 * p);
	KT_EXPECT_EQ_U(sched_load_avg(&a), 512);
	sched_load_fold(&a, 1024, 64 * p);
	KT_EXPECT_EQ_U(sched_load_avg(&a), 768);
	sched_load_leave(&a, 1024, 64 * p);
	sched_load_fold(&a, 0, 96 * p);
	KT_EXPECT_EQ_U(sched_load_avg(&a), 384);
	KT_EXPECT_EQ_U(a.avg.stamp, 96 * p);
	// Not due yet (less than SCHED_LOAD_FOLD_NS since): nothing moves.
	sched_load_fold(&a, 0, 96 * p + p / 2);
	KT_EXPECT_EQ_U(sched_load_avg(&a), 384);
	// Half a period more, then due: 384 * 2^(-1.5/32) = 371.7.
	sched_load_fold(&a, 0, 97 * p + p / 2);
	KT_EXPECT(sched_load_avg(&a) >= 371 && sched_load_avg(&a) <= 372);
	// Weight 2048 for 40 periods, folded every 0.3 period or once.
	sched_load_join(&b, 2048, 0);
	for (uint64_t t = 0; t <= 40 * p; t += 3 * p / 10)
		sched_load_fold_slow(&b, 2048, t ? t : 1);
	sched_load_fold_slow(&b, 2048, 40 * p);
	a = (struct sched_load){{0, 0}, 0, 0, 0};
	sched_load_join(&a, 2048, 0);
	sched_load_fold(&a, 2048, 40 * p);
	d = sched_load_avg(&a) > sched_load_avg(&b)
	        ? sched_load_avg(&a) - sched_load_avg(&b)
	        : sched_load_avg(&b) - sched_load_avg(&a);
	KT_EXPECT(sched_load_avg(&a) >= 1186 &&
	          sched_load_avg(&a) <= 1188); // 2048 * (1 - 2^(-40/32))
	KT_EXPECT(d <= 8);
	// The poller of docs/sched.md: runnable 1/20 of each period at
	// weight 1024, folded once a period, settles near 1024 / 20 = 51,
	// far from a spinner's 1024, though at every fold it holds nothing.
	// Started late (2^44 ns): every w * t term wraps modulo 2^64.
	t0 = 1ull << 44;
	a = (struct sched_load){{0, t0}, 0, 0, 0};
	for (uint64_t t = t0; t < t0 + 400 * p; t += p) {
		sched_load_join(&a, 1024, t);
		sched_load_leave(&a, 1024, t + p / 20);
		sched_load_fold(&a, 0, t + p);
	}
	KT_EXPECT(sched_load_avg(&a) >= 45 && sched_load_avg(&a) <= 56);
	// A thread of 1024 moved away: gone at once, for good.
	a = (struct sched_load){{0, 0}, 0, 0, 0};
	sched_load_join(&a, 3072, 0);
	sched_load_fold(&a, 3072, 400 * p);
	KT_EXPECT(sched_load_avg(&a) >= 3070);
	sched_load_sub_remote(&a, 1024);
	KT_EXPECT(sched_load_avg(&a) >= 2046 && sched_load_avg(&a) <= 2048);
	sched_load_leave(&a, 1024, 400 * p);
	sched_load_fold(&a, 2048, 401 * p);
	KT_EXPECT_EQ_U(a.removed, 0);
	KT_EXPECT(sched_load_avg(&a) >= 2046 && sched_load_avg(&a) <= 2048);
}
