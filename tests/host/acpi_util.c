// SPDX-License-Identifier: MIT
// Host-side helpers for the ACPI tests (see acpi_util.h), including the
// host implementation of acpi_host_map() over fake physical regions.
// Single-threaded, like the test runner.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <acpi/host.h>
#include "acpi_util.h"

static char acpi_corpus_path[512];

const char *acpi_test_corpus_dir(void)
{
	const char *shared = getenv("CAIRN_SHARED");
	struct stat st;

	snprintf(acpi_corpus_path, sizeof(acpi_corpus_path), "%s/acpi-corpus",
	         shared ? shared : "../shared");
	if (stat(acpi_corpus_path, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return acpi_corpus_path;
}

const char *acpi_test_qemu_dir(void)
{
	struct stat st;

	if (stat("build/deps/qemu-acpi/virt", &st) != 0)
		return NULL;
	return "build/deps/qemu-acpi";
}

int acpi_test_load_file(const char *path, struct acpi_file *f)
{
	const char *slash = strrchr(path, '/');
	FILE *fp = fopen(path, "rb");
	long n;

	memset(f, 0, sizeof(*f));
	if (!fp)
		return -1;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0) {
		fclose(fp);
		return -1;
	}
	rewind(fp);
	f->buf = malloc(n ? (size_t)n : 1);
	if (!f->buf || fread(f->buf, 1, (size_t)n, fp) != (size_t)n) {
		free(f->buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	f->len = (size_t)n;
	snprintf(f->path, sizeof(f->path), "%s", path);
	snprintf(f->name, sizeof(f->name), "%s", slash ? slash + 1 : path);
	return 0;
}

int acpi_test_fixture_load(const char *name, struct acpi_file *f)
{
	char dir[] = "/tmp/cairn-acpi-XXXXXX", cmd[1024], out[600];
	int rc;

	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd),
	         "iasl -p %s/%s tests/fixtures/acpi/%s.asl >/dev/null 2>&1",
	         dir, name, name);
	rc = system(cmd);
	snprintf(out, sizeof(out), "%s/%s.aml", dir, name);
	if (rc == 0)
		rc = acpi_test_load_file(out, f);
	unlink(out);
	rmdir(dir);
	return rc;
}

bool acpi_test_have_iasl(void)
{
	return system("iasl -v >/dev/null 2>&1") == 0;
}

static int acpi_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

int acpi_test_list_dirs(const char *dir, char names[][128], int max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < max) {
		char p[1024];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			snprintf(names[n++], 128, "%s", de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, 128, acpi_cmp);
	return n;
}

int acpi_test_load_dir(const char *dir, struct acpi_file *files, int max)
{
	static char names[512][128];
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0, k = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < 512) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "SOURCE") ||
		    strstr(de->d_name, ".md") || strstr(de->d_name, ".sh"))
			continue;
		snprintf(names[n++], 128, "%s", de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, 128, acpi_cmp);
	for (int i = 0; i < n && k < max; i++) {
		char p[1024];

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		if (acpi_test_load_file(p, &files[k]) == 0)
			k++;
	}
	return k;
}

void acpi_test_free(struct acpi_file *files, int n)
{
	for (int i = 0; i < n; i++) {
		free(files[i].buf);
		files[i].buf = NULL;
	}
}

static char acpi_reports[64][200];
static unsigned acpi_nreports;

static void acpi_collect(const char *msg, bool warning)
{
	if (acpi_nreports < 64)
		snprintf(acpi_reports[acpi_nreports++], 200, "%s", msg);
}

void acpi_test_collect_start(void)
{
	acpi_nreports = 0;
	acpi_set_quiet(true);
	acpi_set_report_hook(acpi_collect);
}

void acpi_test_collect_stop(void)
{
	acpi_set_report_hook(NULL);
	acpi_set_quiet(false);
}

unsigned acpi_test_nreports(void)
{
	return acpi_nreports;
}

const char *acpi_test_report(unsigned i)
{
	return i < acpi_nreports ? acpi_reports[i] : "";
}

void acpi_test_fix(uint8_t *buf, uint32_t len, size_t avail)
{
	uint8_t sum = 0;

	buf[4] = (uint8_t)len;
	buf[5] = (uint8_t)(len >> 8);
	buf[6] = (uint8_t)(len >> 16);
	buf[7] = (uint8_t)(len >> 24);
	buf[9] = 0;
	for (uint32_t i = 0; i < len && i < avail; i++)
		sum = (uint8_t)(sum + buf[i]);
	buf[9] = (uint8_t)-sum;
}

static struct {
	paddr_t pa;
	uint8_t *buf;
	size_t len;
} acpi_phys[32];
static unsigned acpi_nphys;

void acpi_test_phys_add(paddr_t pa, void *buf, size_t len)
{
	if (acpi_nphys < 32)
		acpi_phys[acpi_nphys++] = (typeof(acpi_phys[0])){pa, buf, len};
}

void acpi_test_phys_reset(void)
{
	acpi_nphys = 0;
}

const void *acpi_host_map(paddr_t pa, size_t len)
{
	for (unsigned i = 0; i < acpi_nphys; i++) {
		if (pa >= acpi_phys[i].pa &&
		    pa - acpi_phys[i].pa <= acpi_phys[i].len &&
		    len <= acpi_phys[i].len - (pa - acpi_phys[i].pa))
			return acpi_phys[i].buf + (pa - acpi_phys[i].pa);
	}
	return NULL;
}
