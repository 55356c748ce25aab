// SPDX-License-Identifier: MIT
// Boot glue for the scheduling domains: build them for the online CPUs once
// the topology is built and the CPUs are up, mapping kernel CPU ids to
// topology CPUs through the hardware IDs; print them between markers for
// `sched.domains` (tests/topology/extract.py finds them):
//   -----BEGIN CAIRN SCHED DOMAINS----- ... -----END CAIRN SCHED DOMAINS-----
// Called once on the boot CPU, before anything schedules.
#include <lib/err.h>
#include <kernel/percpu.h>
#include <lib/printk.h>
#include <kernel/sched/domain.h>

static unsigned boot_topo_cpu(unsigned cpu)
{
	return topo_cpu_by_hwid(cpus[cpu]->hwid);
}

static void boot_write(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	printk("%.*s", (int)len, s);
}

void sched_domains_boot(bool print)
{
	struct topo_out o = {boot_write, NULL};
	struct sched_domains_stats st;
	struct cpumask online;
	err_t err;

	cpumask_clear_all(&online);
	for (unsigned i = 0; i < cpu_count && i < MAX_CPUS; i++) {
		if (!cpus[i] || !cpus[i]->online)
			continue;
		if (topo_cpu_by_hwid(cpus[i]->hwid) == TOPO_NONE)
			pr_warn("sched: cpu %u (hwid %#lx) is not in the "
			        "topology: no scheduling domains for it\n",
			        i, (unsigned long)cpus[i]->hwid);
		else
			cpumask_set(&online, i);
	}
	sched_domains_map_cpus(boot_topo_cpu);
	err = cpumask_empty(&online) ? E_NOENT : sched_domains_build(&online);
	if (err) {
		pr_err("sched: no scheduling domains: %s\n", err_name(err));
		return;
	}
	sched_domains_get_stats(&st);
	pr_info("sched: domains for %u CPUs, depth %u, %lu KiB, built in %lu "
	        "us\n",
	        st.cpus, st.depth, (unsigned long)((st.bytes + 1023) / 1024),
	        (unsigned long)(st.build_ns / 1000));
	if (print) {
		printk("-----BEGIN CAIRN SCHED DOMAINS-----\n");
		sched_domains_print(&o);
		printk("-----END CAIRN SCHED DOMAINS-----\n");
	}
}
