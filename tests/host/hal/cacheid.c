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

unsigned host_cacheid_parse_cpus(const char *text, uint64_t *hwids,
                                 struct hal_cacheid *regs, unsigned max)
{
	unsigned n = 0;

	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p) {
		unsigned long long hw, v;
		unsigned level, ind, ccidx, i;

		if (sscanf(p, "cacheid cpu %llx clidr %llx ccidx %u", &hw, &v,
		           &ccidx) == 3) {
			if (n >= max)
				continue;
			memset(&regs[n], 0, sizeof(regs[n]));
			hwids[n] = hw;
			regs[n].clidr = v;
			regs[n].ccidx = ccidx != 0;
			n++;
		} else if (sscanf(p, "cacheid cpu %llx ccsidr %u %u %llx", &hw,
		                  &level, &ind, &v) == 4 &&
		           level >= 1 && level <= HAL_CACHEID_LEVELS &&
		           ind < 2) {
			for (i = 0; i < n && hwids[i] != hw; i++)
				;
			if (i < n)
				regs[i].ccsidr[level - 1][ind] = v;
		}
	}
	return n;
}
