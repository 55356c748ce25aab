// SPDX-License-Identifier: MIT
// kernel_main(): the neutral part of boot. The HAL entry code has set up a
// stack, cleared BSS and calls this on the boot CPU with interrupts off.
#include <string.h>
#include <hal/cpu.h>
#include <hal/early.h>
#include <hal/irq.h>
#include <hal/timer.h>
#include <lib/power.h>
#include <acpi/acpi.h>
#include <acpi/aml_boot.h>
#include <acpi/events.h>
#include <kernel/boot.h>
#include <kernel/cmdline.h>
#include <lib/err.h>
#include <kernel/fbcon.h>
#include <kernel/lockdebug.h>
#include <kernel/monitor.h>
#include <lib/panic.h>
#include <mm/phys.h>
#include <kernel/percpu.h>
#include <kernel/sched/balance.h>
#include <kernel/sched/domain.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/stats.h>
#include <kernel/smp.h>
#include <kernel/symbols.h>
#include <kernel/thread.h>
#include <kernel/workload_run.h>
#include <kernel/trace.h>
#include <lib/printk.h>
#include <lib/work.h>
#include <mm/mm.h>
#include <mm/vm.h>
#include <tests/kernel/bench.h>
#include <tests/ktest.h>
#include <tests/unit/aml_asl.h>
#include <topology/build.h>
#include <topology/topology.h>

#ifndef CAIRN_VERSION
#define CAIRN_VERSION "0.0-unknown"
#endif

static const struct boot_info *boot_info;

const struct boot_info *kernel_boot_info(void)
{
	return boot_info;
}

// Options the kernel understands; anything else gets a warning.
static const char *const known_opts[] = {
    "test",           "exit",           "loglevel",    "panic",
    "crash",          "topo",           "shutdown",    "reboot",
    "acpi.dump",      "noaml",          "acpi.tables", "sched.domains",
    "trace",          "trace.size",     "sched",       "sched.stats",
    "sched.watchdog", "sched.wcheck",   "lockdebug",   "sched.fair.bugs",
    "test.fair_pct",  "test.fair_cpus", "bench",       "workload"};

static void warn_unknown(const char *key, const char *value)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_opts); i++)
		if (strcmp(key, known_opts[i]) == 0)
			return;
	pr_warn("cmdline: unknown option '%s' ignored\n", key);
}

static const char *mem_type_name(uint32_t type)
{
	static const char *const efi[] = {
	    "reserved",  "loader code",  "loader data",  "boot code",
	    "boot data", "runtime code", "runtime data", "conventional",
	    "unusable",  "ACPI reclaim", "ACPI NVS",     "MMIO",
	    "MMIO port", "PAL code",     "persistent"};

	if (type < ARRAY_SIZE(efi))
		return efi[type];
	if (type == CAIRN_MEM_KERNEL)
		return "kernel";
	if (type == CAIRN_MEM_BOOTINFO)
		return "boot info";
	if (type == CAIRN_MEM_PAGETABLES)
		return "page tables";
	return "other";
}

// Prints the map (debug) and a summary; returns the usable bytes (what
// mm_init() may hand to the allocator), 0 for a map it cannot read.
static uint64_t print_memory_map(const struct boot_info *bi)
{
	const struct cairn_mmap_entry *m = phys_to_virt(bi->mmap);
	uint64_t usable = 0, reserved = 0;

	if (bi->mmap_entry_size != sizeof(*m)) {
		pr_err("boot: memory map entry size %u, expected %zu; map "
		       "ignored\n",
		       bi->mmap_entry_size, sizeof(*m));
		return 0;
	}
	pr_debug("memory map: %u entries\n", bi->mmap_count);
	for (uint32_t i = 0; i < bi->mmap_count; i++) {
		uint64_t bytes = m[i].pages * 4096;

		// Not %#: C prints 0 without its 0x, and the columns slip.
		pr_debug("  0x%012lx-0x%012lx %-13s attr %#lx\n",
		         (unsigned long)m[i].base,
		         (unsigned long)(m[i].base + bytes - 1),
		         mem_type_name(m[i].type), (unsigned long)m[i].attr);
		if (mm_type_usable(m[i].type))
			usable += bytes;
		else if (m[i].type != 11 && m[i].type != 12)
			reserved += bytes; // MMIO is not memory
	}
	pr_info("memory: %lu MiB usable, %lu KiB reserved, in %u map "
	        "entries\n",
	        (unsigned long)(usable >> 20), (unsigned long)(reserved >> 10),
	        bi->mmap_count);
	return usable;
}

// NUMA for the page allocator, from the topology (built before it).
static bool mm_node_of(paddr_t pa, unsigned *node, paddr_t *end)
{
	bool exact;

	*node = topo_mem_node(pa, end, &exact);
	return exact;
}

static unsigned mm_node_distance(unsigned from, unsigned to)
{
	return topo_node_distance(from, to);
}

// Each online CPU allocates from its own node first.
static void mm_cpus_to_nodes(void)
{
	for (unsigned i = 0; i < cpu_count; i++) {
		unsigned t = cpus[i] ? topo_cpu_by_hwid(cpus[i]->hwid) : ~0u;

		if (t < topo_cpu_count())
			mm_set_cpu_node(i, topo_cpu_node(t));
	}
}

// Page allocator and heap from the memory map; reports how long it took.
static struct mm_init_stats mm_boot_stats;

const struct mm_init_stats *kernel_mm_stats(void)
{
	return &mm_boot_stats;
}

static void memory_init(const struct boot_info *bi)
{
	struct mm_init_stats st;
	struct buddy_stats bs, all;
	uint64_t t0 = hal_ticks(), us;
	unsigned nodes;
	err_t e;

	e = mm_init(phys_to_virt(bi->mmap), bi->mmap_count, bi->mmap_entry_size,
	            mm_node_of, mm_node_distance, &st);
	us = (hal_ticks() - t0) * 1000000 / hal_ticks_hz();
	if (e)
		panic("mm: no page allocator: %s", err_name(e));
	mm_boot_stats = st;
	nodes = mm_total_stats(&all);
	pr_info("mm: %lu MiB in %u ranges on %u node%s, %lu KiB metadata, "
	        "allocator ready in %lu us\n",
	        (unsigned long)(all.managed_pages >> 8), st.ranges, nodes,
	        nodes == 1 ? "" : "s", (unsigned long)(all.meta_pages * 4),
	        (unsigned long)us);
	for (unsigned n = 0; nodes > 1 && n < BUDDY_MAX_NODES; n++) {
		buddy_get_stats(mm_pages(), n, &bs);
		if (bs.managed_pages)
			pr_info("mm:   node %u: %lu MiB\n", n,
			        (unsigned long)(bs.managed_pages >> 8));
	}
}

static unsigned long ms_since_loader(const struct boot_info *bi)
{
	uint64_t now = hal_ticks();

	if (!bi->ticks_hz || now < bi->loader_start_ticks)
		return 0;
	return (unsigned long)((now - bi->loader_start_ticks) * 1000 /
	                       bi->ticks_hz);
}

static __noreturn void run_tests(const char *filter)
{
	struct ktest_summary sum;

	panic_exit_status = 2; // a panic during tests fails the run
	aml_asl_host_setup = acpi_aml_sync_hooks;
	ktest_run(filter, &sum);
	printk("%d passed, %d failed, %d skipped\n", sum.passed, sum.failed,
	       sum.skipped);
	kernel_exit(sum.failed ? 1 : 0);
}

// `bench=PREFIX`: the in-kernel benchmarks (tests/kernel/bench.h) print
// their figures; the run exits 0 (figures are not pass/fail).
static __noreturn void run_benches(const char *prefix)
{
	panic_exit_status = 2;
	kernel_exit(bench_run(prefix) ? 0 : 1);
}

static void check_boot_info(const struct boot_info *bi)
{
	// A version 1 loader from before boot_info.file is fine: size says
	// whether the appended fields are there (workload_boot checks).
	if (bi->magic != CAIRN_BOOTINFO_MAGIC ||
	    bi->size < offsetof(struct boot_info, file) ||
	    bi->version != CAIRN_BOOTINFO_VERSION)
		panic("boot info at %p: magic %#lx version %u size %u: not "
		      "from a matching loader",
		      bi, (unsigned long)bi->magic, bi->version, bi->size);
}

// Interrupt controllers and timers of the boot CPU, then the other CPUs.
// Without interrupts or a clock the kernel stays on the boot CPU.
static void start_cpus(void)
{
	err_t err;

	if ((err = hal_irq_init()) || (err = hal_irq_init_cpu())) {
		pr_err("irq: set-up failed (%s): one CPU, no interrupts\n",
		       err_name(err));
		return;
	}
	if ((err = hal_timer_init()) || (err = hal_timer_init_cpu())) {
		pr_err("timer: set-up failed (%s): one CPU\n", err_name(err));
		return;
	}
	hal_irq_enable();
	smp_init();
}

__noreturn void kernel_main(const struct boot_info *bi)
{
	const char *cmdline;

	percpu_init_boot(); // this_cpu() / hal_cpu_id() from here on
	boot_info = bi;
	check_boot_info(bi);
	phys_direct_map_base = bi->direct_map_base;
	phys_direct_map_size = bi->direct_map_size;
	// Firmware tables first, quietly: the serial port may be named there.
	// What goes wrong is logged and replayed once a console exists.
	if (bi->acpi_rsdp && acpi_init(bi->acpi_rsdp))
		pr_err("acpi: tables unusable; carrying on without ACPI\n");
	(void)hal_early_init(bi);
	cmdline = bi->cmdline ? phys_to_virt(bi->cmdline) : "";
	(void)cmdline_parse(cmdline, bi->cmdline_len);
	printk_set_level((int)cmdline_get_uint("loglevel", LOGLEVEL_DEFAULT));
	if (cmdline_has("lockdebug"))
		lockdebug_enable(); // docs/locking.md
	if (cmdline_has("panic") || cmdline_has("crash") ||
	    cmdline_has("test") || cmdline_has("exit"))
		panic_exit_status = 2;

	pr_info("Cairn " CAIRN_VERSION " (%s)\n", hal_arch_name());
	pr_info("firmware: %.64s, revision %u.%u\n", bi->fw_vendor,
	        bi->fw_revision >> 16, bi->fw_revision & 0xffff);
	pr_info("command line: %s\n", cmdline);
	fbcon_boot_init(bi);
	cmdline_for_each(warn_unknown);
	// A one-node machine's node holds the map's usable memory.
	topology_set_usable_memory(print_memory_map(bi));
	if (cmdline_has("acpi.tables"))
		acpi_tables_dump();
	if (bi->symtab)
		(void)symbols_init(phys_to_virt(bi->symtab), bi->symtab_size,
		                   phys_to_virt(bi->strtab), bi->strtab_size);
	// Topology first: its NUMA node ranges split the page allocator.
	topology_boot(bi->dtb ? phys_to_virt(bi->dtb) : NULL, bi->dtb_size,
	              cmdline_get("topo"));
	memory_init(bi);
	vm_kernel_init(bi);
	start_cpus();
	topology_cacheid_record(this_cpu()->hwid); // as each secondary did
	topology_cpus_started(); // caches from each CPU's own registers
	mm_cpus_to_nodes();
	sched_domains_boot(cmdline_has("sched.domains"));
	trace_boot(cmdline_get("trace"), cmdline_get_uint("trace.size", 0),
	           cpu_count);
	sched_obs_boot(); // sched.stats, sched.watchdog, sched.wcheck
	(void)sched_fair_set_bugs(cmdline_get("sched.fair.bugs"));
	sched_init(
	    cmdline_get("sched")); // kernel_main goes on as thread "main"
	sched_obs_start();

	if (cmdline_has("test"))
		run_tests(cmdline_get("test"));
	if (cmdline_has("bench"))
		run_benches(cmdline_get("bench"));
	if (cmdline_has("panic"))
		panic("panic requested on the command line");
	if (cmdline_has("crash")) // exercise the exception report
		*(volatile int *)(uintptr_t)0xfffffe0000000000ull = 1;

	if (acpi_table_count() && cmdline_has("noaml"))
		pr_info("acpi: noaml: the firmware's AML (DSDT, SSDTs) is not "
		        "loaded: no namespace, no ACPI events; power-off and "
		        "reset through the firmware only\n");
	else if (acpi_table_count())
		if (!acpi_aml_boot(cmdline_has("acpi.dump")))
			acpi_events_init();

	pr_info("boot complete: %lu ms since the loader started\n",
	        ms_since_loader(bi));
	if (cmdline_has("workload")) // docs/research.md
		workload_boot(cmdline_get("workload"));
	if (cmdline_has("exit"))
		kernel_exit(0);
	if (cmdline_has("shutdown"))
		kernel_shutdown();
	if (cmdline_has("reboot"))
		kernel_reboot();
	if (work_start())
		pr_err("work: no work thread: ACPI events will not run\n");
	monitor_start(); // scripted runs (`exit`, `test`) never get here
	// The boot CPU's idle thread takes over when main is gone.
	thread_detach(thread_current());
	thread_exit(0);
}
