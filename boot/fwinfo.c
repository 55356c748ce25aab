// SPDX-License-Identifier: MIT
// What the firmware offers besides memory: the GOP framebuffer, the ACPI
// RSDP, a device tree, the vendor string and revision. Anything missing or
// malformed is left at 0 (with a warning for malformed data); none of it
// stops the boot.
#include <boot/arch.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_HEADER_SIZE 40
#define FDT_MAX_SIZE (16u << 20)

static EFI_GUID gop_guid = EFI_GRAPHICS_OUTPUT_PROTOCOL_GUID;
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi10_guid = ACPI_TABLE_GUID;
static EFI_GUID fdt_guid = {0xb1b621d5,
                            0xf19c,
                            0x41a5,
                            {0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0}};

static void *config_table(EFI_GUID *guid)
{
	for (UINTN i = 0; i < g_st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &g_st->ConfigurationTable[i];
		if (memcmp(&t->VendorGuid, guid, sizeof(*guid)) == 0)
			return t->VendorTable;
	}
	return NULL;
}

static uint32_t mask_bits(uint32_t m)
{
	uint32_t top = 0;

	for (; m; m >>= 1)
		top++;
	return top;
}

static void collect_gop(struct cairn_framebuffer *fb)
{
	EFI_GRAPHICS_OUTPUT_PROTOCOL *gop;
	EFI_GRAPHICS_OUTPUT_MODE_INFORMATION *info;

	if (EFI_ERROR(g_bs->LocateProtocol(&gop_guid, NULL, (void **)&gop)) ||
	    !gop->Mode || !gop->Mode->Info) {
		loader_step("no GOP framebuffer");
		return;
	}
	info = gop->Mode->Info;
	switch (info->PixelFormat) {
	case PixelRedGreenBlueReserved8BitPerColor:
		fb->format = CAIRN_FB_RGBX;
		fb->red_mask = 0xff, fb->green_mask = 0xff00;
		fb->blue_mask = 0xff0000, fb->reserved_mask = 0xff000000;
		fb->bpp = 32;
		break;
	case PixelBlueGreenRedReserved8BitPerColor:
		fb->format = CAIRN_FB_BGRX;
		fb->blue_mask = 0xff, fb->green_mask = 0xff00;
		fb->red_mask = 0xff0000, fb->reserved_mask = 0xff000000;
		fb->bpp = 32;
		break;
	case PixelBitMask: {
		EFI_PIXEL_BITMASK *m = &info->PixelInformation;
		fb->format = CAIRN_FB_MASK;
		fb->red_mask = m->RedMask, fb->green_mask = m->GreenMask;
		fb->blue_mask = m->BlueMask,
		fb->reserved_mask = m->ReservedMask;
		fb->bpp = ALIGN_UP64(mask_bits(m->RedMask | m->GreenMask |
		                               m->BlueMask | m->ReservedMask),
		                     8);
		break;
	}
	default: // PixelBltOnly: no linear framebuffer
		loader_step("GOP is BltOnly: no framebuffer");
		return;
	}
	fb->base = gop->Mode->FrameBufferBase;
	fb->size = gop->Mode->FrameBufferSize;
	fb->width = info->HorizontalResolution;
	fb->height = info->VerticalResolution;
	fb->pitch = info->PixelsPerScanLine * (fb->bpp / 8);
	loader_step("framebuffer %ux%u pitch %u at 0x%llx", fb->width,
	            fb->height, fb->pitch, fb->base);
}

static void collect_vendor(struct boot_info *bi)
{
	const CHAR16 *v = g_st->FirmwareVendor;
	size_t i = 0;

	for (; v && v[i] && i + 1 < sizeof(bi->fw_vendor); i++)
		bi->fw_vendor[i] =
		    v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
	bi->fw_vendor[i] = 0;
	bi->fw_revision = g_st->FirmwareRevision;
}

void fw_collect_info(struct boot_info *bi, unsigned hide)
{
	void *rsdp = config_table(&acpi20_guid);

	if (!rsdp)
		rsdp = config_table(&acpi10_guid);
	if (hide & HIDE_ACPI)
		rsdp = NULL;
	bi->acpi_rsdp = (uint64_t)(uintptr_t)rsdp;
	loader_step("ACPI RSDP at 0x%llx", bi->acpi_rsdp);
	collect_gop(&bi->fb);
	collect_vendor(bi);
	bi->efi_system_table = (uint64_t)(uintptr_t)g_st;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

EFI_STATUS fw_copy_dtb(struct boot_info *bi, unsigned hide)
{
	const uint8_t *fdt = config_table(&fdt_guid);
	uint32_t size;
	uint64_t pa;
	EFI_STATUS st;

	if (!fdt || (hide & HIDE_DT))
		return EFI_SUCCESS;
	size = be32(fdt + 4);
	if (be32(fdt) != FDT_MAGIC || size < FDT_HEADER_SIZE ||
	    size > FDT_MAX_SIZE) {
		loader_warn("device tree at %p: bad magic 0x%x or totalsize "
		            "0x%x, ignored",
		            fdt, be32(fdt), size);
		return EFI_SUCCESS;
	}
	st = alloc_pages(CAIRN_MEM_BOOTINFO, size, &pa);
	if (EFI_ERROR(st))
		return st;
	memcpy((void *)(uintptr_t)pa, fdt, size);
	bi->dtb = pa;
	bi->dtb_size = size;
	loader_step("device tree (%u bytes) copied to 0x%llx", size, pa);
	return EFI_SUCCESS;
}

// AArch64 has no fixed console, interrupt controller or CPU list: without
// ACPI tables or a device tree the kernel could not even say why it
// stopped, so the loader refuses here. An x86_64 PC has COM1 and a local
// APIC at fixed places: the kernel runs on one CPU without interrupts and
// says so, and the loader only warns.
EFI_STATUS fw_check_description(const struct boot_info *bi)
{
	if (bi->acpi_rsdp || bi->dtb)
		return EFI_SUCCESS;
	if (ARCH_NEEDS_FW_DESCRIPTION) {
		loader_error("the firmware hands over neither ACPI tables (no "
		             "ACPI 2.0/1.0 configuration table) nor a device "
		             "tree (no FDT configuration table): nothing tells "
		             "the kernel where its serial port, interrupt "
		             "controller and CPUs are");
		return EFI_UNSUPPORTED;
	}
	loader_warn("the firmware hands over no ACPI tables (no ACPI 2.0/1.0 "
	            "configuration table): the kernel will run on one CPU "
	            "without interrupts (no MADT), and without ACPI power-off");
	return EFI_SUCCESS;
}
