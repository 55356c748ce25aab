// SPDX-License-Identifier: MIT
// Every table of every machine in the real-firmware corpus
// ($CAIRN_SHARED/acpi-corpus) is registered and decoded under ASan/UBSan.
// Reports must match the list of known firmware defects below exactly;
// anything else fails. Then malformed variants of every table that has a
// decoder (truncated, bad checksum, length past the end, broken entry
// lengths) must give errors and never crash.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <acpi/decode.h>
#include <tests/ktest.h>
#include "acpi_util.h"

#define MAX_FILES 256

// Firmware defects found in the corpus: machine/file and the exact report.
static const struct {
	const char *where;
	const char *report;
} acpi_known_defects[] = {
    {"Desktop-ASRock-K10N78D-3E547E3B9CE5/oemb.dat",
     "OEMB: offset 0x9: checksum 0x6e is wrong (bytes sum to 0x01, should "
     "be 0)"},
    {"Desktop-Gigabyte_Technology-X299_UD4_Pro-331F76F426AF/slit.dat",
     "SLIT: offset 0x2d: warning: 63 bytes after the 1x1 matrix"},
};

static struct acpi_file corpus_files[MAX_FILES];

// Per-signature tallies for the log.
static struct {
	char sig[5];
	unsigned ok, errors;
} tally[64];
static unsigned ntally;

static void tally_add(const char *sig, bool ok)
{
	unsigned i;

	for (i = 0; i < ntally; i++)
		if (!memcmp(tally[i].sig, sig, 4))
			break;
	if (i == ntally) {
		if (ntally == 64)
			return;
		memcpy(tally[ntally++].sig, sig, 4);
	}
	if (ok)
		tally[i].ok++;
	else
		tally[i].errors++;
}

static const char *expected_report(const char *machine, const char *file)
{
	char where[256];

	snprintf(where, sizeof(where), "%s/%s", machine, file);
	for (size_t i = 0; i < ARRAY_SIZE(acpi_known_defects); i++)
		if (!strcmp(acpi_known_defects[i].where, where))
			return acpi_known_defects[i].report;
	return NULL;
}

// Registers and decodes one file; returns the number of reports made.
static unsigned decode_file(const struct acpi_file *f)
{
	const struct acpi_sdt_header *t = (const void *)f->buf;
	unsigned before = acpi_test_nreports();
	err_t err = acpi_table_register(f->buf, f->len);

	if (err == E_OK) {
		err = acpi_table_decode(t);
		if (acpi_table_has_decoder(t->signature))
			tally_add(t->signature, err == E_OK);
	}
	return acpi_test_nreports() - before;
}

static void check_machine(struct ktest *t, const char *dir, const char *machine,
                          unsigned *ntables, unsigned *ndefects)
{
	char path[1024];
	int n;

	snprintf(path, sizeof(path), "%s/%s", dir, machine);
	n = acpi_test_load_dir(path, corpus_files, MAX_FILES);
	KT_ASSERT(n > 0);
	acpi_reset();
	for (int i = 0; i < n; i++) {
		const char *want =
		    expected_report(machine, corpus_files[i].name);
		unsigned before = acpi_test_nreports();
		unsigned got = decode_file(&corpus_files[i]);

		(*ntables)++;
		if (want) {
			(*ndefects)++;
			KT_EXPECT_EQ(got, 1);
			KT_EXPECT_STR(acpi_test_report(before), want);
		} else if (got) {
			ktest_log(t, "%s/%s: %s", machine, corpus_files[i].name,
			          acpi_test_report(before));
			KT_EXPECT_EQ(got, 0);
		}
	}
	acpi_test_free(corpus_files, n);
}

KTEST(acpi_corpus, every_table_decodes)
{
	static char machines[128][128];
	const char *dir = acpi_test_corpus_dir();
	unsigned ntables = 0, ndefects = 0;
	int nm;

	if (!dir)
		KT_FAIL("no ACPI corpus in $CAIRN_SHARED/acpi-corpus (default "
		        "../shared/acpi-corpus, from the top of the tree)");
	nm = acpi_test_list_dirs(dir, machines, 128);
	KT_ASSERT(nm > 0);
	ntally = 0;
	acpi_test_collect_start();
	for (int m = 0; m < nm; m++)
		check_machine(t, dir, machines[m], &ntables, &ndefects);
	acpi_test_collect_stop();
	acpi_reset();
	ktest_log(t, "%d machines, %u tables, %u known firmware defects", nm,
	          ntables, ndefects);
	for (unsigned i = 0; i < ntally; i++)
		ktest_log(t, "  %s: %u decoded, %u with errors", tally[i].sig,
		          tally[i].ok, tally[i].errors);
	KT_EXPECT_EQ(ndefects, ARRAY_SIZE(acpi_known_defects));
}

// ---- malformed variants --------------------------------------------------

struct variant_stats {
	unsigned made, errors, silent_ok;
};

// Decodes a private, exactly-sized copy of buf[0..len) after patching; the
// heap copy lets ASan catch any read past the end.
static err_t try_variant(const uint8_t *buf, size_t len, int fix_len,
                         int flip_off, int set_off, int set_val)
{
	uint8_t *copy = malloc(len ? len : 1);
	err_t err;

	memcpy(copy, buf, len);
	if (set_off >= 0 && (size_t)set_off < len)
		copy[set_off] = (uint8_t)set_val;
	if (fix_len >= 0)
		acpi_test_fix(copy, (uint32_t)fix_len, len);
	if (flip_off >= 0 && (size_t)flip_off < len)
		copy[flip_off] ^= 0x5a;
	acpi_reset();
	err = acpi_table_register(copy, len);
	if (err == E_OK)
		err = acpi_table_decode((const void *)copy);
	free(copy);
	return err;
}

// Entry layout of the tables whose entries have a 1-byte length at +1.
static uint32_t entries_start(const char *sig)
{
	if (!memcmp(sig, "APIC", 4))
		return 44;
	if (!memcmp(sig, "SRAT", 4))
		return 48;
	return 0;
}

static void malform_entries(struct ktest *t, const struct acpi_file *f,
                            struct variant_stats *st)
{
	uint32_t off = entries_start((const char *)f->buf), len = f->len;
	static const int bad[] = {0, 1};

	for (unsigned k = 0; off && off + 2 <= len && k < 32; k++) {
		for (size_t b = 0; b < ARRAY_SIZE(bad); b++) {
			err_t err = try_variant(f->buf, len, (int)len, -1,
			                        (int)off + 1, bad[b]);
			st->made++;
			st->errors += err != E_OK;
			if (!KT_EXPECT(err != E_OK))
				ktest_log(t,
				          "%s: entry 0x%x length %d "
				          "accepted",
				          f->path, off, bad[b]);
		}
		// A length that runs past the end of the table.
		if (len - off < 255) {
			st->made++;
			st->errors +=
			    KT_EXPECT(try_variant(f->buf, len, (int)len, -1,
			                          (int)off + 1, 255) != E_OK);
		}
		if (f->buf[off + 1] == 0)
			break;
		off += f->buf[off + 1];
	}
}

static void malform_table(struct ktest *t, const struct acpi_file *f,
                          struct variant_stats *st)
{
	size_t len = f->len;
	size_t cuts[] = {0, 4, 8, 35, 36, len / 2, len - 1};
	size_t step = len > 1024 ? len / 64 : 1;

	// Buffer shorter than the header's length: never accepted.
	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		if (cuts[i] >= len)
			continue;
		st->made++;
		st->errors += KT_EXPECT(
		    try_variant(f->buf, cuts[i], -1, -1, -1, 0) != E_OK);
	}
	// Length field past the end of the buffer.
	st->made++;
	st->errors += KT_EXPECT(
	    try_variant(f->buf, len, (int)len + 1, -1, -1, 0) == E_TRUNC);
	// Bad checksum: flip one byte after fixing the checksum.
	st->made++;
	st->errors +=
	    KT_EXPECT(try_variant(f->buf, len, (int)len, (int)(len - 1), -1,
	                          0) == E_CHECKSUM);
	// Truncated with a consistent length and checksum: may be valid at an
	// entry boundary, must never crash.
	for (size_t cut = 36; cut < len; cut += step) {
		err_t err = try_variant(f->buf, cut, (int)cut, -1, -1, 0);

		st->made++;
		if (err)
			st->errors++;
		else
			st->silent_ok++;
	}
	malform_entries(t, f, st);
}

KTEST(acpi_corpus, malformed_variants_fail_cleanly)
{
	static char machines[128][128];
	const char *dir = acpi_test_corpus_dir();
	struct variant_stats st = {0};
	unsigned ntables = 0;
	int nm;

	if (!dir)
		KT_FAIL("no ACPI corpus in $CAIRN_SHARED/acpi-corpus (default "
		        "../shared/acpi-corpus, from the top of the tree)");
	nm = acpi_test_list_dirs(dir, machines, 128);
	KT_ASSERT(nm > 0);
	acpi_test_collect_start();
	for (int m = 0; m < nm; m++) {
		char path[1024];
		int n;

		snprintf(path, sizeof(path), "%s/%s", dir, machines[m]);
		n = acpi_test_load_dir(path, corpus_files, MAX_FILES);
		for (int i = 0; i < n; i++) {
			const struct acpi_file *f = &corpus_files[i];

			if (f->len < 36 ||
			    !acpi_table_has_decoder((const char *)f->buf))
				continue;
			ntables++;
			malform_table(t, f, &st);
		}
		acpi_test_free(corpus_files, n);
	}
	acpi_test_collect_stop();
	acpi_reset();
	ktest_log(t,
	          "%u tables, %u variants: %u rejected, %u truncations at "
	          "an entry boundary accepted",
	          ntables, st.made, st.errors, st.silent_ok);
	KT_EXPECT(ntables > 0 && st.made > 0);
}
