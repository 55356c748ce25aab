// SPDX-License-Identifier: MIT
// 16550 UART console on COM1 (I/O port 0x3f8), 115200 8N1, polled. q35 has
// no SPCR, and COM1 is where OVMF itself logs. Output is serialised by the
// printk console lock. Input (hal/serial.h) has one reader, the handler
// of the received-data interrupt on ISA IRQ 4.
#include <hal/irq.h>
#include <hal/serial.h>
#include <lib/printk.h>
#include "arch/io.h"
#include "x86.h"

#define COM1 0x3f8
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define COM1_ISA_IRQ 4

static void uart_putc(char c)
{
	for (int spins = 0; spins < 100000; spins++) // bounded: never hang
		if (x86_inb(COM1 + 5) & LSR_THRE)
			break;
	x86_outb(COM1, (uint8_t)c);
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

void x86_serial_init(void)
{
	x86_outb(COM1 + 1, 0x00); // no interrupts
	x86_outb(COM1 + 3, 0x80); // DLAB
	x86_outb(COM1 + 0, 0x01); // divisor 1: 115200 baud
	x86_outb(COM1 + 1, 0x00);
	x86_outb(COM1 + 3, 0x03); // 8N1
	x86_outb(COM1 + 2, 0xc7); // FIFO on, cleared
	x86_outb(COM1 + 4, 0x03); // DTR, RTS
	console_register(&serial_console);
}

int hal_serial_getc(void)
{
	uint8_t lsr = x86_inb(COM1 + 5);

	// No UART there reads as all ones; do not take that for data.
	if (lsr == 0xff || !(lsr & LSR_DR))
		return -1;
	return x86_inb(COM1);
}

static void (*rx_fn)(void);

static void com1_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	rx_fn();
}

err_t hal_serial_rx_start(void (*fn)(void))
{
	unsigned irq;
	err_t e;

	if (x86_inb(COM1 + 5) == 0xff)
		return E_NOENT;
	if ((e = hal_irq_from_isa(COM1_ISA_IRQ, &irq)) ||
	    (e = hal_irq_set_trigger(irq, false, false)))
		return e;
	rx_fn = fn;
	if ((e = hal_irq_register(irq, com1_irq, NULL)))
		return e;
	x86_outb(COM1 + 4, 0x0b); // DTR, RTS, OUT2 (gates the IRQ on PCs)
	x86_outb(COM1 + 1, 0x01); // interrupt on received data
	hal_irq_unmask(irq);
	return 0;
}
