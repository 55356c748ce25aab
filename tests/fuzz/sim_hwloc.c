// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> an hwloc XML topology through libhwloc ->
// the simulator's conversion into topology/ (sim/topo.c) -> the
// scheduling domains built over it (kernel/sched/domain.c).
#include <stdlib.h>
#include <lib/cpumask.h>
#include <lib/err.h>
#include <kernel/sched/domain.h>
#include <topology/topology.h>
#include <sim/topo.h>

int sim_heap_init(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char err[512];

	if (!ready) {
		if (sim_heap_init())
			abort();
		setenv("HWLOC_XML_VERBOSE", "0", 1);
		ready = true;
	}
	if (size > 1u << 20)
		return 0;
	if (sim_topo_load_xml_buffer((const char *)data, size, NULL, err,
	                             sizeof(err)) == 0) {
		struct cpumask all;

		cpumask_fill(&all, topo_cpu_count());
		if (sched_domains_build(&all) == E_OK)
			sched_domains_destroy();
	}
	return 0;
}
