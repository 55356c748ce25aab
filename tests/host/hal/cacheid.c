// SPDX-License-Identifier: MIT
// Host stand-in for hal/cacheid.h (see tests/host/hal/arch/cacheid.h).
// Single-threaded, like the host tests and tools that use it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hal/cacheid.h>

static struct hal_cacheid loaded;
static bool have;

void host_cacheid_load(const struct hal_cacheid *c)
{
	have = c != NULL;
	if (c)
		loaded = *c;
}

bool host_cacheid_get(struct hal_cacheid *c)
{
	if (have && c)
		*c = loaded;
	return have;
}

bool host_cacheid_parse(const char *text, struct hal_cacheid *c)
{
	bool clidr = false;

	memset(c, 0, sizeof(*c));
	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p) {
		unsigned long long v;
		unsigned level, ind, ccidx;

		if (sscanf(p, "cacheid clidr %llx ccidx %u", &v, &ccidx) == 2) {
			c->clidr = v;
			c->ccidx = ccidx != 0;
			clidr = true;
		} else if (sscanf(p, "cacheid ccsidr %u %u %llx", &level, &ind,
		                  &v) == 3 &&
		           level >= 1 && level <= HAL_CACHEID_LEVELS &&
		           ind < 2) {
			c->ccsidr[level - 1][ind] = v;
		}
	}
	return clidr;
}
