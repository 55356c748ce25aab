// SPDX-License-Identifier: MIT
// libFuzzer target: the input is the body of a definition block (a 36-byte
// DSDT header is put in front of it, revision taken from the first byte).
// It is loaded, the namespace initialised, \MAIN evaluated if present, and
// everything torn down. Malformed AML must be reported, never crash, hang
// or leak. A short loop timeout keeps spinning inputs cheap; Sleep and
// Stall only advance a virtual clock. Buffer-access fields (SMBus, ...) go
// to a handler that answers like a device: status 0, a length, and bytes
// derived from the request.
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <acpi/aml/aml.h>
#include <lib/err.h>
#include <tests/host/hal/host_util.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static err_t fuzz_bufacc(void *arg, struct aml_bufacc *a)
{
	size_t i;

	for (i = 0; i < a->len; i++)
		a->buf[i] ^= (uint8_t)(a->addr + i + a->attrib + a->conn_len);
	if (a->len >= 2) {
		a->buf[0] = 0;
		a->buf[1] = (uint8_t)(a->len - 2);
	}
	return a->addr & 0x100 ? E_INVAL : 0; // some transactions fail
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	// Small limits (issue 14's profile): the default ones allocate and
	// clear 1.1 MB of operator/frame/block arrays per context, which
	// under ASan is an mmap, page faults and a munmap per input; a While
	// spinning on a register costs its whole budget each time. The step
	// budget too: the default 2^24 per top-level statement took over 25 s
	// here for one seed (tests/aml/recurse_budget.asl).
	struct aml_options opt = {.loop_timeout_ms = 1,
	                          .max_frames = 64,
	                          .max_ops = 512,
	                          .max_blocks = 256,
	                          .max_steps = 1u << 16};
	struct aml_value v;
	struct aml_ctx *ctx;
	static const uint8_t spaces[] = {4, 7, 9, 10, 11};
	uint8_t *t;
	uint32_t len;
	unsigned i;

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
	if (!aml_create(host_aml_quiet(), &opt, &ctx)) {
		for (i = 0; i < sizeof(spaces); i++)
			(void)aml_region_bufacc_add(ctx, spaces[i], fuzz_bufacc,
			                            NULL);
		if (!aml_load_table(ctx, t, len) && !aml_init_namespace(ctx) &&
		    !aml_eval(ctx, "\\MAIN", NULL, 0, &v))
			aml_value_put(ctx, &v);
		aml_destroy(ctx);
	}
	free(t);
	return 0;
}
