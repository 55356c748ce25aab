#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's whole test suite (what `ninja test` runs).

1. the host test binary (neutral sources under ASan + UBSan);
2. other host suites that exist (tools/aml-tests.py, tests/boot/*.py);
3. a QEMU matrix on both arches: each configuration boots the kernel with
   `test` on its command line; the in-kernel KTAP results count one by one
   and the run must end with the kernel's own exit status 0; plus plain
   boots (`exit`) whose log must show the banner, the memory summary, the
   two AML lines (ACPI configurations) and the boot-complete line; and
   `shutdown` / `reboot` boots on both arches, which must end QEMU; and
   ACPI events: QEMU's power button and a CPU hot-add (GPE), sent through
   the QEMU monitor, must reach the kernel and power it off;
4. the AML differential test on the tables QEMU's firmware hands over in
   several configurations of both arches (tests/acpi/live_tables.py);
5. the topology matrix (tests/topology/matrix.py): the kernel's topology and
   scheduling domains vs what the QEMU options imply, on both arches; its
   XML must load in lstopo (--topology-all runs every configuration, not
   only the default few);
6. the scheduling trace (tests/trace/trace_test.py): the converter on a
   hand-written dump, and trace=sched end to end on both arches.

Every QEMU run has a timeout. Runs go two at a time (the machine has two
cores). The last line is "N passed, N failed[, N skipped]".

  tools/run-tests.py [--only SUBSTRING] [--list] [--jobs N] [--topology-all]
"""
import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
KTAP_RE = re.compile(r"^\s*(ok|not ok) \d+ (\S+)(.*)$")
SUMMARY_RE = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")

# QEMU configurations: (name, arch, extra QEMU args). Boot checks and
# in-kernel tests run on each.
def numa2(gib):
    """Two nodes of gib GiB each, CPUs 0-1 and 2-3, distance 21."""
    return ["-object", "memory-backend-ram,id=m0,size=%dG" % gib,
            "-object", "memory-backend-ram,id=m1,size=%dG" % gib,
            "-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
            "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
            "-numa", "dist,src=0,dst=1,val=21"]


NUMA2 = numa2(2)
NUMA2_ARM = numa2(1)

MATRIX = [
    ("x86_64-smp1", "x86_64", []),
    # No HPET: the LAPIC timer is calibrated against the ACPI PM timer.
    ("x86_64-smp2-nohpet", "x86_64", ["-smp", "2", "-machine", "q35,hpet=off"]),
    # Two NUMA nodes (CPUs 0-1 and 2-3, 2 GiB each, distance 21).
    ("x86_64-smp4-4G", "x86_64", ["-smp", "4", "-m", "4G", "-cpu", "max"] + NUMA2),
    ("x86_64-smp8", "x86_64", ["-smp", "8"]),
    ("aarch64-smp1", "aarch64", []),
    ("aarch64-smp2", "aarch64", ["-smp", "2"]),
    ("aarch64-smp4-ramfb", "aarch64", ["-smp", "4", "-device", "ramfb", "-cpu", "max",
                                       "-m", "2G"] + NUMA2_ARM),
    ("aarch64-smp8", "aarch64", ["-smp", "8"]),
    ("aarch64-dt", "aarch64", ["-machine", "virt,acpi=off"]),
    ("aarch64-el2", "aarch64", ["-machine", "virt,virtualization=on"]),
    # GICv3 (virt's default is GICv2), with ACPI, with a device tree, and
    # with secondaries that PSCI starts at EL2.
    ("aarch64-gicv3-smp8", "aarch64", ["-smp", "8", "-machine", "virt,gic-version=3"]),
    ("aarch64-dt-gicv3-smp4", "aarch64", ["-smp", "4", "-machine", "virt,acpi=off,gic-version=3"]),
    ("aarch64-el2-gicv3-smp2", "aarch64",
     ["-smp", "2", "-machine", "virt,virtualization=on,gic-version=3"]),
]
# What some configurations must print besides BOOT_EXPECT: with -cpu max the
# CPU offers every protection the kernel knows, so all must be on.
BOOT_EXTRA = {
    "x86_64-smp4-4G": [r"^vm: kernel page tables active .*protections: NX WP SMEP SMAP$",
                       r"^mm: \d+ MiB in \d+ ranges on 2 nodes"],
    "aarch64-smp4-ramfb": [r"^vm: kernel page tables active .*protections: PXN UXN PAN$",
                           r"^mm: \d+ MiB in \d+ ranges on 2 nodes"],
}
# Configurations booting with ACPI must load and initialise the AML namespace
# (the kernel prints these two lines) without firmware errors.
AML_EXPECT = [r"^loaded [1-9]\d* AML blobs, \d+ ops in [\d.]+ ms \(avg \d+/s\)$",
              r"^namespace initialization done in [\d.]+ ms: [1-9]\d* devices, \d+ thermal zones$"]
AML_FORBID = r"^aml: \d+ firmware errors reported"
AML_EXPECT.append(r"^acpi: events: (SCI on interrupt \d+|GED \S+ on interrupt \d+)")
# shutdown / reboot: QEMU must end by itself (exit 125: no status from the
# kernel) after the kernel printed these.
POWER = [
    ("x86_64", "shutdown", [r"^cairn: power off$", r"^acpi: entering S5 \(soft off\)"]),
    ("x86_64", "reboot", [r"^cairn: reboot$", r"^acpi: reset through the FADT reset register"]),
    ("aarch64", "shutdown", [r"^cairn: power off$", r"^power: platform firmware power-off$"]),
    ("aarch64", "reboot", [r"^cairn: reboot$", r"^power: platform firmware reset$"]),
]
# ACPI events: QEMU's power button (the monitor's system_powerdown) must
# power Cairn off through the SCI's fixed event (x86) or the GED's _EVT and
# Notify (AArch64); a hot-added CPU on q35 raises GPE 2, whose _E02 method
# notifies the new processor. (name, arch, QEMU args, monitor steps, expected lines)
CPU_HOTADD = "device_add qemu64-x86_64-cpu,id=cpu1,socket-id=0,core-id=1,thread-id=0"
EVENTS = [
    ("x86_64-power-button", "x86_64", [], [("^boot complete", "system_powerdown")],
     [r"^acpi: events: SCI on interrupt \d+; \d+ GPEs, [1-9]\d* enabled",
      r"^acpi: power button \(fixed\) pressed: powering off$", r"^cairn: power off$"]),
    ("x86_64-gpe-cpu-hotadd", "x86_64", ["-smp", "1,maxcpus=2"],
     [("^boot complete", CPU_HOTADD), ("CPU hot-add is not supported", "system_powerdown")],
     [r"^acpi: Notify\(\\_SB_\.CPUS\.C001, 0x1: device check\)$",
      r"^acpi: \\_SB_\.CPUS\.C001: CPU hot-add is not supported; ignored$",
      r"^acpi: power button \(fixed\) pressed", r"^cairn: power off$"]),
    ("aarch64-power-button", "aarch64", [], [("^boot complete", "system_powerdown")],
     [r"^acpi: events: GED \\_SB_\.GED_ on interrupt \d+ \(edge\)$",
      r"^acpi: Notify\(\\_SB_\.PWRB, 0x80: device-specific\) on PNP0C0C$",
      r"^acpi: power button \(\\_SB_\.PWRB\) pressed: powering off$", r"^cairn: power off$"]),
    ("aarch64-gicv3-power-button", "aarch64", ["-machine", "virt,gic-version=3"],
     [("^boot complete", "system_powerdown")],
     [r"^acpi: power button \(\\_SB_\.PWRB\) pressed: powering off$", r"^cairn: power off$"]),
]
BOOT_EXPECT = [r"^Cairn \S+ \((x86_64|aarch64)\)", r"^memory: \d+ MiB usable",
               r"^command line: ", r"^boot complete: \d+ ms since the loader started"]


class Results:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []

    def add(self, name, ok, skipped=False, detail=""):
        if skipped:
            self.skipped += 1
            print("ok - %s # SKIP %s" % (name, detail), flush=True)
        elif ok:
            self.passed += 1
            print("ok - %s" % name, flush=True)
        else:
            self.failed += 1
            self.failures.append(name)
            print("not ok - %s %s" % (name, detail), flush=True)


def count_ktap(text, prefix, res):
    """Adds each KTAP case line of text to res; returns how many there were."""
    n = 0
    for line in text.splitlines():
        m = KTAP_RE.match(line)
        if not m:
            continue
        n += 1
        skip = "# SKIP" in m.group(3)
        res.add("%s: %s" % (prefix, m.group(2)), m.group(1) == "ok", skip,
                m.group(3).replace("# SKIP", "").strip())
    return n


def run_host_tests(res):
    exe = os.path.join(ROOT, "build", "host", "tests")
    p = subprocess.run([exe], capture_output=True, text=True, timeout=900)
    log = os.path.join(LOGDIR, "host-tests.log")
    open(log, "w").write(p.stdout + p.stderr)
    n = count_ktap(p.stdout, "host", res)
    if p.returncode != 0 and res.failed == 0:
        res.add("host: test binary exit status", False, detail="exit %d, see %s" % (p.returncode, log))
    if n == 0:
        res.add("host: ran any test", False, detail="no KTAP results in " + log)


def run_script_suite(name, cmd, res, timeout=1800):
    """A suite that prints KTAP-ish lines and ends with 'N passed, N failed'."""
    log = os.path.join(LOGDIR, name.replace("/", "_") + ".log")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        out = p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        open(log, "w").write(out)
        res.add(name, False, detail="timeout after %d s, see %s" % (timeout, log))
        return
    open(log, "w").write(out)
    n = count_ktap(p.stdout, name, res)
    if n == 0 or p.returncode != 0 and not any(f.startswith(name) for f in res.failures):
        res.add(name, p.returncode == 0 and n > 0, detail="exit %d, %d results, see %s" % (p.returncode, n, log))


def qemu_run(name, arch, extra, cmdline, timeout, run_args=()):
    log = os.path.join(LOGDIR, name + ".log")
    start = time.monotonic()
    p = subprocess.run([sys.executable, RUN, "--arch", arch, "--cmdline", cmdline, "--timeout",
                        str(timeout), "--quiet", "--log", log] + list(run_args) + ["--"] + extra,
                       capture_output=True, text=True)
    elapsed = time.monotonic() - start
    try:
        text = open(log, errors="replace").read().replace("\r", "")
    except FileNotFoundError:
        text = p.stderr
    return p.returncode, text + p.stderr, elapsed, log


def smp_count(extra):
    """The CPU count a configuration asks QEMU for (-smp N[,...])."""
    for i, a in enumerate(extra[:-1]):
        if a == "-smp":
            return int(extra[i + 1].split(",")[0].replace("cpus=", ""))
    return 1


def check_boot(name, arch, extra, res):
    rc, text, elapsed, log = qemu_run(name + "-boot", arch, extra, "exit", 240)
    n = smp_count(extra)
    aml = [] if any("acpi=off" in a for a in extra) else AML_EXPECT
    expect = BOOT_EXPECT + [r"^smp: %d of %d CPUs online" % (n, n)] + BOOT_EXTRA.get(name, []) + aml
    missing = [e for e in expect if not re.search(e, text, re.M)]
    if aml and re.search(AML_FORBID, text, re.M):
        missing.append("(no AML firmware errors)")
    ok = rc == 0 and not missing
    res.add("%s: boots to 'boot complete' (%.0f s)" % (name, elapsed), ok,
            detail="exit %d, missing %s, see %s" % (rc, missing, log))


def check_power(arch, what, expect, res):
    name = "%s-%s" % (arch, what)
    rc, text, elapsed, log = qemu_run(name, arch, [], what, 120)
    missing = [e for e in expect if not re.search(e, text, re.M)]
    res.add("%s: '%s' ends QEMU (%.0f s)" % (arch, what, elapsed), rc == 125 and not missing,
            detail="exit %d (want 125), missing %s, see %s" % (rc, missing, log))


def check_events(name, arch, extra, steps, expect, res):
    monitor = []
    for regex, command in steps:
        monitor += ["--monitor-after", regex, command]
    rc, text, elapsed, log = qemu_run(name, arch, extra, "", 120, monitor)
    missing = [e for e in expect if not re.search(e, text, re.M)]
    res.add("%s: ACPI event handled, QEMU ended (%.0f s)" % (name, elapsed),
            rc == 125 and not missing,
            detail="exit %d (want 125), missing %s, see %s" % (rc, missing, log))


def check_kernel_tests(name, arch, extra, res):
    rc, text, elapsed, log = qemu_run(name + "-test", arch, extra, "test", 300)
    sub = Results()
    n = count_ktap(text, name, sub)
    res.passed += sub.passed
    res.failed += sub.failed
    res.skipped += sub.skipped
    res.failures += sub.failures
    res.add("%s: in-kernel tests ran and exited 0 (%d cases, %.0f s)" % (name, n, elapsed),
            rc == 0 and n > 0, detail="exit %d, see %s" % (rc, log))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="run only jobs whose name contains this")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--topology-all", action="store_true",
                    help="every configuration of tests/topology/matrix.py, not only the default few")
    args = ap.parse_args()
    os.makedirs(LOGDIR, exist_ok=True)
    start = time.monotonic()
    res = Results()

    jobs = [("host-tests", lambda: run_host_tests(res))]
    aml = os.path.join(ROOT, "tools", "aml-tests.py")
    if os.path.exists(aml):
        jobs.append(("aml-tests", lambda: run_script_suite("aml", [sys.executable, aml], res)))
    for arch, efi in (("x86_64", "BOOTX64.EFI"), ("aarch64", "BOOTAA64.EFI")):
        script = os.path.join(ROOT, "tests", "boot", "loader_errors.py")
        if os.path.exists(script):
            jobs.append(("loader-errors-" + arch, lambda a=arch, e=efi: run_script_suite(
                "loader-" + a, [sys.executable, script, "--arch", a,
                                "--loader", os.path.join(ROOT, "build", a, e),
                                "--kernel", os.path.join(ROOT, "build", a, "kernel.elf"),
                                "--good-pattern", r"Cairn \S+ \((x86_64|aarch64)\)"], res)))
        handover = os.path.join(ROOT, "tests", "boot", "handover.py")
        if os.path.exists(handover):
            jobs.append(("loader-handover-" + arch, lambda a=arch, e=efi: run_script_suite(
                "handover-" + a, [sys.executable, handover, "--arch", a,
                                  "--loader", os.path.join(ROOT, "build", a, e),
                                  "--kernel", os.path.join(ROOT, "build", a, "handover.elf")], res)))
    topo = os.path.join(ROOT, "tests", "topology", "matrix.py")
    if os.path.exists(topo):  # topology vs QEMU options, lstopo loads the XML
        jobs.append(("topology-matrix", lambda: run_script_suite(
            "topology", [sys.executable, topo] + (["--all"] if args.topology_all else []), res)))
    trace = os.path.join(ROOT, "tests", "trace", "trace_test.py")
    if os.path.exists(trace):  # trace=sched rings, dump and trace2perfetto, both arches
        jobs.append(("trace", lambda: run_script_suite("trace", [sys.executable, trace], res)))
    live = os.path.join(ROOT, "tests", "acpi", "live_tables.py")
    if os.path.exists(live):  # the AML differential test on tables QEMU hands over
        jobs.append(("aml-live-tables", lambda: run_script_suite(
            "aml-live", [sys.executable, live], res)))
    for name, arch, extra in MATRIX:
        jobs.append((name + "-boot", lambda n=name, a=arch, e=extra: check_boot(n, a, e, res)))
        jobs.append((name + "-test", lambda n=name, a=arch, e=extra: check_kernel_tests(n, a, e, res)))
    for arch, what, expect in POWER:
        jobs.append(("%s-%s" % (arch, what), lambda a=arch, w=what, e=expect: check_power(a, w, e, res)))
    for name, arch, extra, steps, expect in EVENTS:
        jobs.append((name, lambda n=name, a=arch, e=extra, s=steps, x=expect:
                     check_events(n, a, e, s, x, res)))
    jobs = [j for j in jobs if args.only in j[0]]
    if args.list:
        print("\n".join(j[0] for j in jobs))
        return 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for f in [pool.submit(fn) for _, fn in jobs]:
            f.result()
    print("# test logs in %s; wall time %.0f s" % (os.path.relpath(LOGDIR), time.monotonic() - start))
    for f in res.failures:
        print("# FAILED: " + f)
    print("%d passed, %d failed, %d skipped" % (res.passed, res.failed, res.skipped))
    return 1 if res.failed or res.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
