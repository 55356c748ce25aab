# SPDX-License-Identifier: MIT
"""The boards Cairn boots on: one entry each, read by tools/cairn-run
(--board, --list-boards), tools/run-tests.py (the QEMU matrix and its
--group) and the CI workflow's matrix (.github/workflows/ci.yml).

A board is a QEMU machine plus the firmware that starts Cairn's loader:

  arch      "x86_64" or "aarch64" (which build/esp-ARCH/ and QEMU binary)
  group     the board group; the test runner's group of a board's jobs is
            ARCH-GROUP (e.g. x86_64-uboot), one CI job each
  firmware  how QEMU gets the firmware (see Firmware below)
  machine   QEMU arguments naming the machine, CPU and exit device
  media     "esp": the ESP directory as a FAT drive QEMU synthesises
            (fat:rw:DIR); "sdimg": an MBR disk image file with one FAT
            partition holding the ESP (what an SD card slot needs)
  disk      QEMU arguments attaching the media; "{file}" becomes
            fat:rw:DIR or the image path
  smp, mem  the default -smp and -m (arguments after `--` override them)
  packages  the Debian packages behind the firmware files (configure.py)
  about     one line for --list-boards and the README

Adding a board is one entry in BOARDS (and, for a new group, one line in
the CI matrix).
"""
import collections
import os

Firmware = collections.namedtuple("Firmware", "kind files vars_size")
Firmware.__doc__ = """kind "pflash": files = (code, vars template); the vars are
copied (and grown to vars_size bytes if set) for each run. kind "bios":
files = (image,), passed as -bios. kind "kernel": files = (image, dtb or
None), passed as -kernel (and -dtb): a board whose boot ROM loads U-Boot
as its kernel."""

OVMF = Firmware("pflash", ("/usr/share/OVMF/OVMF_CODE_4M.fd",
                           "/usr/share/OVMF/OVMF_VARS_4M.fd"), None)
AAVMF = Firmware("pflash", ("/usr/share/AAVMF/AAVMF_CODE.fd",
                            "/usr/share/AAVMF/AAVMF_VARS.fd"), 64 << 20)
UBOOT_X86 = Firmware("bios", ("/usr/lib/u-boot/qemu-x86_64/u-boot.rom",), None)
UBOOT_ARM64 = Firmware("bios", ("/usr/lib/u-boot/qemu_arm64/u-boot.bin",), None)

# Raspberry Pi 3: configure.py unpacks U-Boot's rpi_arm64 build and the
# board's device tree (Debian's u-boot-rpi and arm64 Linux image packages,
# arm64 packages fetched, not installed) into build/deps/rpi/.
RPI_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "build", "deps", "rpi")
UBOOT_RPI = Firmware("kernel", (os.path.join(RPI_DIR, "u-boot.bin"),
                                os.path.join(RPI_DIR, "bcm2837-rpi-3-b.dtb")), None)
X86_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
ARM_EXIT = ["-semihosting-config", "enable=on,target=native"]
IDE_FAT = ["-drive", "format=raw,file={file}"]
VIRTIO_FAT = ["-drive", "format=raw,file={file},if=none,id=esp",
              "-device", "virtio-blk-pci,drive=esp"]

Board = collections.namedtuple(
    "Board", "name arch group firmware machine media disk smp mem packages about")

BOARDS = collections.OrderedDict((b.name, b) for b in [
    Board("q35", "x86_64", "ovmf", OVMF, ["-machine", "q35"] + X86_EXIT, "esp", IDE_FAT,
          "1", "1G", ("ovmf",), "x86_64 PC (Q35 + ICH9, PCIe) with OVMF (UEFI, ACPI)"),
    Board("pc", "x86_64", "ovmf", OVMF, ["-machine", "pc"] + X86_EXIT, "esp", IDE_FAT,
          "1", "1G", ("ovmf",), "x86_64 PC (i440FX + PIIX, PCI) with OVMF (UEFI, ACPI)"),
    Board("q35-uboot", "x86_64", "uboot", UBOOT_X86, ["-machine", "q35"] + X86_EXIT, "esp",
          IDE_FAT, "1", "1G", ("u-boot-qemu",),
          "x86_64 Q35 with U-Boot's UEFI (qemu-x86_64 u-boot.rom as -bios; ACPI from QEMU)"),
    Board("virt", "aarch64", "ovmf", AAVMF, ["-machine", "virt", "-cpu", "cortex-a72"] + ARM_EXIT,
          "esp", VIRTIO_FAT, "1", "1G", ("qemu-efi-aarch64",),
          "AArch64 virt (GICv2, PL011) with AAVMF (UEFI, ACPI)"),
    Board("virt-uboot", "aarch64", "uboot", UBOOT_ARM64,
          ["-machine", "virt", "-cpu", "cortex-a72"] + ARM_EXIT, "esp", VIRTIO_FAT, "1", "1G",
          ("u-boot-qemu",),
          "AArch64 virt with U-Boot's UEFI (qemu_arm64 u-boot.bin as -bios; device tree)"),
    # The device tree's stdout-path is the mini UART, QEMU's second serial
    # port; the first (the PL011) goes nowhere. Always 4 CPUs, 1 GiB.
    Board("raspi3b", "aarch64", "rpi", UBOOT_RPI,
          ["-machine", "raspi3b", "-serial", "null", "-serial", "mon:stdio"] + ARM_EXIT,
          "sdimg", ["-drive", "file={file},if=sd,format=raw"], "4", "1G",
          ("u-boot-rpi (arm64, unpacked)", "linux-image-arm64 (unpacked)"),
          "Raspberry Pi 3 Model B with U-Boot's UEFI from an SD card (device tree, BCM2836)"),
])

# Runs under -icount (ICOUNT: one nanosecond of guest time per guest
# instruction; tools/bench-sched, tools/sched-compare, tools/run-scale.py's
# scheduler runs, the strict fairness rows of tools/run-tests.py). QEMU runs every vCPU in one thread, and x86's
# PAUSE, which each firmware delay loop executes, hands it to the next vCPU:
# a firmware timeout costs host time in proportion to the CPU count (OVMF
# waits out its TPM probe: 260 s at 8 CPUs, 1,416 s at 64). U-Boot on q35
# boots in seconds once it is spared its waits, which these give it:
# ICOUNT_TYPE, what to type and when (cairn-run --type-after REGEX LINE):
# a key to stop the 2 s countdown, then `boot`; ICOUNT_QEMU, QEMU arguments:
# no default devices (U-Boot waited minutes on the empty CD-ROM drive) and a
# 1 MiB null disk on each other AHCI port (an empty port's link times out).
ICOUNT = ["-icount", "shift=0,sleep=off"]
ICOUNT_TYPE = {"q35-uboot": [("Hit any key to stop autoboot", ""), ("=> ", "boot")]}
ICOUNT_QEMU = {"q35-uboot": ["-nodefaults", "-serial", "mon:stdio"] + [
    a for n in range(1, 6) for a in (
        "-blockdev", "driver=null-co,node-name=null%d,size=1048576,read-zeroes=on" % n,
        "-device", "ide-hd,drive=null%d,bus=ide.%d" % (n, n))]}


def icount_args(board):
    """(cairn-run arguments, QEMU arguments) for a quick boot of board
    under -icount; empty for a board that needs none."""
    run = []
    for regex, line in ICOUNT_TYPE.get(board, []):
        run += ["--type-after", regex, line]
    return run, list(ICOUNT_QEMU.get(board, []))


def icount_by_default(board):
    """Whether a board's runs default to -icount: where a boot under it
    takes seconds (AArch64, and the boards icount_args speeds up), not on
    the OVMF x86 boards (minutes of firmware)."""
    return BOARDS[board].arch == "aarch64" or board in ICOUNT_QEMU


# What --arch means when no --board is given (the boards of old).
ARCH_BOARD = {"x86_64": "q35", "aarch64": "virt"}


def groups():
    """Every ARCH-GROUP, in board order, once each."""
    out = []
    for b in BOARDS.values():
        g = "%s-%s" % (b.arch, b.group)
        if g not in out:
            out.append(g)
    return out


def group_of(board):
    b = BOARDS[board]
    return "%s-%s" % (b.arch, b.group)


def describe():
    """The --list-boards text: name, arch, firmware file, about."""
    width = max(len(n) for n in BOARDS)
    return "\n".join("%-*s  %-7s  %-6s  %s" % (width, b.name, b.arch, b.media, b.about)
                     for b in BOARDS.values())
