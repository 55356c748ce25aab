// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> a set of ACPI tables (one after the other,
// each as long as its header says; checksums made right so the readers,
// not the checksum, are explored) -> the topology layer as the simulator
// builds it from a table directory -> the scheduling domains over it.
// Seeds: whole corpus machines (tests/fuzz/sim_seeds.sh).
#include <stdlib.h>
#include <string.h>
#include <acpi/acpi.h>
#include <lib/err.h>
#include <hal/cacheid.h>
#include <hal/cpuid.h>
#include <kernel/sched/domain.h>
#include <topology/build.h>
#include <tests/host/hal/host_util.h>

int sim_heap_init(void);

#define MAX_TABLES 64

static void register_all(const uint8_t *data, size_t size, uint8_t **bufs,
                         unsigned *n)
{
	while (size >= 36 && *n < MAX_TABLES) {
		uint32_t len = data[4] | data[5] << 8 | (uint32_t)data[6] << 16;
		uint8_t *b, sum = 0;

		if (len < 36 || len > size)
			len = (uint32_t)size;
		b = malloc(len);
		memcpy(b, data, len);
		b[4] = (uint8_t)len;
		b[5] = (uint8_t)(len >> 8);
		b[6] = (uint8_t)(len >> 16);
		b[7] = 0;
		b[9] = 0;
		for (uint32_t i = 0; i < len; i++)
			sum = (uint8_t)(sum + b[i]);
		b[9] = (uint8_t)-sum;
		if (acpi_table_register(b, len) == E_OK)
			bufs[(*n)++] = b;
		else
			free(b);
		data += len;
		size -= len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	uint8_t *bufs[MAX_TABLES];
	unsigned n = 0;

	if (!ready) {
		if (sim_heap_init())
			abort();
		acpi_set_quiet(true);
		ready = true;
	}
	if (size > 4u << 20)
		return 0;
	acpi_reset();
	register_all(data, size, bufs, &n);
	host_cpuid_load(NULL, 0);
	host_cacheid_load(NULL);
	if (topology_build(NULL, 0) == E_OK && topo_cpu_count()) {
		struct cpumask all;

		cpumask_fill(&all, topo_cpu_count());
		if (sched_domains_build(&all) == E_OK)
			sched_domains_destroy();
	}
	acpi_reset();
	for (unsigned i = 0; i < n; i++)
		free(bufs[i]);
	return 0;
}
