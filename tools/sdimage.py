#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write an SD card image holding an EFI system partition, without root.

  tools/sdimage.py OUT.img ESP_DIR [--size-mib 64]

The image is an MBR with one bootable FAT32 partition (type 0x0c, LBA) from
1 MiB to the end, filled with ESP_DIR's files: what U-Boot's distro boot
looks for (EFI/BOOT/BOOTAA64.EFI) on a Raspberry Pi's SD card. The FAT is
made by mkfs.vfat in a separate file and filled by mtools' mcopy, then
placed after the partition table. QEMU's SD card model wants a power-of-two
size, so the size is one.
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile

SECTOR = 512
FIRST_LBA = 2048  # 1 MiB: the usual alignment


def mbr(total_sectors):
    """A one-partition MBR: bootable, FAT32 LBA, from FIRST_LBA to the end.
    CHS fields hold the 'use LBA' values (0xfe, 0xff, 0xff)."""
    count = total_sectors - FIRST_LBA
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x0c, b"\xfe\xff\xff",
                        FIRST_LBA, count)
    sector = bytearray(SECTOR)
    sector[440:444] = b"CRN1"  # disk signature
    sector[446:462] = entry
    sector[510:512] = b"\x55\xaa"
    return bytes(sector)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        sys.exit("sdimage: `%s` failed: %s" % (" ".join(cmd), r.stderr.strip()))


def fill_fat(fat, esp):
    """Copy ESP_DIR's tree into the FAT image (directories first)."""
    for root, dirs, files in os.walk(esp):
        rel = os.path.relpath(root, esp)
        for d in sorted(dirs):
            run(["mmd", "-i", fat, "::" + os.path.join(rel, d).replace("./", "", 1)])
        for f in sorted(files):
            dst = "::" + (f if rel == "." else os.path.join(rel, f))
            run(["mcopy", "-i", fat, "-o", os.path.join(root, f), dst])


def make(out, esp, size_mib):
    total = size_mib * 1024 * 1024 // SECTOR
    with tempfile.TemporaryDirectory(prefix="sdimage-") as tmp:
        fat = os.path.join(tmp, "fat.img")
        # mkfs.vfat -C makes the file; the size is in 1 KiB blocks.
        run(["mkfs.vfat", "-C", "-F", "32", "-n", "CAIRN", fat,
             str((total - FIRST_LBA) * SECTOR // 1024)])
        fill_fat(fat, esp)
        with open(out, "wb") as o, open(fat, "rb") as f:
            o.write(mbr(total))
            o.seek(FIRST_LBA * SECTOR)
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                o.write(chunk)
            o.truncate(total * SECTOR)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("esp")
    ap.add_argument("--size-mib", type=int, default=64)
    a = ap.parse_args()
    if a.size_mib & (a.size_mib - 1) or a.size_mib < 64:
        sys.exit("sdimage: --size-mib must be a power of two, at least 64 (FAT32's minimum)")
    make(a.out, a.esp, a.size_mib)


if __name__ == "__main__":
    main()
