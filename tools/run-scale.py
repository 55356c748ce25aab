#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's SMP scale runs (`ninja scale`; not part of `ninja test`).

Boots the kernel with many CPUs and checks that every CPU the machine has
came online: the kernel must log "smp: N of N CPUs online" with N the -smp
count, and exit 0. Configurations: x86_64 q35 with -smp 64 and 255 (the most
q35 allows without x2APIC under TCG); aarch64 virt with GICv3 and -smp 64,
256, 512, and 256 with a device tree instead of ACPI.

Then the scheduler tests (SCHED_TESTS: the sched*, sync and thread_numa
suites, placement tests included) run in the kernel at 255 CPUs (x86_64,
booted through U-Boot) and 512 CPUs (AArch64) under -icount shift=0,sleep=off
(guest time counts instructions, see SCHED_CONFIGS): every KTAP case must pass, skips only where
tools/run-tests.py expects them for the QEMU options, and the kernel must
exit 0 within the timeout. One QEMU at a time (these are heavy). Each line
gives the wall time; the last line is "N passed, N failed".

  tools/run-scale.py [--only SUBSTRING] [--list] [--build DIR]

--build DIR boots the images in DIR (a copy, so the tree can be rebuilt
while these long runs go on).
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import boards  # noqa: E402  (tools/boards.py: the board table)
RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
BUILD = []  # ["--build", DIR] for cairn-run
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

# In-kernel scheduler tests at the largest CPU counts: (name, arch or
# board, cpus, extra QEMU args, timeout in seconds). Under -icount
# shift=0,sleep=off (guest time counts instructions): without it guest time
# is host time, and 255 or 512 vCPU threads share the host's cores, so a
# guest-time bound measured the host (the spread test's first look came
# 257 s into it at 255 CPUs; 1 s under icount). x86_64 boots through U-Boot
# (OVMF's TPM probe takes tens of minutes at 255 CPUs under icount; see
# boards.icount_args in tools/boards.py).
SCHED_TESTS = "sched,sync,thread_numa"
SCHED_CONFIGS = [
    ("sched-x86_64-smp255", "q35-uboot", 255, ["-m", "2G"] + boards.ICOUNT, 5400),
    ("sched-aarch64-gicv3-smp512", "aarch64", 512,
     ["-machine", "virt,gic-version=3", "-m", "4G"] + boards.ICOUNT, 7200),
]
KTAP_RE = re.compile(r"^\s*(ok|not ok) \d+ (\S+)(.*)$", re.M)
SUMMARY_RE = re.compile(r"^(\d+) passed, (\d+) failed, (\d+) skipped$", re.M)


def run_tests_module():
    spec = importlib.util.spec_from_file_location(
        "run_tests", os.path.join(ROOT, "tools", "run-tests.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check_sched(name, arch, cpus, extra, timeout):
    """Runs the scheduler tests; returns (ok, one-line detail)."""
    rc, text, took, log = boot(name, arch, cpus, extra, timeout, "test=" + SCHED_TESTS)
    allowed = run_tests_module().expected_skips(["-smp", str(cpus)] + extra)
    cases = KTAP_RE.findall(text)
    bad = [c for r, c, rest in cases if r != "ok" or ("# SKIP" in rest and c not in allowed)]
    summ = SUMMARY_RE.search(text)
    ok = rc == 0 and cases and not bad and summ is not None
    detail = "%s, %d cases, %.0f s wall" % (
        "%s passed, %s failed, %s skipped" % summ.groups() if summ else "no summary line",
        len(cases), took)
    if not ok:
        detail += "; exit %d; failing or unexpected: %s; see %s" % (rc, " ".join(bad[:8]), log)
    return ok, detail


def boot(name, arch, cpus, extra, timeout, cmdline="exit", kernel=None):
    """Boots once (kernel: another kernel ELF than the build's; arch: an
    arch, or a board, such as q35-uboot, with boards.icount_args's quick
    boot); returns (exit status, log text, seconds, log path)."""
    os.makedirs(LOGDIR, exist_ok=True)
    log = os.path.join(LOGDIR, name + ".log")
    where, board_args = ["--arch", arch], []
    if arch not in ("x86_64", "aarch64"):
        run, board_args = boards.icount_args(arch)
        where = ["--board", arch] + run
    start = time.monotonic()
    p = subprocess.run([sys.executable, RUN] + where + ["--cmdline", cmdline,
                        "--timeout", str(timeout), "--quiet", "--log", log] + BUILD +
                       (["--kernel", kernel] if kernel else []) +
                       ["--", "-smp", str(cpus)] + extra + board_args,
                       capture_output=True, text=True)
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
    ap.add_argument("--build", help="boot the images of this build directory")
    args = ap.parse_args()
    if args.build:
        BUILD[:] = ["--build", os.path.abspath(args.build)]
    configs = [c for c in CONFIGS if args.only in c[0]]
    sched = [c for c in SCHED_CONFIGS if args.only in c[0]]
    if args.list:
        print("\n".join(c[0] for c in configs + sched))
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
    for name, arch, cpus, extra, timeout in sched:
        ok, detail = check_sched("scale-" + name, arch, cpus, extra, timeout)
        passed += ok
        failed += not ok
        print("%s - %s: %s" % ("ok" if ok else "not ok", name, detail), flush=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
