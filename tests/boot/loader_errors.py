#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Feeds the loader broken kernels and checks that each gets one clear
`cairn-loader: error:` line (and no jump), plus one good case that must
reach the kernel. Every variant gets its own ESP in a temp dir and boots in
QEMU under a timeout, one QEMU at a time. An error case passes only once the
firmware reports that the loader returned to it (a loader that printed its
error and went on cannot pass); the good case stops at the kernel's banner. Output is KTAP ending in `N passed, N failed`; the exit
status is 0 only if every case passed.

usage: loader_errors.py --arch x86_64|aarch64 --loader BOOTX64.EFI
                        --kernel GOOD.elf [--timeout S] [--case NAME]..."""

import argparse
import os
import re
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from ktap import Ktap  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuboot  # noqa: E402

KPATH = re.escape("\\cairn\\kernel.elf")
ERR = r"cairn-loader: error: "
# What OVMF and AAVMF print when a boot option's image returned an error.
RETURNED = r"BdsDxe: failed to start Boot\d+ "
MACHINE = {"x86_64": (62, "x86_64"), "aarch64": (183, "AArch64")}


def u16(b, off):
    return struct.unpack_from("<H", b, off)[0]


def u64(b, off):
    return struct.unpack_from("<Q", b, off)[0]


def first_load(elf):
    """Offset of the first PT_LOAD program header."""
    phoff, phentsize, phnum = u64(elf, 32), u16(elf, 54), u16(elf, 56)
    for i in range(phnum):
        off = phoff + i * phentsize
        if struct.unpack_from("<I", elf, off)[0] == 1:
            return off
    raise SystemExit("good kernel has no PT_LOAD")


def last_load(elf):
    """(p_offset, p_filesz) of the PT_LOAD whose file data ends last."""
    phoff, phentsize, phnum = u64(elf, 32), u16(elf, 54), u16(elf, 56)
    loads = [(u64(elf, phoff + i * phentsize + 8), u64(elf, phoff + i * phentsize + 32))
             for i in range(phnum) if struct.unpack_from("<I", elf, phoff + i * phentsize)[0] == 1]
    return max(loads, key=lambda l: l[0] + l[1])


def cut_into_last_segment(elf, keep):
    """The kernel cut `keep` bytes into its last segment's file data, with
    the ELF, program and section headers intact: the section header table
    moves into the zero gap between the program headers and the first
    segment (so that a section check cannot be what catches the cut)."""
    b = bytearray(elf)
    shoff, shnum = u64(elf, 40), u16(elf, 60)
    table = bytes(elf[shoff:shoff + shnum * 64])
    at = (u64(elf, 32) + u16(elf, 54) * u16(elf, 56) + 63) & ~63
    first = min(u64(elf, u64(elf, 32) + i * u16(elf, 54) + 8) for i in range(u16(elf, 56))
                if struct.unpack_from("<I", elf, u64(elf, 32) + i * u16(elf, 54))[0] == 1)
    if at + len(table) > first or any(b[at:at + len(table)]):
        raise SystemExit("no room for the section headers before the first segment")
    b[at:at + len(table)] = table
    struct.pack_into("<Q", b, 40, at)
    off, filesz = last_load(elf)
    return bytes(b[:off + keep])


def patched(elf, fmt, off, value):
    b = bytearray(elf)
    struct.pack_into(fmt, b, off, value)
    return bytes(b)


def cases(arch, elf):
    """(name, kernel bytes or None, config text or None, expected regex)."""
    other = "aarch64" if arch == "x86_64" else "x86_64"
    om, oname = MACHINE[other]
    ph = first_load(elf)
    phend = u64(elf, 32) + u16(elf, 54) * u16(elf, 56)
    yield ("missing", None, None, ERR + KPATH + r": not found")
    yield ("missing-override", elf, "kernel=/boot/nothere.elf\n",
           ERR + re.escape("/boot/nothere.elf") + r": not found")
    for cut in (0, 20, 63):
        yield (f"truncated-{cut}", elf[:cut], None,
               ERR + KPATH + rf": truncated: {cut} bytes")
    yield ("truncated-phdrs", elf[:phend - 10], None,
           ERR + KPATH + r": program headers .* past the end of the file")
    yield ("truncated-half", elf[:len(elf) // 2], None,
           ERR + KPATH + r": (segment|section).* past the end of the file")
    yield ("truncated-last-byte", elf[:-1], None,
           ERR + KPATH + r": (segment|section).* past the end of the file")
    off, filesz = last_load(elf)
    for what, keep in (("half", filesz // 2), ("all-but-one", filesz - 1)):
        yield (f"truncated-last-segment-{what}", cut_into_last_segment(elf, keep), None,
               ERR + KPATH + rf": segment \d+ .*past the end of the file \(0x{off + keep:x} bytes\)")
    yield ("wrong-arch", patched(elf, "<H", 18, om), None,
           ERR + KPATH + rf": e_machine is {om} \({oname}\), "
           rf"this loader is {MACHINE[arch][1]}")
    if arch == "aarch64":  # a firmware that describes nothing (x86_64 only warns)
        yield ("no-acpi-no-dt", elf, "hide=acpi,dt\n",
               ERR + r"the firmware hands over neither ACPI tables .* nor a device tree")
    yield ("bad-magic", b"\x7fELG" + elf[4:], None,
           ERR + KPATH + r": not an ELF file \(bad magic\)")
    yield ("elf32", patched(elf, "<B", 4, 1), None,
           ERR + KPATH + r": not a 64-bit ELF")
    yield ("ptload-offset-past-eof", patched(elf, "<Q", ph + 8, len(elf) + 4096),
           None, ERR + KPATH + r": segment \d+ .* past the end of the file")
    yield ("entry-outside-segments",
           patched(elf, "<Q", 24, 0xffffffff90000000), None,
           ERR + KPATH + r": entry point 0xffffffff90000000 is not inside")
    yield ("wx-segment", patched(elf, "<I", ph + 4, 7), None,
           ERR + KPATH + r": segment \d+ .*writable and executable")
    yield ("lower-half-vaddr", patched(elf, "<Q", ph + 16, 0x200000), None,
           ERR + KPATH + r": segment \d+: vaddr 0x200000 is not in the upper")


def run_case(args, name, kernel, cfg, expect):
    with tempfile.TemporaryDirectory(prefix="cairn-lerr-") as d:
        esp = qemuboot.make_esp(d, args.arch, args.loader, kernel, cfg)
        cmd = qemuboot.qemu_cmd(args.arch, d, esp)
        # An error case runs on until the firmware says the loader gave
        # up (its boot manager's "failed to start" line), not just until
        # the error line: a loader that printed the error and went on
        # would show the banner (or nothing) instead.
        stop = RETURNED + r"[^\n]*\n|" + args.good_pattern
        rc, out, t = qemuboot.run(cmd, args.timeout, stop_re=stop,
                                  mark_re=r"cairn-loader: error: |" + args.good_pattern)
    errors = re.findall(r"cairn-loader: error: [^\n]*", out)
    if expect is None:  # the good case
        ok = not errors and re.search(args.good_pattern, out) is not None
        ok = ok and re.search(r"cairn-loader: warning: .*unknown key 'bogus'",
                              out) is not None
    else:
        ok = len(errors) == 1 and re.search(expect, errors[0]) is not None
        ok = ok and re.search(args.good_pattern, out) is None
        ok = ok and re.search(re.escape(errors[0]) + r".*\n" + RETURNED, out, re.S) is not None
    return ok, errors, out, t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, choices=MACHINE)
    ap.add_argument("--loader", required=True)
    ap.add_argument("--kernel", required=True, help="a good kernel ELF")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--good-pattern", default=r"handover-check: kernel entered",
                    help="regex showing that the good kernel was entered")
    ap.add_argument("--case", action="append", help="run only these cases")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    elf = open(args.kernel, "rb").read()
    todo = list(cases(args.arch, elf))
    todo.append(("good-kernel", elf, "cmdline=\nbogus=1\n", None))
    if args.case:
        todo = [c for c in todo if c[0] in args.case]
    tap = Ktap(args.arch + ".", plan=len(todo))
    for name, kernel, cfg, expect in todo:
        ok, errors, out, t = run_case(args, name, kernel, cfg, expect)
        when = f"{t:.1f} s" if t is not None else "no match"
        for e in errors:
            print(f"# {e}")
        if not ok or args.verbose:
            print(f"# expected: {expect or args.good_pattern}")
            for line in out.splitlines()[-40:]:
                print(f"#   {line}")
        print(f"# {name}: {when}")
        tap.check(name, ok)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
