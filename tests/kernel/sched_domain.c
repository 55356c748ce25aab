// SPDX-License-Identifier: MIT
// The boot-time scheduling domains (built for the online CPUs after SMP
// start-up) keep the invariants of kernel/sched/domain.h and match the
// naive pairwise reference of tests/unit/sched_domain_ref.h computed from
// this machine's topology. Read-only: the boot domains are not rebuilt.
#include <kernel/percpu.h>
#include <tests/unit/sched_domain_ref.h>

static struct sdref kref;

KTEST(sched_domain, boot_domains)
{
	struct cpumask online;
	struct sched_domains_stats st;

	cpumask_clear_all(&online);
	for (unsigned c = 0; c < cpu_count; c++) {
		if (!cpus[c] || !cpus[c]->online)
			continue;
		// The reference speaks topology numbers: under QEMU the
		// kernel's CPU ids are the same (both follow the MADT / DT).
		if (topo_cpu_by_hwid(cpus[c]->hwid) != c)
			KT_SKIP("kernel CPU ids differ from topology numbers");
		cpumask_set(&online, c);
	}
	sched_domains_get_stats(&st);
	KT_ASSERT_EQ(st.cpus, cpumask_weight(&online));
	KT_EXPECT_EQ_U(st.depth, sched_domain_depth());
	KT_EXPECT(sdref_check_invariants(t, &online));
	KT_EXPECT(sdref_check_chain(t, &kref, &online));
	for (unsigned c = 0; c < cpu_count; c++)
		if (cpumask_test(&online, c))
			KT_EXPECT(cpumask_test(sched_llc_cpus(c), c) &&
			          sched_llc_id(c) ==
			              cpumask_first(sched_llc_cpus(c)));
	ktest_log(t,
	          "%u CPUs, depth %u, %u domains, %u groups in %u circles, "
	          "%lu bytes, %lu us",
	          st.cpus, st.depth, st.domains, st.groups, st.circles,
	          (unsigned long)st.bytes, (unsigned long)(st.build_ns / 1000));
}
