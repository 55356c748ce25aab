// SPDX-License-Identifier: MIT
// Helpers shared by the host programs (see host_util.h). The virtual time
// offset is per process and not locked: host programs run the interpreter
// on one thread.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int hex_digit(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

const char *host_hex_table_parse(const char *p, const char *end,
                                 struct host_hex_table *t)
{
	*t = (struct host_hex_table){0};
	if (sscanf(p, "table %4s %u", t->sig, &t->len) != 2 ||
	    t->len > (1u << 24)) {
		t->len = 0;
		return p + 1;
	}
	t->buf = calloc(1, t->len ? t->len : 1);
	p = strchr(p, '\n');
	while (t->buf && p && p < end && t->got < t->len) {
		p++;
		if (isxdigit((unsigned char)p[0]) &&
		    isxdigit((unsigned char)p[1])) {
			t->buf[t->got++] =
			    (uint8_t)(hex_digit(p[0]) << 4 | hex_digit(p[1]));
			p++;
		} else if (*p != '\n' && *p != '\r' && *p != ' ') {
			break;
		}
	}
	if (t->got != t->len) {
		free(t->buf);
		t->buf = NULL;
	}
	return p;
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

unsigned host_aml_load_machine(struct aml_ctx *ctx, const char *dir,
                               uint8_t **tables, unsigned max,
                               unsigned *refused)
{
	char path[1200];
	unsigned n = 0;
	size_t len;

	*refused = 0;
	for (unsigned i = 0; i < 64 && n < max; i++) {
		if (i == 0)
			snprintf(path, sizeof(path), "%s/dsdt.dat", dir);
		else
			snprintf(path, sizeof(path), "%s/ssdt%u.dat", dir, i);
		tables[n] = (uint8_t *)host_read_file(path, &len);
		if (!tables[n])
			continue;
		if (aml_load_table(ctx, tables[n], len))
			(*refused)++;
		n++;
	}
	return n;
}
