// SPDX-License-Identifier: MIT
// SPCR (Serial Port Console Redirection) decoder: which UART the firmware
// used as its console, where its registers are (MMIO or I/O ports), its
// interrupt and line settings. Revisions 1-4 (revision 3 adds the UART
// clock, revision 4 the precise baud rate and a namespace path).
//
// Locking: none; pure function of the table bytes.
#include <acpi/acpi.h>

#define SPCR_MIN_LEN 80u // revisions 1 and 2
#define SPCR_V4_MIN_LEN 88u

static uint32_t acpi_spcr_baud(uint8_t code)
{
	switch (code) {
	case 3: return 9600;
	case 4: return 19200;
	case 6: return 57600;
	case 7: return 115200;
	}
	return 0; // 0: as configured by firmware; other codes are reserved
}

const char *acpi_spcr_uart_name(uint8_t type)
{
	static const char *const names[] = {
	    [0x00] = "16550",
	    [0x01] = "16450",
	    [0x02] = "max311x",
	    [0x03] = "pl011",
	    [0x05] = "msm8x60",
	    [0x06] = "nvidia-16550",
	    [0x07] = "ti-omap",
	    [0x09] = "apm88xxxx",
	    [0x0a] = "msm8974",
	    [0x0b] = "sam5250",
	    [0x0c] = "intel-usif",
	    [0x0d] = "imx6",
	    [0x0e] = "sbsa-32bit",
	    [0x0f] = "sbsa",
	    [0x10] = "arm-dcc",
	    [0x11] = "bcm2835",
	    [0x12] = "sdm845-1.8432MHz",
	    [0x13] = "16550-gas",
	    [0x14] = "sdm845-7.372MHz",
	    [0x15] = "intel-lpss",
	    [0x16] = "riscv-sbi",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "unknown";
}

// Revision 4 names the device in the ACPI namespace; the string must lie in
// the table and be NUL-terminated within its stated length.
static err_t acpi_spcr_namespace(const struct acpi_sdt_header *t,
                                 struct acpi_spcr_info *out)
{
	uint16_t len = acpi_rd16(t, 84), off = acpi_rd16(t, 86);

	if (len == 0)
		return E_OK;
	if (off < SPCR_V4_MIN_LEN || (uint32_t)off + len > t->length)
		return acpi_report(E_CORRUPT, "SPCR", 86,
		                   "namespace string at 0x%x, length %u, lies "
		                   "outside the table (length %u)",
		                   off, len, t->length);
	if (((const char *)t)[off + len - 1] != '\0')
		return acpi_report(E_CORRUPT, "SPCR", off,
		                   "namespace string is not NUL-terminated");
	out->namespace_path = (const char *)t + off;
	out->namespace_len = (uint16_t)(len - 1);
	return E_OK;
}

err_t acpi_spcr_decode(const struct acpi_sdt_header *t,
                       struct acpi_spcr_info *out)
{
	err_t err = acpi_table_check(t, "SPCR", SPCR_MIN_LEN);
	uint8_t as;

	if (err)
		return err;
	*out = (struct acpi_spcr_info){0};
	out->revision = t->revision;
	out->interface_type = acpi_rd8(t, 36);
	acpi_rd_gas(t, 40, &out->base);
	out->mmio = out->base.space_id == ACPI_SPACE_MEMORY;
	as = out->base.access_size;
	out->access_width = as >= 1 && as <= 4 ? (uint8_t)(1u << (as - 1)) : 0;
	out->interrupt_type = acpi_rd8(t, 52);
	out->pc_irq = acpi_rd8(t, 53);
	out->gsi = acpi_rd32(t, 54);
	out->baud = acpi_spcr_baud(acpi_rd8(t, 58));
	out->parity = acpi_rd8(t, 59);
	out->stop_bits = acpi_rd8(t, 60);
	out->flow_control = acpi_rd8(t, 61);
	out->terminal_type = acpi_rd8(t, 62);
	out->pci_device_id = acpi_rd16(t, 64);
	out->pci_vendor_id = acpi_rd16(t, 66);
	out->pci_bus = acpi_rd8(t, 68);
	out->pci_dev = acpi_rd8(t, 69);
	out->pci_func = acpi_rd8(t, 70);
	out->pci_flags = acpi_rd32(t, 71);
	out->pci_segment = acpi_rd8(t, 75);
	if (t->revision >= 3)
		out->uart_clock_hz = acpi_rd32(t, 76);
	if (t->revision >= 4 && t->length >= SPCR_V4_MIN_LEN) {
		out->precise_baud = acpi_rd32(t, 80);
		err = acpi_spcr_namespace(t, out);
		if (err)
			return err;
	}
	if (out->base.space_id != ACPI_SPACE_MEMORY &&
	    out->base.space_id != ACPI_SPACE_IO)
		return acpi_report(E_NOTSUP, "SPCR", 40,
		                   "base address in space %u (%s), not MMIO "
		                   "or I/O",
		                   out->base.space_id,
		                   acpi_space_name(out->base.space_id));
	return E_OK;
}
