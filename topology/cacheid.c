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
// Each CPU's own registers: the model is first built on the boot CPU,
// before the others start, from its answer; each secondary records its
// registers as it comes up (topology_cacheid_record()), and once all are
// up topology_cpus_started() rebuilds the model from every CPU's own
// answer (a big.LITTLE or DynamIQ machine differs per CPU). A CPU that
// recorded nothing is described by the calling (boot) CPU's answer.
// Recording is one slot per CPU, claimed atomically: secondaries come up
// concurrently. The rest is single-threaded.
#include <string.h>
#include <hal/cacheid.h>
#include <hal/cpu.h>
#include <lib/err.h>
#include <topology/build.h>

static struct {
	uint64_t hwid;
	struct hal_cacheid r;
	bool ready; // r filled in (release): the slot can be read
} recorded[MAX_CPUS];
static unsigned nrecorded; // slots claimed

void topology_cacheid_set(uint64_t hwid, const struct hal_cacheid *r)
{
	unsigned i = __atomic_fetch_add(&nrecorded, 1, __ATOMIC_RELAXED);

	if (i >= MAX_CPUS)
		return; // more CPUs than the kernel runs: never asked for
	recorded[i].hwid = hwid;
	recorded[i].r = *r;
	__atomic_store_n(&recorded[i].ready, true, __ATOMIC_RELEASE);
}

void topology_cacheid_record(uint64_t hwid)
{
	struct hal_cacheid r;
	irqflags_t f;
	bool ok;

	if (!hal_cacheid_present())
		return;
	f = hal_irq_save(); // CSSELR_EL1 select + read: nothing in between
	ok = hal_cacheid_read(&r);
	hal_irq_restore(f);
	if (ok)
		topology_cacheid_set(hwid, &r);
}

void topology_cacheid_clear(void)
{
	memset(recorded, 0, sizeof(recorded));
	nrecorded = 0;
}

// The registers recorded for hwid, or NULL.
static const struct hal_cacheid *cacheid_recorded(uint64_t hwid)
{
	unsigned n = nrecorded < MAX_CPUS ? nrecorded : MAX_CPUS;

	for (unsigned i = 0; i < n; i++)
		if (__atomic_load_n(&recorded[i].ready, __ATOMIC_ACQUIRE) &&
		    recorded[i].hwid == hwid)
			return &recorded[i].r;
	return NULL;
}

static bool cacheid_equal(const struct hal_cacheid *a,
                          const struct hal_cacheid *b)
{
	return a->clidr == b->clidr && a->ccidx == b->ccidx &&
	       !memcmp(a->ccsidr, b->ccsidr, sizeof(a->ccsidr));
}

bool topo_cacheid_recorded(uint64_t hwid, struct hal_cacheid *r)
{
	const struct hal_cacheid *c = cacheid_recorded(hwid);

	if (c)
		*r = *c;
	return c != NULL;
}

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

// Levels in CLIDR (Ctype<n> != 0 from level 1 up).
static unsigned cacheid_levels(uint64_t clidr)
{
	unsigned n = 0;

	while (n < HAL_CACHEID_LEVELS && ((clidr >> (3 * n)) & 7))
		n++;
	return n;
}

// cpu's caches from its registers r; how many were added.
static unsigned cacheid_cpu(unsigned cpu, const struct hal_cacheid *r)
{
	unsigned last = cacheid_levels(r->clidr), n = 0;

	for (unsigned l = 1; l <= last; l++) {
		unsigned ctype = (unsigned)(r->clidr >> (3 * (l - 1))) & 7;

		for (unsigned ind = 0; ind < 2; ind++) {
			struct topo_cache c = {.level = (uint8_t)l};
			uint64_t tag = l * 2 + ind;

			if (!r->ccsidr[l - 1][ind] ||
			    !cacheid_decode(r->ccsidr[l - 1][ind], r->ccidx,
			                    &c))
				continue;
			c.type = ind ? TOPO_CACHE_INSTRUCTION
			             : (ctype == 4 ? TOPO_CACHE_UNIFIED
			                           : TOPO_CACHE_DATA);
			c.key = cacheid_owner(cpu, l == last) | tag << 32;
			if (topo_add_cache(cpu, &c) == E_OK)
				n++;
		}
	}
	return n;
}

void topo_cacheid_apply(void)
{
	struct hal_cacheid self;
	unsigned own = 0, differ = 0, n = 0, last = 0;
	bool ccidx = false;

	if (!hal_cacheid_present() || !topo_cpu_count() ||
	    !hal_cacheid_read(&self))
		return;
	for (unsigned cpu = 0; cpu < topo_cpu_count(); cpu++) {
		const struct hal_cacheid *r =
		    cacheid_recorded(topo_cpu_hwid(cpu));

		own += r != NULL;
		r = r ? r : &self;
		differ += !cacheid_equal(r, &self);
		n += cacheid_cpu(cpu, r);
		ccidx |= r->ccidx;
		last = cacheid_levels(r->clidr) > last
		           ? cacheid_levels(r->clidr)
		           : last;
	}
	if (!n)
		return;
	topo_add_source(ccidx ? "CLIDR/CCSIDR (CCIDX)" : "CLIDR/CCSIDR");
	if (own)
		topo_note(
		    "caches: from CLIDR/CCSIDR of each CPU (%u of %u read "
		    "on the CPU itself, %u differ from the boot CPU's)",
		    own, topo_cpu_count(), differ);
	else
		topo_note("caches: from CLIDR/CCSIDR of the boot CPU, applied "
		          "to all (the others not started yet)");
	topo_note("caches: sharing assumed: L1%s per core, the last level "
	          "per cluster (package if none)",
	          last > 2 ? "-L2" : "");
}
