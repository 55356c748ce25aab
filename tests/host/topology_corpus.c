// SPDX-License-Identifier: MIT
// The topology of every machine in the real-firmware corpus
// ($CAIRN_SHARED/acpi-corpus: 53 x86 machines, eight with SRAT, six with
// SLIT too), from its ACPI tables alone (no CPUID dump: packages, cores and
// caches must be reported unknown, not invented). Checked independently of
// topology/: the CPUs are the MADT's enabled (x2)APIC IDs, the nodes the
// SRAT's domains, the distances the SLIT's; the XML loads in lstopo.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acpi/acpi.h>
#include <acpi/madt.h>
#include <acpi/slit.h>
#include <acpi/srat.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <topology/build.h>
#include "acpi_util.h"
#include "topology_util.h"

#define MAX_MACHINES 64
#define MAX_FILES 128

static struct acpi_file files[MAX_FILES];

static unsigned madt_enabled_cpus(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_madt m;
	struct acpi_madt_entry e;
	static uint32_t ids[1024];
	unsigned n = 0;

	if (acpi_table_find("APIC", 0, &t) || acpi_madt_parse(t, &m))
		return 0;
	for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);) {
		bool dup = false;

		if ((e.type != ACPI_MADT_LAPIC && e.type != ACPI_MADT_X2APIC) ||
		    !e.lapic.enabled)
			continue;
		for (unsigned i = 0; i < n; i++)
			dup = dup || ids[i] == e.lapic.apic_id;
		if (!dup && n < 1024)
			ids[n++] = e.lapic.apic_id;
	}
	return n;
}

static unsigned srat_domains(void)
{
	const struct acpi_sdt_header *t;
	struct acpi_srat s;
	struct acpi_srat_entry e;
	bool seen[256] = {false};
	unsigned n = 0;

	if (acpi_table_find("SRAT", 0, &t) || acpi_srat_parse(t, &s))
		return 0;
	for (uint32_t pos = 0; acpi_srat_next(&s, &pos, &e);)
		if (e.enabled && e.domain < 256 && !seen[e.domain] &&
		    (e.type == ACPI_SRAT_CPU || e.type == ACPI_SRAT_X2APIC ||
		     (e.type == ACPI_SRAT_MEMORY && e.mem.length)))
			seen[e.domain] = true, n++;
	return n;
}

static void check_slit(struct ktest *t, const char *name)
{
	const struct acpi_sdt_header *tb;
	struct acpi_slit s;

	if (acpi_table_find("SLIT", 0, &tb) || acpi_slit_parse(tb, &s))
		return;
	for (unsigned a = 0; a < topo_node_count(); a++)
		for (unsigned b = 0; b < topo_node_count(); b++) {
			uint32_t da = topo_node_domain(a),
				 db = topo_node_domain(b);

			if (da < s.n && db < s.n &&
			    !KT_EXPECT_EQ_U(topo_node_distance(a, b),
			                    acpi_slit_distance(&s, da, db)))
				ktest_log(t, "%s: distance %u->%u", name, da,
				          db);
		}
}

static bool lstopo_loads(const char *xml)
{
	char path[] = "/tmp/cairn-topo-XXXXXX", cmd[256];
	int fd = mkstemp(path);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, xml, strlen(xml)) == (ssize_t)strlen(xml);
	close(fd);
	snprintf(cmd, sizeof(cmd),
	         "lstopo-no-graphics --input %s --of console >/dev/null 2>&1",
	         path);
	ok = ok && system(cmd) == 0;
	unlink(path);
	return ok;
}

static bool has_note(const char *prefix)
{
	for (unsigned i = 0; i < topo_note_count(); i++)
		if (!strncmp(topo_note_get(i), prefix, strlen(prefix)))
			return true;
	return false;
}

KTEST(topology_corpus, every_machine)
{
	static char names[MAX_MACHINES][128];
	const char *dir = acpi_test_corpus_dir();
	bool lstopo =
	    system("lstopo-no-graphics --version >/dev/null 2>&1") == 0;
	unsigned machines = 0, numa = 0, cpus = 0, loaded = 0;
	int n;

	if (!dir)
		KT_SKIP("no ACPI corpus");
	n = acpi_test_list_dirs(dir, names, MAX_MACHINES);
	acpi_set_quiet(true);
	for (int i = 0; i < n; i++) {
		char path[600];
		int nf;
		unsigned doms;
		char *xml, *text;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		nf = acpi_test_load_dir(path, files, MAX_FILES);
		acpi_reset();
		for (int f = 0; f < nf; f++)
			(void)acpi_table_register(files[f].buf, files[f].len);
		KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
		if (!KT_EXPECT_EQ_U(topo_cpu_count(), madt_enabled_cpus()))
			ktest_log(t, "%s: CPUs", names[i]);
		doms = srat_domains();
		if (!KT_EXPECT_EQ_U(topo_node_count(), doms ? doms : 1))
			ktest_log(t, "%s: nodes", names[i]);
		numa += doms > 0;
		check_slit(t, names[i]);
		KT_EXPECT(has_note("packages: unknown"));
		KT_EXPECT(has_note("caches: unknown"));
		(void)topo_mem_node(0, NULL, NULL);
		(void)topo_mem_node(~0ull, NULL, NULL);
		text = topo_test_tree();
		KT_EXPECT(strstr(text, "Machine") == text);
		xml = topo_test_xml();
		if (lstopo && !KT_EXPECT(lstopo_loads(xml)))
			ktest_log(t, "%s: lstopo rejects the XML", names[i]);
		loaded += lstopo;
		free(xml);
		free(text);
		cpus += topo_cpu_count();
		machines++;
		acpi_reset();
		acpi_test_free(files, nf);
	}
	acpi_set_quiet(false);
	ktest_log(t,
	          "%u machines (%u with SRAT), %u CPUs, %u XMLs loaded by "
	          "lstopo",
	          machines, numa, cpus, loaded);
	KT_EXPECT_EQ_U(numa, 8);
}
