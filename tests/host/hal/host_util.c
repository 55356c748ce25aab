// SPDX-License-Identifier: MIT
// Helpers shared by the host programs (see host_util.h). The virtual time
// offset is per process and not locked: host programs run the interpreter
// on one thread.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <acpi/aml/aml.h>
#include "host_util.h"

char *host_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = 0;
			if (len)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static uint64_t quiet_slept_100ns;

static void *quiet_alloc(void *c, size_t n)
{
	return n > (64u << 20) ? NULL : malloc(n);
}

static void quiet_free(void *c, void *p, size_t n)
{
	free(p);
}

static void quiet_log(void *c, int level, const char *line) {}

static uint64_t quiet_timer(void *c)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100 +
	       quiet_slept_100ns;
}

static void quiet_sleep(void *c, uint64_t ms)
{
	quiet_slept_100ns += ms * 10000;
}

static void quiet_stall(void *c, uint64_t us)
{
	quiet_slept_100ns += us * 10;
}

const struct aml_host *host_aml_quiet(void)
{
	static const struct aml_host host = {
	    .alloc = quiet_alloc,
	    .free = quiet_free,
	    .log = quiet_log,
	    .sleep_ms = quiet_sleep,
	    .stall_us = quiet_stall,
	    .timer_100ns = quiet_timer,
	};

	return &host;
}
