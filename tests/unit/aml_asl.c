// SPDX-License-Identifier: MIT
// Runs one ASL test program (see aml_asl.h) inside whatever runs the unit
// tests: the host test binary or either kernel. The simulated machine is
// amlrun's, cut down: memory, I/O ports and every other address space read
// as zero until written (sparse 4 KiB pages from a fixed pool; `mem:`
// tables are visible in memory), PCI configuration reads all ones, Sleep
// and Stall advance a virtual clock (AML Mutex and Event waits in the kernel
// are real: aml_asl_host_setup), and LoadTable finds the case's
// `table:` files and the program itself. Memory comes from a static arena
// with power-of-two free lists, emptied before each program.
// Locking: none; tests run one at a time.
#include <string.h>
#include <acpi/aml/aml.h>
#include <hal/cpu.h>
#include <lib/err.h>
#include "aml_asl.h"

#define ASL_ARENA (1536u * 1024u)
#define ASL_PAGES 48u
#define ASL_BUCKETS 24u

static uint8_t asl_arena[ASL_ARENA] __attribute__((aligned(16)));
static size_t asl_used;
static void *asl_free_list[ASL_BUCKETS];
static const struct aml_asl_case *asl_case;
static uint64_t asl_virt_100ns;

void (*aml_asl_host_setup)(struct aml_host *h);

static struct asl_page {
	uint64_t key; // space << 56 | page number, + 1 (0: unused)
	uint8_t data[4096];
} asl_pages[ASL_PAGES];

static unsigned asl_bucket(size_t n)
{
	unsigned b = 4;

	while (((size_t)1 << b) < n)
		b++;
	return b;
}

static void *asl_alloc(void *c, size_t n)
{
	unsigned b = asl_bucket(n);
	void *p;

	if (b >= ASL_BUCKETS)
		return NULL;
	if ((p = asl_free_list[b])) {
		memcpy(&asl_free_list[b], p, sizeof(void *));
		return p;
	}
	if (((size_t)1 << b) > ASL_ARENA - asl_used)
		return NULL;
	p = asl_arena + asl_used;
	asl_used += (size_t)1 << b;
	return p;
}

static void asl_free(void *c, void *p, size_t n)
{
	unsigned b = asl_bucket(n);

	memcpy(p, &asl_free_list[b], sizeof(void *));
	asl_free_list[b] = p;
}

static void asl_log(void *c, int level, const char *line) {}

// The byte at (space, addr): a page of the pool (created on a write),
// else a `mem:` table's byte, else zero.
static uint8_t *asl_byte(unsigned space, uint64_t addr, bool create)
{
	uint64_t key = (((uint64_t)space << 56) | (addr >> 12)) + 1;
	unsigned i;

	for (i = 0; i < ASL_PAGES && asl_pages[i].key; i++)
		if (asl_pages[i].key == key)
			return &asl_pages[i].data[addr & 4095];
	if (!create || i == ASL_PAGES)
		return NULL;
	asl_pages[i].key = key;
	memset(asl_pages[i].data, 0, 4096);
	for (unsigned j = 0; space == 0 && j < asl_case->nmem; j++) {
		const struct aml_asl_blob *b = &asl_case->mem[j];
		for (uint32_t k = 0; k < 4096; k++) {
			uint64_t a = (addr & ~4095ull) + k;
			if (a >= b->addr && a - b->addr < b->len)
				asl_pages[i].data[k] = b->data[a - b->addr];
		}
	}
	return &asl_pages[i].data[addr & 4095];
}

static err_t asl_rw(unsigned space, uint64_t addr, unsigned w, uint64_t *v,
                    bool write)
{
	unsigned i;

	if (!write)
		*v = 0;
	for (i = 0; i < w; i++) {
		uint8_t *b = asl_byte(space, addr + i, write);

		if (write && !b)
			return E_NOMEM; // pool full: the test reports it
		if (write)
			*b = (uint8_t)(*v >> (8 * i));
		else if (b)
			*v |= (uint64_t)*b << (8 * i);
		else if (space == 0)
			for (unsigned j = 0; j < asl_case->nmem; j++) {
				const struct aml_asl_blob *m =
				    &asl_case->mem[j];
				if (addr + i >= m->addr &&
				    addr + i - m->addr < m->len)
					*v |= (uint64_t)
					          m->data[addr + i - m->addr]
					      << (8 * i);
			}
	}
	return 0;
}

static err_t asl_mem_read(void *c, uint64_t a, unsigned w, uint64_t *v)
{
	return asl_rw(0, a, w, v, false);
}

static err_t asl_mem_write(void *c, uint64_t a, unsigned w, uint64_t v)
{
	return asl_rw(0, a, w, &v, true);
}

static err_t asl_io_read(void *c, uint32_t p, unsigned w, uint64_t *v)
{
	return asl_rw(1, p, w, v, false);
}

static err_t asl_io_write(void *c, uint32_t p, unsigned w, uint64_t v)
{
	return asl_rw(1, p, w, &v, true);
}

static err_t asl_space(void *arg, bool write, uint64_t a, unsigned w,
                       uint64_t *v)
{
	return asl_rw((unsigned)(uintptr_t)arg, a, w, v, write);
}

static uint64_t asl_timer(void *c)
{
	return hal_ticks() / (hal_ticks_hz() / 10000000 + 1) + asl_virt_100ns;
}

static void asl_sleep(void *c, uint64_t ms)
{
	asl_virt_100ns += ms * 10000;
}

static void asl_stall(void *c, uint64_t us)
{
	asl_virt_100ns += us * 10;
}

static err_t asl_table_get(void *c, unsigned i, const void **t, size_t *len)
{
	if (i > asl_case->ntables)
		return E_NOENT;
	*t = i < asl_case->ntables ? asl_case->tables[i].data : asl_case->aml;
	*len = i < asl_case->ntables ? asl_case->tables[i].len : asl_case->len;
	return 0;
}

static void asl_reset(const struct aml_asl_case *c)
{
	asl_used = 0;
	memset(asl_free_list, 0, sizeof(asl_free_list));
	for (unsigned i = 0; i < ASL_PAGES; i++)
		asl_pages[i].key = 0;
	asl_case = c;
	asl_virt_100ns = 0;
}

static void asl_check(struct ktest *t, const struct aml_asl_case *c,
                      struct aml_ctx *ctx)
{
	struct aml_stats st;
	struct aml_value v;
	err_t e = aml_eval(ctx, "\\MAIN", NULL, 0, &v);

	// The program's name stands for the file in the failure report.
	ktest_check(t, !e, c->name, 0, "\\MAIN evaluates");
	if (!e && c->is_str)
		ktest_check_str(t, aml_value_str(&v), c->s, c->name, 0,
		                "\\MAIN", "expected");
	else if (!e)
		ktest_check_eq_u(t, v.type == AML_INTEGER ? v.i : ~0ull, c->i,
		                 c->name, 0, "\\MAIN", "expected");
	if (!e)
		aml_value_put(ctx, &v);
	aml_stats_get(ctx, &st);
	ktest_check_eq_u(t, st.errors, c->errors, c->name, 0, "firmware errors",
	                 "expected");
}

void aml_asl_run(struct ktest *t, const struct aml_asl_case *c)
{
	struct aml_host host = {.alloc = asl_alloc,
	                        .free = asl_free,
	                        .log = asl_log,
	                        .mem_read = asl_mem_read,
	                        .mem_write = asl_mem_write,
	                        .io_read = asl_io_read,
	                        .io_write = asl_io_write,
	                        .sleep_ms = asl_sleep,
	                        .stall_us = asl_stall,
	                        .timer_100ns = asl_timer,
	                        .table_get = asl_table_get};
	struct aml_options opt = {.max_frames = 260,
	                          .max_ops = 1024,
	                          .max_blocks = 256,
	                          .max_steps = c->max_steps};
	struct aml_ctx *ctx;
	unsigned sp;

	asl_reset(c);
	// In the kernel, Acquire / Wait / Signal run on its sleeping mutex
	// and semaphore (real waits and timeouts); host programs keep the
	// interpreter's stand-in.
	if (aml_asl_host_setup)
		aml_asl_host_setup(&host);
	KT_ASSERT(!aml_create(&host, &opt, &ctx));
	for (sp = 3; sp < 256; sp++)
		KT_ASSERT(!aml_region_handler_add(ctx, (uint8_t)sp, asl_space,
		                                  (void *)(uintptr_t)sp));
	if (KT_EXPECT(!aml_load_table(ctx, c->aml, c->len)) &&
	    KT_EXPECT(!aml_init_namespace(ctx)))
		asl_check(t, c, ctx);
	aml_destroy(ctx);
}
