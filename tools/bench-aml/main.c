// SPDX-License-Identifier: MIT
// bench-aml: speed of Cairn's AML interpreter against ACPICA's acpiexec,
// measured in the same run. Prints figures; it is not a test.
//
//   bench-aml [--reps N] [--corpus DIR] [--qemu DIR] [--no-loop]
//             [--acpiexec PATH]
//
// 1. Namespace load + initialisation of every machine in the corpus
//    ($CAIRN_SHARED/acpi-corpus, default ../shared/acpi-corpus next to the
//    tree this binary was built in, from any directory) and of
//    every DSDT (+ same-configuration SSDT) in QEMU's reference tables
//    (build/deps/qemu-acpi). Ours: process CPU time of aml_load_table for
//    every table plus aml_init_namespace, the median of N runs (default 5):
//    the interpreter only. The table files are read into memory before
//    the clock starts, and the host's log callback discards the lines
//    (firmware errors are still formatted: that is interpreter work).
//    acpiexec: the CPU time (user + system, from wait4) of
//    `acpiexec -dt -b quit DSDT SSDT...`, the median of N runs. That
//    includes acpiexec's process start-up, so a second ratio subtracts
//    its CPU time on a table holding one Name ("floor").
// 2. An AML arithmetic loop of 1 000 000 iterations
//    (While (Local0 < 1000000) { Local1 += Local0 * 3; Local0++ }):
//    ours in process; acpiexec `-dt -to 600 -b "execute MAIN"` minus its
//    `-b quit` CPU time on the same table (-to 600: acpiexec's While loop
//    timeout is shorter than its 1M iterations take).
//
// Simulated hardware as in amlrun: memory and I/O read zero until
// written, absent PCI functions read all ones, Sleep/Stall advance a
// virtual clock.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <acpi/aml/aml.h>
#include <tests/host/hal/host_util.h>
#include <lib/err.h>

extern char **environ;

#define MAX_TABLES 64
#define MAX_JOBS 4 // acpiexec runs side by side (they mostly sleep)

static err_t b_zero(void *c, uint64_t a, unsigned w, uint64_t *v)
{
	*v = 0;
	return 0;
}
static err_t b_mem_read(void *c, paddr_t a, unsigned w, uint64_t *v)
{
	return b_zero(c, a, w, v);
}
static err_t b_io_read(void *c, uint32_t p, unsigned w, uint64_t *v)
{
	return b_zero(c, p, w, v);
}
static err_t b_space(void *arg, bool write, uint64_t addr, unsigned w,
                     uint64_t *v)
{
	if (!write)
		*v = 0;
	return 0;
}

// The quiet host of the host programs, with memory and I/O reading zero
// (as acpiexec's simulated spaces do).
static struct aml_host bench_host;

static void bench_host_init(void)
{
	bench_host = *host_aml_quiet();
	bench_host.mem_read = b_mem_read;
	bench_host.io_read = b_io_read;
}

static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

// ---- files and machines ------------------------------------------------

struct machine {
	char name[160];
	char *files[MAX_TABLES];
	unsigned nfiles;
	uint8_t *data[MAX_TABLES];
	size_t len[MAX_TABLES];
	double ours_ms, theirs_ms;
};

static bool add_file(struct machine *m, const char *path)
{
	if (m->nfiles >= MAX_TABLES)
		return false;
	m->data[m->nfiles] =
	    (uint8_t *)host_read_file(path, &m->len[m->nfiles]);
	if (!m->data[m->nfiles])
		return false;
	m->files[m->nfiles++] = strdup(path);
	return true;
}

static int cmp_natural(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;

	while (*x && *y) {
		if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
			unsigned long p = strtoul(x, (char **)&x, 10);
			unsigned long q = strtoul(y, (char **)&y, 10);

			if (p != q)
				return p < q ? -1 : 1;
			continue;
		}
		if (*x != *y)
			return *x - *y;
		x++, y++;
	}
	return *x - *y;
}

// A corpus machine: dsdt.dat, then ssdt*.dat in numeric order.
static bool corpus_machine(const char *dir, const char *name, struct machine *m)
{
	char path[1024], *ssdt[MAX_TABLES];
	unsigned n = 0, i;
	struct dirent *de;
	DIR *d;

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(path, sizeof(path), "%s/%s/dsdt.dat", dir, name);
	if (!add_file(m, path))
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(d = opendir(path)))
		return false;
	while ((de = readdir(d)) && n < MAX_TABLES)
		if (!strncmp(de->d_name, "ssdt", 4) &&
		    strstr(de->d_name, ".dat"))
			ssdt[n++] = strdup(de->d_name);
	closedir(d);
	qsort(ssdt, n, sizeof(*ssdt), cmp_natural);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, name, ssdt[i]);
		add_file(m, path);
		free(ssdt[i]);
	}
	return true;
}

static void machine_free(struct machine *m)
{
	for (unsigned i = 0; i < m->nfiles; i++) {
		free(m->files[i]);
		free(m->data[i]);
	}
}

// ---- our side --------------------------------------------------------------

static double ours_once(struct machine *m, uint64_t *ops)
{
	struct aml_ctx *ctx;
	struct aml_stats st;
	double t0, t;
	unsigned i, sp;

	if (aml_create(&bench_host, NULL, &ctx))
		return -1;
	for (sp = 3; sp < 256; sp++)
		(void)aml_region_handler_add(ctx, (uint8_t)sp, b_space, NULL);
	t0 = cpu_ms();
	for (i = 0; i < m->nfiles; i++)
		(void)aml_load_table(ctx, m->data[i], m->len[i]);
	(void)aml_init_namespace(ctx);
	t = cpu_ms() - t0;
	aml_stats_get(ctx, &st);
	*ops = st.ops;
	aml_destroy(ctx);
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double ours_median(struct machine *m, unsigned reps)
{
	double t[64];
	uint64_t ops;
	unsigned i;

	for (i = 0; i < reps && i < 64; i++)
		t[i] = ours_once(m, &ops);
	return median(t, i);
}

// ---- acpiexec --------------------------------------------------------------

struct job {
	pid_t pid;
	double *out;
};

static const char *acpiexec = "acpiexec";

static pid_t spawn_acpiexec(char **args)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int e;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	e = posix_spawnp(&pid, acpiexec, &fa, NULL, args, environ);
	posix_spawn_file_actions_destroy(&fa);
	return e ? -1 : pid;
}

// Waits for one running job and stores its child CPU time in ms.
static void reap_one(struct job *jobs, unsigned *njobs)
{
	struct rusage ru;
	unsigned i;
	int st;
	pid_t pid = wait4(-1, &st, 0, &ru);

	for (i = 0; i < *njobs; i++) {
		if (jobs[i].pid != pid)
			continue;
		*jobs[i].out =
		    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			*jobs[i].out = -*jobs[i].out - 1e-9; // mark failure
		jobs[i] = jobs[--*njobs];
		return;
	}
}

// Runs acpiexec with extra args + files, reps times, max MAX_JOBS at once;
// times[i] receives each run's CPU ms.
struct acpi_run {
	char *argv[MAX_TABLES + 12];
	double times[64];
};

static void acpi_runs(struct acpi_run *runs, unsigned nruns, unsigned reps)
{
	struct job jobs[MAX_JOBS];
	unsigned njobs = 0, r, k;

	for (r = 0; r < nruns; r++)
		for (k = 0; k < reps; k++) {
			if (njobs == MAX_JOBS)
				reap_one(jobs, &njobs);
			jobs[njobs].out = &runs[r].times[k];
			jobs[njobs].pid = spawn_acpiexec(runs[r].argv);
			if (jobs[njobs].pid < 0)
				runs[r].times[k] = -1;
			else
				njobs++;
		}
	while (njobs)
		reap_one(jobs, &njobs);
}

// The loop needs more than acpiexec's default While timeout; table loads
// keep the default (a machine whose init polls an EC until the timeout
// then costs acpiexec that long, as it would at boot).
static void acpi_argv(struct acpi_run *r, const char *cmd, char **files,
                      unsigned nfiles, bool long_loops)
{
	unsigned n = 0, i;

	r->argv[n++] = (char *)acpiexec;
	r->argv[n++] = "-dt";
	if (long_loops) {
		r->argv[n++] = "-to";
		r->argv[n++] = "600";
	}
	r->argv[n++] = "-b";
	r->argv[n++] = (char *)cmd;
	for (i = 0; i < nfiles; i++)
		r->argv[n++] = files[i];
	r->argv[n] = NULL;
}

// ---- the runs --------------------------------------------------------------

static unsigned load_machines(const char *corpus, const char *qemu,
                              struct machine **out)
{
	static const char *const arches[] = {"q35", "pc", "virt", "microvm"};
	struct machine *m = calloc(512, sizeof(*m));
	char **names = calloc(512, sizeof(char *)), path[1024];
	unsigned n = 0, nn = 0, i, a;
	struct dirent *de;
	DIR *d = opendir(corpus);

	while (d && (de = readdir(d)) && nn < 512)
		if (de->d_name[0] != '.')
			names[nn++] = strdup(de->d_name);
	if (d)
		closedir(d);
	qsort(names, nn, sizeof(*names), cmp_natural);
	for (i = 0; i < nn; i++) {
		if (corpus_machine(corpus, names[i], &m[n]))
			n++;
		free(names[i]);
	}
	for (a = 0; a < 4; a++) {
		snprintf(path, sizeof(path), "%s/%s", qemu, arches[a]);
		d = opendir(path);
		nn = 0;
		while (d && (de = readdir(d)) && nn < 512)
			if (!strncmp(de->d_name, "DSDT", 4))
				names[nn++] = strdup(de->d_name);
		if (d)
			closedir(d);
		qsort(names, nn, sizeof(*names), cmp_natural);
		for (i = 0; i < nn && n < 512; i++, n++) {
			memset(&m[n], 0, sizeof(m[n]));
			snprintf(m[n].name, sizeof(m[n].name), "qemu/%s/%s",
			         arches[a], names[i]);
			snprintf(path, sizeof(path), "%s/%s/%s", qemu,
			         arches[a], names[i]);
			add_file(&m[n], path);
			snprintf(path, sizeof(path), "%s/%s/SSDT%s", qemu,
			         arches[a], names[i] + 4);
			if (!access(path, R_OK))
				add_file(&m[n], path);
			free(names[i]);
		}
	}
	free(names);
	*out = m;
	return n;
}

static double floor_ms(const char *tmpdir, unsigned reps)
{
	// DefinitionBlock ("", "DSDT", 2, ...) { Name (ABCD, 1) }
	static uint8_t t[43] = {'D', 'S', 'D', 'T', 43, 0, 0, 0, 2};
	struct acpi_run r;
	char path[512], *files[1] = {path};
	uint8_t sum = 0;
	unsigned i;
	FILE *f;

	memcpy(t + 36,
	       "\x08"
	       "ABCD"
	       "\x01",
	       6);
	for (i = 0; i < sizeof(t); i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(t[9] - sum);
	snprintf(path, sizeof(path), "%s/floor.aml", tmpdir);
	f = fopen(path, "wb");
	if (!f || fwrite(t, 1, sizeof(t), f) != sizeof(t))
		return 0;
	fclose(f);
	acpi_argv(&r, "quit", files, 1, false);
	acpi_runs(&r, 1, reps);
	return median(r.times, reps);
}

static void bench_load(struct machine *m, unsigned n, unsigned reps,
                       double floor)
{
	struct acpi_run *runs = calloc(n, sizeof(*runs));
	double *ratio = calloc(n, sizeof(double));
	double *ratio_f = calloc(n, sizeof(double));
	unsigned i, k, bad = 0, nc = 0;

	for (i = 0; i < n; i++)
		acpi_argv(&runs[i], "quit", m[i].files, m[i].nfiles, false);
	acpi_runs(runs, n, reps);
	printf("| machine | tables | ours ms | acpiexec ms | ratio | ratio "
	       "(acpiexec - floor) |\n|---|---|---|---|---|---|\n");
	for (i = 0; i < n; i++) {
		m[i].ours_ms = ours_median(&m[i], reps);
		for (k = 0; k < reps; k++)
			bad += runs[i].times[k] < 0;
		m[i].theirs_ms = median(runs[i].times, reps);
		ratio[i] = m[i].theirs_ms / m[i].ours_ms;
		ratio_f[i] = (m[i].theirs_ms - floor) / m[i].ours_ms;
		printf("| %s | %u | %.3f | %.2f | %.1f | %.1f |\n", m[i].name,
		       m[i].nfiles, m[i].ours_ms, m[i].theirs_ms, ratio[i],
		       ratio_f[i]);
		nc += strncmp(m[i].name, "qemu/", 5) != 0;
	}
	if (bad)
		printf("\nwarning: %u acpiexec runs exited with an error "
		       "(their CPU time is still counted)\n",
		       bad);
	printf("\nacpiexec floor (one-Name DSDT, start-up and exit): %.2f ms "
	       "CPU\n",
	       floor);
	if (nc) {
		double *ours = calloc(nc, sizeof(double));
		double *theirs = calloc(nc, sizeof(double));

		for (i = 0; i < nc; i++) {
			ours[i] = m[i].ours_ms;
			theirs[i] = m[i].theirs_ms;
		}
		printf("corpus (%u machines): median load+init ours %.3f ms, "
		       "acpiexec %.2f ms; median ratio %.1fx, %.1fx above "
		       "acpiexec's floor\n",
		       nc, median(ours, nc), median(theirs, nc),
		       median(ratio, nc), median(ratio_f, nc));
		free(ours);
		free(theirs);
	}
	if (n > nc)
		printf("QEMU (%u configurations): median ratio %.1fx, %.1fx "
		       "above acpiexec's floor\n",
		       n - nc, median(ratio + nc, n - nc),
		       median(ratio_f + nc, n - nc));
	free(runs);
	free(ratio);
	free(ratio_f);
}

// Method (MAIN) { Local0 = 0  Local1 = 0
//   While (Local0 < 1000000) { Local1 += Local0 * 3  Local0++ }
//   Return (Local1) }
static const uint8_t loop_body[] = {
    0x14, 0x21, 'M',  'A',  'I',  'N',  0x00, 0x70, 0x00, 0x60, 0x70, 0x00,
    0x61, 0xa2, 0x12, 0x95, 0x60, 0x0c, 0x40, 0x42, 0x0f, 0x00, 0x72, 0x61,
    0x77, 0x60, 0x0a, 0x03, 0x00, 0x61, 0x75, 0x60, 0xa4, 0x61,
};

static void bench_loop(const char *tmpdir, unsigned reps)
{
	uint8_t t[36 + sizeof(loop_body)] = {'D', 'S', 'D', 'T'};
	uint32_t len = sizeof(t);
	struct acpi_run r[2];
	struct aml_ctx *ctx;
	struct aml_value v;
	char path[512], *files[1] = {path};
	double ours[16], t0, theirs, base;
	uint8_t sum = 0;
	unsigned i, n = reps < 3 ? reps : 3;
	FILE *f;

	memcpy(t + 4, &len, 4);
	t[8] = 2;
	memcpy(t + 36, loop_body, sizeof(loop_body));
	for (i = 0; i < sizeof(t); i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(t[9] - sum);
	for (i = 0; i < n; i++) {
		if (aml_create(&bench_host, NULL, &ctx) ||
		    aml_load_table(ctx, t, sizeof(t)))
			return;
		t0 = cpu_ms();
		if (aml_eval(ctx, "\\MAIN", NULL, 0, &v) ||
		    v.type != AML_INTEGER || v.i != 1499998500000ull) {
			printf("loop: wrong result\n");
			return;
		}
		ours[i] = cpu_ms() - t0;
		aml_destroy(ctx);
	}
	snprintf(path, sizeof(path), "%s/loop.aml", tmpdir);
	f = fopen(path, "wb");
	if (!f || fwrite(t, 1, sizeof(t), f) != sizeof(t))
		return;
	fclose(f);
	acpi_argv(&r[0], "execute MAIN", files, 1, true);
	acpi_argv(&r[1], "quit", files, 1, true);
	acpi_runs(r, 2, n);
	theirs = median(r[0].times, n);
	base = median(r[1].times, n);
	printf("\nloop (1000000 iterations, median of %u): ours %.1f ms CPU, "
	       "acpiexec %.1f ms (%.1f ms run minus %.1f ms start/load); "
	       "ratio %.1fx\n",
	       n, median(ours, n), theirs - base, theirs, base,
	       (theirs - base) / median(ours, n));
}

// The top of the tree: this program is ROOT/build/host/bench-aml, so the
// default paths work from any directory. "." if that cannot be found.
static void tree_root(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	buf[n > 0 ? n : 0] = 0;
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(buf, '/');

		if (!slash) {
			snprintf(buf, size, ".");
			return;
		}
		*slash = 0;
	}
}

int main(int argc, char **argv)
{
	const char *shared = getenv("CAIRN_SHARED");
	char corpus[1024], root[800], qemu_dir[1024];
	char tmpdir[] = "/tmp/bench-aml-XXXXXX";
	const char *qemu = qemu_dir;
	unsigned reps = 5, n, i;
	struct machine *m;
	bool loop = true;
	double fl;

	bench_host_init();
	tree_root(root, sizeof(root));
	snprintf(qemu_dir, sizeof(qemu_dir), "%s/build/deps/qemu-acpi", root);
	if (shared)
		snprintf(corpus, sizeof(corpus), "%s/acpi-corpus", shared);
	else
		snprintf(corpus, sizeof(corpus), "%s/../shared/acpi-corpus",
		         root);
	for (i = 1; i < (unsigned)argc; i++) {
		if (!strcmp(argv[i], "--reps") && i + 1 < (unsigned)argc)
			reps = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--corpus") && i + 1 < (unsigned)argc)
			snprintf(corpus, sizeof(corpus), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--qemu") && i + 1 < (unsigned)argc)
			qemu = argv[++i];
		else if (!strcmp(argv[i], "--acpiexec") &&
		         i + 1 < (unsigned)argc)
			acpiexec = argv[++i];
		else if (!strcmp(argv[i], "--no-loop"))
			loop = false;
		else {
			fprintf(stderr, "usage: bench-aml [--reps N] [--corpus "
			                "DIR] [--qemu DIR] [--no-loop] "
			                "[--acpiexec PATH]\n");
			return 2;
		}
	}
	if (reps < 1 || reps > 64)
		reps = 5;
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	n = load_machines(corpus, qemu, &m);
	if (n == 0) {
		fprintf(stderr,
		        "bench-aml: no table sets found in %s or %s (set "
		        "CAIRN_SHARED, or --corpus / --qemu)\n",
		        corpus, qemu);
		rmdir(tmpdir);
		return 1;
	}
	printf("bench-aml: %u table sets, %u runs each (medians), CPU time; "
	       "ours is the interpreter only (tables read beforehand, log "
	       "lines discarded)\n\n",
	       n, reps);
	fl = floor_ms(tmpdir, reps);
	bench_load(m, n, reps, fl);
	if (loop)
		bench_loop(tmpdir, reps);
	for (i = 0; i < n; i++)
		machine_free(&m[i]);
	free(m);
	snprintf(corpus, sizeof(corpus), "%s/floor.aml", tmpdir);
	unlink(corpus);
	snprintf(corpus, sizeof(corpus), "%s/loop.aml", tmpdir);
	unlink(corpus);
	rmdir(tmpdir);
	return 0;
}
