// SPDX-License-Identifier: MIT
// FADT decoder. The FADT grew field by field from ACPI 1.0 (116 bytes) to
// 6.x (276); every field is read only if the table is long enough to hold
// it. Legacy 32-bit block addresses are turned into I/O-space GAS values
// when the 64-bit X_ blocks are absent, so callers see one form.
//
// Locking: none; pure function of the table bytes.
#include <acpi/fadt.h>

#define FADT_V1_LEN 116u

const char *acpi_fadt_profile_name(uint8_t profile)
{
	static const char *const names[] = {
	    "unspecified",
	    "desktop",
	    "mobile",
	    "workstation",
	    "enterprise-server",
	    "soho-server",
	    "appliance-pc",
	    "performance-server",
	    "tablet",
	};

	return profile < ARRAY_SIZE(names) ? names[profile] : "reserved";
}

// Fills *g from the X_ GAS at xoff if present and non-zero, else from the
// legacy 32-bit I/O port block at off with len bytes.
static void fadt_block(const struct acpi_sdt_header *t, uint32_t off,
                       uint8_t len, uint32_t xoff, struct acpi_gas *g)
{
	if (xoff + 12 <= t->length) {
		acpi_rd_gas(t, xoff, g);
		if (g->address != 0)
			return;
	}
	*g = (struct acpi_gas){.space_id = ACPI_SPACE_IO,
	                       .bit_width = (uint8_t)(len * 8),
	                       .address = acpi_rd32(t, off)};
	if (g->address == 0)
		g->bit_width = 0;
}

static void fadt_decode_blocks(const struct acpi_sdt_header *t,
                               struct acpi_fadt *f)
{
	f->pm1_evt_len = acpi_rd8(t, 88);
	f->pm1_cnt_len = acpi_rd8(t, 89);
	f->pm2_cnt_len = acpi_rd8(t, 90);
	f->pm_tmr_len = acpi_rd8(t, 91);
	f->gpe0_len = acpi_rd8(t, 92);
	f->gpe1_len = acpi_rd8(t, 93);
	f->gpe1_base = acpi_rd8(t, 94);
	fadt_block(t, 56, f->pm1_evt_len, 148, &f->pm1a_evt);
	fadt_block(t, 60, f->pm1_evt_len, 160, &f->pm1b_evt);
	fadt_block(t, 64, f->pm1_cnt_len, 172, &f->pm1a_cnt);
	fadt_block(t, 68, f->pm1_cnt_len, 184, &f->pm1b_cnt);
	fadt_block(t, 72, f->pm2_cnt_len, 196, &f->pm2_cnt);
	fadt_block(t, 76, f->pm_tmr_len, 208, &f->pm_tmr);
	fadt_block(t, 80, f->gpe0_len, 220, &f->gpe0);
	fadt_block(t, 84, f->gpe1_len, 232, &f->gpe1);
}

static void fadt_decode_v2(const struct acpi_sdt_header *t, struct acpi_fadt *f)
{
	uint32_t len = t->length;

	if (len >= 129) {
		acpi_rd_gas(t, 116, &f->reset_reg);
		f->reset_value = acpi_rd8(t, 128);
	}
	if (len >= 131)
		f->arm_boot_arch = acpi_rd16(t, 129);
	if (len >= 132)
		f->minor_revision = acpi_rd8(t, 131);
	if (len >= 140 && acpi_rd64(t, 132))
		f->facs = acpi_rd64(t, 132);
	if (len >= 148 && acpi_rd64(t, 140))
		f->dsdt = acpi_rd64(t, 140);
	if (len >= 268) {
		acpi_rd_gas(t, 244, &f->sleep_control);
		acpi_rd_gas(t, 256, &f->sleep_status);
	}
	if (len >= 276)
		f->hypervisor_vendor = acpi_rd64(t, 268);
}

err_t acpi_fadt_decode(const struct acpi_sdt_header *t, struct acpi_fadt *f)
{
	err_t err = acpi_table_check(t, "FACP", FADT_V1_LEN);

	if (err)
		return err;
	*f = (struct acpi_fadt){.t = t, .revision = t->revision};
	f->facs = acpi_rd32(t, 36);
	f->dsdt = acpi_rd32(t, 40);
	f->pm_profile = acpi_rd8(t, 45);
	f->sci_irq = acpi_rd16(t, 46);
	f->smi_cmd = acpi_rd32(t, 48);
	f->acpi_enable = acpi_rd8(t, 52);
	f->acpi_disable = acpi_rd8(t, 53);
	f->century = acpi_rd8(t, 108);
	f->iapc_boot_arch = acpi_rd16(t, 109);
	f->flags = acpi_rd32(t, 112);
	f->hw_reduced = f->flags & ACPI_FADT_HW_REDUCED;
	fadt_decode_blocks(t, f);
	fadt_decode_v2(t, f);
	// A zero DSDT address is reported by acpi_init(), which needs the
	// DSDT; QEMU's reference tables zero it on purpose.
	if (acpi_rd32(t, 40) && t->length >= 148 && acpi_rd64(t, 140) &&
	    acpi_rd32(t, 40) != acpi_rd64(t, 140))
		acpi_warn("FACP", 140,
		          "X_DSDT 0x%lx differs from DSDT 0x%x; using X_DSDT",
		          acpi_rd64(t, 140), acpi_rd32(t, 40));
	return E_OK;
}
