// SPDX-License-Identifier: MIT
// DBG2 decoder (a table decoder). Each device information structure holds
// offsets (relative to its own start) of a GAS array, an address-size
// array, a namespace string and OEM data; all must lie inside the
// structure.
//
// Locking: none; pure functions of the table bytes.
#include <acpi/dbg2.h>

#define DBG2_HDR_LEN 44u
#define DBG2_DEV_LEN 22u

const char *acpi_dbg2_port_name(uint16_t type)
{
	switch (type) {
	case ACPI_DBG2_SERIAL: return "serial";
	case ACPI_DBG2_1394: return "1394";
	case ACPI_DBG2_USB: return "usb";
	case ACPI_DBG2_NET: return "net";
	}
	return "unknown";
}

// Checks that [off, off + len) lies within a structure of size dlen.
static bool dbg2_fits(uint32_t off, uint64_t len, uint32_t dlen)
{
	return off <= dlen && len <= dlen - off;
}

// Validates the device at off; returns its length, 0 after a report (or
// silently with report == false, for iteration).
static uint32_t dbg2_check_dev(const struct acpi_sdt_header *t, uint32_t off,
                               bool report)
{
	const uint8_t *p = (const uint8_t *)t + off;
	uint32_t len, n;
	const char *why = NULL;
	uint32_t where = off;

	if (off >= t->length || t->length - off < DBG2_DEV_LEN) {
		why = "device structure runs past the table end";
		goto bad;
	}
	len = acpi_rd16(p, 1);
	n = p[3];
	if (len < DBG2_DEV_LEN || len > t->length - off) {
		why = len < DBG2_DEV_LEN ? "device length below 22"
		                         : "device length past the table end";
		where = off + 1;
	} else if (!dbg2_fits(acpi_rd16(p, 18), 12ull * n, len)) {
		why = "register array outside the device structure";
		where = off + 18;
	} else if (!dbg2_fits(acpi_rd16(p, 20), 4ull * n, len)) {
		why = "address-size array outside the device structure";
		where = off + 20;
	} else if (acpi_rd16(p, 4) &&
	           (!dbg2_fits(acpi_rd16(p, 6), acpi_rd16(p, 4), len) ||
	            p[acpi_rd16(p, 6) + acpi_rd16(p, 4) - 1] != '\0')) {
		why = "namespace string outside the device or not "
		      "NUL-terminated";
		where = off + 6;
	} else if (acpi_rd16(p, 8) &&
	           !dbg2_fits(acpi_rd16(p, 10), acpi_rd16(p, 8), len)) {
		why = "OEM data outside the device structure";
		where = off + 10;
	} else {
		return len;
	}
bad:
	if (report)
		acpi_report(E_CORRUPT, "DBG2", where, "%s", why);
	return 0;
}

err_t acpi_dbg2_parse(const struct acpi_sdt_header *t, struct acpi_dbg2 *d)
{
	err_t err = acpi_table_check(t, "DBG2", DBG2_HDR_LEN);
	uint32_t off;

	if (err)
		return err;
	*d = (struct acpi_dbg2){.t = t};
	d->first_off = acpi_rd32(t, 36);
	d->ndevices = acpi_rd32(t, 40);
	if (d->ndevices && d->first_off < DBG2_HDR_LEN)
		return acpi_report(E_CORRUPT, "DBG2", 36,
		                   "device offset 0x%x is inside the header",
		                   d->first_off);
	off = d->first_off;
	for (uint32_t i = 0; i < d->ndevices; i++) {
		uint32_t len = dbg2_check_dev(t, off, true);

		if (len == 0)
			return E_CORRUPT;
		off += len;
	}
	d->end_off = off;
	return E_OK;
}

bool acpi_dbg2_next(const struct acpi_dbg2 *d, uint32_t *pos,
                    struct acpi_dbg2_device *dev)
{
	uint32_t off = *pos ? *pos : d->first_off, len;
	const uint8_t *p = (const uint8_t *)d->t + off;

	if (off >= d->end_off || (len = dbg2_check_dev(d->t, off, false)) == 0)
		return false;
	*dev =
	    (struct acpi_dbg2_device){.offset = off, .length = (uint16_t)len};
	dev->revision = p[0];
	dev->ngas = p[3];
	dev->namespace_len = acpi_rd16(p, 4);
	if (dev->namespace_len) {
		dev->namespace_path = (const char *)p + acpi_rd16(p, 6);
		dev->namespace_len--;
	}
	dev->oem_len = acpi_rd16(p, 8);
	if (dev->oem_len)
		dev->oem_data = p + acpi_rd16(p, 10);
	dev->port_type = acpi_rd16(p, 12);
	dev->port_subtype = acpi_rd16(p, 14);
	dev->gas_off = off + acpi_rd16(p, 18);
	dev->size_off = off + acpi_rd16(p, 20);
	*pos = off + len;
	return true;
}

void acpi_dbg2_reg(const struct acpi_dbg2 *d,
                   const struct acpi_dbg2_device *dev, unsigned i,
                   struct acpi_gas *gas, uint32_t *size)
{
	*gas = (struct acpi_gas){0};
	*size = 0;
	if (i >= dev->ngas)
		return;
	acpi_rd_gas(d->t, dev->gas_off + 12 * i, gas);
	*size = acpi_rd32(d->t, dev->size_off + 4 * i);
}
