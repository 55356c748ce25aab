// SPDX-License-Identifier: MIT
// The PL011 (and SBSA generic UART) console driver (driver.h), polled,
// bound from the ACPI SPCR table or the device tree node /chosen
// stdout-path names. Output is serialised by the printk console lock.
// Input (hal/serial.h) has one reader, the receive interrupt's handler; the
// interrupt number comes from the same source as the address (SPCR GSIV,
// or the node's "interrupts" translated by the bound controller).
#include <libfdt.h>
#include <lib/fdt_dev.h>
#include <hal/irq.h>
#include <hal/serial.h>
#include <acpi/acpi.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include "a64.h"
#include "driver.h"

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

static err_t pl011_start(paddr_t base, char *what, size_t len)
{
	if (base + 0x1000 > a64_boot_info->direct_map_size) {
		ksnprintf(what, len, "UART at %#lx outside the direct map",
		          (unsigned long)base);
		return E_RANGE;
	}
	uart = phys_to_virt(base);
	console_register(&serial_console);
	ksnprintf(what, len, "PL011 at %#lx from %s", (unsigned long)base,
	          found_via);
	return 0;
}

err_t a64_pl011_probe_acpi(const void *fdt, int node, char *what, size_t len)
{
	paddr_t base;
	err_t err = from_spcr(&base);

	if (err) {
		ksnprintf(what, len, "ACPI SPCR");
		return err;
	}
	return pl011_start(base, what, len);
}

// The receive interrupt is looked up once the controller is bound.
static const void *uart_fdt;
static int uart_node = -1;

err_t a64_pl011_probe_fdt(const void *fdt, int node, char *what, size_t len)
{
	uint64_t base, size;

	if (fdt_dev_reg(fdt, node, 0, &base, &size)) {
		ksnprintf(what, len, "%s: bad reg",
		          fdt_get_name(fdt, node, NULL));
		return E_CORRUPT;
	}
	uart_fdt = fdt, uart_node = node;
	ksnprintf(found_via, sizeof(found_via), "device tree %s",
	          fdt_get_name(fdt, node, NULL));
	return pl011_start(base, what, len);
}

// hal/serial.h goes to whichever serial driver bound.
static const struct a64_serial_ops *serial_ops;

err_t a64_serial_init(const struct boot_info *bi)
{
	const struct hal_driver *d = a64_bind(HAL_DRV_SERIAL);

	if (!d)
		return E_NOENT;
	serial_ops = d->ops;
	return 0;
}

int hal_serial_getc(void)
{
	return serial_ops ? serial_ops->getc() : -1;
}

err_t hal_serial_rx_start(void (*fn)(void))
{
	return serial_ops ? serial_ops->rx_start(fn) : E_NOENT;
}

static int pl011_getc(void)
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

static err_t pl011_rx_start(void (*fn)(void))
{
	err_t e;

	if (uart && !uart_intid && uart_node >= 0 &&
	    a64_fdt_irq(uart_fdt, uart_node, 0, &uart_intid))
		uart_intid = 0;

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

const struct a64_serial_ops a64_pl011_ops = {.getc = pl011_getc,
                                             .rx_start = pl011_rx_start};
