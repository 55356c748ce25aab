// SPDX-License-Identifier: MIT
// Boot-time glue: build the model and print it on the kernel console. The
// `topo=` command-line option adds output between markers that
// tests/topology/extract.py finds in a serial log:
//   topo=xml    hwloc XML    (TOPOLOGY_XML_BEGIN / _END)
//   topo=dump   the inputs   (TOPOLOGY_DUMP_BEGIN / _END) for build/host/topo
//   topo=all    both
// Called once on the boot CPU; single-threaded.
#include <string.h>
#include <lib/printk.h>
#include <topology/build.h>

static void boot_write(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	printk("%.*s", (int)len, s);
}

void topology_boot(const void *fdt, size_t fdt_size, const char *opt)
{
	struct topo_out o = {boot_write, NULL};
	bool all = opt && strcmp(opt, "all") == 0;

	if (opt && !all && strcmp(opt, "xml") && strcmp(opt, "dump"))
		pr_warn("topology: topo=%s: expected xml, dump or all\n", opt);
	(void)topology_build(fdt, fdt_size);
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
