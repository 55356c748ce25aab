// SPDX-License-Identifier: MIT
// What the chipset power drivers (ich9_pm.c, piix_pm.c) share: PCI
// configuration reads and writes of a bus-0 function through the
// 0xCF8/0xCFC mechanism, and the reset through the reset control register
// at port 0xcf9 (ICH9 RST_CNT, PIIX3 RC: bit 2 set in a write starts the
// reset the other bits select). Boot CPU only, nothing else using the
// ports (driver.h).
#include "arch/io.h"
#include "driver.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc
#define RESET_PORT 0xcf9
#define RESET_GO 0x04

static void pci0_select(unsigned dev, unsigned reg)
{
	x86_outl(PCI_ADDR, 0x80000000u | dev << 11 | (reg & 0xfc));
}

uint32_t x86_pci0_read(unsigned dev, unsigned reg)
{
	pci0_select(dev, reg);
	return x86_inl(PCI_DATA);
}

void x86_pci0_write(unsigned dev, unsigned reg, uint32_t v)
{
	pci0_select(dev, reg);
	x86_outl(PCI_DATA, v);
}

err_t x86_reset_cf9(uint8_t bits)
{
	x86_outb(RESET_PORT, bits & ~RESET_GO);
	x86_outb(RESET_PORT, bits | RESET_GO);
	for (unsigned i = 0; i < 100000000u; i++)
		__asm__ volatile("pause");
	return E_TIMEOUT;
}
