// SPDX-License-Identifier: MIT
// Host test: every machine in $CAIRN_SHARED/acpi-corpus (default ../shared
// from the repo root) loads into the AML interpreter — DSDT, then SSDTs in
// numeric order — and its namespace initialises, under ASan/UBSan. Firmware
// errors are tolerated (they are reported and counted, as ACPICA reports
// them); what must hold is that every table is accepted, nothing crashes,
// nothing leaks (aml_destroy returns every byte), and no evaluation comes
// near the step budget (aml_options.max_steps): none may overrun it.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <acpi/aml/aml.h>
#include <tests/host/hal/host_util.h>
#include <tests/ktest.h>

// Loads one machine; returns false if a table was refused, memory leaked
// or an evaluation overran the step budget. *steps: its largest evaluation.
static bool c_machine(const char *dir, unsigned *errors, uint64_t *steps)
{
	struct aml_options opt = {.loop_timeout_ms = 1000};
	uint8_t *tables[64];
	unsigned n, i, refused;
	struct aml_stats st;
	struct aml_ctx *ctx;
	bool ok;

	if (aml_create(host_aml_quiet(), &opt, &ctx))
		return false;
	n = host_aml_load_machine(ctx, dir, tables, 64, &refused);
	ok = !refused;
	if (aml_init_namespace(ctx))
		ok = false;
	aml_stats_get(ctx, &st);
	*errors = st.errors;
	*steps = st.steps_max;
	if (st.overruns) {
		printf("    # %s: %u evaluations overran the step budget\n",
		       dir, st.overruns);
		ok = false;
	}
	aml_destroy(ctx);
	for (i = 0; i < n; i++)
		free(tables[i]);
	return ok && n > 0;
}

KTEST(aml_corpus, all_machines_load)
{
	const char *shared = getenv("CAIRN_SHARED");
	char dir[512], mdir[1024], where[256] = "-";
	unsigned machines = 0, clean = 0, errors;
	uint64_t steps, most = 0;
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/acpi-corpus",
	         shared ? shared : "../shared");
	d = opendir(dir);
	if (!d)
		KT_FAIL("no ACPI corpus in $CAIRN_SHARED/acpi-corpus (default "
		        "../shared/acpi-corpus, from the top of the tree)");
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README.md"))
			continue;
		snprintf(mdir, sizeof(mdir), "%s/%s", dir, de->d_name);
		if (!c_machine(mdir, &errors, &steps)) {
			printf("    # %s: a table was refused or an evaluation "
			       "overran its steps\n",
			       de->d_name);
			KT_EXPECT(false);
		}
		machines++;
		clean += errors == 0;
		if (steps > most) {
			most = steps;
			snprintf(where, sizeof(where), "%s", de->d_name);
		}
	}
	closedir(d);
	printf("    # %u machines loaded, %u without firmware errors; largest "
	       "evaluation %lu steps, %s (budget %lu)\n",
	       machines, clean, (unsigned long)most, where,
	       (unsigned long)AML_EVAL_STEPS);
	KT_EXPECT(machines >= 50);
}
