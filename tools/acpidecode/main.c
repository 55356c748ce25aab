// SPDX-License-Identifier: MIT
// acpidecode: decodes raw ACPI table files (as in /sys/firmware/acpi/tables
// or acpixtract's *.dat output) with Cairn's own acpi/ decoders and prints
// them readably, followed by a list of every error found.
//
//   acpidecode [-s] DIR|FILE...     -s: one summary line per table
//
// Exit status: 0 if every table decoded, 1 if any table had an error, 2 on
// usage or I/O problems. Single-threaded; no locking.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <acpi/acpi.h>
#include <acpi/decode.h>
#include "print.h"

#define MAX_ERRORS 512

struct table_file {
	char path[512];
	void *buf;
	size_t len;
};

static struct table_file files[ACPI_MAX_TABLES];
static unsigned nfiles;
static char *errors[MAX_ERRORS];
static unsigned nerrors;

static void error_add(const char *path, const char *msg)
{
	char *s;

	if (nerrors >= MAX_ERRORS)
		return;
	s = malloc(strlen(path) + strlen(msg) + 3);
	if (!s)
		return;
	sprintf(s, "%s: %s", path, msg);
	errors[nerrors++] = s;
}

static int load_file(const char *path)
{
	struct table_file *f;
	FILE *fp;
	long n;

	if (nfiles >= ACPI_MAX_TABLES) {
		fprintf(stderr, "acpidecode: too many files, %s skipped\n",
		        path);
		return 0;
	}
	f = &files[nfiles];
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0) {
		perror(path);
		if (fp)
			fclose(fp);
		return -1;
	}
	rewind(fp);
	f->buf = malloc(n ? (size_t)n : 1);
	if (!f->buf || fread(f->buf, 1, (size_t)n, fp) != (size_t)n) {
		perror(path);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	f->len = (size_t)n;
	snprintf(f->path, sizeof(f->path), "%s", path);
	nfiles++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

// Loads every regular file in dir that looks like a table (not SOURCE or
// README files), in name order.
static int load_dir(const char *dir)
{
	char *names[ACPI_MAX_TABLES], path[1024];
	unsigned n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d)) && n < ACPI_MAX_TABLES) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "SOURCE") ||
		    strstr(de->d_name, ".md") || strstr(de->d_name, ".txt"))
			continue;
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (unsigned i = 0; i < n; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc |= load_file(path);
		free(names[i]);
	}
	return rc;
}

static int load_arg(const char *arg)
{
	struct stat st;

	if (stat(arg, &st) != 0) {
		perror(arg);
		return -1;
	}
	return S_ISDIR(st.st_mode) ? load_dir(arg) : load_file(arg);
}

// Warnings are printed where they occur; errors also go to the final list.
static void on_report(const char *msg, bool warning)
{
	if (warning)
		printf("  WARNING: %s\n", msg);
}

static void decode_one(const struct table_file *f, bool summary)
{
	const struct acpi_sdt_header *t = f->buf;
	err_t err;

	acpi_clear_error();
	err = acpi_table_register(f->buf, f->len);
	if (err) {
		printf("%s: not a usable table: %s\n", f->path, err_name(err));
		error_add(f->path, acpi_last_error());
		return;
	}
	print_header(f->path, t);
	err = acpi_table_decode(t);
	if (err && err != E_NOTSUP) {
		printf("  ERROR: %s\n", acpi_last_error());
		error_add(f->path, acpi_last_error());
		return;
	}
	if (!summary && err != E_NOTSUP)
		print_table(t);
}

int main(int argc, char **argv)
{
	bool summary = false;
	unsigned warnings;
	int i = 1, rc = 0;

	if (i < argc && !strcmp(argv[i], "-s")) {
		summary = true;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: acpidecode [-s] DIR|FILE...\n");
		return 2;
	}
	for (; i < argc; i++)
		rc |= load_arg(argv[i]);
	acpi_set_quiet(true);
	acpi_set_report_hook(on_report);
	acpi_reset();
	for (unsigned k = 0; k < nfiles; k++)
		decode_one(&files[k], summary);
	warnings = acpi_warning_count();
	printf("\n%u files, %u errors, %u warnings\n", nfiles, nerrors,
	       warnings);
	for (unsigned k = 0; k < nerrors; k++)
		printf("error: %s\n", errors[k]);
	if (rc)
		return 2;
	return nerrors ? 1 : 0;
}
