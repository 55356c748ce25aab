// SPDX-License-Identifier: MIT
// Reading files from the ESP the loader itself was loaded from: the
// LoadedImage protocol names the device, whose SimpleFileSystem protocol
// opens the volume. Whole files are read into pool memory.
#include <boot/loader.h>

#define FILE_MAX_SIZE (512ull << 20) // refuse anything larger than 512 MiB

static EFI_GUID loaded_image_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID;
static EFI_GUID sfs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
static EFI_GUID file_info_guid = EFI_FILE_INFO_ID;

EFI_STATUS esp_open(EFI_FILE_HANDLE *root)
{
	EFI_LOADED_IMAGE *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *sfs;
	EFI_STATUS st;

	st = g_bs->HandleProtocol(g_image, &loaded_image_guid, (void **)&li);
	if (EFI_ERROR(st)) {
		loader_error("no LoadedImage protocol on the loader (%s)",
		             efi_status_str(st));
		return st;
	}
	st = g_bs->HandleProtocol(li->DeviceHandle, &sfs_guid, (void **)&sfs);
	if (EFI_ERROR(st)) {
		loader_error("the boot device has no file system (%s)",
		             efi_status_str(st));
		return st;
	}
	st = sfs->OpenVolume(sfs, root);
	if (EFI_ERROR(st))
		loader_error("cannot open the boot volume (%s)",
		             efi_status_str(st));
	return st;
}

// ASCII path to UCS-2, '/' accepted as a separator.
static bool path_to_wide(const char *path, CHAR16 *out, size_t cap)
{
	size_t i;

	for (i = 0; path[i]; i++) {
		if (i + 1 >= cap || (uint8_t)path[i] >= 0x80)
			return false;
		out[i] = path[i] == '/' ? L'\\' : (CHAR16)path[i];
	}
	out[i] = 0;
	return true;
}

static EFI_STATUS file_size(EFI_FILE_HANDLE f, uint64_t *size)
{
	union {
		EFI_FILE_INFO info;
		uint8_t raw[sizeof(EFI_FILE_INFO) + 512];
	} u;
	UINTN n = sizeof(u);
	EFI_STATUS st = f->GetInfo(f, &file_info_guid, &n, &u);

	if (EFI_ERROR(st))
		return st;
	if (u.info.Attribute & EFI_FILE_DIRECTORY)
		return EFI_NOT_FOUND;
	*size = u.info.FileSize;
	return EFI_SUCCESS;
}

EFI_STATUS esp_read_file(EFI_FILE_HANDLE root, const char *path, uint8_t **data,
                         uint64_t *size)
{
	CHAR16 wpath[260];
	EFI_FILE_HANDLE f;
	EFI_STATUS st;
	UINTN n;
	void *buf;

	if (!path_to_wide(path, wpath, ARRAY_LEN(wpath)))
		return EFI_INVALID_PARAMETER;
	st = root->Open(root, &f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	st = file_size(f, size);
	if (EFI_ERROR(st))
		goto out_close;
	if (*size > FILE_MAX_SIZE) {
		st = EFI_BAD_BUFFER_SIZE;
		goto out_close;
	}
	// One spare byte so text files can be NUL-terminated by the caller.
	st = alloc_pool(*size + 1, &buf);
	if (EFI_ERROR(st))
		goto out_close;
	n = *size;
	st = f->Read(f, &n, buf);
	if (!EFI_ERROR(st) && n != *size)
		st = EFI_END_OF_FILE;
	if (EFI_ERROR(st)) {
		free_pool(buf);
		goto out_close;
	}
	((uint8_t *)buf)[n] = 0;
	*data = buf;
out_close:
	f->Close(f);
	return st;
}
