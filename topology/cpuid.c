// SPDX-License-Identifier: MIT
// Topology from the boot CPU's CPUID (through hal/cpuid.h), applied to every
// MADT APIC ID: the bit widths of leaf 0x1F (else 0xB, else the AMD leaves
// 0x80000008 / 0x8000001E, else leaf 1/4) split an APIC ID into package,
// die, module (our cluster), core and thread fields; caches come from the
// "deterministic cache parameters" of leaf 4 (Intel) or 0x8000001D (AMD
// topology extensions): each cache is shared by the APIC IDs that agree
// above its "maximum IDs sharing" width; else, on AMD, from the legacy
// leaves 0x80000005/6 (topology/cpuid_amd.c).
//
// Only the boot CPU is asked (the kernel runs on it alone when the model is
// built); a machine with CPUs of different kinds would need per-CPU leaves.
// Runs during the single-threaded build: no locks.
#include <hal/cpuid.h>
#include <lib/err.h>
#include <topology/build.h>

#define CPUID_LEVEL_SMT 1
#define CPUID_LEVEL_CORE 2
#define CPUID_LEVEL_MODULE 3
#define CPUID_LEVEL_TILE 4
#define CPUID_LEVEL_DIE 5

struct cpuid_shifts {
	unsigned smt, core, module, die, pkg; // cumulative widths
	bool have_module, have_die;
	const char *how;
};

static unsigned cpuid_log2_ceil(uint32_t n)
{
	unsigned s = 0;

	while (s < 32 && (1ull << s) < n)
		s++;
	return s;
}

static bool cpuid_is_amd(void)
{
	struct hal_cpuid_regs r;

	// "AuthenticAMD" / "HygonGenuine": EBX "Auth" / "Hygo".
	return hal_cpuid(0, 0, &r) &&
	       (r.ebx == 0x68747541u || r.ebx == 0x6f677948u);
}

// Leaf 0xB or 0x1F: one sub-leaf per level, innermost first.
static bool cpuid_extended_levels(uint32_t leaf, struct cpuid_shifts *s)
{
	struct hal_cpuid_regs r;
	unsigned last = 0;

	if (!hal_cpuid(leaf, 0, &r) || r.ebx == 0)
		return false;
	for (uint32_t sub = 0; sub < 16; sub++) {
		unsigned type, shift;

		if (!hal_cpuid(leaf, sub, &r))
			break;
		type = (r.ecx >> 8) & 0xff;
		shift = r.eax & 0x1f;
		if (type == 0)
			break;
		if (shift < last)
			shift = last; // nonsense: keep widths monotonic
		if (type == CPUID_LEVEL_SMT)
			s->smt = shift;
		else if (type == CPUID_LEVEL_CORE)
			s->core = shift;
		else if (type == CPUID_LEVEL_MODULE)
			s->module = shift, s->have_module = true;
		else if (type == CPUID_LEVEL_DIE)
			s->die = shift, s->have_die = true;
		last = shift;
	}
	if (!s->core)
		s->core = s->smt;
	if (!s->have_module)
		s->module = s->core;
	if (!s->have_die)
		s->die = last > s->module ? last : s->module;
	s->pkg = last;
	if (s->die < s->module)
		s->die = s->module;
	s->how = leaf == 0x1f ? "CPUID leaf 0x1f" : "CPUID leaf 0xb";
	return true;
}

// AMD without leaf 0xB: core ID width from 0x80000008, threads per core
// from 0x8000001E (topology extensions).
static bool cpuid_amd_levels(struct cpuid_shifts *s)
{
	struct hal_cpuid_regs r, e;
	unsigned width, threads = 1;

	if (!cpuid_is_amd() || !hal_cpuid(0x80000008u, 0, &r))
		return false;
	width = (r.ecx >> 12) & 0xf;
	if (!width)
		width = cpuid_log2_ceil((r.ecx & 0xff) + 1);
	if (hal_cpuid(0x80000001u, 0, &e) && (e.ecx & (1u << 22)) &&
	    hal_cpuid(0x8000001eu, 0, &e))
		threads = ((e.ebx >> 8) & 0xff) + 1;
	s->smt = cpuid_log2_ceil(threads);
	s->core = s->module = s->die = s->pkg = width;
	s->how = "CPUID leaves 0x80000008/0x8000001e";
	return true;
}

// Oldest way: leaf 1 logical processors per package, leaf 4 cores.
static bool cpuid_legacy_levels(struct cpuid_shifts *s)
{
	struct hal_cpuid_regs r, c;
	unsigned logical = 1, cores = 1;

	if (!hal_cpuid(1, 0, &r))
		return false;
	if (r.edx & (1u << 28)) // HTT: the count field is valid
		logical = (r.ebx >> 16) & 0xff;
	if (hal_cpuid(4, 0, &c) && (c.eax & 0x1f))
		cores = (c.eax >> 26) + 1;
	if (!logical)
		logical = 1;
	s->pkg = s->die = s->module = s->core = cpuid_log2_ceil(logical);
	s->smt = cpuid_log2_ceil(logical / (cores ? cores : 1));
	s->how = "CPUID leaves 1/4";
	return true;
}

static uint32_t cpuid_field(uint64_t apic, unsigned lo, unsigned hi)
{
	return (uint32_t)((apic >> lo) & ((1ull << (hi - lo)) - 1));
}

static void cpuid_apply_levels(const struct cpuid_shifts *s)
{
	for (unsigned cpu = 0; cpu < topo_cpu_count(); cpu++) {
		uint64_t apic = topo_cpu_hwid(cpu);

		topo_set_cpu_id(cpu, TOPO_PACKAGE, (uint32_t)(apic >> s->pkg));
		if (s->have_die)
			topo_set_cpu_id(cpu, TOPO_DIE,
			                cpuid_field(apic, s->module, s->pkg));
		if (s->have_module)
			topo_set_cpu_id(cpu, TOPO_CLUSTER,
			                cpuid_field(apic, s->core, s->module));
		topo_set_cpu_id(cpu, TOPO_CORE,
		                cpuid_field(apic, s->smt, s->core));
		topo_set_cpu_id(cpu, TOPO_PU, cpuid_field(apic, 0, s->smt));
	}
}

// Leaf 4 / 0x8000001D sub-leaf -> cache description and sharing width.
static bool cpuid_cache_leaf(uint32_t leaf, uint32_t sub, struct topo_cache *c,
                             unsigned *share_shift)
{
	struct hal_cpuid_regs r;
	unsigned type;
	static const uint8_t types[4] = {
	    0, TOPO_CACHE_DATA, TOPO_CACHE_INSTRUCTION, TOPO_CACHE_UNIFIED};

	if (!hal_cpuid(leaf, sub, &r))
		return false;
	type = r.eax & 0x1f;
	if (type == 0 || type > 3)
		return false;
	c->type = types[type];
	c->level = (r.eax >> 5) & 7;
	c->line = (r.ebx & 0xfff) + 1;
	c->ways = ((r.ebx >> 22) & 0x3ff) + 1;
	c->sets = r.ecx + 1;
	c->size = (uint32_t)((uint64_t)c->ways * (((r.ebx >> 12) & 0x3ff) + 1) *
	                     c->line * c->sets);
	if (r.eax & (1u << 9))
		c->ways = 0xffffffffu; // fully associative
	*share_shift = cpuid_log2_ceil(((r.eax >> 14) & 0xfff) + 1);
	return true;
}

static bool cpuid_apply_caches(uint32_t leaf)
{
	struct topo_cache c = {0};
	unsigned shift, n = 0;

	for (uint32_t sub = 0; sub < 16; sub++) {
		if (!cpuid_cache_leaf(leaf, sub, &c, &shift))
			break;
		for (unsigned cpu = 0; cpu < topo_cpu_count(); cpu++) {
			c.key = (topo_cpu_hwid(cpu) >> shift) | (uint64_t)sub
			                                            << 48;
			(void)topo_add_cache(cpu, &c);
		}
		n++;
	}
	return n > 0;
}

static bool cpuid_has_topoext(void)
{
	struct hal_cpuid_regs r;

	return cpuid_is_amd() && hal_cpuid(0x80000001u, 0, &r) &&
	       (r.ecx & (1u << 22));
}

static void cpuid_check_bsp(void)
{
	struct hal_cpuid_regs r;
	uint32_t apic;

	if (!hal_cpuid(1, 0, &r))
		return;
	apic = r.ebx >> 24;
	if (hal_cpuid(0xb, 0, &r) && r.ebx)
		apic = r.edx; // x2APIC ID
	if (topo_cpu_by_hwid(apic) == TOPO_NONE)
		topo_note("boot CPU's APIC ID %u is not in the MADT", apic);
}

// Distinct values among v[0..n).
static unsigned cpuid_distinct(const uint32_t *v, unsigned n)
{
	unsigned d = 0;

	for (unsigned i = 0; i < n; i++) {
		bool seen = false;

		for (unsigned j = 0; j < i && !seen; j++)
			seen = v[j] == v[i];
		d += !seen;
	}
	return d;
}

// PPTT gave the levels: say so if CPUID counts packages differently.
static void cpuid_cross_check(const struct cpuid_shifts *s)
{
	static uint32_t a[MAX_CPUS], b[MAX_CPUS];
	unsigned n = topo_cpu_count(), pa, pb;

	for (unsigned i = 0; i < n; i++) {
		a[i] = topo_cpu_phys_id(i, TOPO_PACKAGE);
		b[i] = (uint32_t)(topo_cpu_hwid(i) >> s->pkg);
	}
	pa = cpuid_distinct(a, n);
	pb = cpuid_distinct(b, n);
	if (pa != pb)
		topo_note("PPTT and CPUID disagree: %u packages in the PPTT, "
		          "%u by %s; PPTT used",
		          pa, pb, s->how);
}

void topo_cpuid_apply(void)
{
	struct cpuid_shifts s = {0};
	struct hal_cpuid_regs r;
	bool levels = !topo_level_described(TOPO_CORE);

	if (!hal_cpuid_present() || !topo_cpu_count())
		return;
	cpuid_check_bsp();
	if (cpuid_extended_levels(0x1f, &s) || cpuid_extended_levels(0xb, &s) ||
	    cpuid_amd_levels(&s) || cpuid_legacy_levels(&s)) {
		if (levels) {
			cpuid_apply_levels(&s);
			topo_add_source(s.how);
		} else {
			cpuid_cross_check(&s);
		}
	}
	if (topo_cache_count())
		return; // PPTT cache nodes win
	if (cpuid_apply_caches(4))
		topo_add_source("CPUID leaf 4");
	else if (cpuid_has_topoext() && cpuid_apply_caches(0x8000001du))
		topo_add_source("CPUID leaf 0x8000001d");
	else if (cpuid_is_amd() && topo_cpuid_amd_legacy_caches(s.smt))
		topo_add_source("CPUID leaves 0x80000005/0x80000006");
	else if (cpuid_is_amd() && hal_cpuid(0x8000001du, 0, &r) &&
	         (r.eax & 0x1f))
		// QEMU's TCG answers the leaf but clears the feature bit.
		topo_note("caches: unknown (CPUID leaf 0x8000001d answers but "
		          "TopologyExtensions is clear: not trusted)");
	else
		topo_note("caches: unknown (CPUID has neither leaf 4 nor "
		          "0x8000001d)");
}
