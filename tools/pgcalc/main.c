// SPDX-License-Identifier: MIT
// pgcalc: prints the page-table index at each level and the page offset of
// virtual addresses, for every paging scheme Cairn knows (see pgcalc.h).
//   pgcalc [-s SCHEME] VA...      (VA in hex or decimal)
//   pgcalc -l                     list the schemes
// Exit status 2 on a usage error.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tools/pgcalc/pgcalc.h>

static void pgcalc_print(const struct pgcalc_result *r)
{
	printf("  %-22s", r->scheme);
	for (unsigned i = 0; i < r->nlevels; i++)
		printf(" %s=%-4u", r->level[i].name, r->level[i].index);
	printf(" offset=0x%0*llx  %s\n", (int)(r->offset_bits + 3) / 4,
	       (unsigned long long)r->offset, r->range);
}

static void pgcalc_detail(const struct pgcalc_result *r)
{
	for (unsigned i = 0; i < r->nlevels; i++)
		printf("      %-5s bits %2u..%-2u  index %u (0x%x)\n",
		       r->level[i].name,
		       r->level[i].shift + r->level[i].bits - 1,
		       r->level[i].shift, r->level[i].index, r->level[i].index);
}

static int pgcalc_usage(void)
{
	fprintf(stderr, "usage: pgcalc [-v] [-s SCHEME] VA...\n"
	                "       pgcalc -l   (list schemes)\n");
	return 2;
}

static int pgcalc_scheme_by_name(const char *name)
{
	for (int s = 0; s < PGCALC_NR_SCHEMES; s++)
		if (strncmp(pgcalc_schemes[s].name, name, strlen(name)) == 0)
			return s;
	return -1;
}

int main(int argc, char **argv)
{
	int only = -1, i = 1;
	int verbose = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-l")) {
			for (int s = 0; s < PGCALC_NR_SCHEMES; s++)
				printf("%s\n", pgcalc_schemes[s].name);
			return 0;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = 1;
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			only = pgcalc_scheme_by_name(argv[++i]);
			if (only < 0) {
				fprintf(stderr, "pgcalc: unknown scheme %s\n",
				        argv[i]);
				return 2;
			}
		} else {
			return pgcalc_usage();
		}
	}
	if (i == argc)
		return pgcalc_usage();
	for (; i < argc; i++) {
		char *end;
		unsigned long long va = strtoull(argv[i], &end, 0);

		if (*end || !*argv[i]) {
			fprintf(stderr, "pgcalc: bad address '%s'\n", argv[i]);
			return 2;
		}
		printf("va 0x%016llx\n", va);
		for (int s = 0; s < PGCALC_NR_SCHEMES; s++) {
			struct pgcalc_result r;

			if (only >= 0 && s != only)
				continue;
			pgcalc_decompose((enum pgcalc_scheme)s, va, &r);
			pgcalc_print(&r);
			if (verbose)
				pgcalc_detail(&r);
		}
	}
	return 0;
}
