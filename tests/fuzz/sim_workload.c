// SPDX-License-Identifier: MIT
// libFuzzer target: bytes -> the rt-app workload parser (workload/), as
// the simulator and, later, the kernel read workload files. The kernel
// heap lives on a host arena (sim/setup.c), as in the simulator.
#include <stdlib.h>
#include <lib/err.h>
#include <workload/rtapp.h>

int sim_heap_init(void);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct workload *w;
	struct wl_error e;

	if (!ready) {
		if (sim_heap_init())
			abort();
		ready = true;
	}
	if (wl_parse((const char *)data, size, &w, &e) == E_OK) {
		(void)wl_initial_threads(w);
		wl_free(w);
	} else if (!e.msg[0]) {
		abort(); // every refusal says why
	}
	return 0;
}
