// SPDX-License-Identifier: MIT
// The BCM2835 auxiliary "mini UART" console driver (driver.h), the
// Raspberry Pi 3's stdout-path: "brcm,bcm2835-aux-uart". A 16550 cut down:
// the firmware (U-Boot) set the baud rate and enabled it; Cairn only moves
// bytes. Registers from the node's reg (0x7e215040 on the bus, 0x3f215040
// for the CPU through /soc's ranges): IO 0x00, IER 0x04 (bit 0: receive
// interrupt), LSR 0x14 (bit 0 data ready, bit 5 transmitter can take a
// byte). Output is serialised by the printk console lock; input has one
// reader, the receive interrupt's handler.
#include <libfdt.h>
#include <hal/irq.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>
#include <mm/phys.h>
#include "a64.h"
#include "driver.h"

#define MU_IO 0x00
#define MU_IER 0x04
#define MU_IER_RX (1u << 0)
#define MU_LSR 0x14
#define MU_LSR_DATA (1u << 0)
#define MU_LSR_TX_EMPTY (1u << 5)

static volatile uint32_t *mu;
static const void *mu_fdt;
static int mu_node;

static void mu_putc(char c)
{
	for (int spins = 0; spins < 100000; spins++) // bounded: never hang
		if (mu[MU_LSR / 4] & MU_LSR_TX_EMPTY)
			break;
	mu[MU_IO / 4] = (uint8_t)c;
}

static void mu_write(struct console *con, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			mu_putc('\r');
		mu_putc(s[i]);
	}
}

static struct console mu_console = {.name = "ttyS1", .write = mu_write};

err_t a64_bcm_aux_probe(const void *fdt, int node, char *what, size_t len)
{
	uint64_t base, size;
	err_t err = fdt_dev_reg(fdt, node, 0, &base, &size);

	if (err) {
		ksnprintf(what, len,
		          "%s: reg not reachable through the bus "
		          "ranges",
		          fdt_get_name(fdt, node, NULL));
		return err;
	}
	if (base + 0x40 > a64_boot_info->direct_map_size) {
		ksnprintf(what, len,
		          "mini UART at %#lx outside the direct "
		          "map",
		          (unsigned long)base);
		return E_RANGE;
	}
	mu = phys_to_virt(base);
	mu_fdt = fdt, mu_node = node;
	console_register(&mu_console);
	ksnprintf(what, len, "mini UART at %#lx from device tree %s",
	          (unsigned long)base, fdt_get_name(fdt, node, NULL));
	return 0;
}

static int mu_getc(void)
{
	if (!mu || !(mu[MU_LSR / 4] & MU_LSR_DATA))
		return -1;
	return (int)(mu[MU_IO / 4] & 0xff);
}

static void (*rx_fn)(void);

// The interrupt is a level while data waits: draining lowers it.
static void mu_irq(unsigned irq, void *arg)
{
	(void)irq;
	(void)arg;
	rx_fn();
}

static err_t mu_rx_start(void (*fn)(void))
{
	unsigned irq;
	err_t e;

	if (!mu)
		return E_NOENT;
	if (a64_fdt_irq(mu_fdt, mu_node, 0, &irq))
		return E_NOTSUP;
	rx_fn = fn;
	if ((e = hal_irq_register(irq, mu_irq, NULL)))
		return e;
	mu[MU_IER / 4] = MU_IER_RX;
	hal_irq_unmask(irq);
	return 0;
}

const struct a64_serial_ops a64_bcm_aux_ops = {.getc = mu_getc,
                                               .rx_start = mu_rx_start};
