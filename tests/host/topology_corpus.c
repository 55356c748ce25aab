// SPDX-License-Identifier: MIT
// The topology of every machine in the real-firmware corpus
// ($CAIRN_SHARED/acpi-corpus: 53 x86 machines, eight with SRAT, six with
// SLIT too), from its ACPI tables alone (no CPUID dump: packages, cores and
// caches must be reported unknown, not invented). Checked independently of
// topology/ and acpi/: the CPUs are the MADT's enabled (x2)APIC IDs, the
// nodes the SRAT's domains, the distances the SLIT's, all counted from the
// files' raw bytes (acpi_raw.c); the XML loads in lstopo.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <acpi/acpi.h>
#include <lib/err.h>
#include <tests/ktest.h>
#include <topology/build.h>
#include "acpi_raw.h"
#include "acpi_util.h"
#include "topology_util.h"

#define MAX_MACHINES 64
#define MAX_FILES 128

static struct acpi_file files[MAX_FILES];

// The witnesses read the table files' raw bytes (acpi_raw.c), not the
// acpi/ parsers that topology_build() uses.
static const uint8_t *find_file(const char *sig, int nf, size_t *len)
{
	for (int i = 0; i < nf; i++)
		if (files[i].len >= 36 && !memcmp(files[i].buf, sig, 4)) {
			*len = files[i].len;
			return files[i].buf;
		}
	return NULL;
}

static void check_slit(struct ktest *t, const char *name, int nf)
{
	size_t len;
	const uint8_t *slit = find_file("SLIT", nf, &len);

	for (unsigned a = 0; slit && a < topo_node_count(); a++)
		for (unsigned b = 0; b < topo_node_count(); b++) {
			int d =
			    raw_slit_distance(slit, len, topo_node_domain(a),
			                      topo_node_domain(b));

			if (d >= 0 &&
			    !KT_EXPECT_EQ_U(topo_node_distance(a, b), d))
				ktest_log(t, "%s: distance %u->%u", name,
				          topo_node_domain(a),
				          topo_node_domain(b));
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
	unsigned machines = 0, numa = 0, slits = 0, cpus = 0, loaded = 0;
	int n;

	if (!dir)
		KT_FAIL("no ACPI corpus in $CAIRN_SHARED/acpi-corpus (default "
		        "../shared/acpi-corpus, from the top of the tree)");
	n = acpi_test_list_dirs(dir, names, MAX_MACHINES);
	acpi_set_quiet(true);
	for (int i = 0; i < n; i++) {
		char path[600];
		int nf;
		unsigned doms;
		char *xml, *text;
		const uint8_t *madt, *srat;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		nf = acpi_test_load_dir(path, files, MAX_FILES);
		acpi_reset();
		for (int f = 0; f < nf; f++)
			(void)acpi_table_register(files[f].buf, files[f].len);
		KT_EXPECT_EQ(topology_build(NULL, 0), E_OK);
		madt = find_file("APIC", nf, &len);
		if (!KT_EXPECT_EQ_U(topo_cpu_count(),
		                    madt ? raw_madt_cpus(madt, len) : 0))
			ktest_log(t, "%s: CPUs", names[i]);
		srat = find_file("SRAT", nf, &len);
		doms = srat ? raw_srat_domains(srat, len, false) : 0;
		if (!KT_EXPECT_EQ_U(topo_node_count(), doms ? doms : 1))
			ktest_log(t, "%s: nodes", names[i]);
		numa += doms > 0;
		slits += find_file("SLIT", nf, &len) != NULL;
		check_slit(t, names[i], nf);
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
	// The corpus as described in its README: 53 machines, eight with an
	// SRAT, six of them with a SLIT.
	KT_EXPECT_EQ_U(machines, 53);
	KT_EXPECT_EQ_U(numa, 8);
	KT_EXPECT_EQ_U(slits, 6);
}
