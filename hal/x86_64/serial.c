// SPDX-License-Identifier: MIT
// 16550 UART console on COM1 (I/O port 0x3f8), 115200 8N1, polled. q35 has
// no SPCR, and COM1 is where OVMF itself logs. Output is serialised by the
// printk console lock.
#include <lib/printk.h>
#include "arch/io.h"
#include "x86.h"

#define COM1 0x3f8
#define LSR_THRE 0x20

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
