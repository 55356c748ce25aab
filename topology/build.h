// SPDX-License-Identifier: MIT
// Building the topology model (topology/model.c) from firmware sources.
// Entry points for the kernel and host tools, and the builder interface the
// sources (topology/acpi.c, cpuid.c, fdt.c) and tests use.
//
// Sequence: topo_reset(); sources add CPUs, levels, caches, nodes, memory
// and distances; topo_finish() numbers the objects, fills what is missing
// with stated assumptions (topo_note) and makes the queries valid. Only
// one build runs at a time (boot CPU at boot; host programs single-threaded).
#pragma once

#include <lib/types.h>
#include <topology/topology.h>

// The whole build from what this machine has: ACPI tables registered with
// acpi/ (MADT, SRAT, SLIT, PPTT, HMAT), CPUID through hal/cpuid.h, else the
// device tree fdt of fdt_size bytes (fdt may be NULL; size 0 = trust the
// header's totalsize). Always leaves a usable model (at worst one
// CPU, one node) and returns E_OK unless nothing at all described a CPU
// (then E_NOENT, with the single-CPU model).
err_t topology_build(const void *fdt, size_t fdt_size);
// Usable RAM of the boot memory map (the kernel: what mm_type_usable()
// accepts; the host tool: the dump's "memory" line): a one-node machine
// without SRAT / DT memory nodes gives its node this much. Kept across
// builds; 0 = unknown.
void topology_set_usable_memory(uint64_t bytes);
uint64_t topology_usable_memory(void);
// The same from one source only (tests, host tool).
err_t topology_build_acpi(void);
err_t topology_build_fdt(const void *fdt, size_t fdt_size);

// --- Builder interface -----------------------------------------------------

void topo_reset(void);
// Adds an enabled CPU; E_RANGE past MAX_CPUS (reported once).
err_t topo_add_cpu(uint64_t hwid, uint32_t uid, unsigned *cpu);
unsigned topo_find_cpu_uid(uint32_t uid); // TOPO_NONE if absent
// Physical ID of cpu's object at level; marks the level as described.
void topo_set_cpu_id(unsigned cpu, enum topo_level level, uint32_t id);
bool topo_level_described(enum topo_level level);
// Finds or creates the node of a proximity domain; E_RANGE past
// TOPO_MAX_NODES.
err_t topo_add_node(uint32_t domain, unsigned *node);
unsigned topo_find_node(uint32_t domain); // TOPO_NONE if absent
void topo_set_cpu_node(unsigned cpu, unsigned node);
err_t topo_add_mem_range(uint64_t base, uint64_t length, unsigned node,
                         bool hotplug, bool nonvolatile);
void topo_set_distance(unsigned from, unsigned to, unsigned d);
void topo_set_hmat(unsigned init, unsigned target, uint64_t lat_ps,
                   uint64_t bw_mbs);
// Attaches the cache identified by (c->key, c->level, c->type) to cpu,
// creating it on first use. E_RANGE when the tables are full.
err_t topo_add_cache(unsigned cpu, const struct topo_cache *c);
// Records an assumption or a datum that could not be determined.
void topo_note(const char *fmt, ...) __printf_like(1, 2);
void topo_add_source(const char *name);
void topo_finish(void);

// Source steps (each adds to the model being built).
err_t topo_acpi_cpus(void);  // MADT: CPUs
void topo_acpi_pptt(void);   // PPTT: levels and caches
void topo_acpi_numa(void);   // SRAT, SLIT, HMAT
void topo_cpuid_apply(void); // CPUID: levels and caches
// Caches from hal/cacheid.h registers (AArch64 CLIDR/CCSIDR) when no
// firmware table described any (topology/cacheid.c).
void topo_cacheid_apply(void);
// The registers a CPU recorded for itself (topology_cacheid_record), for
// the dump; false if none.
struct hal_cacheid;
bool topo_cacheid_recorded(uint64_t hwid, struct hal_cacheid *r);
// AMD's legacy cache leaves 0x80000005/6 (topology/cpuid_amd.c); L1 and
// L2 shared by the APIC IDs equal above core_shift. False if none.
bool topo_cpuid_amd_legacy_caches(unsigned core_shift);

// The i-th CPU in tree order (by package, die, cluster, core, thread).
unsigned topo_order_cpu(unsigned i);

// Kernel boot: build (topology_build) and print the summary and tree;
// opt is the `topo=` option's value (NULL, "xml", "dump" or "all").
void topology_boot(const void *fdt, size_t fdt_size, const char *opt);
// Kernel boot, once the secondary CPUs are up: if caches came from the
// CPUs' identification registers, rebuilds the model from each CPU's own
// answer (topology/cacheid.c) and prints the summary again.
void topology_cpus_started(void);
// On the calling CPU, interrupts off inside: records its cache
// identification registers (hal/cacheid.h) under hwid. Any CPU, once each.
void topology_cacheid_record(uint64_t hwid);
// Records registers for hwid (host tests and tools: from a dump); forgets
// all of them.
void topology_cacheid_set(uint64_t hwid, const struct hal_cacheid *r);
void topology_cacheid_clear(void);
