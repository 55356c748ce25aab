#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drives the kernel monitor through the serial port on both arches.

Boots with an empty command line (so the monitor starts after "boot
complete"), types commands into QEMU's serial input with cairn-run's
--type-after, and checks the replies against independent sources: the
QEMU options (-smp N: N CPUs online; -m: the memory managed), the ACPI
tables the firmware is known to hand over (../shared/QEMU.md), the KTEST
cases named in the sources for `test PREFIX`. Line editing is exercised
on the way (a Backspace, Ctrl-U, the Up arrow for history). `poweroff`
must end the run with the runner's clean power-off status 0. A run with
`exit` must not start the monitor. Output is KTAP, `N passed, N failed`.

usage: tests/boot/monitor.py [--arch x86_64|aarch64]...
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ktap import Ktap  # noqa: E402
RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
PROMPT = r"cairn> "
SUITE = "cmdline"  # a small suite that runs in the kernel on both arches
# Tables QEMU 7.2's firmware hands over (../shared/QEMU.md), some of them.
TABLES = {"x86_64": ["FACP", "DSDT", "APIC", "HPET", "MCFG"],
          "aarch64": ["FACP", "DSDT", "APIC", "PPTT", "GTDT", "SPCR"]}


def suite_cases(suite):
    """How many in-kernel cases the sources declare for suite."""
    n = 0
    for f in glob.glob(os.path.join(ROOT, "tests", "unit", "*.c")) + \
            glob.glob(os.path.join(ROOT, "tests", "kernel", "*.c")):
        n += len(re.findall(r"^KTEST\(%s\s*," % suite, open(f).read(), re.M))
    return n


def session(arch, smp):
    """Boots arch, types the commands, returns (status, serial text)."""
    log = os.path.join(LOGDIR, "monitor-%s.log" % arch)
    # Each line is typed once the previous command's last output is there
    # (not on the prompt alone: editing redraws the prompt).
    summary = r"^\d+ passed, \d+ failed, \d+ skipped"
    steps = [
        (r"^monitor: on the serial console", "help"),
        (r"^  topo \[", "cpuz\x7fs"),            # Backspace: runs `cpus`
        (r"^\d+ of \d+ CPUs online", "bogus\x15mem"),  # Ctrl-U drops "bogus"
        (r"^  free blocks by order", "acpi tables"),
        (r"^\d+ tables", "acpi eval \\_SB.PCI0._HID"),
        (r"^\\_SB\.PCI0\._HID = ", "topo summary"),
        (r"^topology: ", "test %s." % SUITE),
        (summary, "nosuchcommand"),
        (r"nosuchcommand: no such command", "\x1b[A\x1b[A"),  # Up x2: `test SUITE.`
        (summary, "poweroff"),
    ]
    args = [sys.executable, RUN, "--arch", arch, "--cmdline", "", "--timeout", "300",
            "--quiet", "--log", log]
    for regex, line in steps:
        args += ["--type-after", regex, line]
    p = subprocess.run(args + ["--", "-smp", str(smp)], capture_output=True, timeout=400)
    text = open(log, errors="replace").read().replace("\r", "") if os.path.exists(log) else ""
    return p.returncode, text + p.stderr.decode(errors="replace")


def checks(arch, smp, status, text):
    """(name, ok, detail) for each reply."""
    n = suite_cases(SUITE)
    help_names = ["help", "topo", "mem", "cpus", "acpi", "test", "poweroff", "reboot"]
    out = [
        ("monitor started", "monitor: on the serial console" in text, ""),
        ("help lists every built-in command",
         all(re.search(r"^  %s\b" % c, text, re.M) for c in help_names), ""),
        ("cpus: %d of %d online (-smp %d)" % (smp, smp, smp),
         re.search(r"^%d of %d CPUs online$" % (smp, smp), text, re.M)
         and len(re.findall(r"^cpu \d+: hwid 0x[0-9a-f]+, online", text, re.M)) == smp, ""),
        ("mem: one node with 900-1024 MiB (-m 1G)",
         any(900 <= int(m) <= 1024 for m in re.findall(r"^node 0: (\d+) MiB managed", text, re.M)),
         ""),
        ("acpi tables: the firmware's tables listed",
         all(re.search(r"^%s\s+\d+ bytes" % t, text, re.M) for t in TABLES[arch]), ""),
        ("acpi eval \\_SB.PCI0._HID: a value",
         re.search(r"^\\_SB\.PCI0\._HID = ", text, re.M) is not None, ""),
        ("topo summary: %d PUs" % smp,
         re.search(r"^topology: .*\b%d PUs?," % smp, text, re.M) is not None, ""),
        ("test %s.: %d cases passed, twice (history)" % (SUITE, n),
         n > 0 and len(re.findall(r"^%d passed, 0 failed, 0 skipped$" % n, text, re.M)) == 2, ""),
        ("unknown command named", "nosuchcommand: no such command" in text, ""),
        ("Ctrl-U dropped the typed text", "bogus: no such command" not in text
         and "bogusmem" not in text.split("cairn> ")[-1], ""),
        ("poweroff: clean end, runner status 0",
         status == 0 and re.search(r"^cairn: power off$", text, re.M) is not None,
         "status %d" % status),
    ]
    return out


def scripted_run_untouched(arch):
    """`exit`: no monitor, status 0 (scripted runs behave as before)."""
    log = os.path.join(LOGDIR, "monitor-%s-exit.log" % arch)
    p = subprocess.run([sys.executable, RUN, "--arch", arch, "--cmdline", "exit", "--timeout",
                        "240", "--quiet", "--log", log], capture_output=True, timeout=300)
    text = open(log, errors="replace").read() if os.path.exists(log) else ""
    return p.returncode == 0 and "monitor:" not in text and PROMPT not in text, \
        "status %d, see %s" % (p.returncode, log)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", action="append", default=[])
    args = ap.parse_args()
    os.makedirs(LOGDIR, exist_ok=True)
    results = []
    for arch in args.arch or ["x86_64", "aarch64"]:
        status, text = session(arch, 2)
        for name, ok, detail in checks(arch, 2, status, text):
            results.append(("%s: %s" % (arch, name), bool(ok),
                            detail or "see build/test-logs/monitor-%s.log" % arch))
        ok, detail = scripted_run_untouched(arch)
        results.append(("%s: `exit` run has no monitor" % arch, ok, detail))
    tap = Ktap("monitor.", plan=len(results))
    for name, ok, detail in results:
        tap.check(name, ok, detail)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
