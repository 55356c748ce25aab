#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's SMP scale runs (`ninja scale`; not part of `ninja test`).

Boots the kernel with many CPUs and checks that every CPU the machine has
came online: the kernel must log "smp: N of N CPUs online" with N the -smp
count, and exit 0. Configurations: x86_64 q35 with -smp 64 and 255 (the most
q35 allows without x2APIC under TCG); aarch64 virt with GICv3 and -smp 64,
256, 512, and 256 with a device tree instead of ACPI. One QEMU at a time
(these are heavy). The last line is "N passed, N failed".

  tools/run-scale.py [--only SUBSTRING] [--list]
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
ONLINE_RE = re.compile(r"^smp: (\d+) of (\d+) CPUs online, (\d+) us after kernel entry"
                       r"(?: \((\d+) us in smp_init\))?", re.M)

# (name, arch, cpus, extra QEMU args, timeout in seconds)
CONFIGS = [
    ("x86_64-smp64", "x86_64", 64, [], 300),
    ("x86_64-smp255", "x86_64", 255, [], 900),
    ("aarch64-gicv3-smp64", "aarch64", 64, ["-machine", "virt,gic-version=3", "-m", "2G"], 600),
    ("aarch64-gicv3-smp256", "aarch64", 256, ["-machine", "virt,gic-version=3", "-m", "2G"], 1200),
    ("aarch64-gicv3-smp512", "aarch64", 512, ["-machine", "virt,gic-version=3", "-m", "4G"], 1800),
    # Device tree instead of ACPI: CPUs from /cpus, both redistributor
    # regions (the second at 256 GiB) from the GIC node's reg.
    ("aarch64-gicv3-dt-smp256", "aarch64", 256,
     ["-machine", "virt,gic-version=3,acpi=off", "-m", "2G"], 1200),
]


def boot(name, arch, cpus, extra, timeout, cmdline="exit", kernel=None):
    """Boots once (kernel: another kernel ELF than the build's); returns
    (exit status, log text, seconds, log path)."""
    os.makedirs(LOGDIR, exist_ok=True)
    log = os.path.join(LOGDIR, name + ".log")
    start = time.monotonic()
    p = subprocess.run([sys.executable, RUN, "--arch", arch, "--cmdline", cmdline,
                        "--timeout", str(timeout), "--quiet", "--log", log] +
                       (["--kernel", kernel] if kernel else []) +
                       ["--", "-smp", str(cpus)] + extra, capture_output=True, text=True)
    took = time.monotonic() - start
    try:
        text = open(log, errors="replace").read().replace("\r", "")
    except FileNotFoundError:
        text = p.stderr
    return p.returncode, text, took, log


def online_line(text):
    """(online, listed, us after kernel entry, us in smp_init or -1) from the
    kernel log, or None."""
    m = ONLINE_RE.search(text)
    return tuple(int(g) if g else -1 for g in m.groups()) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    configs = [c for c in CONFIGS if args.only in c[0]]
    if args.list:
        print("\n".join(c[0] for c in configs))
        return 0
    passed = failed = 0
    for name, arch, cpus, extra, timeout in configs:
        rc, text, took, log = boot("scale-" + name, arch, cpus, extra, timeout)
        got = online_line(text)
        ok = rc == 0 and got is not None and got[0] == got[1] == cpus
        detail = ("%d of %d online %d us after kernel entry, %d us in smp_init" % got) \
            if got else "no 'smp:' line"
        if ok:
            passed += 1
            print("ok - %s: %s (%.0f s)" % (name, detail, took), flush=True)
        else:
            failed += 1
            print("not ok - %s: exit %d, %s, see %s" % (name, rc, detail, log), flush=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
