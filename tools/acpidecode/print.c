// SPDX-License-Identifier: MIT
// acpidecode's printers: one function per table type, each driving the
// decoder's parse/next interface and printing one line per entry. Only
// called on tables that acpi_table_decode() accepted.
#include <stdio.h>
#include <string.h>
#include <acpi/dbg2.h>
#include <acpi/fadt.h>
#include <acpi/gtdt.h>
#include <acpi/hmat.h>
#include <acpi/hpet.h>
#include <acpi/iort.h>
#include <acpi/madt.h>
#include <acpi/mcfg.h>
#include <acpi/pptt.h>
#include <acpi/slit.h>
#include <acpi/srat.h>
#include "print.h"

static void pstr(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		putchar(s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '.');
}

void print_header(const char *path, const struct acpi_sdt_header *t)
{
	printf("%s: ", path);
	pstr(t->signature, 4);
	if (!memcmp(t->signature, "FACS", 4)) {
		printf(" length %u\n", t->length);
		return;
	}
	printf(" rev %u length %u oem \"", t->revision, t->length);
	pstr(t->oem_id, 6);
	printf("\" \"");
	pstr(t->oem_table_id, 8);
	printf("\" oemrev 0x%x creator \"", t->oem_revision);
	pstr(t->creator_id, 4);
	printf("\" 0x%x\n", t->creator_revision);
}

static void pgas(const char *name, const struct acpi_gas *g)
{
	if (g->address == 0)
		return;
	printf("  %-14s %s 0x%lx width %u offset %u access %u\n", name,
	       acpi_space_name(g->space_id), (unsigned long)g->address,
	       g->bit_width, g->bit_offset, g->access_size);
}

static void print_fadt(const struct acpi_sdt_header *t)
{
	struct acpi_fadt f;

	if (acpi_fadt_decode(t, &f))
		return;
	printf("  profile %s, SCI %u, flags 0x%x%s, iapc 0x%x, arm 0x%x, "
	       "minor %u\n",
	       acpi_fadt_profile_name(f.pm_profile), f.sci_irq, f.flags,
	       f.hw_reduced ? " (hardware-reduced)" : "", f.iapc_boot_arch,
	       f.arm_boot_arch, f.minor_revision);
	printf("  DSDT 0x%lx FACS 0x%lx SMI_CMD 0x%x enable 0x%x "
	       "century %u\n",
	       (unsigned long)f.dsdt, (unsigned long)f.facs, f.smi_cmd,
	       f.acpi_enable, f.century);
	pgas("PM1a_EVT", &f.pm1a_evt);
	pgas("PM1b_EVT", &f.pm1b_evt);
	pgas("PM1a_CNT", &f.pm1a_cnt);
	pgas("PM1b_CNT", &f.pm1b_cnt);
	pgas("PM2_CNT", &f.pm2_cnt);
	pgas("PM_TMR", &f.pm_tmr);
	pgas("GPE0", &f.gpe0);
	pgas("GPE1", &f.gpe1);
	if (f.flags & ACPI_FADT_RESET_REG_SUP)
		pgas("RESET", &f.reset_reg);
	pgas("SLEEP_CONTROL", &f.sleep_control);
	pgas("SLEEP_STATUS", &f.sleep_status);
}

static void print_madt_entry(const struct acpi_madt_entry *e)
{
	printf("  [%03x] %-12s ", e->offset, acpi_madt_type_name(e->type));
	switch (e->type) {
	case ACPI_MADT_LAPIC:
	case ACPI_MADT_X2APIC:
		printf("uid %u apic-id %u%s%s\n", e->lapic.uid,
		       e->lapic.apic_id, e->lapic.enabled ? " enabled" : "",
		       e->lapic.online_capable ? " online-capable" : "");
		break;
	case ACPI_MADT_IOAPIC:
		printf("id %u address 0x%x gsi-base %u\n", e->ioapic.id,
		       e->ioapic.address, e->ioapic.gsi_base);
		break;
	case ACPI_MADT_ISO:
		printf("bus %u irq %u -> gsi %u polarity %u trigger %u\n",
		       e->iso.bus, e->iso.source, e->iso.gsi,
		       ACPI_MADT_POLARITY(e->iso.flags),
		       ACPI_MADT_TRIGGER(e->iso.flags));
		break;
	case ACPI_MADT_NMI_SOURCE:
		printf("gsi %u flags 0x%x\n", e->nmi_source.gsi,
		       e->nmi_source.flags);
		break;
	case ACPI_MADT_LAPIC_NMI:
	case ACPI_MADT_X2APIC_NMI:
		printf("uid 0x%x lint%u flags 0x%x\n", e->lapic_nmi.uid,
		       e->lapic_nmi.lint, e->lapic_nmi.flags);
		break;
	case ACPI_MADT_LAPIC_ADDR:
		printf("address 0x%lx\n", (unsigned long)e->lapic_addr.address);
		break;
	case ACPI_MADT_GICC:
		printf("uid %u cpuif %u mpidr 0x%lx%s gicr 0x%lx pmu %u "
		       "vgic %u\n",
		       e->gicc.uid, e->gicc.cpu_interface,
		       (unsigned long)e->gicc.mpidr,
		       e->gicc.enabled ? " enabled" : "",
		       (unsigned long)e->gicc.gicr_base, e->gicc.perf_gsiv,
		       e->gicc.vgic_gsiv);
		break;
	case ACPI_MADT_GICD:
		printf("id %u base 0x%lx version %u\n", e->gicd.gic_id,
		       (unsigned long)e->gicd.base, e->gicd.version);
		break;
	case ACPI_MADT_GIC_MSI:
		printf("id %u base 0x%lx spi %u+%u%s\n", e->gic_msi.frame_id,
		       (unsigned long)e->gic_msi.base, e->gic_msi.spi_base,
		       e->gic_msi.spi_count,
		       e->gic_msi.spi_override ? " (override)" : "");
		break;
	case ACPI_MADT_GICR:
		printf("base 0x%lx length 0x%x\n", (unsigned long)e->gicr.base,
		       e->gicr.length);
		break;
	case ACPI_MADT_GIC_ITS:
		printf("id %u base 0x%lx\n", e->gic_its.its_id,
		       (unsigned long)e->gic_its.base);
		break;
	case ACPI_MADT_MP_WAKEUP:
		printf("mailbox 0x%lx version %u\n",
		       (unsigned long)e->mp_wakeup.mailbox,
		       e->mp_wakeup.mailbox_version);
		break;
	default: printf("type 0x%x length %u\n", e->type, e->length);
	}
}

static void print_madt(const struct acpi_sdt_header *t)
{
	struct acpi_madt m;
	struct acpi_madt_entry e;

	if (acpi_madt_parse(t, &m))
		return;
	printf("  local APIC 0x%lx flags 0x%x%s, %u entries\n",
	       (unsigned long)m.lapic_addr, m.flags,
	       m.pcat_compat ? " (PC-AT 8259s)" : "", m.nentries);
	for (uint32_t pos = 0; acpi_madt_next(&m, &pos, &e);)
		print_madt_entry(&e);
}

static void print_srat(const struct acpi_sdt_header *t)
{
	struct acpi_srat s;
	struct acpi_srat_entry e;

	if (acpi_srat_parse(t, &s))
		return;
	printf("  %u entries, max domain %u\n", s.nentries, s.max_domain);
	for (uint32_t pos = 0; acpi_srat_next(&s, &pos, &e);) {
		printf("  [%03x] %-10s domain %u%s ", e.offset,
		       acpi_srat_type_name(e.type), e.domain,
		       e.enabled ? "" : " (disabled)");
		if (e.type == ACPI_SRAT_CPU || e.type == ACPI_SRAT_X2APIC)
			printf("apic-id %u\n", e.cpu.apic_id);
		else if (e.type == ACPI_SRAT_GICC)
			printf("uid %u\n", e.gicc.uid);
		else if (e.type == ACPI_SRAT_MEMORY)
			printf("0x%lx-0x%lx%s%s\n", (unsigned long)e.mem.base,
			       (unsigned long)(e.mem.base + e.mem.length - 1),
			       e.mem.hotplug ? " hot-plug" : "",
			       e.mem.nonvolatile ? " non-volatile" : "");
		else if (e.type == ACPI_SRAT_GIC_ITS)
			printf("its %u\n", e.its.its_id);
		else if (e.type == ACPI_SRAT_GENERIC_INITIATOR ||
		         e.type == ACPI_SRAT_GENERIC_PORT)
			printf("handle type %u\n", e.gi.handle_type);
		else
			printf("type %u\n", e.type);
	}
}

static void print_slit(const struct acpi_sdt_header *t)
{
	struct acpi_slit s;

	if (acpi_slit_parse(t, &s))
		return;
	printf("  %u localities\n", s.n);
	for (uint32_t i = 0; i < s.n && i < 64; i++) {
		printf("  ");
		for (uint32_t j = 0; j < s.n && j < 64; j++)
			printf(" %3u", acpi_slit_distance(&s, i, j));
		printf("\n");
	}
}

static void print_pptt_node(const struct acpi_pptt *p,
                            const struct acpi_pptt_node *n)
{
	printf("  [%03x] ", n->offset);
	if (n->type == ACPI_PPTT_PROCESSOR) {
		printf("processor id %u%s parent 0x%x flags 0x%x%s%s%s",
		       n->proc.id, n->proc.id_valid ? "" : " (offset)",
		       n->proc.parent, n->proc.flags,
		       n->proc.flags & ACPI_PPTT_PHYSICAL_PACKAGE ? " package"
		                                                  : "",
		       n->proc.flags & ACPI_PPTT_THREAD ? " thread" : "",
		       n->proc.flags & ACPI_PPTT_LEAF ? " leaf" : "");
		for (uint32_t i = 0; i < n->proc.nprivate; i++)
			printf("%s0x%x", i ? "," : " private ",
			       acpi_pptt_private(p, n, i));
		printf("\n");
	} else if (n->type == ACPI_PPTT_CACHE) {
		printf("cache %s size %u sets %u ways %u line %u%s next 0x%x "
		       "flags 0x%x\n",
		       acpi_pptt_cache_type_name(n->cache.type), n->cache.size,
		       n->cache.sets, n->cache.assoc, n->cache.line_size,
		       n->cache.write_through ? " write-through" : "",
		       n->cache.next_level, n->cache.flags);
	} else if (n->type == ACPI_PPTT_ID) {
		printf("id vendor 0x%x level1 0x%lx level2 0x%lx\n",
		       n->id.vendor_id, (unsigned long)n->id.level1_id,
		       (unsigned long)n->id.level2_id);
	} else {
		printf("type %u length %u\n", n->type, n->length);
	}
}

static void print_pptt(const struct acpi_sdt_header *t)
{
	struct acpi_pptt p;
	struct acpi_pptt_node n;

	if (acpi_pptt_parse(t, &p))
		return;
	printf("  %u processor nodes (%u leaves), %u caches, depth %u\n",
	       p.nproc, p.nleaves, p.ncache, p.max_depth);
	for (uint32_t pos = 0; acpi_pptt_next(&p, &pos, &n);)
		print_pptt_node(&p, &n);
}

static void print_hmat(const struct acpi_sdt_header *t)
{
	struct acpi_hmat h;
	struct acpi_hmat_entry e;

	if (acpi_hmat_parse(t, &h))
		return;
	for (uint32_t pos = 0; acpi_hmat_next(&h, &pos, &e);) {
		printf("  [%03x] ", e.offset);
		if (e.type == ACPI_HMAT_PROXIMITY) {
			printf("proximity memory %u initiator %u%s\n",
			       e.prox.memory, e.prox.initiator,
			       e.prox.initiator_valid ? "" : " (invalid)");
		} else if (e.type == ACPI_HMAT_LOCALITY) {
			printf("locality %s level %u, %ux%u, unit %lu\n",
			       acpi_hmat_data_type_name(e.lb.data_type),
			       e.lb.hierarchy, e.lb.ninit, e.lb.ntarget,
			       (unsigned long)e.lb.base_unit);
			for (uint32_t i = 0; i < e.lb.ninit && i < 32; i++) {
				printf("    init %u:",
				       acpi_hmat_lb_initiator(&h, &e, i));
				for (uint32_t j = 0; j < e.lb.ntarget && j < 32;
				     j++)
					printf(" %u", acpi_hmat_lb_value(&h, &e,
					                                 i, j));
				printf("\n");
			}
		} else if (e.type == ACPI_HMAT_CACHE) {
			printf("memory-side cache domain %u size %lu level "
			       "%u/%u line %u\n",
			       e.cache.memory, (unsigned long)e.cache.size,
			       e.cache.level, e.cache.levels,
			       e.cache.line_size);
		} else {
			printf("type %u length %u\n", e.type, e.length);
		}
	}
}

static void print_mcfg(const struct acpi_sdt_header *t)
{
	struct acpi_mcfg m;
	struct acpi_mcfg_entry e;

	if (acpi_mcfg_parse(t, &m))
		return;
	for (uint32_t i = 0; i < m.n; i++) {
		acpi_mcfg_get(&m, i, &e);
		printf("  ecam 0x%lx segment %u bus %u-%u\n",
		       (unsigned long)e.base, e.segment, e.start_bus,
		       e.end_bus);
	}
}

static void print_hpet(const struct acpi_sdt_header *t)
{
	struct acpi_hpet h;

	if (acpi_hpet_decode(t, &h))
		return;
	printf("  %s 0x%lx, %u comparators, %s counter, vendor 0x%04x, "
	       "number %u, min tick %u%s\n",
	       acpi_space_name(h.base.space_id), (unsigned long)h.base.address,
	       h.ncomparators, h.counter_64bit ? "64-bit" : "32-bit",
	       h.pci_vendor, h.number, h.min_tick,
	       h.legacy_replacement ? ", legacy replacement" : "");
}

static void print_gtdt(const struct acpi_sdt_header *t)
{
	struct acpi_gtdt g;
	struct acpi_gtdt_platform p;

	if (acpi_gtdt_parse(t, &g))
		return;
	printf("  CntControlBase 0x%lx CntReadBase 0x%lx\n",
	       (unsigned long)g.cnt_control_base,
	       (unsigned long)g.cnt_read_base);
	printf("  secure-el1 %u/0x%x el1 %u/0x%x virt-el1 %u/0x%x el2 "
	       "%u/0x%x virt-el2 %u/0x%x\n",
	       g.secure_el1.gsiv, g.secure_el1.flags, g.nonsecure_el1.gsiv,
	       g.nonsecure_el1.flags, g.virtual_el1.gsiv, g.virtual_el1.flags,
	       g.el2.gsiv, g.el2.flags, g.virtual_el2.gsiv,
	       g.virtual_el2.flags);
	for (uint32_t pos = 0; acpi_gtdt_next(&g, &pos, &p);) {
		if (p.type == ACPI_GTDT_GT_BLOCK)
			printf("  [%03x] GT block 0x%lx, %u frames\n", p.offset,
			       (unsigned long)p.block.cnt_ctl_base,
			       p.block.nframes);
		else if (p.type == ACPI_GTDT_WATCHDOG)
			printf("  [%03x] watchdog refresh 0x%lx control 0x%lx "
			       "gsiv %u\n",
			       p.offset, (unsigned long)p.wdog.refresh_base,
			       (unsigned long)p.wdog.control_base,
			       p.wdog.irq.gsiv);
		else
			printf("  [%03x] type %u\n", p.offset, p.type);
	}
}

static void print_spcr(const struct acpi_sdt_header *t)
{
	struct acpi_spcr_info s;

	if (acpi_spcr_decode(t, &s))
		return;
	printf("  %s at %s 0x%lx (access %u bytes), baud %u, irq-type 0x%x "
	       "irq %u gsi %u, terminal %u",
	       acpi_spcr_uart_name(s.interface_type), s.mmio ? "mmio" : "io",
	       (unsigned long)s.base.address, s.access_width, s.baud,
	       s.interrupt_type, s.pc_irq, s.gsi, s.terminal_type);
	if (s.pci_device_id != 0xffff)
		printf(", pci %04x:%04x at %u:%u.%u", s.pci_vendor_id,
		       s.pci_device_id, s.pci_bus, s.pci_dev, s.pci_func);
	if (s.uart_clock_hz)
		printf(", clock %u Hz", s.uart_clock_hz);
	printf("\n");
}

static void print_dbg2(const struct acpi_sdt_header *t)
{
	struct acpi_dbg2 d;
	struct acpi_dbg2_device dev;
	struct acpi_gas g;
	uint32_t size;

	if (acpi_dbg2_parse(t, &d))
		return;
	for (uint32_t pos = 0; acpi_dbg2_next(&d, &pos, &dev);) {
		printf("  [%03x] %s subtype 0x%x (%s) %s", dev.offset,
		       acpi_dbg2_port_name(dev.port_type), dev.port_subtype,
		       dev.port_type == ACPI_DBG2_SERIAL
		           ? acpi_spcr_uart_name((uint8_t)dev.port_subtype)
		           : "-",
		       dev.namespace_path ? dev.namespace_path : "");
		for (unsigned i = 0; i < dev.ngas; i++) {
			acpi_dbg2_reg(&d, &dev, i, &g, &size);
			printf(" %s 0x%lx+0x%x", acpi_space_name(g.space_id),
			       (unsigned long)g.address, size);
		}
		printf("\n");
	}
}

static void print_iort(const struct acpi_sdt_header *t)
{
	struct acpi_iort io;
	struct acpi_iort_node n;
	struct acpi_iort_map m;

	if (acpi_iort_parse(t, &io))
		return;
	for (uint32_t pos = 0; acpi_iort_next(&io, &pos, &n);) {
		printf("  [%03x] %s rev %u id %u", n.offset,
		       acpi_iort_type_name(n.type), n.revision, n.id);
		if (n.type == ACPI_IORT_ITS_GROUP)
			printf(" %u ITSs", n.its.nits);
		else if (n.type == ACPI_IORT_NAMED)
			printf(" \"%s\"", n.named.name);
		else if (n.type == ACPI_IORT_ROOT_COMPLEX)
			printf(" segment %u ats %u", n.rc.segment, n.rc.ats);
		else if (n.type == ACPI_IORT_SMMU_V3)
			printf(" base 0x%lx model %u",
			       (unsigned long)n.smmu3.base, n.smmu3.model);
		else if (n.type == ACPI_IORT_SMMU)
			printf(" base 0x%lx model %u",
			       (unsigned long)n.smmu.base, n.smmu.model);
		printf("\n");
		for (uint32_t i = 0; i < n.nmaps; i++) {
			acpi_iort_map_get(&io, &n, i, &m);
			printf("      ids 0x%x+0x%x -> 0x%x @node 0x%x%s\n",
			       m.input_base, m.count, m.output_base,
			       m.output_ref, m.single ? " single" : "");
		}
	}
}

void print_table(const struct acpi_sdt_header *t)
{
	static const struct {
		char sig[4];
		void (*fn)(const struct acpi_sdt_header *t);
	} printers[] = {
	    {"FACP", print_fadt}, {"APIC", print_madt}, {"SRAT", print_srat},
	    {"SLIT", print_slit}, {"PPTT", print_pptt}, {"HMAT", print_hmat},
	    {"MCFG", print_mcfg}, {"HPET", print_hpet}, {"GTDT", print_gtdt},
	    {"SPCR", print_spcr}, {"DBG2", print_dbg2}, {"IORT", print_iort},
	};

	for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++)
		if (!memcmp(printers[i].sig, t->signature, 4))
			printers[i].fn(t);
}
