// SPDX-License-Identifier: MIT
// Dispatch from a table signature to its decoder, for callers that want to
// validate any table (host tool, tests, fuzzers, a boot-time sweep).
//
// Locking: none.
#include <string.h>
#include <acpi/decode.h>
#include <acpi/dbg2.h>
#include <acpi/fadt.h>
#include <acpi/gtdt.h>
#include <acpi/hmat.h>
#include <acpi/hpet.h>
#include <acpi/iort.h>
#include <acpi/madt.h>
#include <acpi/mcfg.h>
#include <acpi/pptt.h>
#include <acpi/slit.h>
#include <acpi/srat.h>

static err_t dec_fadt(const struct acpi_sdt_header *t)
{
	struct acpi_fadt f;
	return acpi_fadt_decode(t, &f);
}

static err_t dec_madt(const struct acpi_sdt_header *t)
{
	struct acpi_madt m;
	return acpi_madt_parse(t, &m);
}

static err_t dec_srat(const struct acpi_sdt_header *t)
{
	struct acpi_srat s;
	return acpi_srat_parse(t, &s);
}

static err_t dec_slit(const struct acpi_sdt_header *t)
{
	struct acpi_slit s;
	return acpi_slit_parse(t, &s);
}

static err_t dec_pptt(const struct acpi_sdt_header *t)
{
	struct acpi_pptt p;
	return acpi_pptt_parse(t, &p);
}

static err_t dec_hmat(const struct acpi_sdt_header *t)
{
	struct acpi_hmat h;
	return acpi_hmat_parse(t, &h);
}

static err_t dec_mcfg(const struct acpi_sdt_header *t)
{
	struct acpi_mcfg m;
	return acpi_mcfg_parse(t, &m);
}

static err_t dec_hpet(const struct acpi_sdt_header *t)
{
	struct acpi_hpet h;
	return acpi_hpet_decode(t, &h);
}

static err_t dec_gtdt(const struct acpi_sdt_header *t)
{
	struct acpi_gtdt g;
	return acpi_gtdt_parse(t, &g);
}

static err_t dec_spcr(const struct acpi_sdt_header *t)
{
	struct acpi_spcr_info s;
	return acpi_spcr_decode(t, &s);
}

static err_t dec_dbg2(const struct acpi_sdt_header *t)
{
	struct acpi_dbg2 d;
	return acpi_dbg2_parse(t, &d);
}

static err_t dec_iort(const struct acpi_sdt_header *t)
{
	struct acpi_iort io;
	return acpi_iort_parse(t, &io);
}

static const struct {
	char sig[4];
	err_t (*fn)(const struct acpi_sdt_header *t);
} acpi_decoders[] = {
    {"FACP", dec_fadt}, {"APIC", dec_madt}, {"SRAT", dec_srat},
    {"SLIT", dec_slit}, {"PPTT", dec_pptt}, {"HMAT", dec_hmat},
    {"MCFG", dec_mcfg}, {"HPET", dec_hpet}, {"GTDT", dec_gtdt},
    {"SPCR", dec_spcr}, {"DBG2", dec_dbg2}, {"IORT", dec_iort},
};

bool acpi_table_has_decoder(const char sig[4])
{
	for (size_t i = 0; i < ARRAY_SIZE(acpi_decoders); i++)
		if (memcmp(acpi_decoders[i].sig, sig, 4) == 0)
			return true;
	return false;
}

err_t acpi_table_decode(const struct acpi_sdt_header *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(acpi_decoders); i++)
		if (memcmp(acpi_decoders[i].sig, t->signature, 4) == 0)
			return acpi_decoders[i].fn(t);
	if (memcmp(t->signature, "FACS", 4) == 0)
		return E_NOTSUP;
	err_t e = acpi_table_check_len(t, t->length, ACPI_SDT_HEADER_LEN);

	return e ? e : E_NOTSUP;
}
