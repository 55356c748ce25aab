// SPDX-License-Identifier: MIT
// amlrun: loads AML tables into Cairn's interpreter on the host, with
// simulated memory, port I/O, PCI configuration and other address spaces,
// runs namespace initialisation, and optionally evaluates \MAIN and checks
// its result.
//
//   amlrun DSDT.aml [--extra-tables SSDT1.aml ...] [--enumerate-namespace]
//          [--expect int|str VALUE] [--loop-timeout SECONDS] [--strict]
//          [--quiet] [--table FILE ...] [--mem ADDR FILE ...]
//          [--devices] [--resources] [--ecdt EC_PATH] [--late-space N]
//          [--opcode-stats]
//
// --devices lists the present devices with _HID/_CID/_UID/_ADR/_STA;
// --resources also decodes each one's _CRS and _PRT (after \_PIC(1));
// --ecdt declares the EC at EC_PATH as described by an ECDT (its
// EmbeddedControl _REG runs first); --late-space registers the handler
// for address space N only after namespace initialisation.
// --opcode-stats prints, at the end, one line "opstat 0xCODE COUNT" per
// opcode the run decoded (struct aml_opstats: 0x1XX are 0x5B-prefixed,
// 0x2XX 0x92-prefixed) and "typestat TYPE COUNT" per ObjectType result.
// --table makes FILE one of the "firmware" tables LoadTable and
// DataTableRegion can find (not loaded at start); the DSDT and the
// --extra-tables are firmware tables as well (loaded at start, and found
// by LoadTable too, as on a real machine). The load time printed is the
// interpreter's alone (files are read before it starts). --mem copies FILE into
// simulated physical memory at ADDR (for Load from an OperationRegion).
//
// Exit status 0 when every table loaded and the expectation (if any) held;
// with --strict, any firmware error reported on the way also fails the run.
// Simulated hardware: memory and every region space other than I/O and PCI
// read as zero until written; I/O ports read as zero until written; absent
// PCI functions read as all ones. Sleep and Stall advance a virtual clock
// instead of waiting, so polling loops end quickly. Fields of the
// buffer-access spaces (SMBus, IPMI, GenericSerialBus, PCC, PRM) go to
// h_bufacc (host.region_buffer), which stores and returns their data.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <acpi/aml/aml.h>
#include <tests/host/hal/host_util.h>
#include <lib/err.h>

// ---- simulated address spaces (sparse 4 KiB pages)
// ---------------------------

#define SIM_PAGE 4096u
#define SIM_BUCKETS 1024u

struct sim_page {
	uint64_t key; // space << 56 | page number
	struct sim_page *next;
	uint8_t data[SIM_PAGE];
};

static struct sim_page *sim_pages[SIM_BUCKETS];
static uint64_t virt_100ns; // Sleep/Stall time added to the real clock
static unsigned n_errors, n_warnings;
static bool quiet;

static uint8_t *sim_byte(unsigned space, uint64_t addr, bool create)
{
	uint64_t key = ((uint64_t)space << 56) | (addr / SIM_PAGE);
	unsigned b =
	    (unsigned)((key * 0x9e3779b97f4a7c15ull) >> 54) % SIM_BUCKETS;
	struct sim_page *p;

	for (p = sim_pages[b]; p; p = p->next)
		if (p->key == key)
			return &p->data[addr % SIM_PAGE];
	if (!create)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->key = key;
	p->next = sim_pages[b];
	sim_pages[b] = p;
	return &p->data[addr % SIM_PAGE];
}

static void sim_free_all(void)
{
	struct sim_page *p, *n;
	unsigned i;

	for (i = 0; i < SIM_BUCKETS; i++)
		for (p = sim_pages[i]; p; p = n) {
			n = p->next;
			free(p);
		}
}

static err_t sim_rw(unsigned space, uint64_t addr, unsigned width,
                    uint64_t *val, bool write, uint8_t fill)
{
	unsigned i;
	uint8_t *b;

	if (!write)
		*val = 0;
	for (i = 0; i < width && i < 8; i++) {
		b = sim_byte(space, addr + i, write);
		if (write && b)
			*b = (uint8_t)(*val >> (8 * i));
		else if (!write)
			*val |= (uint64_t)(b ? *b : fill) << (8 * i);
	}
	return 0;
}

static err_t h_mem_read(void *c, paddr_t a, unsigned w, uint64_t *v)
{
	return sim_rw(0, a, w, v, false, 0);
}
static err_t h_mem_write(void *c, paddr_t a, unsigned w, uint64_t v)
{
	return sim_rw(0, a, w, &v, true, 0);
}
static err_t h_io_read(void *c, uint32_t p, unsigned w, uint64_t *v)
{
	return sim_rw(1, p, w, v, false, 0);
}
static err_t h_io_write(void *c, uint32_t p, unsigned w, uint64_t v)
{
	return sim_rw(1, p, w, &v, true, 0);
}

static uint64_t pci_addr(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn,
                         uint16_t off)
{
	return ((uint64_t)seg << 28) | ((uint64_t)bus << 20) |
	       ((uint64_t)dev << 15) | ((uint64_t)fn << 12) | (off & 0xfff);
}
static err_t h_pci_read(void *c, uint16_t s, uint8_t b, uint8_t d, uint8_t f,
                        uint16_t o, unsigned w, uint64_t *v)
{
	return sim_rw(2, pci_addr(s, b, d, f, o), w, v, false, 0xff);
}
static err_t h_pci_write(void *c, uint16_t s, uint8_t b, uint8_t d, uint8_t f,
                         uint16_t o, unsigned w, uint64_t v)
{
	return sim_rw(2, pci_addr(s, b, d, f, o), w, &v, true, 0xff);
}

static err_t h_space(void *arg, bool write, uint64_t addr, unsigned w,
                     uint64_t *v)
{
	return sim_rw((unsigned)(uintptr_t)arg, addr, w, v, write, 0);
}

// Simulated buffer-access devices (SMBus, IPMI, GenericSerialBus, PCC,
// PRM): each (space, address, connection) keeps the data bytes of its last
// write and a read returns them. The response header (SMBus, IPMI,
// GenericSerialBus) is status 0 and length = the protocol's data bytes,
// so tests can see the buffer size the interpreter chose.
static err_t h_bufacc(void *c, struct aml_bufacc *a)
{
	size_t hdr = a->space == 4 || a->space == 7 || a->space == 9 ? 2 : 0;
	uint64_t key = (a->addr & 0xffffffull) * 512;
	uint32_t h = 0;
	uint8_t *b;
	size_t i;

	for (i = 0; i < a->conn_len; i++)
		h = h * 31 + a->conn[i];
	key |= (uint64_t)(h & 0xffff) << 40;
	for (i = hdr; i < a->len && i - hdr < 512; i++) {
		b = sim_byte(0x80 | a->space, key + i - hdr, a->write);
		if (a->write && b)
			*b = a->buf[i];
		else if (!a->write)
			a->buf[i] = b ? *b : 0;
	}
	if (hdr) {
		a->buf[0] = 0;
		a->buf[1] = (uint8_t)(a->len - hdr);
	}
	return 0;
}

// ---- host interface
// --------------------------------------------------------------

static void *h_alloc(void *c, size_t n)
{
	return malloc(n);
}
static void h_free(void *c, void *p, size_t n)
{
	free(p);
}

static void h_log(void *c, int level, const char *line)
{
	if (level <= 3)
		n_errors++;
	else if (level == 4)
		n_warnings++;
	if (level <= 4 || !quiet)
		fprintf(stderr, "aml: %s\n", line);
}

static uint64_t h_timer(void *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100 +
	       virt_100ns;
}

static void h_sleep(void *c, uint64_t ms)
{
	virt_100ns += ms * 10000;
}
static void h_stall(void *c, uint64_t us)
{
	virt_100ns += us * 10;
}

static void h_notify(void *c, const char *path, uint64_t v)
{
	if (!quiet)
		fprintf(stderr, "aml: Notify(%s, 0x%lx)\n", path,
		        (unsigned long)v);
}

static double ms_since(uint64_t t0)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e9 + (double)ts.tv_nsec - (double)t0) /
	       1e6;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// ---- the run
// ---------------------------------------------------------------------------

static struct {
	uint8_t *data;
	size_t len;
} fw_tables[320]; // --table files, then the command line's tables
static unsigned n_fw_tables;

static err_t h_table_get(void *c, unsigned i, const void **t, size_t *len)
{
	if (i >= n_fw_tables)
		return E_NOENT;
	*t = fw_tables[i].data;
	*len = fw_tables[i].len;
	return 0;
}

struct opts {
	const char *files[256];
	unsigned nfiles;
	const char *tables[64];
	unsigned ntables;
	const char *mem_files[16];
	uint64_t mem_addrs[16];
	unsigned nmem;
	bool enumerate, strict, devices, resources, opstats;
	int late_space; // registered after initialisation; -1 none
	const char *ecdt;
	const char *expect_kind, *expect_val;
	double loop_timeout;
};

static void usage(void)
{
	fprintf(
	    stderr,
	    "usage: amlrun DSDT.aml [--extra-tables SSDT.aml ...] "
	    "[--enumerate-namespace]\n"
	    "              [--expect int|str VALUE] [--loop-timeout SECONDS]"
	    " [--strict] [--quiet]\n"
	    "              [--table FILE ...] [--mem ADDR FILE ...]\n"
	    "              [--devices] [--resources] [--ecdt EC_PATH]"
	    " [--late-space N]\n"
	    "              [--opcode-stats]\n");
	exit(2);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	bool extra = false;
	int i;

	memset(o, 0, sizeof(*o));
	o->late_space = -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--extra-tables")) {
			extra = true;
		} else if (!strcmp(a, "--enumerate-namespace")) {
			o->enumerate = true;
		} else if (!strcmp(a, "--late-space") && i + 1 < argc) {
			o->late_space = (int)strtol(argv[++i], NULL, 0);
		} else if (!strcmp(a, "--resources")) {
			o->devices = o->resources = true;
		} else if (!strcmp(a, "--devices")) {
			o->devices = true;
		} else if (!strcmp(a, "--ecdt") && i + 1 < argc) {
			o->ecdt = argv[++i];
		} else if (!strcmp(a, "--strict")) {
			o->strict = true;
		} else if (!strcmp(a, "--quiet")) {
			quiet = true;
		} else if (!strcmp(a, "--expect") && i + 2 < argc) {
			o->expect_kind = argv[++i];
			o->expect_val = argv[++i];
			if (strcmp(o->expect_kind, "int") &&
			    strcmp(o->expect_kind, "str"))
				usage();
		} else if (!strcmp(a, "--table") && i + 1 < argc &&
		           o->ntables < 64) {
			o->tables[o->ntables++] = argv[++i];
		} else if (!strcmp(a, "--mem") && i + 2 < argc &&
		           o->nmem < 16) {
			o->mem_addrs[o->nmem] = strtoull(argv[++i], NULL, 0);
			o->mem_files[o->nmem++] = argv[++i];
		} else if (!strcmp(a, "--opcode-stats")) {
			o->opstats = true;
		} else if (!strcmp(a, "--loop-timeout") && i + 1 < argc) {
			o->loop_timeout = strtod(argv[++i], NULL);
		} else if (a[0] == '-' && a[1] == '-') {
			usage();
		} else if (o->nfiles < 256 && (extra || o->nfiles == 0)) {
			o->files[o->nfiles++] = a;
		} else {
			usage();
		}
	}
	if (!o->nfiles)
		usage();
}

// --table files become firmware tables; --mem files go into memory.
static bool load_side_files(const struct opts *o)
{
	uint64_t v;
	size_t len, j;
	uint8_t *b;
	unsigned i;

	for (i = 0; i < o->ntables + o->nmem; i++) {
		const char *path = i < o->ntables
		                       ? o->tables[i]
		                       : o->mem_files[i - o->ntables];

		len = 0;
		b = (uint8_t *)host_read_file(path, &len);
		if (!b) {
			fprintf(stderr, "amlrun: %s: %s\n", path,
			        strerror(errno));
			return false;
		}
		if (i < o->ntables) {
			fw_tables[n_fw_tables].data = b;
			fw_tables[n_fw_tables++].len = len;
			continue;
		}
		for (j = 0; j < len; j++) {
			v = b[j];
			sim_rw(0, o->mem_addrs[i - o->ntables] + j, 1, &v, true,
			       0);
		}
		free(b);
	}
	return true;
}

static bool print_node(void *arg, const char *path, unsigned depth,
                       enum aml_type type)
{
	printf("%*s%s [%s]\n", (int)(depth - 1) * 2, "", path,
	       aml_type_name(type));
	return true;
}

// Device paths collected by the walk, for --resources (the walk's
// callback may not call back into the interpreter).
static char (*dev_paths)[128];
static unsigned n_dev_paths, cap_dev_paths;

static void print_crs(struct aml_ctx *ctx, const char *dev)
{
	char path[160], line[200];
	struct aml_resource r;
	struct aml_value v;
	const uint8_t *b;
	size_t len = 0, off = 0;
	err_t e;

	snprintf(path, sizeof(path), "%s._CRS", dev);
	if (aml_eval(ctx, path, NULL, 0, &v))
		return;
	b = aml_value_buf(&v, &len);
	while (b && !(e = aml_res_next(b, len, &off, &r))) {
		aml_res_format(&r, line, sizeof(line));
		printf("  _CRS %s\n", line);
	}
	if (b && e == E_CORRUPT)
		printf("  _CRS malformed at offset %zu\n", off);
	aml_value_put(ctx, &v);
}

static bool print_prt(void *arg, const struct aml_prt_entry *e)
{
	printf("  _PRT dev %u INT%c -> ", e->dev, 'A' + (e->pin & 3));
	if (e->gsi == UINT32_MAX)
		printf("%s (no IRQ)\n", e->link);
	else
		printf("GSI %u %s %s%s%s\n", e->gsi, e->edge ? "edge" : "level",
		       e->active_low ? "low" : "high",
		       e->link[0] ? " via " : "", e->link);
	return true;
}

static void print_resources(struct aml_ctx *ctx)
{
	struct aml_value one = {.type = AML_INTEGER, .i = 1}, v;
	unsigned i;

	// APIC mode, as an OS with I/O APICs tells the firmware: _PRT then
	// names the GSIs (or links) for it.
	if (!aml_eval(ctx, "\\_PIC", &one, 1, &v))
		aml_value_put(ctx, &v);

	for (i = 0; i < n_dev_paths; i++) {
		printf("%s\n", dev_paths[i]);
		print_crs(ctx, dev_paths[i]);
		(void)aml_prt_walk(ctx, dev_paths[i], print_prt, NULL);
	}
	free(dev_paths);
}

static bool print_device(void *arg, const struct aml_device_info *d)
{
	unsigned i;

	if (arg) { // --resources: collect
		if (n_dev_paths == cap_dev_paths) {
			cap_dev_paths = cap_dev_paths ? 2 * cap_dev_paths : 64;
			dev_paths = realloc(dev_paths,
			                    cap_dev_paths * sizeof(*dev_paths));
			if (!dev_paths)
				return false;
		}
		snprintf(dev_paths[n_dev_paths++], 128, "%s", d->path);
	}

	printf("%s [%s] sta=0x%x", d->path, aml_type_name(d->type), d->sta);
	if (d->has_hid)
		printf(" hid=%s", d->hid);
	for (i = 0; i < d->ncid; i++)
		printf("%s%s", i ? "," : " cid=", d->cid[i]);
	if (d->has_uid)
		printf(" uid=%s", d->uid);
	if (d->has_adr)
		printf(" adr=0x%lx", (unsigned long)d->adr);
	printf("\n");
	return true;
}

static void print_opstats(const struct aml_opstats *s)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(s->op); i++)
		if (s->op[i])
			printf("opstat 0x%03x %u\n", i, s->op[i]);
	for (i = 0; i < ARRAY_SIZE(s->type); i++)
		if (s->type[i])
			printf("typestat %u %u\n", i, s->type[i]);
}

static bool check_expect(struct aml_ctx *ctx, const struct opts *o)
{
	struct aml_value v;
	unsigned long long want;
	bool ok;
	err_t e = aml_eval(ctx, "\\MAIN", NULL, 0, &v);

	if (e) {
		printf("\\MAIN failed: %s\n", err_name(e));
		return false;
	}
	if (!strcmp(o->expect_kind, "int")) {
		want = strtoull(o->expect_val, NULL, 0);
		ok = v.type == AML_INTEGER && v.i == want;
		if (v.type == AML_INTEGER)
			printf("\\MAIN = 0x%llx (expected 0x%llx): %s\n",
			       (unsigned long long)v.i, want,
			       ok ? "ok" : "MISMATCH");
		else
			printf("\\MAIN returned %s, expected an integer\n",
			       aml_type_name((enum aml_type)v.type));
	} else {
		ok = v.type == AML_STRING &&
		     !strcmp(aml_value_str(&v), o->expect_val);
		printf("\\MAIN = \"%s\" (expected \"%s\"): %s\n",
		       v.type == AML_STRING ? aml_value_str(&v) : "?",
		       o->expect_val, ok ? "ok" : "MISMATCH");
	}
	aml_value_put(ctx, &v);
	return ok;
}

// Only definition blocks hold AML: another table (an APIC, a FACP) would
// be "executed" as garbage and reported as AML errors, which misleads.
static bool is_aml_table(const char *path, const uint8_t *buf, size_t len)
{
	static const char *const sigs[] = {"DSDT", "SSDT", "PSDT"};

	for (size_t i = 0; len >= 36 && i < ARRAY_SIZE(sigs); i++)
		if (!memcmp(buf, sigs[i], 4))
			return true;
	if (len < 4)
		fprintf(stderr, "amlrun: %s: %zu bytes, not an ACPI table\n",
		        path, len);
	else
		fprintf(stderr,
		        "amlrun: %s: a '%.4s' table, not AML (a DSDT, SSDT "
		        "or PSDT of at least 36 bytes is needed); skipped\n",
		        path, isprint(buf[0]) ? (const char *)buf : "????");
	return false;
}

int main(int argc, char **argv)
{
	struct aml_host host = {
	    .alloc = h_alloc,
	    .free = h_free,
	    .log = h_log,
	    .mem_read = h_mem_read,
	    .mem_write = h_mem_write,
	    .io_read = h_io_read,
	    .io_write = h_io_write,
	    .pci_read = h_pci_read,
	    .pci_write = h_pci_write,
	    .sleep_ms = h_sleep,
	    .stall_us = h_stall,
	    .timer_100ns = h_timer,
	    .notify = h_notify,
	    .table_get = h_table_get,
	    .region_buffer = h_bufacc,
	};
	struct aml_options aopt = {0};
	static struct aml_opstats opstats;
	struct aml_stats st;
	struct aml_ctx *ctx;
	struct opts o;
	bool ok = true;
	uint64_t t0, ops0;
	unsigned i, sp, first;
	double ms;

	parse_args(argc, argv, &o);
	// Firmware error lines go to stderr; buffered, so writing them does
	// not weigh on the load and initialisation times printed below.
	setvbuf(stderr, NULL, _IOFBF, 1 << 16);
	if (!load_side_files(&o))
		return 1;
	aopt.loop_timeout_ms = (uint64_t)(o.loop_timeout * 1000);
	if (o.opstats)
		aopt.opstats = &opstats;
	if (aml_create(&host, &aopt, &ctx)) {
		fprintf(stderr, "amlrun: out of memory\n");
		return 1;
	}
	for (sp = 3; sp < 256; sp++)
		if ((int)sp != o.late_space &&
		    aml_region_handler_add(ctx, (uint8_t)sp, h_space,
		                           (void *)(uintptr_t)sp))
			ok = false;
	// The tables on the command line are read first (the time below is
	// the interpreter's only) and are firmware tables too, so LoadTable
	// finds them; they are kept until the end (method bodies point into
	// them).
	first = n_fw_tables;
	for (i = 0; i < o.nfiles; i++) {
		size_t len = 0;
		uint8_t *buf = (uint8_t *)host_read_file(o.files[i], &len);

		if (!buf || n_fw_tables >= 320) {
			fprintf(stderr, "amlrun: %s: %s\n", o.files[i],
			        buf ? "too many tables" : strerror(errno));
			free(buf);
			ok = false;
			continue;
		}
		if (!is_aml_table(o.files[i], buf, len)) {
			free(buf);
			ok = false;
			continue;
		}
		fw_tables[n_fw_tables].data = buf;
		fw_tables[n_fw_tables++].len = len;
	}
	t0 = now_ns();
	for (i = first; i < n_fw_tables; i++)
		if (aml_load_table(ctx, fw_tables[i].data, fw_tables[i].len))
			ok = false;
	ms = ms_since(t0);
	aml_stats_get(ctx, &st);
	printf("loaded %u AML blobs, %lu ops in %.3f ms (avg %.0f/s)\n",
	       st.tables, (unsigned long)st.ops, ms,
	       ms > 0 ? (double)st.ops * 1000.0 / ms : 0.0);
	ops0 = st.ops;
	if (o.ecdt && aml_ec_set_ecdt(ctx, o.ecdt))
		ok = false;
	t0 = now_ns();
	if (aml_init_namespace(ctx))
		ok = false;
	ms = ms_since(t0);
	if (o.late_space >= 3 && o.late_space < 256 &&
	    aml_region_handler_add(ctx, (uint8_t)o.late_space, h_space,
	                           (void *)(uintptr_t)o.late_space))
		ok = false;
	aml_stats_get(ctx, &st);
	printf("namespace initialization done in %.3f ms: %u devices, "
	       "%u thermal zones\n",
	       ms, st.devices, st.thermal);
	if (o.enumerate)
		aml_ns_walk(ctx, print_node, NULL);
	if (o.devices)
		aml_device_walk(ctx, print_device,
		                o.resources ? (void *)1 : NULL);
	if (o.resources)
		print_resources(ctx);
	if (o.expect_kind && !check_expect(ctx, &o))
		ok = false;
	aml_stats_get(ctx, &st);
	printf("%u nodes, %lu init ops, %u errors, %u warnings, %u loop "
	       "timeouts, %u step budget overruns, largest evaluation %lu "
	       "steps\n",
	       st.nodes, (unsigned long)(st.ops - ops0), st.errors, n_warnings,
	       st.timeouts, st.overruns, (unsigned long)st.steps_max);
	if (o.strict && (st.errors || n_errors))
		ok = false;
	if (o.opstats)
		print_opstats(&opstats);
	aml_destroy(ctx);
	sim_free_all();
	for (i = 0; i < n_fw_tables; i++)
		free(fw_tables[i].data);
	return ok ? 0 : 1;
}
