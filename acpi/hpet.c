// SPDX-License-Identifier: MIT
// HPET table decoder (fixed 56-byte layout).
//
// Locking: none; pure function of the table bytes.
#include <acpi/hpet.h>

#define HPET_LEN 56u

err_t acpi_hpet_decode(const struct acpi_sdt_header *t, struct acpi_hpet *h)
{
	err_t err = acpi_table_check(t, "HPET", HPET_LEN);
	uint32_t id;

	if (err)
		return err;
	id = acpi_rd32(t, 36);
	*h = (struct acpi_hpet){.block_id = id};
	h->hw_rev = id & 0xff;
	h->ncomparators = (uint8_t)(((id >> 8) & 0x1f) + 1);
	h->counter_64bit = id & (1u << 13);
	h->legacy_replacement = id & (1u << 15);
	h->pci_vendor = (uint16_t)(id >> 16);
	acpi_rd_gas(t, 40, &h->base);
	h->number = acpi_rd8(t, 52);
	h->min_tick = acpi_rd16(t, 53);
	h->page_protect = acpi_rd8(t, 55) & 0xf;
	h->oem_attr = acpi_rd8(t, 55) >> 4;
	if (h->base.address == 0)
		return acpi_report(E_CORRUPT, "HPET", 44, "base address is 0");
	if (h->base.space_id != ACPI_SPACE_MEMORY)
		acpi_warn("HPET", 40, "base address in space %u (%s), not MMIO",
		          h->base.space_id, acpi_space_name(h->base.space_id));
	return E_OK;
}
