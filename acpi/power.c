// SPDX-License-Identifier: MIT
// ACPI power-off (S5) and reset.
//
// Power-off (ACPI 6.5, 7.4.2 and 16.1): \_PTS(5) tells the firmware what is
// coming; \_S5 gives SLP_TYPa/SLP_TYPb. Full-hardware platforms then write
// SLP_TYPx (bits 10-12) and SLP_EN (bit 13) to PM1a_CNT (and PM1b_CNT);
// hardware-reduced ones write SLP_TYP (bits 2-4) and SLP_EN (bit 5) to the
// FADT's sleep control register. Reset: the FADT's reset register gets its
// reset value (when the FADT says it is supported).
//
// Both return only if the machine is still running: the caller falls back
// (PSCI, halting). Locking: called on one CPU with everything else
// stopped; the interpreter is used as at any other time.
#include <acpi/acpi.h>
#include <acpi/aml_boot.h>
#include <acpi/fadt.h>
#include <acpi/power.h>
#include <hal/cpu.h>
#include <hal/io.h>
#include <lib/printk.h>

#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_TYP_MASK (7u << 10)
#define PM1_SLP_EN (1u << 13)
#define SLEEP_CTL_TYP_SHIFT 2
#define SLEEP_CTL_EN (1u << 5)

static unsigned acpi_gas_width(const struct acpi_gas *g, unsigned dflt)
{
	if (g->access_size >= 1 && g->access_size <= 4)
		return 1u << (g->access_size - 1);
	if (g->bit_width == 8 || g->bit_width == 16 || g->bit_width == 32 ||
	    g->bit_width == 64)
		return g->bit_width / 8;
	return dflt;
}

// Reads or writes a register described by a Generic Address Structure
// (SystemMemory, SystemIO or PCI configuration space of segment 0, bus 0).
err_t acpi_gas_rw(const struct acpi_gas *g, unsigned dflt_width, uint64_t *v,
                  bool write)
{
	unsigned w = acpi_gas_width(g, dflt_width);
	uint32_t x;
	err_t e;

	if (!g->address)
		return E_NOENT;
	switch (g->space_id) {
	case 0: {
		volatile void *p = acpi_phys_map(g->address, w);
		if (!p)
			return E_RANGE;
		if (write && w == 1)
			*(volatile uint8_t *)p = (uint8_t)*v;
		else if (write && w == 2)
			*(volatile uint16_t *)p = (uint16_t)*v;
		else if (write && w == 4)
			*(volatile uint32_t *)p = (uint32_t)*v;
		else if (write)
			*(volatile uint64_t *)p = *v;
		else
			*v = w == 1   ? *(volatile uint8_t *)p
			     : w == 2 ? *(volatile uint16_t *)p
			     : w == 4 ? *(volatile uint32_t *)p
			              : *(volatile uint64_t *)p;
		return 0;
	}
	case 1:
		if (w > 4)
			return E_INVAL;
		if (write)
			return hal_io_write((uint32_t)g->address, w,
			                    (uint32_t)*v);
		e = hal_io_read((uint32_t)g->address, w, &x);
		*v = x;
		return e;
	case 2:
		return acpi_pci_rw(0, 0, (uint8_t)(g->address >> 32),
		                   (uint8_t)(g->address >> 16),
		                   (uint16_t)g->address, w > 4 ? 4 : w, v,
		                   write);
	default: return E_NOTSUP;
	}
}

static err_t acpi_fadt_get(struct acpi_fadt *f)
{
	const struct acpi_sdt_header *t;
	err_t e = acpi_table_find("FACP", 0, &t);

	return e ? e : acpi_fadt_decode(t, f);
}

// SLP_TYPa/b from \_S5 (a package of integers; firmware with a single
// element packs SLP_TYPb into its second byte), then \_PTS(5).
static err_t acpi_s5_types(struct aml_ctx *ctx, uint8_t *a, uint8_t *b)
{
	struct aml_value five = {.type = AML_INTEGER, .i = 5}, v, r;
	const struct aml_value *e0, *e1;
	err_t e;

	if (!ctx)
		return E_NOENT;
	e = aml_eval(ctx, "\\_S5_", NULL, 0, &v);
	if (e)
		return e;
	e0 = aml_value_pkg(&v, 0);
	e1 = aml_value_pkg(&v, 1);
	if (!e0 || e0->type != AML_INTEGER) {
		aml_value_put(ctx, &v);
		return E_INVAL;
	}
	*a = (uint8_t)(e0->i & 7);
	if (e1 && e1->type == AML_INTEGER)
		*b = (uint8_t)(e1->i & 7);
	else
		*b = (uint8_t)((e0->i >> 8) & 7);
	aml_value_put(ctx, &v);
	// _PTS is optional; its errors are reported by the interpreter.
	if (!aml_eval(ctx, "\\_PTS", &five, 1, &r))
		aml_value_put(ctx, &r);
	return 0;
}

static err_t acpi_pm1_sleep(const struct acpi_gas *cnt, uint8_t typ)
{
	uint64_t v = 0;
	err_t e;

	if (!cnt->address)
		return 0;
	e = acpi_gas_rw(cnt, 2, &v, false);
	if (e)
		return e;
	v = (v & ~(uint64_t)(PM1_SLP_TYP_MASK | PM1_SLP_EN)) |
	    (uint64_t)typ << PM1_SLP_TYP_SHIFT;
	e = acpi_gas_rw(cnt, 2, &v, true);
	if (e)
		return e;
	v |= PM1_SLP_EN;
	return acpi_gas_rw(cnt, 2, &v, true);
}

err_t acpi_power_off(void)
{
	struct acpi_fadt f;
	uint8_t a, b;
	uint64_t v;
	err_t e;

	e = acpi_fadt_get(&f);
	if (e)
		return e;
	// Hardware-reduced without a sleep control register (Arm with
	// PSCI): nothing to do here, the firmware interface does it.
	if (f.hw_reduced && !f.sleep_control.address)
		return E_NOTSUP;
	// PM1a_EVT is mandatory on full-hardware platforms. Without it the
	// PM1 control address is not trusted either: U-Boot on q35 hands over
	// QEMU's tables built while the chipset's PM I/O base was still 0,
	// so PM1a_CNT says port 0x4 (a DMA controller register).
	if (!f.hw_reduced && !f.pm1a_evt.address) {
		pr_warn(
		    "acpi: FADT has no PM1a event block, so its PM1a "
		    "control block (%s %#lx) is not used: no S5 through the "
		    "FADT\n",
		    acpi_space_name(f.pm1a_cnt.space_id),
		    (unsigned long)f.pm1a_cnt.address);
		return E_NOTSUP;
	}
	e = acpi_s5_types(acpi_aml(), &a, &b);
	if (e) {
		pr_warn("acpi: no usable \\_S5 (%s)\n", err_name(e));
		return e;
	}
	pr_info("acpi: entering S5 (soft off), SLP_TYP %u/%u\n", a, b);
	if (f.hw_reduced) {
		v = (uint64_t)a << SLEEP_CTL_TYP_SHIFT | SLEEP_CTL_EN;
		e = acpi_gas_rw(&f.sleep_control, 1, &v, true);
	} else {
		if (!f.pm1a_cnt.address)
			return E_NOTSUP;
		hal_irq_disable();
		e = acpi_pm1_sleep(&f.pm1b_cnt, b);
		if (!e)
			e = acpi_pm1_sleep(&f.pm1a_cnt, a);
	}
	// The machine may take a moment to go down.
	for (unsigned i = 0; !e && i < 100000000u; i++)
		hal_cpu_relax();
	return e ? e : E_TIMEOUT;
}

err_t acpi_power_off_pm1(const struct acpi_gas *pm1a_cnt)
{
	uint8_t a, b;
	err_t e = acpi_s5_types(acpi_aml(), &a, &b);

	if (e) {
		pr_warn("acpi: no usable \\_S5 (%s)\n", err_name(e));
		return e;
	}
	pr_info("acpi: entering S5 (soft off) through PM1a_CNT %s %#lx, "
	        "SLP_TYP %u\n",
	        acpi_space_name(pm1a_cnt->space_id),
	        (unsigned long)pm1a_cnt->address, a);
	hal_irq_disable();
	e = acpi_pm1_sleep(pm1a_cnt, a);
	for (unsigned i = 0; !e && i < 100000000u; i++)
		hal_cpu_relax();
	return e ? e : E_TIMEOUT;
}

err_t acpi_power_reset(void)
{
	struct acpi_fadt f;
	uint64_t v;
	err_t e = acpi_fadt_get(&f);

	if (e)
		return e;
	if (!(f.flags & ACPI_FADT_RESET_REG_SUP) || !f.reset_reg.address)
		return E_NOTSUP;
	pr_info("acpi: reset through the FADT reset register (%s 0x%lx <- "
	        "0x%x)\n",
	        acpi_space_name(f.reset_reg.space_id),
	        (unsigned long)f.reset_reg.address, f.reset_value);
	v = f.reset_value;
	e = acpi_gas_rw(&f.reset_reg, 1, &v, true);
	for (unsigned i = 0; !e && i < 100000000u; i++)
		hal_cpu_relax();
	return e ? e : E_TIMEOUT;
}
