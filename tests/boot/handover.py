#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boots the handover-check kernel (boot/tests/handover.c) through the
loader in a few QEMU configurations per arch, one QEMU at a time, and
checks its verdict and exit status. Prints KTAP, the seconds from QEMU start
to the kernel's first line for each case, and `N passed, N failed`.

usage: handover.py --arch x86_64|aarch64 --loader BOOTX64.EFI
                   --kernel handover.elf [--timeout S] [--case NAME]"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemuboot  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from ktap import Ktap  # noqa: E402

# name, cmdline, memory, extra QEMU arguments
CASES = {
    "x86_64": [
        ("default", "", "1G", []),
        ("mem-4g", "expect_highmem", "4G", []),
        ("smp2-verbose", "expect_fb", "1G", ["-smp", "2"]),
    ],
    "aarch64": [
        ("default", "", "1G", []),
        ("el2", "expect_el2", "1G", ["-machine", "virt,virtualization=on"]),
        ("ramfb", "expect_fb", "1G", ["-device", "ramfb"]),
        ("dtb", "expect_dtb no_acpi", "1G", ["-machine", "virt,acpi=off"]),
        ("mem-4g", "expect_highmem", "4G", []),
    ],
}


def guest_status(arch, rc):
    """The kernel's own exit status from QEMU's."""
    if rc is None:
        return None
    if arch == "x86_64":  # isa-debug-exit: (v << 1) | 1
        return (rc - 1) >> 1 if rc & 1 else 128 + rc
    return rc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True, choices=CASES)
    ap.add_argument("--loader", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--case", action="append")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    kernel = open(args.kernel, "rb").read()
    cases = [c for c in CASES[args.arch] if not args.case or c[0] in args.case]
    tap = Ktap(args.arch + ".", plan=len(cases))
    for name, cmdline, mem, extra in cases:
        with tempfile.TemporaryDirectory(prefix="cairn-handover-") as d:
            cfg = f"cmdline={cmdline}\n"
            if "verbose" in name:
                cfg += "verbose=1\n"
            esp = qemuboot.make_esp(d, args.arch, args.loader, kernel, cfg)
            cmd = qemuboot.qemu_cmd(args.arch, d, esp, mem, extra)
            rc, out, t = qemuboot.run(cmd, args.timeout,
                                      mark_re=r"handover-check: kernel entered")
        status = guest_status(args.arch, rc)
        ok = status == 0 and "handover-check: PASS" in out
        for line in out.splitlines():
            if args.verbose or not ok or line.startswith("# ticks"):
                print("# " + line)
        when = f"{t:.1f}" if t is not None else "never"
        print(f"# {args.arch} {name}: kernel entered after {when} s, "
              f"QEMU exit {rc}")
        tap.check(name, ok)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
