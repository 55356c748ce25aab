// SPDX-License-Identifier: MIT
// Boot-time glue: build the model and print it on the kernel console. The
// `topo=` command-line option adds output between markers that
// tests/topology/extract.py finds in a serial log:
//   topo=xml    hwloc XML    (TOPOLOGY_XML_BEGIN / _END)
//   topo=dump   the inputs   (TOPOLOGY_DUMP_BEGIN / _END) for build/host/topo
//   topo=all    both
// topology_boot() then topology_cpus_started(), on the boot CPU;
// single-threaded.
#include <string.h>
#include <lib/printk.h>
#include <topology/build.h>

static void boot_write(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	printk("%.*s", (int)len, s);
}

static const void *boot_fdt;
static size_t boot_fdt_size;
static const char *boot_opt;
static bool deferred; // printing waits for topology_cpus_started()

static void boot_print(const char *opt)
{
	struct topo_out o = {boot_write, NULL};
	bool all = opt && strcmp(opt, "all") == 0;

	topo_print_summary(&o);
	topo_print_tree(&o);
	if (opt && (all || strcmp(opt, "dump") == 0)) {
		printk("-----BEGIN CAIRN TOPOLOGY DUMP-----\n");
		topo_dump_inputs(&o);
		printk("-----END CAIRN TOPOLOGY DUMP-----\n");
	}
	if (opt && (all || strcmp(opt, "xml") == 0)) {
		printk("-----BEGIN CAIRN TOPOLOGY XML-----\n");
		topo_print_xml(&o);
		printk("-----END CAIRN TOPOLOGY XML-----\n");
	}
}

// Whether the caches came from CLIDR/CCSIDR (topology/cacheid.c names it
// among the sources).
static bool from_cacheid(void)
{
	for (const char *p = topo_sources(); *p; p++)
		if (!strncmp(p, "CLIDR", 5))
			return true;
	return false;
}

void topology_boot(const void *fdt, size_t fdt_size, const char *opt)
{
	if (opt && strcmp(opt, "all") && strcmp(opt, "xml") &&
	    strcmp(opt, "dump"))
		pr_warn("topology: topo=%s: expected xml, dump or all\n", opt);
	boot_fdt = fdt;
	boot_fdt_size = fdt_size;
	boot_opt = opt;
	(void)topology_build(fdt, fdt_size);
	// Caches from the boot CPU's registers only: the model is complete
	// once every CPU has read its own (topology_cpus_started()).
	deferred = from_cacheid();
	if (deferred)
		pr_info("cacheid: the topology is printed once every CPU "
		        "has read its own cache registers\n");
	else
		boot_print(opt);
}

// The first build saw the boot CPU's cache registers only (the others were
// not running): now each CPU has recorded its own. The rebuild reads the
// same tables, so everything but the caches comes out the same.
void topology_cpus_started(void)
{
	if (!deferred)
		return;
	deferred = false;
	(void)topology_build(boot_fdt, boot_fdt_size);
	boot_print(boot_opt);
}
