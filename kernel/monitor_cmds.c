// SPDX-License-Identifier: MIT
// The monitor's built-in commands (kernel/monitor.h): what Cairn knows
// about the machine (topology, memory, CPUs, ACPI), the in-kernel tests,
// and leaving. Each runs in the idle loop on the boot CPU.
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/aml_boot.h>
#include <kernel/monitor.h>
#include <kernel/percpu.h>
#include <lib/power.h>
#include <lib/printk.h>
#include <mm/buddy.h>
#include <mm/mm.h>
#include <tests/ktest.h>
#include <topology/topology.h>

static void out_write(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

static const struct topo_out mon_out = {.write = out_write};

static void topo_run(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "tree") == 0)
		topo_print_tree(&mon_out);
	else if (strcmp(argv[1], "xml") == 0)
		topo_print_xml(&mon_out);
	else if (strcmp(argv[1], "summary") == 0)
		topo_print_summary(&mon_out);
	else
		monitor_printf("topo: '%s'? use tree, xml or summary\n",
		               argv[1]);
}

static void mem_node(unsigned n, const struct buddy_stats *s)
{
	char orders[BUDDY_NR_ORDERS * 8 + 1] = "";
	size_t used = 0;

	for (unsigned o = 0; o < BUDDY_NR_ORDERS && used < sizeof(orders); o++)
		used +=
		    (size_t)ksnprintf(orders + used, sizeof(orders) - used,
		                      " %lu", (unsigned long)s->free_blocks[o]);
	monitor_printf("node %u: %lu MiB managed, %lu MiB free (%lu pages in "
	               "per-CPU caches), %lu KiB metadata\n",
	               n, (unsigned long)(s->managed_pages >> 8),
	               (unsigned long)(s->free_pages >> 8),
	               (unsigned long)s->pcp_pages,
	               (unsigned long)(s->meta_pages * 4));
	monitor_printf("  free blocks by order 0-%u:%s\n", BUDDY_NR_ORDERS - 1,
	               orders);
}

static void mem_run(int argc, char **argv)
{
	struct buddy_stats s;
	unsigned shown = 0;

	(void)argc;
	(void)argv;
	for (unsigned n = 0; n < BUDDY_MAX_NODES; n++) {
		buddy_get_stats(mm_pages(), n, &s);
		if (!s.managed_pages)
			continue;
		mem_node(n, &s);
		shown++;
	}
	if (!shown)
		monitor_printf("mem: no page allocator\n");
}

static void cpus_run(int argc, char **argv)
{
	unsigned online = 0;

	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < cpu_count; i++) {
		struct cpu *c = cpus[i];
		unsigned t = c ? topo_cpu_by_hwid(c->hwid) : TOPO_NONE;

		if (!c)
			continue;
		online += c->online;
		monitor_printf("cpu %u: hwid 0x%lx, %s", i,
		               (unsigned long)c->hwid,
		               c->online ? "online" : "offline");
		if (t != TOPO_NONE)
			monitor_printf(", package %u core %u node %u",
			               topo_cpu_package(t), topo_cpu_core(t),
			               topo_cpu_node(t));
		monitor_printf(", %lu timer events\n",
		               (unsigned long)c->timer_fired);
	}
	monitor_printf("%u of %u CPUs online\n", online, cpu_count);
}

static void acpi_tables_list(void)
{
	unsigned n = acpi_table_count();

	for (unsigned i = 0; i < n; i++) {
		const struct acpi_sdt_header *t = acpi_table_get(i);

		if (t)
			monitor_printf("%.4s  %6u bytes  rev %u  %.6s %.8s\n",
			               t->signature, t->length, t->revision,
			               t->oem_id, t->oem_table_id);
	}
	monitor_printf("%u tables\n", n);
}

struct ns_walk {
	const char *prefix;
	unsigned shown;
};

static bool ns_node(void *arg, const char *path, unsigned depth,
                    enum aml_type type)
{
	struct ns_walk *w = arg;

	if (strncmp(path, w->prefix, strlen(w->prefix)) != 0)
		return true;
	monitor_printf("  %*s%s [%s]\n", (int)(depth - 1) * 2, "", path,
	               aml_type_name(type));
	w->shown++;
	return true;
}

static void acpi_eval_print(const char *path)
{
	struct aml_value v;
	const uint8_t *buf;
	size_t len;
	err_t e = aml_eval(acpi_aml(), path, NULL, 0, &v);

	if (e) {
		monitor_printf("%s: %s\n", path, err_name(e));
		return;
	}
	if (v.type == AML_INTEGER)
		monitor_printf("%s = %#lx (%lu)\n", path, (unsigned long)v.i,
		               (unsigned long)v.i);
	else if (v.type == AML_STRING)
		monitor_printf("%s = \"%s\"\n", path, aml_value_str(&v));
	else if ((buf = aml_value_buf(&v, &len)))
		monitor_printf("%s = buffer of %zu bytes%s %02x %02x %02x %02x"
		               "\n",
		               path, len, len > 4 ? ", first" : ":",
		               len > 0 ? buf[0] : 0, len > 1 ? buf[1] : 0,
		               len > 2 ? buf[2] : 0, len > 3 ? buf[3] : 0);
	else
		monitor_printf("%s = %s\n", path, aml_type_name(v.type));
	aml_value_put(acpi_aml(), &v);
}

static void acpi_run(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "tables";

	if (strcmp(what, "tables") == 0) {
		acpi_tables_list();
		return;
	}
	if (!acpi_aml()) {
		monitor_printf("acpi: no AML interpreter (no ACPI, or `noaml`)"
		               "\n");
		return;
	}
	if (strcmp(what, "ns") == 0) {
		struct ns_walk w = {.prefix = argc > 2 ? argv[2] : ""};

		aml_ns_walk(acpi_aml(), ns_node, &w);
		monitor_printf("%u nodes\n", w.shown);
	} else if (strcmp(what, "eval") == 0 && argc > 2)
		acpi_eval_print(argv[2]);
	else
		monitor_printf("acpi: use tables, ns [PREFIX] or eval PATH\n");
}

static void test_run(int argc, char **argv)
{
	struct ktest_summary sum;

	ktest_run(argc > 1 ? argv[1] : "", &sum);
	monitor_printf("%d passed, %d failed, %d skipped\n", sum.passed,
	               sum.failed, sum.skipped);
}

static void poweroff_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	kernel_shutdown();
}

static void reboot_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	kernel_reboot();
}

static struct monitor_cmd builtins[] = {
    {.name = "topo",
     .usage = "[tree|xml|summary]",
     .help = "the machine's topology (lstopo-style tree, hwloc XML)",
     .run = topo_run},
    {.name = "mem",
     .usage = "",
     .help = "page allocator statistics per NUMA node",
     .run = mem_run},
    {.name = "cpus",
     .usage = "",
     .help = "CPUs: hardware ID, state, place in the topology",
     .run = cpus_run},
    {.name = "acpi",
     .usage = "[tables|ns [PREFIX]|eval PATH]",
     .help = "ACPI tables, the AML namespace, evaluate an object",
     .run = acpi_run},
    {.name = "test",
     .usage = "[PREFIX]",
     .help = "run the in-kernel tests (suite.case starting with PREFIX)",
     .run = test_run},
    {.name = "poweroff",
     .usage = "",
     .help = "power the machine off (QEMU exits)",
     .run = poweroff_run},
    {.name = "reboot",
     .usage = "",
     .help = "reset the machine",
     .run = reboot_run},
};

void monitor_builtins(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		monitor_register(&builtins[i]);
}
