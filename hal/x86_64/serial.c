// SPDX-License-Identifier: MIT
// The "uart16550" serial console driver (driver.h): a 16550 in I/O port
// space, 115200 8N1, polled output. Bound from the SPCR when the firmware
// hands one over (none of QEMU's x86 firmwares do: OVMF and U-Boot on q35
// and pc have no SPCR), else from the legacy COM1 at 0x3f8, where OVMF
// itself logs. Output is serialised by the printk console lock. Input
// (hal/serial.h) has one reader, the handler of the received-data interrupt
// (the SPCR's GSI, or ISA IRQ 4 for COM1).
#include <acpi/acpi.h>
#include <hal/irq.h>
#include <hal/serial.h>
#include <lib/printk.h>
#include "arch/io.h"
#include "driver.h"
#include "x86.h"

#define COM1 0x3f8
#define COM1_ISA_IRQ 4
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define UART_SCRATCH 7

static uint16_t port;     // 0: no UART bound
static bool irq_is_gsi;   // irq is a GSI (SPCR), else an ISA IRQ
static unsigned uart_irq; // its receive interrupt; ~0u: polled only

static void uart_putc(char c)
{
	for (int spins = 0; spins < 100000; spins++) // bounded: never hang
		if (x86_inb(port + 5) & LSR_THRE)
			break;
	x86_outb(port, (uint8_t)c);
}

static void serial_write(struct console *con, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

static struct console serial_console = {.name = "ttyS0", .write = serial_write};

// A 16550 keeps what is written to its scratch register; nothing at the
// port reads back all ones.
static bool uart_present(uint16_t p)
{
	x86_outb(p + UART_SCRATCH, 0x5a);
	if (x86_inb(p + UART_SCRATCH) != 0x5a)
		return false;
	x86_outb(p + UART_SCRATCH, 0xa5);
	return x86_inb(p + UART_SCRATCH) == 0xa5;
}

static void uart_start(uint16_t p)
{
	port = p;
	x86_outb(port + 1, 0x00); // no interrupts
	x86_outb(port + 3, 0x80); // DLAB
	x86_outb(port + 0, 0x01); // divisor 1: 115200 baud
	x86_outb(port + 1, 0x00);
	x86_outb(port + 3, 0x03); // 8N1
	x86_outb(port + 2, 0xc7); // FIFO on, cleared
	x86_outb(port + 4, 0x03); // DTR, RTS
	console_register(&serial_console);
}

err_t x86_uart_probe_spcr(const void *fdt, int node, char *what, size_t len)
{
	const struct acpi_sdt_header *t;
	struct acpi_spcr_info s;
	err_t err;

	if ((err = acpi_table_find("SPCR", 0, &t)) ||
	    (err = acpi_spcr_decode(t, &s))) {
		ksnprintf(what, len, "ACPI SPCR: not usable");
		return err;
	}
	if ((s.interface_type != ACPI_UART_16550 &&
	     s.interface_type != ACPI_UART_16450) ||
	    s.mmio || s.base.address < 8 || s.base.address > 0xfff8) {
		ksnprintf(what, len,
		          "ACPI SPCR: a %s UART at %s %#lx, not a 16550 in "
		          "I/O space",
		          acpi_spcr_uart_name(s.interface_type),
		          s.mmio ? "MMIO" : "I/O",
		          (unsigned long)s.base.address);
		return E_NOTSUP;
	}
	if (!uart_present((uint16_t)s.base.address)) {
		ksnprintf(what, len, "ACPI SPCR: no UART answers at I/O %#lx",
		          (unsigned long)s.base.address);
		return E_NOENT;
	}
	uart_irq = ~0u;
	if (s.interrupt_type & ACPI_SPCR_IRQ_IOAPIC)
		uart_irq = s.gsi, irq_is_gsi = true;
	else if (s.interrupt_type & ACPI_SPCR_IRQ_8259)
		uart_irq = s.pc_irq, irq_is_gsi = false;
	uart_start((uint16_t)s.base.address);
	ksnprintf(what, len, "16550 at I/O %#x from ACPI SPCR", port);
	return 0;
}

err_t x86_uart_probe_com1(const void *fdt, int node, char *what, size_t len)
{
	if (!uart_present(COM1)) {
		ksnprintf(what, len,
		          "no ACPI SPCR, and no UART at the legacy "
		          "COM1 (I/O 0x3f8)");
		return E_NOENT;
	}
	uart_irq = COM1_ISA_IRQ, irq_is_gsi = false;
	uart_start(COM1);
	ksnprintf(what, len, "legacy COM1 16550 at I/O 0x3f8 (no ACPI SPCR)");
	return 0;
}

void x86_serial_init(void)
{
	(void)x86_bind(HAL_DRV_SERIAL);
}

static int uart_getc(void)
{
	uint8_t lsr = x86_inb(port + 5);

	// No UART there reads as all ones; do not take that for data.
	if (lsr == 0xff || !(lsr & LSR_DR))
		return -1;
	return x86_inb(port);
}

int hal_serial_getc(void)
{
	const struct hal_driver *d = hal_driver_bound(HAL_DRV_SERIAL);

	return d ? ((const struct x86_serial_ops *)d->ops)->getc() : -1;
}

static void (*rx_fn)(void);

static void uart_rx_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	rx_fn();
}

static err_t uart_rx_start(void (*fn)(void))
{
	unsigned irq = uart_irq;
	err_t e;

	if (x86_inb(port + 5) == 0xff)
		return E_NOENT;
	if (uart_irq == ~0u)
		return E_NOTSUP;
	if ((!irq_is_gsi && (e = hal_irq_from_isa(uart_irq, &irq))) ||
	    (e = hal_irq_set_trigger(irq, false, false)))
		return e;
	rx_fn = fn;
	if ((e = hal_irq_register(irq, uart_rx_irq, NULL)))
		return e;
	x86_outb(port + 4, 0x0b); // DTR, RTS, OUT2 (gates the IRQ on PCs)
	x86_outb(port + 1, 0x01); // interrupt on received data
	hal_irq_unmask(irq);
	return 0;
}

err_t hal_serial_rx_start(void (*fn)(void))
{
	const struct hal_driver *d = hal_driver_bound(HAL_DRV_SERIAL);

	return d ? ((const struct x86_serial_ops *)d->ops)->rx_start(fn)
	         : E_NOENT;
}

const struct x86_serial_ops x86_uart_ops = {.getc = uart_getc,
                                            .rx_start = uart_rx_start};
