// SPDX-License-Identifier: MIT
// Table discovery and the table registry: RSDP (ACPI 1.0 and 2.0+), XSDT
// with RSDT fallback, the DSDT and FACS named by the FADT, and lookup by
// signature and instance. Host tools fill the same registry from buffers
// with acpi_table_register().
//
// Locking: none. The registry is written by acpi_init() (boot, one CPU) or
// by single-threaded host programs, and only read afterwards.
#include <string.h>
#include <acpi/acpi.h>
#include <acpi/host.h>
#include <lib/printk.h>

struct acpi_table_slot {
	const struct acpi_sdt_header *hdr;
	paddr_t pa; // 0 for tables registered from buffers
};

static struct acpi_table_slot acpi_tables[ACPI_MAX_TABLES];
static unsigned acpi_ntables;
static struct acpi_root_info acpi_root_info;

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u
#define FACS_MIN_LEN 64u

// Default when the host provides no mapper (e.g. a host tool that registers
// buffers): nothing can be mapped. The kernel and host tests link a strong
// definition.
__attribute__((weak)) const void *acpi_host_map(paddr_t pa, size_t len)
{
	return NULL;
}

void acpi_reset(void)
{
	memset(acpi_tables, 0, sizeof(acpi_tables));
	acpi_ntables = 0;
	memset(&acpi_root_info, 0, sizeof(acpi_root_info));
}

const struct acpi_root_info *acpi_root(void)
{
	return &acpi_root_info;
}

unsigned acpi_table_count(void)
{
	return acpi_ntables;
}

const struct acpi_sdt_header *acpi_table_get(unsigned idx)
{
	return idx < acpi_ntables ? acpi_tables[idx].hdr : NULL;
}

err_t acpi_table_find(const char sig[4], unsigned instance,
                      const struct acpi_sdt_header **out)
{
	for (unsigned i = 0; i < acpi_ntables; i++) {
		if (memcmp(acpi_tables[i].hdr->signature, sig, 4) != 0)
			continue;
		if (instance-- == 0) {
			*out = acpi_tables[i].hdr;
			return E_OK;
		}
	}
	*out = NULL;
	return E_NOENT;
}

static bool acpi_is_facs(const void *p)
{
	return memcmp(p, "FACS", 4) == 0;
}

// Appends a checked table; pa is its physical address (0 if unknown).
static err_t acpi_table_add(const struct acpi_sdt_header *t, paddr_t pa)
{
	for (unsigned i = 0; i < acpi_ntables; i++)
		if (acpi_tables[i].hdr == t)
			return E_EXIST; // listed twice (RSDT and FADT, say)
	if (acpi_ntables >= ACPI_MAX_TABLES)
		return acpi_report(E_NOSPC, t->signature, 0,
		                   "more than %u tables; dropped",
		                   ACPI_MAX_TABLES);
	acpi_tables[acpi_ntables].hdr = t;
	acpi_tables[acpi_ntables].pa = pa;
	acpi_ntables++;
	return E_OK;
}

// Checks one table held in avail bytes at t: header, length, checksum (the
// FACS has a length but no checksum over the whole structure).
static err_t acpi_table_validate(const struct acpi_sdt_header *t, size_t avail)
{
	const char *sig = t->signature;
	uint32_t len;

	if (avail < 8)
		return acpi_report(E_TRUNC, "????", 0,
		                   "only %zu bytes, no table header", avail);
	len = acpi_rd32(t, 4);
	if (acpi_is_facs(t)) {
		if (len < FACS_MIN_LEN || len > avail)
			return acpi_report(E_TRUNC, sig, 4,
			                   "length %u (need %u..%zu)", len,
			                   FACS_MIN_LEN, avail);
		return E_OK;
	}
	if (avail < ACPI_SDT_HEADER_LEN)
		return acpi_report(E_TRUNC, sig, 0,
		                   "only %zu bytes, header needs %u", avail,
		                   ACPI_SDT_HEADER_LEN);
	if (len > avail)
		return acpi_report(E_TRUNC, sig, 4,
		                   "length %u but only %zu bytes present", len,
		                   avail);
	return acpi_table_check_len(t, len, ACPI_SDT_HEADER_LEN);
}

err_t acpi_table_register(const void *buf, size_t buf_len)
{
	err_t err;

	if (buf == NULL)
		return E_INVAL;
	err = acpi_table_validate(buf, buf_len);
	if (err)
		return err;
	err = acpi_table_add(buf, 0);
	return err == E_EXIST ? E_OK : err;
}

// Maps the table at pa (header first, to learn the length), validates and
// registers it. ref_sig/ref_off name the field holding pa, for errors.
static err_t acpi_table_load(paddr_t pa, const char *ref_sig, uint32_t ref_off,
                             const struct acpi_sdt_header **out)
{
	const struct acpi_sdt_header *t;
	uint32_t len;
	err_t err;

	if (pa == 0)
		return acpi_report(E_FAULT, ref_sig, ref_off,
		                   "table address is 0");
	t = acpi_host_map(pa, 8);
	if (t == NULL)
		return acpi_report(E_FAULT, ref_sig, ref_off,
		                   "cannot map table at 0x%lx", pa);
	len = acpi_rd32(t, 4);
	if (!acpi_is_facs(t) && len < ACPI_SDT_HEADER_LEN)
		return acpi_report(E_CORRUPT, t->signature, 4,
		                   "table at 0x%lx has length %u", pa, len);
	if (len < 8)
		return acpi_report(E_CORRUPT, t->signature, 4,
		                   "table at 0x%lx has length %u", pa, len);
	t = acpi_host_map(pa, len);
	if (t == NULL)
		return acpi_report(E_FAULT, ref_sig, ref_off,
		                   "cannot map %u bytes at 0x%lx", len, pa);
	err = acpi_table_validate(t, len);
	if (err)
		return err;
	*out = t;
	err = acpi_table_add(t, pa);
	return err == E_EXIST ? E_OK : err;
}

// The FADT names the DSDT and FACS; prefer the 64-bit fields when present
// and non-zero (ACPI 2.0+ FADTs are at least 148 bytes long for X_DSDT).
static void acpi_load_fadt_refs(const struct acpi_sdt_header *fadt)
{
	const struct acpi_sdt_header *t;
	uint32_t len = fadt->length;
	uint64_t dsdt = len >= 44 ? acpi_rd32(fadt, 40) : 0;
	uint64_t facs = len >= 40 ? acpi_rd32(fadt, 36) : 0;
	uint32_t dsdt_off = 40, facs_off = 36;

	if (len >= 148 && acpi_rd64(fadt, 140) != 0) {
		dsdt = acpi_rd64(fadt, 140);
		dsdt_off = 140;
	}
	if (len >= 140 && acpi_rd64(fadt, 132) != 0) {
		facs = acpi_rd64(fadt, 132);
		facs_off = 132;
	}
	if (dsdt == 0)
		acpi_report(E_NOENT, "FACP", 40, "no DSDT address");
	if (dsdt && acpi_table_load(dsdt, "FACP", dsdt_off, &t) == E_OK &&
	    memcmp(t->signature, "DSDT", 4) != 0)
		acpi_report(E_CORRUPT, "FACP", dsdt_off,
		            "DSDT pointer leads to a \"%.4s\" table",
		            t->signature);
	// Hardware-reduced platforms have no FACS: address 0 is fine.
	if (facs && acpi_table_load(facs, "FACP", facs_off, &t) == E_OK &&
	    !acpi_is_facs(t))
		acpi_report(E_CORRUPT, "FACP", facs_off,
		            "FACS pointer leads to a \"%.4s\" table",
		            t->signature);
}

// Walks the entries of the root table (XSDT: 8-byte, RSDT: 4-byte
// addresses) and loads every table they name.
static void acpi_load_root_entries(const struct acpi_sdt_header *root,
                                   unsigned esize)
{
	const char *sig = root->signature;
	uint32_t body = root->length - ACPI_SDT_HEADER_LEN;
	const struct acpi_sdt_header *t;

	if (body % esize)
		acpi_report(E_CORRUPT, sig, 4,
		            "length %u leaves %u stray bytes after the "
		            "entries; ignored",
		            root->length, body % esize);
	for (uint32_t off = ACPI_SDT_HEADER_LEN; off + esize <= root->length;
	     off += esize) {
		paddr_t pa =
		    esize == 8 ? acpi_rd64(root, off) : acpi_rd32(root, off);
		if (acpi_table_load(pa, sig, off, &t) != E_OK)
			continue;
		if (memcmp(t->signature, "FACP", 4) == 0)
			acpi_load_fadt_refs(t);
	}
}

// Validates the RSDP at pa and returns the root table's address and entry
// size (8 for the XSDT, 4 for the RSDT) .
static err_t acpi_rsdp_parse(paddr_t pa, paddr_t *root, unsigned *esize)
{
	const uint8_t *r = acpi_host_map(pa, RSDP_V1_LEN);
	uint32_t len;

	if (r == NULL)
		return acpi_report(E_FAULT, "RSDP", 0, "cannot map 0x%lx", pa);
	if (memcmp(r, "RSD PTR ", 8) != 0)
		return acpi_report(E_CORRUPT, "RSDP", 0,
		                   "no \"RSD PTR \" signature at 0x%lx", pa);
	if (acpi_checksum(r, RSDP_V1_LEN) != 0)
		return acpi_report(E_CHECKSUM, "RSDP", 8,
		                   "checksum over the first 20 bytes is wrong");
	acpi_root_info.rsdp = pa;
	acpi_root_info.rsdp_revision = r[15];
	memcpy(acpi_root_info.oem_id, r + 9, 6);
	*root = acpi_rd32(r, 16);
	*esize = 4;
	if (r[15] < 2)
		return E_OK;
	len = acpi_rd32(r, 20);
	if (len < RSDP_V2_LEN)
		return acpi_report(E_CORRUPT, "RSDP", 20,
		                   "revision %u but length %u < 36", r[15],
		                   len);
	r = acpi_host_map(pa, len);
	if (r == NULL)
		return acpi_report(E_FAULT, "RSDP", 20,
		                   "cannot map %u bytes at 0x%lx", len, pa);
	if (acpi_checksum(r, len) != 0) {
		// The ACPI 1.0 part is intact: fall back to the RSDT.
		acpi_report(E_CHECKSUM, "RSDP", 32,
		            "extended checksum is wrong; using the RSDT");
		return E_OK;
	}
	if (acpi_rd64(r, 24) != 0) {
		*root = acpi_rd64(r, 24);
		*esize = 8;
	}
	return E_OK;
}

// Loads the root table at pa, which must carry signature sig.
static err_t acpi_root_load(paddr_t pa, const char *sig,
                            const struct acpi_sdt_header **out)
{
	err_t err = acpi_table_load(pa, "RSDP", sig[0] == 'X' ? 24 : 16, out);

	if (err)
		return err;
	if (memcmp((*out)->signature, sig, 4) != 0) {
		if (acpi_ntables && acpi_tables[acpi_ntables - 1].hdr == *out)
			acpi_ntables--;
		return acpi_report(E_CORRUPT, "RSDP", sig[0] == 'X' ? 24 : 16,
		                   "%s address leads to a \"%.4s\" table", sig,
		                   (*out)->signature);
	}
	return E_OK;
}

err_t acpi_init(paddr_t rsdp)
{
	const struct acpi_sdt_header *root;
	paddr_t root_pa, rsdt_pa;
	unsigned esize;
	err_t err;

	acpi_reset();
	err = acpi_rsdp_parse(rsdp, &root_pa, &esize);
	if (err)
		return err;
	rsdt_pa = acpi_rd32(acpi_host_map(rsdp, RSDP_V1_LEN), 16);
	err = acpi_root_load(root_pa, esize == 8 ? "XSDT" : "RSDT", &root);
	if (err && esize == 8 && rsdt_pa != 0) {
		// A broken XSDT with a usable RSDT: fall back, as Linux does.
		esize = 4;
		root_pa = rsdt_pa;
		err = acpi_root_load(root_pa, "RSDT", &root);
	}
	if (err)
		return err;
	acpi_root_info.root = root_pa;
	memcpy(acpi_root_info.root_sig, root->signature, 4);
	acpi_load_root_entries(root, esize);
	return E_OK;
}

void acpi_tables_dump(void)
{
	char line[65];

	printk("-----BEGIN CAIRN ACPI TABLES-----\n");
	for (unsigned i = 0; i < acpi_ntables; i++) {
		const struct acpi_sdt_header *t = acpi_tables[i].hdr;
		const uint8_t *p = (const uint8_t *)t;

		printk("table %.4s %u\n", t->signature, t->length);
		for (uint32_t off = 0; off < t->length; off += 32) {
			uint32_t n = MIN(32u, t->length - off);

			for (uint32_t j = 0; j < n; j++)
				ksnprintf(line + 2 * j, 3, "%02x", p[off + j]);
			printk("%s\n", line);
		}
	}
	printk("-----END CAIRN ACPI TABLES-----\n");
}
