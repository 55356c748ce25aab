// SPDX-License-Identifier: MIT
// PL011 (and SBSA generic UART) console, polled, found from firmware: the
// ACPI SPCR table, else the device tree's /chosen stdout-path, else the
// first "arm,pl011" node. Nothing is hard-coded: with neither source there
// is no serial console (the framebuffer console may still work). Output is
// serialised by the printk console lock. Input (hal/serial.h) has one
// reader, the receive interrupt's handler; the interrupt number comes from
// the same source as the address (SPCR GSIV, or the node's "interrupts").
#include <libfdt.h>
#include <hal/irq.h>
#include <hal/serial.h>
#include <acpi/acpi.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "a64.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTFR_TXFF (1u << 5)
#define UARTFR_RXFE (1u << 4)
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UART_INT_RX (1u << 4) // receive FIFO reached its level
#define UART_INT_RT (1u << 6) // receive timeout: data waiting, FIFO quiet

static volatile uint32_t *uart;
static unsigned uart_intid; // GIC INTID of the UART, 0 = none known
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
	if (info.interrupt_type & ACPI_SPCR_IRQ_GIC)
		uart_intid = info.gsi;
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

// The node's interrupt as a GIC INTID, if it is an SPI in the GIC's
// three-cell form <0 number flags> (QEMU virt's PL011: <0 1 4>); else 0.
static unsigned fdt_node_spi(const void *fdt, int node)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p || len != 12 || fdt32_to_cpu(p[0]) != 0)
		return 0;
	return fdt32_to_cpu(p[1]) + 32;
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
	uart_intid = fdt_node_spi(fdt, node);
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

int hal_serial_getc(void)
{
	if (!uart || (uart[UARTFR / 4] & UARTFR_RXFE))
		return -1;
	return (int)(uart[UARTDR / 4] & 0xff);
}

static void (*rx_fn)(void);

static void uart_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	// Clear first, then drain: a byte that lands after the drain raises
	// the status again. Clearing after the drain could clear the status
	// of a byte that arrived in between, and with nothing to read it the
	// UART would never interrupt again (input stalls for good).
	uart[UARTICR / 4] = UART_INT_RX | UART_INT_RT;
	rx_fn(); // drains the FIFO, which lowers the level
}

err_t hal_serial_rx_start(void (*fn)(void))
{
	err_t e;

	if (!uart)
		return E_NOENT;
	if (!uart_intid)
		return E_NOTSUP;
	// The PL011's interrupt line is level-high (SBSA, QEMU virt).
	if ((e = hal_irq_set_trigger(uart_intid, true, false)))
		return e;
	rx_fn = fn;
	if ((e = hal_irq_register(uart_intid, uart_irq, NULL)))
		return e;
	uart[UARTICR / 4] = UART_INT_RX | UART_INT_RT;
	uart[UARTIMSC / 4] |= UART_INT_RX | UART_INT_RT;
	hal_irq_unmask(uart_intid);
	return 0;
}
