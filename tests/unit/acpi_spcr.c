// SPDX-License-Identifier: MIT
// Unit tests for the SPCR decoder: a PL011 in MMIO (as QEMU virt), a 16550
// on I/O ports, revision 4 namespace strings, and malformed tables.
#include <tests/ktest.h>
#include <tests/unit/acpi_build.h>

static uint8_t spcr_buf[128];

static const struct acpi_sdt_header *spcr_build(struct acpi_tb *b, uint8_t rev,
                                                uint8_t type, uint8_t space,
                                                uint64_t addr)
{
	acpi_tb_init(b, spcr_buf, sizeof(spcr_buf), "SPCR", rev);
	acpi_tb_put(b, 36, type, 1);
	acpi_tb_put(b, 40, space, 1);
	acpi_tb_put(b, 41, 8, 1);
	acpi_tb_put(b, 43, 1, 1);
	acpi_tb_put(b, 44, addr, 8);
	acpi_tb_put(b, 52, ACPI_SPCR_IRQ_GIC, 1);
	acpi_tb_put(b, 54, 33, 4);
	acpi_tb_put(b, 58, 7, 1); // 115200
	acpi_tb_put(b, 60, 1, 1);
	acpi_tb_put(b, 64, 0xffff, 2);
	acpi_tb_put(b, 76, 0, 4);
	return acpi_tb_finish(b);
}

KTEST(acpi_spcr, pl011_mmio)
{
	struct acpi_tb b;
	struct acpi_spcr_info s;
	const struct acpi_sdt_header *tbl =
	    spcr_build(&b, 2, ACPI_UART_PL011, ACPI_SPACE_MEMORY, 0x9000000);

	KT_ASSERT_EQ(acpi_spcr_decode(tbl, &s), E_OK);
	KT_EXPECT_EQ(s.interface_type, ACPI_UART_PL011);
	KT_EXPECT(s.mmio);
	KT_EXPECT_EQ_U(s.base.address, 0x9000000);
	KT_EXPECT_EQ(s.access_width, 1);
	KT_EXPECT_EQ(s.baud, 115200);
	KT_EXPECT_EQ(s.gsi, 33);
	KT_EXPECT_EQ(s.interrupt_type, ACPI_SPCR_IRQ_GIC);
	KT_EXPECT_EQ(s.pci_device_id, 0xffff);
	KT_EXPECT_STR(acpi_spcr_uart_name(s.interface_type), "pl011");
}

KTEST(acpi_spcr, uart16550_io_rev4)
{
	struct acpi_tb b;
	struct acpi_spcr_info s;
	const struct acpi_sdt_header *tbl;

	spcr_build(&b, 4, ACPI_UART_16550, ACPI_SPACE_IO, 0x3f8);
	acpi_tb_put(&b, 76, 1843200, 4);
	acpi_tb_put(&b, 80, 1500000, 4);
	acpi_tb_put(&b, 84, 10, 2);
	acpi_tb_put(&b, 86, 88, 2);
	memcpy(spcr_buf + 88, "\\_SB.COM0", 10);
	b.len = 98;
	tbl = acpi_tb_finish(&b);
	KT_ASSERT_EQ(acpi_spcr_decode(tbl, &s), E_OK);
	KT_EXPECT(!s.mmio);
	KT_EXPECT_EQ_U(s.base.address, 0x3f8);
	KT_EXPECT_EQ(s.uart_clock_hz, 1843200);
	KT_EXPECT_EQ(s.precise_baud, 1500000);
	KT_ASSERT(s.namespace_path != NULL);
	KT_EXPECT_EQ(s.namespace_len, 9);
	KT_EXPECT_STR(s.namespace_path, "\\_SB.COM0");
}

KTEST(acpi_spcr, malformed)
{
	struct acpi_tb b;
	struct acpi_spcr_info s;
	const struct acpi_sdt_header *tbl;

	acpi_set_quiet(true);
	spcr_build(&b, 2, ACPI_UART_16550, ACPI_SPACE_IO, 0x3f8);
	b.len = 60;
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_spcr_decode(tbl, &s), E_TRUNC);
	KT_EXPECT_STR(acpi_last_error(),
	              "SPCR: offset 0x4: table length 60 is below the minimum "
	              "80");
	spcr_build(&b, 4, ACPI_UART_16550, ACPI_SPACE_IO, 0x3f8);
	acpi_tb_put(&b, 84, 40, 2); // namespace string past the end
	acpi_tb_put(&b, 86, 80, 2);
	b.len = 98;
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_spcr_decode(tbl, &s), E_CORRUPT);
	tbl = spcr_build(&b, 2, ACPI_UART_16550, ACPI_SPACE_PCI_CONFIG, 0x3f8);
	KT_EXPECT_EQ(acpi_spcr_decode(tbl, &s), E_NOTSUP);
	tbl = spcr_build(&b, 2, ACPI_UART_16550, ACPI_SPACE_IO, 0x3f8);
	spcr_buf[50] ^= 0x40;
	KT_EXPECT_EQ(acpi_spcr_decode(tbl, &s), E_CHECKSUM);
	acpi_set_quiet(false);
}
