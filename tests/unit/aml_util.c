// SPDX-License-Identifier: MIT
// Set-up shared by the neutral AML tests; see aml_util.h. No tests here.
// Locking: none; tests run one at a time and the arena is theirs.
#include <string.h>
#include <hal/cpu.h>
#include "aml_util.h"

static uint8_t aml_test_arena[192 * 1024] __attribute__((aligned(16)));
static size_t aml_test_used;

void *aml_test_alloc(size_t n)
{
	void *p;

	n = ALIGN_UP(n, 16);
	if (n > sizeof(aml_test_arena) - aml_test_used)
		return NULL;
	p = aml_test_arena + aml_test_used;
	aml_test_used += n;
	return p;
}

static void *aml_test_host_alloc(void *c, size_t n)
{
	return aml_test_alloc(n);
}

static void aml_test_free(void *c, void *p, size_t n) {}

static void aml_test_log(void *c, int level, const char *line) {}

static uint64_t aml_test_timer(void *c)
{
	return hal_ticks() / (hal_ticks_hz() / 10000000 + 1);
}

struct aml_ctx *
aml_test_new(uint64_t timeout_ms,
             err_t (*io_read)(void *c, uint32_t port, unsigned w, uint64_t *v),
             err_t (*io_write)(void *c, uint32_t port, unsigned w, uint64_t v))
{
	struct aml_host host = {.alloc = aml_test_host_alloc,
	                        .free = aml_test_free,
	                        .log = aml_test_log,
	                        .io_read = io_read,
	                        .io_write = io_write,
	                        .timer_100ns = aml_test_timer};
	struct aml_options opt = {.loop_timeout_ms = timeout_ms,
	                          .max_frames = 16,
	                          .max_ops = 128,
	                          .max_blocks = 64};
	struct aml_ctx *ctx;

	aml_test_used = 0;
	if (aml_create(&host, &opt, &ctx))
		return NULL;
	return ctx;
}

size_t aml_test_table(uint8_t *t, const uint8_t *body, size_t n)
{
	uint32_t len = (uint32_t)(36 + n);

	memset(t, 0, 36);
	memcpy(t, "DSDT", 4);
	memcpy(t + 4, &len, 4);
	t[8] = 2;
	memcpy(t + 36, body, n);
	return len;
}

struct aml_test_ec aml_test_ec;

bool aml_test_ec_read(uint32_t port, uint64_t *v)
{
	struct aml_test_ec *ec = &aml_test_ec;

	if (port == 0x66) {
		*v = (ec->dead ? 0x02 : 0) | (ec->obf ? 0x01 : 0) |
		     (ec->nq ? 0x20 : 0);
		return true;
	}
	if (port != 0x62)
		return false;
	*v = ec->out;
	ec->obf = false;
	return true;
}

static void aml_test_ec_command(struct aml_test_ec *ec, uint8_t v)
{
	ec->state = v == 0x80 ? 1 : v == 0x81 ? 2 : 0;
	if (v == 0x84) { // QR_EC: the oldest query, 0 if none
		ec->out = ec->nq ? ec->queue[0] : 0;
		if (ec->nq)
			memmove(ec->queue, ec->queue + 1, --ec->nq);
		ec->obf = true;
	}
}

bool aml_test_ec_write(uint32_t port, uint64_t v)
{
	struct aml_test_ec *ec = &aml_test_ec;

	if (port == 0x66) {
		aml_test_ec_command(ec, (uint8_t)v);
	} else if (port != 0x62) {
		return false;
	} else if (ec->state == 1) {
		ec->out = ec->mem[v & 0xff];
		ec->obf = true;
		ec->state = 0;
	} else if (ec->state == 2) {
		ec->addr = (uint8_t)v;
		ec->state = 3;
	} else if (ec->state == 3) {
		ec->mem[ec->addr] = (uint8_t)v;
		ec->state = 0;
	}
	return true;
}
