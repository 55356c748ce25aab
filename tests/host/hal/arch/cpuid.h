// SPDX-License-Identifier: MIT
// Host stand-in for hal/cpuid.h: answers from a CPUID dump that a test or
// host tool loads with host_cpuid_load() (never the host's own CPU, so
// results do not depend on the machine running the tests). Without a dump
// it behaves like a CPU without CPUID.
#pragma once

struct host_cpuid_leaf {
	uint32_t leaf, sub;
	struct hal_cpuid_regs r;
};

// Uses leaves[0..n-1] (kept by pointer) until the next call; n = 0 clears.
void host_cpuid_load(const struct host_cpuid_leaf *leaves, unsigned n);
bool host_cpuid_lookup(uint32_t leaf, uint32_t sub, struct hal_cpuid_regs *r);
bool host_cpuid_loaded(void);

static inline bool hal_cpuid_present(void)
{
	return host_cpuid_loaded();
}

static inline bool hal_cpuid(uint32_t leaf, uint32_t sub,
                             struct hal_cpuid_regs *r)
{
	return host_cpuid_lookup(leaf, sub, r);
}

// Parses a CPUID dump: Cairn's "cpuid LEAF SUB EAX EBX ECX EDX" lines (hex,
// topo=dump) or `cpuid -r` output ("0x00000004 0x01: eax=0x... ebx=...",
// first CPU only). Other lines are ignored. Returns the number of leaves.
unsigned host_cpuid_parse(const char *text, struct host_cpuid_leaf *out,
                          unsigned max);
