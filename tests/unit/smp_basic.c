// SPDX-License-Identifier: MIT
// SMP bring-up and IPIs: every CPU the firmware lists is online and knows
// who it is (per-CPU data), and IPIs travel both ways between every pair.
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <tests/ktest.h>
#include <tests/unit/smp_util.h>

KTEST(smp, all_cpus_online)
{
	if (!smp_test_kernel())
		KT_SKIP("no SMP bring-up on the host");
	KT_EXPECT(cpu_count >= 1);
	KT_EXPECT_EQ_U(smp_online_count(), cpu_count);
	for (unsigned i = 0; i < cpu_count; i++) {
		KT_ASSERT(cpus[i] != NULL);
		KT_EXPECT(cpus[i]->online);
		KT_EXPECT_EQ_U(cpus[i]->id, i);
		KT_EXPECT(cpus[i]->self == cpus[i]);
	}
	ktest_log(t, "%u CPUs online", smp_online_count());
}

struct whoami {
	struct cpu *seen[MAX_CPUS];
	unsigned id[MAX_CPUS];
};

static void record_self(void *arg)
{
	struct whoami *w = arg;
	unsigned id = hal_cpu_id();

	w->seen[id] = this_cpu();
	w->id[id] = this_cpu()->id;
}

KTEST(smp, percpu_identity)
{
	static struct whoami w;

	if (!smp_test_kernel())
		KT_SKIP("no SMP bring-up on the host");
	for (unsigned i = 0; i < cpu_count; i++)
		w.seen[i] = NULL;
	KT_ASSERT(smp_test_run_all(record_self, &w));
	for (unsigned i = 0; i < cpu_count; i++) {
		KT_EXPECT(w.seen[i] == cpus[i]);
		KT_EXPECT_EQ_U(w.id[i], i);
	}
}

// Ping-pong: a sends IPI_CALL to b (pong), b answers with an IPI_CALL to a
// (ack). Runs on a, in an IPI handler unless a is the test's own CPU.
#define PP_ROUNDS 3

struct pingpong {
	unsigned a, b;
	volatile uint32_t acks;
	bool ok;
};

static void pp_ack(void *arg)
{
	struct pingpong *p = arg;

	if (hal_cpu_id() != p->a)
		p->ok = false;
	__atomic_fetch_add(&p->acks, 1, __ATOMIC_RELEASE);
}

static void pp_pong(void *arg)
{
	struct pingpong *p = arg;

	if (hal_cpu_id() != p->b)
		p->ok = false;
	smp_call(p->a, pp_ack, p, false);
}

static void pp_run(void *arg)
{
	struct pingpong *p = arg;

	for (uint32_t r = 0; r < PP_ROUNDS; r++) {
		smp_call(p->b, pp_pong, p, false);
		if (!smp_test_wait_for(&p->acks, r + 1)) {
			p->ok = false;
			return;
		}
	}
}

KTEST(smp, ipi_ping_pong_every_pair)
{
	unsigned n = cpu_count, pairs = 0, bad = 0;
	uint64_t ipis_before = 0, ipis_after = 0;

	if (!smp_test_kernel() || smp_online_count() < 2)
		KT_SKIP("needs at least 2 CPUs");
	for (unsigned i = 0; i < n; i++)
		ipis_before += smp_ipi_count(i, IPI_CALL);
	for (unsigned a = 0; a < n; a++)
		for (unsigned b = a + 1; b < n; b++) {
			struct pingpong p = {a, b, 0, true};

			smp_call(a, pp_run, &p, true);
			if (!p.ok || p.acks != PP_ROUNDS) {
				if (bad++ < 5)
					ktest_log(t, "pair %u-%u: %u acks", a,
					          b, p.acks);
			}
			pairs++;
		}
	for (unsigned i = 0; i < n; i++)
		ipis_after += smp_ipi_count(i, IPI_CALL);
	KT_EXPECT_EQ_U(bad, 0);
	// Requests that arrive while the target polls with interrupts off, or
	// while an IPI is already pending, share one interrupt: at least one
	// per pair (b idles in hlt, only an IPI wakes it).
	KT_EXPECT(ipis_after - ipis_before >= pairs);
	ktest_log(t, "%u pairs x %u round trips", pairs, PP_ROUNDS);
}

static void count_call(void *arg)
{
	__atomic_fetch_add((volatile uint32_t *)arg, 1, __ATOMIC_RELAXED);
}

KTEST(smp, call_others_waits_for_all)
{
	volatile uint32_t hits = 0;

	if (!smp_test_kernel() || smp_online_count() < 2)
		KT_SKIP("needs at least 2 CPUs");
	for (int round = 0; round < 4; round++)
		smp_call_others(count_call, (void *)&hits, true);
	KT_EXPECT_EQ_U(hits, 4 * (smp_online_count() - 1));
}
