// SPDX-License-Identifier: MIT
// Host stand-in for hal/cacheid.h: answers from registers a test or host
// tool loaded (host_cacheid_load(), e.g. parsed from a kernel's topo=dump),
// never from the machine running the tests. Without them it behaves like a
// CPU without cache identification registers (x86).
#pragma once

// Uses *c (copied) until the next call; NULL clears.
void host_cacheid_load(const struct hal_cacheid *c);
bool host_cacheid_get(struct hal_cacheid *c);

static inline bool hal_cacheid_present(void)
{
	return host_cacheid_get(NULL);
}

static inline bool hal_cacheid_read(struct hal_cacheid *c)
{
	return host_cacheid_get(c);
}

// Parses the dump's "cacheid clidr CLIDR ccidx 0|1" and "cacheid ccsidr
// LEVEL IND VALUE" lines (hex) into *c; returns false if there is no
// clidr line. Other lines are ignored.
bool host_cacheid_parse(const char *text, struct hal_cacheid *c);
// The dump's per-CPU lines ("cacheid cpu HWID clidr ..." and "cacheid cpu
// HWID ccsidr ..."), for CPUs whose registers differ from the boot CPU's:
// up to max of them into hwids[] / regs[]; returns how many.
unsigned host_cacheid_parse_cpus(const char *text, uint64_t *hwids,
                                 struct hal_cacheid *regs, unsigned max);
