// SPDX-License-Identifier: MIT
// PL011 (and SBSA generic UART) console, polled, found from firmware: the
// ACPI SPCR table, else the device tree's /chosen stdout-path, else the
// first "arm,pl011" node. Nothing is hard-coded: with neither source there
// is no serial console (the framebuffer console may still work). Output is
// serialised by the printk console lock.
#include <libfdt.h>
#include <acpi/acpi.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "a64.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)

static volatile uint32_t *uart;
static char found_via[48];

static void uart_putc(char c)
{
	for (int spins = 0; spins < 100000; spins++) // bounded: never hang
		if (!(uart[UARTFR / 4] & UARTFR_TXFF))
			break;
	uart[UARTDR / 4] = (uint8_t)c;
}

static void serial_write(struct console *con, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static struct console serial_console = {.name = "ttyAMA0",
                                        .write = serial_write};

static err_t from_spcr(paddr_t *base)
{
	const struct acpi_sdt_header *t;
	struct acpi_spcr_info info;
	err_t err;

	if (acpi_table_find("SPCR", 0, &t))
		return E_NOENT;
	err = acpi_spcr_decode(t, &info);
	if (err)
		return err;
	if (info.interface_type != ACPI_UART_PL011 &&
	    info.interface_type != ACPI_UART_SBSA &&
	    info.interface_type != ACPI_UART_SBSA_32BIT) {
		pr_warn("serial: SPCR names a %s UART, which Cairn does not "
		        "drive yet\n",
		        acpi_spcr_uart_name(info.interface_type));
		return E_NOTSUP;
	}
	if (!info.mmio || !info.base.address)
		return E_NOTSUP;
	*base = info.base.address;
	ksnprintf(found_via, sizeof(found_via), "ACPI SPCR (%s)",
	          acpi_spcr_uart_name(info.interface_type));
	return 0;
}

// The first "reg" address of node, assuming the parent's #address-cells
// and no translation (true for QEMU virt's top-level devices).
static err_t fdt_node_base(const void *fdt, int node, paddr_t *base)
{
	int parent = fdt_parent_offset(fdt, node), len;
	int cells = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || cells < 1 || cells > 2 || len < cells * 4)
		return E_CORRUPT;
	*base = cells == 2 ? (uint64_t)fdt32_to_cpu(reg[0]) << 32 |
	                         fdt32_to_cpu(reg[1])
	                   : fdt32_to_cpu(reg[0]);
	return 0;
}

static err_t from_fdt(const struct boot_info *bi, paddr_t *base)
{
	const void *fdt = phys_to_virt(bi->dtb);
	const char *path;
	int node = -1, len, err = fdt_check_header(fdt);

	if (err) {
		pr_err("serial: device tree at %#lx: %s\n",
		       (unsigned long)bi->dtb, fdt_strerror(err));
		return E_CORRUPT;
	}
	path = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path",
	                   &len);
	if (path && len > 0 && path[len - 1] == '\0') {
		int plen = 0;

		while (path[plen] && path[plen] != ':')
			plen++;
		node = fdt_path_offset_namelen(fdt, path, plen);
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011"))
		return E_NOENT;
	if (fdt_node_base(fdt, node, base))
		return E_CORRUPT;
	ksnprintf(found_via, sizeof(found_via), "device tree %s",
	          fdt_get_name(fdt, node, NULL));
	return 0;
}

err_t a64_serial_init(const struct boot_info *bi)
{
	paddr_t base = 0;
	err_t err = E_NOENT;

	if (bi->acpi_rsdp)
		err = from_spcr(&base);
	if (err && bi->dtb)
		err = from_fdt(bi, &base);
	if (err)
		return err;
	if (base + 0x1000 > bi->direct_map_size) {
		pr_err("serial: UART at %#lx is outside the direct map\n",
		       (unsigned long)base);
		return E_RANGE;
	}
	uart = phys_to_virt(base);
	console_register(&serial_console);
	pr_info("serial: PL011 at %#lx from %s\n", (unsigned long)base,
	        found_via);
	return 0;
}
