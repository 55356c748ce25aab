// SPDX-License-Identifier: MIT
// The machine's topology, one model for every architecture:
//
//   machine > packages > dies > clusters > cores > PUs (hardware threads)
//
// plus caches (level, type, size, line, associativity and exactly which
// CPUs share each one) and NUMA nodes (memory ranges, CPUs or none,
// distance matrix, HMAT latency and bandwidth).
//
// Built once at boot on the boot CPU (topology_build*, see
// topology/build.h) from ACPI (MADT, SRAT, SLIT, PPTT, HMAT), CPUID (through
// hal/cpuid.h) and the device tree; read-only afterwards, so the queries
// below take no lock and may be called from any context once built.
//
// CPU numbers ("cpu") are Cairn's logical CPU numbers 0..topo_cpu_count()-1:
// the enabled CPUs in firmware (MADT / device tree) order. Node numbers
// are logical too (0..topo_node_count()-1, in proximity domain order);
// topo_node_domain() gives the firmware's number.
#pragma once

#include <lib/types.h>

#define TOPO_MAX_NODES 64
#define TOPO_MAX_CACHES 2048
#define TOPO_MAX_MEM_RANGES 256
#define TOPO_MAX_CPU_CACHES 8 // caches seen by one CPU (L1d, L1i, L2, ...)
#define TOPO_NONE 0xffffu

enum topo_level {
	TOPO_MACHINE,
	TOPO_PACKAGE,
	TOPO_DIE,
	TOPO_CLUSTER,
	TOPO_CORE,
	TOPO_PU,
	TOPO_NLEVELS,
};

enum topo_cache_type {
	TOPO_CACHE_UNIFIED,
	TOPO_CACHE_DATA,
	TOPO_CACHE_INSTRUCTION,
};

struct topo_cpuset {
	uint64_t w[MAX_CPUS / 64];
};

static inline void topo_cpuset_set(struct topo_cpuset *s, unsigned cpu)
{
	s->w[cpu / 64] |= 1ull << (cpu % 64);
}

static inline bool topo_cpuset_has(const struct topo_cpuset *s, unsigned cpu)
{
	return cpu < MAX_CPUS && (s->w[cpu / 64] >> (cpu % 64) & 1);
}

unsigned topo_cpuset_count(const struct topo_cpuset *s);

struct topo_cache {
	uint8_t level; // 1, 2, 3, ...
	uint8_t type;  // enum topo_cache_type
	uint32_t size; // bytes, 0 = unknown
	uint32_t line; // bytes, 0 = unknown
	uint32_t ways; // 0 = unknown, 0xffffffff = fully associative
	uint32_t sets; // 0 = unknown
	uint64_t key;  // source-specific identity (builders only)
};

struct topo_mem_range {
	uint64_t base, length;
	uint16_t node; // logical node
	bool hotplug, nonvolatile;
};

// --- Size of the machine -------------------------------------------------

unsigned topo_cpu_count(void);
// Objects at a level (1 for TOPO_MACHINE, topo_cpu_count() for TOPO_PU).
unsigned topo_level_count(enum topo_level level);
// True if the firmware/CPU described this level (dies, clusters) and it is
// not identical to the level above; hidden levels are still queryable (each
// object then has the same CPUs as its parent).
bool topo_level_shown(enum topo_level level);
const char *topo_level_name(enum topo_level level);
unsigned topo_node_count(void);
unsigned topo_cache_count(void);

// --- Per CPU ---------------------------------------------------------------

// Logical index of the object at `level` that holds cpu (0 for the machine).
unsigned topo_cpu_obj(unsigned cpu, enum topo_level level);
static inline unsigned topo_cpu_package(unsigned cpu)
{
	return topo_cpu_obj(cpu, TOPO_PACKAGE);
}
static inline unsigned topo_cpu_core(unsigned cpu)
{
	return topo_cpu_obj(cpu, TOPO_CORE);
}
unsigned topo_cpu_node(unsigned cpu);
// Firmware identity: APIC ID (x86) or MPIDR affinity (Arm).
uint64_t topo_cpu_hwid(unsigned cpu);
// Physical (firmware / CPUID) number of cpu's object at level.
uint32_t topo_cpu_phys_id(unsigned cpu, enum topo_level level);
// cpu's find-by-hwid inverse; TOPO_NONE if no such CPU.
unsigned topo_cpu_by_hwid(uint64_t hwid);

// CPUs that share cpu's object at level (cpu itself included).
void topo_siblings(unsigned cpu, enum topo_level level,
                   struct topo_cpuset *out);
// CPUs of object idx at level.
void topo_obj_cpus(enum topo_level level, unsigned idx,
                   struct topo_cpuset *out);
uint32_t topo_obj_phys_id(enum topo_level level, unsigned idx);

// --- Caches ----------------------------------------------------------------

const struct topo_cache *topo_cache_get(unsigned idx);
void topo_cache_cpus(unsigned idx, struct topo_cpuset *out);
// Cache indices seen by cpu (up to TOPO_MAX_CPU_CACHES); returns how many.
unsigned topo_cpu_caches(unsigned cpu, unsigned *out);
// Index of the smallest (lowest-level) data or unified cache shared by
// both CPUs, or TOPO_NONE (no shared cache known).
unsigned topo_shared_cache(unsigned cpu_a, unsigned cpu_b);
// False if no source described caches (they are then absent, not assumed).
bool topo_caches_known(void);

// --- NUMA ------------------------------------------------------------------

uint32_t topo_node_domain(unsigned node);
// CPUs of a node (empty for memory-only nodes).
void topo_node_cpus(unsigned node, struct topo_cpuset *out);
// Memory of a node: its ranges without the hot-pluggable ones; on a
// one-node machine without SRAT / DT memory nodes, the usable memory of the
// boot memory map (topology_set_usable_memory()).
uint64_t topo_node_mem_bytes(unsigned node);
// False if no source said how much memory the nodes have (then 0 each).
bool topo_node_mem_known(void);
// Distance (10 = local) between nodes and between CPUs' nodes.
unsigned topo_node_distance(unsigned from, unsigned to);
static inline unsigned topo_cpu_distance(unsigned a, unsigned b)
{
	return topo_node_distance(topo_cpu_node(a), topo_cpu_node(b));
}
// HMAT access latency (picoseconds) and bandwidth (MB/s) from initiator
// node to memory node; 0 = not given.
uint64_t topo_node_latency_ps(unsigned initiator, unsigned target);
uint64_t topo_node_bandwidth_mbs(unsigned initiator, unsigned target);
// True if a SLIT / device-tree distance map gave the distances.
bool topo_distances_known(void);

// Node memory ranges, sorted by base: for i in 0..topo_mem_range_count()-1.
unsigned topo_mem_range_count(void);
const struct topo_mem_range *topo_mem_range_get(unsigned idx);
// Node owning physical address pa: the node of the range containing it;
// for an address no range covers (a firmware region such as virt's flash),
// the node of the nearest range below it (else above it, else node 0), and
// *exact = false. *end is where this answer stops holding (the next range
// boundary; ~0 if none), so a caller can split [base, base+len) into node
// pieces: while (base < limit) { n = topo_mem_node(base, &end, NULL); ...
// base = end; }. Never fails.
unsigned topo_mem_node(uint64_t pa, uint64_t *end, bool *exact);
// Nodes in order of distance from `from` (from first; ties by number):
// the fallback order for an allocator. Returns the count written.
unsigned topo_node_fallback(unsigned from, uint16_t *order, unsigned max);

// --- What the model is built from -----------------------------------------

// One line per assumption or missing datum ("caches: unknown ...").
unsigned topo_note_count(void);
const char *topo_note_get(unsigned idx);
// "ACPI MADT+SRAT+SLIT, CPUID leaves 0xb, 4" etc.
const char *topo_sources(void);

// --- Output ----------------------------------------------------------------

struct topo_out {
	void (*write)(void *ctx, const char *s, size_t len);
	void *ctx;
};

// lstopo-style text tree, then NUMA distances and notes.
void topo_print_tree(const struct topo_out *o);
// One-line summary: "topology: 2 packages, 4 cores, 8 PUs, 2 nodes, ...".
void topo_print_summary(const struct topo_out *o);
// hwloc v2 XML (loads with lstopo --input f.xml).
void topo_print_xml(const struct topo_out *o);
// The inputs (topology ACPI tables in hex, CPUID leaves) as text that
// build/host/topo --input reads back to rebuild the same model.
void topo_dump_inputs(const struct topo_out *o);
