// SPDX-License-Identifier: MIT
// Caches from AMD's legacy CPUID leaves, for AMD CPUs whose topology
// extensions (leaf 0x8000001D) are absent or not trusted: QEMU's TCG
// offers -cpu EPYC, EPYC-Rome, EPYC-Milan and Opteron_G5 that way.
//
//   0x80000005 ECX / EDX: L1 data / instruction cache: size in KiB [31:24],
//                         ways [23:16] (0xff = fully associative), line
//                         size [7:0].
//   0x80000006 ECX: L2: size in KiB [31:16], ways code [15:12], line [7:0].
//   0x80000006 EDX: L3: size in 512 KiB units [31:18], ways code [15:12],
//                   line [7:0]; EDX = 0 means no L3.
//
// The legacy leaves do not say who shares a cache. Sharing follows what
// Linux derives on such a CPU (arch/x86/kernel/cpu/amd.c, amd_detect_cmp:
// without TopologyExtensions the last-level-cache ID is the socket ID,
// the APIC ID above the 0x80000008 core ID width): L3 per package; L1 and
// L2 per core (AMD cores have private L1 and L2; Linux, which cannot see
// SMT siblings here either, keeps them per CPU, which is the same thing
// when there is one thread per core). Single-threaded (topology build).
#include <hal/cpuid.h>
#include <lib/err.h>
#include <topology/build.h>

// The APM's associativity code of 0x80000006 (L2 and L3) in ways;
// 0 = unknown (reserved codes, and 9: "see leaf 0x8000001D").
static uint32_t amd_ways(unsigned code)
{
	static const uint32_t ways[16] = {
	    0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0xffffffffu};

	return ways[code & 0xf];
}

// Sets from size, line and ways; 0 when one of them is unknown.
static uint32_t amd_sets(const struct topo_cache *c)
{
	if (!c->line || !c->ways || c->ways == 0xffffffffu)
		return c->ways == 0xffffffffu ? 1 : 0;
	return c->size / c->line / c->ways;
}

// One 0x80000005 register: an L1 cache of the given type; false if absent.
static bool amd_l1(uint32_t reg, uint8_t type, struct topo_cache *c)
{
	unsigned ways = (reg >> 16) & 0xff;

	if (!(reg >> 24))
		return false;
	c->level = 1;
	c->type = type;
	c->size = (reg >> 24) << 10;
	c->line = reg & 0xff;
	c->ways = ways == 0xff ? 0xffffffffu : ways;
	c->sets = amd_sets(c);
	return true;
}

// 0x80000006 ECX (L2) or EDX (L3); false if absent or disabled.
static bool amd_l23(uint32_t reg, unsigned level, struct topo_cache *c)
{
	unsigned code = (reg >> 12) & 0xf;

	if (!reg || !code)
		return false;
	c->level = (uint8_t)level;
	c->type = TOPO_CACHE_UNIFIED;
	c->size = level == 2 ? (reg >> 16) << 10 : (reg >> 18) * (512u << 10);
	c->line = reg & 0xff;
	c->ways = amd_ways(code);
	c->sets = amd_sets(c);
	return c->size != 0;
}

// Width of the core ID in an APIC ID (0x80000008 ECX ApicIdSize, else
// from the core count), as Linux's x86_coreid_bits: above it, the package.
static unsigned amd_package_shift(void)
{
	struct hal_cpuid_regs r;
	unsigned width, n, s = 0;

	if (!hal_cpuid(0x80000008u, 0, &r))
		return 0;
	width = (r.ecx >> 12) & 0xf;
	if (width)
		return width;
	n = (r.ecx & 0xff) + 1;
	while (s < 31 && (1u << s) < n)
		s++;
	return s;
}

// Adds cache c to every CPU, shared by the APIC IDs equal above shift;
// tag keeps the caches of one CPU apart.
static void amd_add(const struct topo_cache *c, unsigned shift, unsigned tag)
{
	struct topo_cache k = *c;

	for (unsigned cpu = 0; cpu < topo_cpu_count(); cpu++) {
		k.key = (topo_cpu_hwid(cpu) >> shift) | (uint64_t)tag << 48;
		(void)topo_add_cache(cpu, &k);
	}
}

bool topo_cpuid_amd_legacy_caches(unsigned core_shift)
{
	struct hal_cpuid_regs l1, l2;
	struct topo_cache c = {0};
	unsigned pkg = amd_package_shift(), n = 0;

	if (!hal_cpuid(0x80000005u, 0, &l1) || !hal_cpuid(0x80000006u, 0, &l2))
		return false;
	if (pkg < core_shift)
		pkg = core_shift; // nonsense widths: at least per core
	if (amd_l1(l1.ecx, TOPO_CACHE_DATA, &c))
		amd_add(&c, core_shift, 0), n++;
	if (amd_l1(l1.edx, TOPO_CACHE_INSTRUCTION, &c))
		amd_add(&c, core_shift, 1), n++;
	if (amd_l23(l2.ecx, 2, &c))
		amd_add(&c, core_shift, 2), n++;
	if (amd_l23(l2.edx, 3, &c))
		amd_add(&c, pkg, 3), n++;
	if (n)
		topo_note("caches: AMD leaves 0x80000005/6 (0x8000001d not "
		          "trusted); sharing as Linux derives it: L1, L2 per "
		          "core, L3 per package");
	return n > 0;
}
