// SPDX-License-Identifier: MIT
// Caches from the CPU's cache identification registers (hal/cacheid.h:
// CLIDR_EL1 / CCSIDR_EL1 on AArch64) when neither PPTT cache nodes nor the
// device tree describe them (QEMU virt has neither).
//
// The registers give each level's kind, line size, ways and sets, but not
// who shares a cache. Assumed, and said so in a note: every level but the
// last is private to a core (hardware threads of a core share it), the
// last level is shared by the cluster (PPTT cluster node / cpu-map
// cluster; the package where the firmware has no cluster level). That is
// how Arm's clusters are built (Cortex-A72: L1 per core, L2 per cluster;
// DynamIQ: L1/L2 per core, L3 per cluster). Linux instead assumes a
// system-wide last level when the firmware is silent; a cluster is the
// narrower and, for Arm CPUs, the likelier answer.
//
// Only the boot CPU's registers are read (the model is built before the
// other CPUs start) and applied to every CPU; big.LITTLE machines, whose
// clusters differ, would need each CPU's own registers. Single-threaded.
#include <hal/cacheid.h>
#include <lib/err.h>
#include <topology/build.h>

// CCSIDR_EL1 -> line, ways, sets and size (per the Arm ARM; FEAT_CCIDX
// widens Associativity to [23:3] and moves NumSets to [55:32]).
static bool cacheid_decode(uint64_t r, bool ccidx, struct topo_cache *c)
{
	uint64_t size;

	c->line = 1u << ((r & 7) + 4);
	if (ccidx) {
		c->ways = (uint32_t)((r >> 3) & 0x1fffff) + 1;
		c->sets = (uint32_t)((r >> 32) & 0xffffff) + 1;
	} else {
		c->ways = (uint32_t)((r >> 3) & 0x3ff) + 1;
		c->sets = (uint32_t)((r >> 13) & 0x7fff) + 1;
	}
	size = (uint64_t)c->line * c->ways * c->sets;
	c->size = size > 0xffffffffu ? 0 : (uint32_t)size;
	return c->size != 0;
}

// True if CPUs a and b agree at every level from the package down to
// `lowest` (among the described ones).
static bool cacheid_same(unsigned a, unsigned b, enum topo_level lowest)
{
	for (int l = TOPO_PACKAGE; l <= (int)lowest; l++)
		if (topo_level_described(l) &&
		    topo_cpu_phys_id(a, l) != topo_cpu_phys_id(b, l))
			return false;
	return true;
}

// The first CPU of cpu's core (private) or cluster (shared): a cache key.
static unsigned cacheid_owner(unsigned cpu, bool shared)
{
	enum topo_level l = shared ? TOPO_CLUSTER : TOPO_CORE;

	if (!shared && !topo_level_described(TOPO_CORE))
		return cpu; // one PU per core
	for (unsigned i = 0; i < cpu; i++)
		if (cacheid_same(i, cpu, l))
			return i;
	return cpu;
}

static void cacheid_add(const struct topo_cache *c, bool shared, unsigned tag)
{
	struct topo_cache k = *c;

	for (unsigned cpu = 0; cpu < topo_cpu_count(); cpu++) {
		k.key = cacheid_owner(cpu, shared) | (uint64_t)tag << 32;
		(void)topo_add_cache(cpu, &k);
	}
}

// Levels in CLIDR (Ctype<n> != 0 from level 1 up).
static unsigned cacheid_levels(uint64_t clidr)
{
	unsigned n = 0;

	while (n < HAL_CACHEID_LEVELS && ((clidr >> (3 * n)) & 7))
		n++;
	return n;
}

void topo_cacheid_apply(void)
{
	static const uint8_t kinds[2] = {0, TOPO_CACHE_INSTRUCTION};
	struct hal_cacheid r;
	unsigned last, n = 0;

	if (!hal_cacheid_present() || !topo_cpu_count() ||
	    !hal_cacheid_read(&r))
		return;
	last = cacheid_levels(r.clidr);
	for (unsigned l = 1; l <= last; l++) {
		unsigned ctype = (unsigned)(r.clidr >> (3 * (l - 1))) & 7;

		for (unsigned ind = 0; ind < 2; ind++) {
			struct topo_cache c = {.level = (uint8_t)l};

			if (!r.ccsidr[l - 1][ind] ||
			    !cacheid_decode(r.ccsidr[l - 1][ind], r.ccidx, &c))
				continue;
			c.type = ind ? kinds[1]
			             : (ctype == 4 ? TOPO_CACHE_UNIFIED
			                           : TOPO_CACHE_DATA);
			cacheid_add(&c, l == last, l * 2 + ind);
			n++;
		}
	}
	if (!n)
		return;
	topo_add_source(r.ccidx ? "CLIDR/CCSIDR (CCIDX)" : "CLIDR/CCSIDR");
	topo_note("caches: from CLIDR/CCSIDR of the boot CPU; sharing "
	          "assumed: L1%s per core, L%u per cluster (package if none)",
	          last > 2 ? "-L2" : "", last);
}
