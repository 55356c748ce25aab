// SPDX-License-Identifier: MIT
// The inputs the model was built from, as text, so that a host can rebuild
// the same model (build/host/topo reads this back; tests/topology/extract.py
// splits it into files): the topology tables (APIC, SRAT, SLIT, PPTT, HMAT)
// in hex, and the boot CPU's CPUID leaves that topology/cpuid.c reads, one
// "cpuid LEAF SUB EAX EBX ECX EDX" line each; the boot CPU's cache
// identification registers ("cacheid" lines, AArch64); the memory map's
// usable bytes ("memory"). Single-threaded.
#include <string.h>
#include <acpi/acpi.h>
#include <hal/cacheid.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <lib/format.h>
#include <topology/build.h>
#include <topology/tree.h>

static void dump_table(const struct topo_out *o, const char *sig)
{
	const struct acpi_sdt_header *t;

	if (acpi_table_find(sig, 0, &t) != E_OK)
		return;
	topo_outf(o, "table %.4s %u\n", sig, t->length);
	for (uint32_t i = 0; i < t->length; i += 32) {
		const uint8_t *p = (const uint8_t *)t + i;

		for (uint32_t j = 0; j < 32 && i + j < t->length; j++)
			topo_outf(o, "%02x", p[j]);
		topo_outf(o, "\n");
	}
}

static bool dump_leaf(const struct topo_out *o, uint32_t leaf, uint32_t sub)
{
	struct hal_cpuid_regs r;

	if (!hal_cpuid(leaf, sub, &r))
		return false;
	topo_outf(o, "cpuid %08x %08x %08x %08x %08x %08x\n", leaf, sub, r.eax,
	          r.ebx, r.ecx, r.edx);
	return true;
}

// Sub-leaves until the level/cache type field reads 0.
static void dump_subleaves(const struct topo_out *o, uint32_t leaf, bool cache)
{
	for (uint32_t sub = 0; sub < 16; sub++) {
		struct hal_cpuid_regs r;

		if (!dump_leaf(o, leaf, sub) || !hal_cpuid(leaf, sub, &r))
			return;
		if (cache ? (r.eax & 0x1f) == 0 : ((r.ecx >> 8) & 0xff) == 0)
			return;
	}
}

static void dump_cpuid(const struct topo_out *o)
{
	static const uint32_t plain[] = {0,           1,           0x80000000u,
	                                 0x80000001u, 0x80000005u, 0x80000006u,
	                                 0x80000008u, 0x8000001eu};

	if (!hal_cpuid_present())
		return;
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++)
		(void)dump_leaf(o, plain[i], 0);
	dump_subleaves(o, 4, true);
	dump_subleaves(o, 0xb, false);
	dump_subleaves(o, 0x1f, false);
	dump_subleaves(o, 0x8000001du, true);
}

// One CPU's registers; prefix "" (the calling CPU) or "cpu HWID ".
static void dump_cacheid_regs(const struct topo_out *o, const char *prefix,
                              const struct hal_cacheid *r)
{
	topo_outf(o, "cacheid %sclidr %016lx ccidx %u\n", prefix,
	          (unsigned long)r->clidr, r->ccidx ? 1u : 0u);
	for (unsigned l = 0; l < HAL_CACHEID_LEVELS; l++)
		for (unsigned ind = 0; ind < 2; ind++)
			if (r->ccsidr[l][ind])
				topo_outf(o, "cacheid %sccsidr %u %u %016lx\n",
				          prefix, l + 1, ind,
				          (unsigned long)r->ccsidr[l][ind]);
}

// The boot CPU's cache identification registers (topology/cacheid.c),
// then those each CPU read itself (all of them, so that build/host/topo
// knows which CPUs answered and says the same as the kernel).
static void dump_cacheid(const struct topo_out *o)
{
	struct hal_cacheid r, c;
	char prefix[32];

	if (!hal_cacheid_present() || !hal_cacheid_read(&r))
		return;
	dump_cacheid_regs(o, "", &r);
	for (unsigned cpu = 0; cpu < topo_cpu_count(); cpu++) {
		uint64_t hwid = topo_cpu_hwid(cpu);

		if (!topo_cacheid_recorded(hwid, &c))
			continue;
		ksnprintf(prefix, sizeof(prefix), "cpu %lx ",
		          (unsigned long)hwid);
		dump_cacheid_regs(o, prefix, &c);
	}
}

void topo_dump_inputs(const struct topo_out *o)
{
	static const char *const sigs[] = {"APIC", "SRAT", "SLIT", "PPTT",
	                                   "HMAT"};

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		dump_table(o, sigs[i]);
	if (topology_usable_memory())
		topo_outf(o, "memory %lu\n",
		          (unsigned long)topology_usable_memory());
	dump_cpuid(o);
	dump_cacheid(o);
}
