// SPDX-License-Identifier: MIT
// build/host/topo: the kernel's topology layer (topology/) run on the host
// over a machine's tables, so a researcher gets the text tree and the hwloc
// XML that Cairn would print on that machine.
//
//   topo [--cpuid FILE] [--dtb FILE] [--xml OUT] [--draw OUT.png|svg]
//        [--summary] [--quiet] INPUT...
//
// INPUT: a directory of ACPI table files (acpixtract .dat, raw tables, a
// copy of /sys/firmware/acpi/tables; a file named cpuid* in it is taken as
// the CPUID dump, *.dtb as the device tree), a single table file, a .dtb,
// or a kernel log holding `topo=dump` output (tables in hex and cpuid
// lines, as tests/topology/extract.py also splits out; AArch64 dumps add
// the boot CPU's CLIDR/CCSIDR as "cacheid" lines and the memory map's
// usable bytes as a "memory" line). Prints the tree,
// distances, sources and every assumption made ("Note: ..."). Exit 0 if a
// model was built, 1 if nothing described a CPU, 2 on usage/IO errors.
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <acpi/acpi.h>
#include <hal/cacheid.h>
#include <hal/cpuid.h>
#include <lib/err.h>
#include <topology/build.h>
#include <tests/host/hal/host_util.h>

#define MAX_LEAVES 256

static struct host_cpuid_leaf leaves[MAX_LEAVES];
static unsigned nleaves;
static struct hal_cacheid cacheid;
static bool have_cacheid;
static char *dtb;
static size_t dtb_size;

static bool looks_like_table(const char *buf, size_t len)
{
	if (len < 36)
		return false;
	for (int i = 0; i < 4; i++)
		if (!isupper((unsigned char)buf[i]) &&
		    !isdigit((unsigned char)buf[i]) && buf[i] != '_')
			return false;
	return true;
}

// A "table SIG LEN" line and its hex, registered with acpi/.
static const char *load_hex_table(const char *p, const char *end)
{
	struct host_hex_table t;

	p = host_hex_table_parse(p, end, &t);
	if (t.got != t.len)
		fprintf(stderr, "topo: table %s: %zu of %u bytes in the dump\n",
		        t.sig, t.got, t.len);
	if (t.buf && acpi_table_register(t.buf, t.len) != E_OK)
		free(t.buf);
	return p ? p : end;
}

static void load_dump(const char *text, size_t len)
{
	const char *end = text + len;

	nleaves +=
	    host_cpuid_parse(text, leaves + nleaves, MAX_LEAVES - nleaves);
	for (const char *p = text; p && p < end;) {
		if (!strncmp(p, "table ", 6)) {
			p = load_hex_table(p, end);
			continue;
		}
		if (!strncmp(p, "cacheid clidr ", 14) &&
		    host_cacheid_parse(text, &cacheid)) {
			uint64_t hw[64];
			static struct hal_cacheid regs[64];
			unsigned n =
			    host_cacheid_parse_cpus(text, hw, regs, 64);

			have_cacheid = true;
			for (unsigned i = 0; i < n; i++) // CPUs that differ
				topology_cacheid_set(hw[i], &regs[i]);
		}
		if (!strncmp(p, "memory ", 7)) // the map's usable bytes
			topology_set_usable_memory(strtoull(p + 7, NULL, 10));
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static int load_file(const char *path)
{
	size_t len = 0;
	char *buf = host_read_file(path, &len);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (!buf) {
		perror(path);
		return -1;
	}
	if (len >= 4 && (uint8_t)buf[0] == 0xd0 && (uint8_t)buf[1] == 0x0d &&
	    (uint8_t)buf[2] == 0xfe && (uint8_t)buf[3] == 0xed) {
		dtb = buf;
		dtb_size = len;
		return 0;
	}
	if (!strncmp(base, "cpuid", 5)) {
		nleaves += host_cpuid_parse(buf, leaves + nleaves,
		                            MAX_LEAVES - nleaves);
		return 0;
	}
	// A table stays registered (and its buffer referenced); anything else,
	// including a log that happens to start with four capitals, is read
	// as dump text.
	if (looks_like_table(buf, len) && acpi_table_register(buf, len) == E_OK)
		return 0;
	load_dump(buf, len);
	free(buf);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[1024];
	unsigned n = 0;
	int err = 0;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d)) && n < 1024) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode))
			names[n++] = strdup(path);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (unsigned i = 0; i < n; i++) {
		err |= load_file(names[i]);
		free(names[i]);
	}
	return err;
}

static void out_file(void *ctx, const char *s, size_t len)
{
	fwrite(s, 1, len, ctx);
}

static int write_xml(const char *path)
{
	FILE *f = fopen(path, "w");
	struct topo_out o = {out_file, NULL};

	if (!f) {
		perror(path);
		return -1;
	}
	o.ctx = f;
	topo_print_xml(&o);
	return fclose(f);
}

static int draw(const char *xml, const char *out)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd), "lstopo --input '%s' --force '%s'", xml,
	         out);
	if (system(cmd) == 0)
		return 0;
	// hwloc-nox's lstopo writes no PNG; the graphical one is Debian's
	// hwloc.
	fprintf(stderr,
	        "topo: lstopo could not draw %s (needs Debian's hwloc "
	        "package, not hwloc-nox; python3 configure.py installs it)\n",
	        out);
	return -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: topo [--cpuid FILE] [--dtb FILE] [--xml OUT] "
	                "[--draw OUT.png|.svg] [--summary] [--quiet] "
	                "INPUT...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *xml = NULL, *picture = NULL;
	bool summary = false, any = false;
	struct topo_out o = {out_file, stdout};
	char tmpxml[] = "/tmp/topo-XXXXXX.xml";
	err_t err;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct stat st;

		if (!strcmp(a, "--summary"))
			summary = true;
		else if (!strcmp(a, "--quiet"))
			acpi_set_quiet(true);
		else if (i + 1 < argc && !strcmp(a, "--xml"))
			xml = argv[++i];
		else if (i + 1 < argc && !strcmp(a, "--draw"))
			picture = argv[++i];
		else if (i + 1 < argc &&
		         (!strcmp(a, "--cpuid") || !strcmp(a, "--dtb")))
			any = true, load_file(argv[++i]);
		else if (a[0] == '-')
			usage();
		else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode))
			any = true, load_dir(a);
		else
			any = true, load_file(a);
	}
	if (!any)
		usage();
	host_cpuid_load(leaves, nleaves);
	host_cacheid_load(have_cacheid ? &cacheid : NULL);
	err = topology_build(dtb, dtb_size);
	if (summary)
		topo_print_summary(&o);
	else
		topo_print_tree(&o);
	if (xml && write_xml(xml))
		return 2;
	if (picture) {
		if (!xml) {
			int fd = mkstemps(tmpxml, 4);

			if (fd < 0 || write_xml(tmpxml))
				return 2;
			xml = tmpxml;
		}
		if (draw(xml, picture))
			return 2;
		if (xml == tmpxml)
			remove(tmpxml);
	}
	return err == E_OK ? 0 : 1;
}
