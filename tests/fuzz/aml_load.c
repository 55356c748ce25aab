// SPDX-License-Identifier: MIT
// libFuzzer target: the input is the body of a definition block (a 36-byte
// DSDT header is put in front of it, revision taken from the first byte).
// It is loaded, the namespace initialised, \MAIN evaluated if present, and
// everything torn down. Malformed AML must be reported, never crash, hang
// or leak. A short loop timeout keeps spinning inputs cheap; Sleep and
// Stall only advance a virtual clock.
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <acpi/aml/aml.h>

static uint64_t fuzz_virt;

static void *fuzz_alloc(void *c, size_t n)
{
	return n > (64u << 20) ? NULL : malloc(n);
}
static void fuzz_free(void *c, void *p, size_t n)
{
	free(p);
}
static void fuzz_log(void *c, int level, const char *line) {}
static uint64_t fuzz_timer(void *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100 +
	       fuzz_virt;
}
static void fuzz_sleep(void *c, uint64_t ms)
{
	fuzz_virt += ms * 10000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aml_host host = {.alloc = fuzz_alloc,
	                        .free = fuzz_free,
	                        .log = fuzz_log,
	                        .timer_100ns = fuzz_timer,
	                        .sleep_ms = fuzz_sleep};
	struct aml_options opt = {.loop_timeout_ms = 5};
	struct aml_value v;
	struct aml_ctx *ctx;
	uint8_t *t;
	uint32_t len;

	if (size < 1 || size > (1u << 20))
		return 0;
	len = (uint32_t)(size - 1 + 36);
	t = calloc(1, len);
	if (!t)
		return 0;
	memcpy(t, "DSDT", 4);
	memcpy(t + 4, &len, 4);
	t[8] = data[0] & 3;
	memcpy(t + 36, data + 1, size - 1);
	if (!aml_create(&host, &opt, &ctx)) {
		if (!aml_load_table(ctx, t, len) && !aml_init_namespace(ctx) &&
		    !aml_eval(ctx, "\\MAIN", NULL, 0, &v))
			aml_value_put(ctx, &v);
		aml_destroy(ctx);
	}
	free(t);
	return 0;
}
