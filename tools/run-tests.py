#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's whole test suite (what `ninja test` runs).

1. the topology matrix (tests/topology/matrix.py): the kernel's topology vs
   what the QEMU options imply, on both arches; its XML must load in lstopo
   (--topology-all runs every configuration, not only the default few). It
   runs first because it writes build/topology-fixtures for the host tests;
2. the host test binary (neutral sources under ASan + UBSan), run from the
   top of the tree; its own exit status is always a result line (an ASan
   report or a leak fails it even when every case passed);
3. other host suites (tools/aml-tests.py, tests/boot/*.py);
4. a QEMU matrix on both arches: each configuration boots the kernel with
   `test` on its command line; the in-kernel KTAP results count one by one
   and the run must end with the kernel's own exit status 0; plus plain
   boots (`exit`) whose log must show the banner, the memory summary, the
   two AML lines (ACPI configurations) and the boot-complete line; and
   `shutdown` / `reboot` boots on both arches, which must end QEMU; and
   ACPI events: QEMU's power button and a CPU hot-add (GPE), sent through
   the QEMU monitor, must reach the kernel and power it off;
5. the AML differential test on the tables QEMU's firmware hands over in
   several configurations of both arches (tests/acpi/live_tables.py);
6. the scheduling trace (tests/trace/trace_test.py): the converter on a
   hand-written dump, and trace=sched end to end on both arches;
7. the scheduling simulator (tests/sim/sim_test.py): hand-computed cases,
   determinism, the ACPI corpus, hwloc inputs, bad input, rt-app's
   examples, traces and plots (docs/research.md); per arch, the kernel's
   workload= runner against the simulator (tests/sim/compare_test.py).

Bookkeeping, so that a green run means it:
  - every KTAP output must carry its plan `1..N` (the host binary's and the
    kernel's always; a script's if it prints one) and exactly N results;
    the host binary and every kernel run must plan as many cases as the
    sources define (`KTEST(` lines counted here, not taken from the run);
  - `not ok ... # SKIP` is a failure; a skip is only allowed if it is in
    the configuration's list of expected skips (expected_skips(): derived
    from the QEMU options, e.g. one CPU or one NUMA node); any other skip is
    a failure, so a CPU that does not come up cannot hide behind skips;
  - each suite's exit status is its own result line; a timeout is a
    failure line, never a traceback; `--only` matching nothing fails.

Adding a job is one line in jobs(): `add(NAME, FUNCTION, ARGS...)`, with
`after=OTHER` when it needs OTHER's output (it then runs right after OTHER,
in the same worker). Every QEMU run has a timeout. Runs go two at a time
(the machine has two cores). The last line is "N passed, N failed, N skipped".

Each job also belongs to a tier: "test" (`ninja test`, the default) or
"extra" (`ninja test-extra`: slow rows whose configuration `ninja test`
covers elsewhere; MATRIX's comment lists the rule). `--tier extra|all` selects them;
`--only` without `--tier` looks in both. CI (.ci/run and the GitHub
workflow) runs both tiers.

Each job belongs to a group: the QEMU matrix rows and per-arch jobs to their
board's ARCH-GROUP (tools/boards.py, e.g. x86_64-ovmf, aarch64-uboot), the
rest to "common". `--group NAME` runs one group (one CI job each). The
results also go to a JUnit XML file (build/test-results.xml, or --junit
PATH): one testsuite per job, one testcase per result line plus one for the
job itself.

  tools/run-tests.py [--only SUBSTRING] [--group NAME] [--tier test|extra|all]
                     [--list] [--list-groups] [--jobs N] [--topology-all] [--junit PATH]
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import boards  # noqa: E402  (tools/boards.py: the board table)

RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
KTAP_RE = re.compile(r"^\s*(ok|not ok) \d+ (?:- )?(\S+)(.*)$")
PLAN_RE = re.compile(r"^\s*1\.\.(\d+)\s*$", re.M)

# QEMU configurations: (name, board, extra QEMU args[, runs]). runs says
# what boots the row gets: "boot" (to 'boot complete', `exit`) and/or
# "test" (the in-kernel tests); both unless given. The board (tools/boards.py)
# names the machine and firmware; extra args come after the board's own.
def numa2(gib):
    """Two nodes of gib GiB each, CPUs 0-1 and 2-3, distance 21."""
    return ["-object", "memory-backend-ram,id=m0,size=%dG" % gib,
            "-object", "memory-backend-ram,id=m1,size=%dG" % gib,
            "-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
            "-numa", "node,nodeid=1,cpus=2-3,memdev=m1",
            "-numa", "dist,src=0,dst=1,val=21"]


NUMA2 = numa2(2)
NUMA2_ARM = numa2(1)

# A row is (NAME, BOARD, QEMU OPTIONS[, RUNS]): RUNS defaults to ("boot",
# "test"), a plain boot and the in-kernel tests; "test:extra" moves the
# in-kernel tests to `ninja test-extra` (tier "extra"), for rows whose
# configuration other rows of `ninja test` already cover (-smp 1, 2, 4, 8,
# NUMA by ACPI and by device tree, GICv2 and GICv3, EL2, every board), so
# that `ninja test` stays under 15 minutes on two cores; their boots stay.
MATRIX = [
    ("x86_64-smp1", "q35", []),
    # No HPET: the LAPIC timer is calibrated against the ACPI PM timer.
    ("x86_64-smp2-nohpet", "q35", ["-smp", "2", "-machine", "q35,hpet=off"],
     ("boot", "test:extra")),
    # Two NUMA nodes (CPUs 0-1 and 2-3, 2 GiB each, distance 21).
    ("x86_64-smp4-4G", "q35", ["-smp", "4", "-m", "4G", "-cpu", "max"] + NUMA2),
    # Two packages of four CPUs: the placement tests' multi-package case.
    ("x86_64-smp8", "q35", ["-smp", "8,sockets=2,cores=4"]),
    ("aarch64-smp1", "virt", []),
    ("aarch64-smp2", "virt", ["-smp", "2"], ("boot", "test:extra")),
    ("aarch64-smp4-ramfb", "virt", ["-smp", "4", "-device", "ramfb", "-cpu", "max",
                                       "-m", "2G"] + NUMA2_ARM),
    # 8 CPUs on GICv2; aarch64-gicv3-smp8 (two packages) runs in ninja test.
    ("aarch64-smp8", "virt", ["-smp", "8"], ("boot", "test:extra")),
    # Device tree and EL2: their tests run in ninja test on SMP rows below.
    ("aarch64-dt", "virt", ["-machine", "virt,acpi=off"], ("boot", "test:extra")),
    ("aarch64-el2", "virt", ["-machine", "virt,virtualization=on"], ("boot", "test:extra")),
    # GICv3 (virt's default is GICv2), with ACPI, with a device tree, and
    # with secondaries that PSCI starts at EL2.
    ("aarch64-gicv3-smp8", "virt", ["-smp", "8,sockets=2,clusters=2,cores=2",
                                    "-machine", "virt,gic-version=3"]),
    ("aarch64-dt-gicv3-smp4", "virt", ["-smp", "4", "-machine", "virt,acpi=off,gic-version=3"],
     ("boot", "test:extra")),
    ("aarch64-el2-gicv3-smp2", "virt",
     ["-smp", "2", "-machine", "virt,virtualization=on,gic-version=3"]),
    # GICv2 with a device tree, SMP, and NUMA nodes the kernel takes from
    # the device tree (numa-node-id, distance-map) rather than SRAT/SLIT.
    ("aarch64-dt-gicv2-smp4-numa", "virt",
     ["-smp", "4", "-m", "2G", "-machine", "virt,acpi=off,gic-version=2"] + NUMA2_ARM),
    # EL2 with SMP and NUMA (ACPI).
    ("aarch64-el2-smp4-numa", "virt",
     ["-smp", "4", "-m", "2G", "-machine", "virt,virtualization=on"] + NUMA2_ARM,
     ("boot", "test:extra")),
    # The other machines and firmwares: i440FX with OVMF; U-Boot's UEFI on
    # both arches (x86_64: U-Boot's own ACPI tables; AArch64: device tree).
    ("pc-smp2", "pc", ["-smp", "2"], ("boot",)),
    # Without an HPET, and with U-Boot's FADT whose PM timer port is an
    # offset from 0: the timers are calibrated against the PIT.
    ("q35-uboot-smp2", "q35-uboot", ["-smp", "2", "-machine", "q35,hpet=off"]),
    ("virt-uboot-smp2", "virt-uboot", ["-smp", "2"]),
    # Raspberry Pi 3 through U-Boot from an SD card image (device tree
    # only). Its four CPUs are fixed; -smp 4 says so to QEMU and smp_count().
    ("raspi3b-smp4", "raspi3b", ["-smp", "4"]),
]
# What some configurations must print besides BOOT_EXPECT: with -cpu max the
# CPU offers every protection the kernel knows, so all must be on. Every
# configuration with -numa must report two nodes (check_boot adds it).
BOOT_EXTRA = {
    "x86_64-smp4-4G": [r"^vm: kernel page tables active .*protections: NX WP SMEP SMAP$"],
    "aarch64-smp4-ramfb": [r"^vm: kernel page tables active .*protections: PXN UXN PAN$"],
    "x86_64-smp2-nohpet": [r"^x86: timer: .*\(from ACPI PM timer\)"],
    "q35-uboot-smp2": [r"^x86: timer: FADT PM_TMR at port 0x8 is an ISA legacy port",
                       r"^x86: timer: .*\(from PIT channel 2\)"],
    # QEMU raspi3b's map: peripherals at 0x3f000000 (bus 0x7e000000), the
    # mini UART at +0x215040, the ARM-local controller at 0x40000000; the
    # spin-table release words at 0xd8 + 8 * core; U-Boot's 640x480 GOP.
    "raspi3b-smp4": [r"^fbcon: 640x480 framebuffer"],
}
# The HAL drivers a row must bind (hal/driver.h: one "driver: NAME bound to
# WHAT [CLASS]" line per class), derived from the board and the row's QEMU
# options, not from what the kernel found. QEMU's x86 firmwares hand over no
# SPCR (docs/boot.md), so x86 consoles are the legacy COM1; U-Boot on q35
# leaves the ICH9's PM I/O base unprogrammed, so its FADT has no PM1a event
# block and the ich9-pm driver powers off. CPU start binds when a second
# CPU is started, so only rows with -smp > 1 show it.
def driver_lines(board, extra):
    n = smp_count(extra)
    arch = boards.BOARDS[board].arch
    dt = board in DT_BOARDS or any("acpi=off" in a for a in extra)
    if arch == "x86_64":
        power = ([r"^driver: acpi-pm not bound: ACPI FADT: no PM1a event block .*\[power\]$",
                  r"^driver: ich9-pm bound to ICH9 LPC 00:1f\.0: ACPI PM I/O base was "
                  r"unprogrammed, now 0x600; S5 through PM1_CNT 0x604 .*\[power\]$"]
                 if board == "q35-uboot" else
                 # QEMU's i440FX FADT (revision 1) has no reset register:
                 # piix-pm resets through the PIIX3 at 00:01.0.
                 [r"^driver: piix-pm bound to PIIX3 00:01\.0: S5 through PM1a_CNT io 0x[0-9a-f]+ "
                  r"\(\\_S5\), reset through the PIIX3 reset control 0xcf9 \[power\]$"]
                 if board == "pc" else
                 [r"^driver: acpi-pm bound to ACPI FADT: S5 through PM1a_CNT io 0x[0-9a-f]+ "
                  r"\(\\_S5\), reset register io 0xcf9 \[power\]$"])
        return power + [
            r"^driver: apic bound to ACPI MADT: local x2?APIC, 1 I/O APIC \(24 GSIs\), "
            r"\d+ ISA overrides \[interrupt controller\]$",
            r"^driver: uart16550 bound to legacy COM1 16550 at I/O 0x3f8 \(no ACPI SPCR\) "
            r"\[serial console\]$",
            r"^driver: init-sipi bound to ACPI MADT: %d local APIC entries \(%d enabled\), "
            r"INIT-SIPI-SIPI, AP trampoline at 0x[0-9a-f]+-0x[0-9a-f]+ \[CPU start\]$" % (n, n)]
    if board == "raspi3b":
        # QEMU raspi3b's map: peripherals at 0x3f000000 (bus 0x7e000000),
        # the mini UART at +0x215040, the ARM-local controller at
        # 0x40000000; the spin-table release words at 0xd8 + 8 * core.
        return [r"^driver: bcm2835-aux-uart bound to mini UART at 0x3f215040 .*\[serial console\]$",
                r"^driver: bcm2836-l1 bound to device tree local_intc@40000000 at 0x40000000 "
                r".*\[interrupt controller\]$",
                r"^driver: spin-table bound to device tree cpu@\d enable-method spin-table "
                r"\(release at 0x(d8|e0|e8|f0)\) \[CPU start\]$",
                r"^driver: bcm2835-pm bound to device tree watchdog@7e100000 at 0x3f100000 "
                r".*\[power\]$"]
    gic = "gicv3" if any("gic-version=3" in a for a in extra) else "gicv2"
    via = "device tree /psci" if dt else "FADT ARM boot flags"
    lines = [(r"^driver: %s bound to GICv%s from device tree intc@8000000: " % (gic, gic[-1])
              if dt else r"^driver: gic bound to GICv%s from ACPI MADT: " % gic[-1]) +
             r".*\[interrupt controller\]$",
             r"^driver: pl011 bound to PL011 at 0x9000000 from %s \[serial console\]$" % (
                 "device tree pl011@9000000" if dt else r"ACPI SPCR \(pl011\)"),
             r"^driver: psci bound to PSCI 1\.\d+ via (hvc|smc), from %s \[power\]$" % via]
    if n > 1:
        lines.append(r"^driver: psci bound to PSCI 1\.\d+ via (hvc|smc), from %s \[CPU start\]$"
                     % via)
    return lines


# No class may go unbound on a supported board, and nothing may fail to bind
# but what driver_lines() expects.
DRIVER_FORBID = r"^driver: (no |\S+ not bound: (?!ACPI FADT: no PM1a event block))"
# Configurations booting with ACPI must load and initialise the AML namespace
# (the kernel prints these two lines) without firmware errors.
AML_EXPECT = [r"^loaded [1-9]\d* AML blobs, \d+ ops in [\d.]+ ms \(avg \d+/s\)$",
              r"^namespace initialization done in [\d.]+ ms: [1-9]\d* devices, \d+ thermal zones$"]
AML_FORBID = r"^aml: \d+ firmware errors reported"
EVENTS_EXPECT = r"^acpi: events: (SCI on interrupt \d+|GED \S+ on interrupt \d+)"
# What a board's firmware hands over, where it differs from QEMU's own
# tables: U-Boot on q35 loads QEMU's tables, built while the ICH9's PM I/O
# base was unprogrammed: the FADT has an SCI but no PM1 event block
# (docs/boot.md); the ich9-pm driver programs the base (0x600, as OVMF)
# and gives the events code the ICH9's own blocks (PM1 at +0, GPE0 at
# +0x20, 16 bytes: the ICH9 datasheet's PMBASE layout), so events work.
# U-Boot on virt passes QEMU's device tree and no ACPI at all.
BOARD_EVENTS = {"q35-uboot": [r"^acpi: events: FADT has no PM1a event block \(its PM1a_CNT is io "
                              r"0x4\); using ich9-pm's blocks: PM1a_EVT io 0x600, PM1a_CNT io 0x604, "
                              r"GPE0 io 0x620 \(16 bytes\)$"]}
DT_BOARDS = {"virt-uboot", "raspi3b"}
# shutdown / reboot: QEMU must end by itself after the kernel printed these
# (cairn-run: a deliberate power-off or reset is a clean end, status 0).
POWER = [
    ("x86_64", "shutdown", [r"^cairn: power off$", r"^acpi: entering S5 \(soft off\)"]),
    ("x86_64", "reboot", [r"^cairn: reboot$", r"^acpi: reset through the FADT reset register"]),
    ("aarch64", "shutdown", [r"^cairn: power off$", r"^power: platform firmware power-off$"]),
    ("aarch64", "reboot", [r"^cairn: reboot$", r"^power: platform firmware reset$"]),
]
# ACPI events: QEMU's power button (the monitor's system_powerdown) must
# power Cairn off through the SCI's fixed event (x86) or the GED's _EVT and
# Notify (AArch64); a hot-added CPU on q35 raises GPE 2, whose _E02 method
# notifies the new processor; on q35 with U-Boot the same through the ICH9
# blocks the ich9-pm driver gives. (name, board, QEMU args, monitor steps,
# expected lines)
CPU_HOTADD = "device_add qemu64-x86_64-cpu,id=cpu1,socket-id=0,core-id=1,thread-id=0"
EVENTS = [
    ("x86_64-power-button", "q35", [], [("^boot complete", "system_powerdown")],
     [r"^acpi: events: SCI on interrupt \d+; \d+ GPEs, [1-9]\d* enabled",
      r"^acpi: power button \(fixed\) pressed: powering off$", r"^cairn: power off$"]),
    ("x86_64-gpe-cpu-hotadd", "q35", ["-smp", "1,maxcpus=2"],
     [("^boot complete", CPU_HOTADD), ("CPU hot-add is not supported", "system_powerdown")],
     [r"^acpi: Notify\(\\_SB_\.CPUS\.C001, 0x1: device check\)$",
      r"^acpi: \\_SB_\.CPUS\.C001: CPU hot-add is not supported; ignored$",
      r"^acpi: power button \(fixed\) pressed", r"^cairn: power off$"]),
    ("q35-uboot-power-button", "q35-uboot", [], [("^boot complete", "system_powerdown")],
     [r"^acpi: events: SCI on interrupt 9; \d+ GPEs, [1-9]\d* enabled",
      r"^acpi: power button \(fixed\) pressed: powering off$", r"^cairn: power off$",
      r"^acpi: entering S5 \(soft off\) through PM1a_CNT io 0x604"]),
    ("q35-uboot-gpe-cpu-hotadd", "q35-uboot", ["-smp", "1,maxcpus=2"],
     [("^boot complete", CPU_HOTADD), ("CPU hot-add is not supported", "system_powerdown")],
     [r"^acpi: Notify\(\\_SB_\.CPUS\.C001, 0x1: device check\)$",
      r"^acpi: power button \(fixed\) pressed", r"^cairn: power off$"]),
    ("aarch64-power-button", "virt", [], [("^boot complete", "system_powerdown")],
     [r"^acpi: events: GED \\_SB_\.GED_ on interrupt \d+ \(edge\)$",
      r"^acpi: Notify\(\\_SB_\.PWRB, 0x80: device-specific\) on PNP0C0C$",
      r"^acpi: power button \(\\_SB_\.PWRB\) pressed: powering off$", r"^cairn: power off$"]),
    ("aarch64-gicv3-power-button", "virt", ["-machine", "virt,gic-version=3"],
     [("^boot complete", "system_powerdown")],
     [r"^acpi: power button \(\\_SB_\.PWRB\) pressed: powering off$", r"^cairn: power off$"]),
]
# Weighted fairness to 5% (sched.fair_weights_1_2_4_within_5_percent with
# test.fair_pct=5, a trio of spinners on each of up to 4 CPUs) under
# -icount shift=0,sleep=off: guest time counts instructions, so
# a vCPU the host deschedules is not charged to the thread it was running.
# The plain configurations check 20% (docs/sched.md, "Fairness").
# (board, -smp): x86_64 boots through U-Boot, which under icount reaches
# the kernel in seconds (boards.icount_args); OVMF took minutes.
FAIR_STRICT = [("virt", "1"), ("virt", "4"), ("q35-uboot", "1"), ("q35-uboot", "4")]
BOOT_EXPECT = [r"^Cairn \S+ \((x86_64|aarch64)\)", r"^memory: \d+ MiB usable",
               r"^command line: ", r"^boot complete: \d+ ms since the loader started"]



# The skips a configuration may have; any other skip fails. They follow from
# the QEMU options (expected_skips), never from what the kernel found.
ONE_CPU_SKIPS = {"lock.spin_torture_all_cpus", "lock.ticket_torture_all_cpus",
                 "mm_vm.same_protections_on_every_cpu", "smp.call_others_waits_for_all",
                 "smp.ipi_ping_pong_every_pair", "smp.vm_shootdown_under_contention",
                 "sched.set_affinity_moves_running_thread", "sched.ping_pong_every_cpu_pair",
                 "observe.wcheck_reports_idle_cpu", "lockdebug.assert_held_reports_other_owner",
                 "sched_place.spread_2n_busy_threads", "sched_place.wake_lands_on_idle_llc_cpu"}
ONE_NODE_SKIPS = {"mm_numa.cpus_prefer_their_node", "mm_numa.zones_follow_topology",
                  "thread_numa.tcb_and_stack_on_home_node"}
# The host has no SMP bring-up and no timer interrupts.
HOST_SKIPS = {"lock.spin_torture_all_cpus", "lock.ticket_torture_all_cpus",
              "smp.all_cpus_online", "smp.percpu_identity", "smp.ipi_ping_pong_every_pair",
              "smp.call_others_waits_for_all", "timer.oneshot_rate_every_cpu",
              "timer.cancel_stops_event"}


def expected_skips(extra):
    skips = set()
    if smp_count(extra) == 1:
        skips |= ONE_CPU_SKIPS
    if "-numa" not in extra:
        skips |= ONE_NODE_SKIPS
    if any("hpet=off" in a for a in extra):  # no HPET to route
        skips.add("x86_irq.hpet_through_ioapic")
    return skips


def ktest_count(patterns):
    """How many KTEST( cases the sources matching patterns define."""
    n = 0
    for pat in patterns:
        for f in glob.glob(os.path.join(ROOT, pat), recursive=True):
            n += len(re.findall(r"^KTEST\(", open(f, errors="replace").read(), re.M))
    return n


# build/gen/*.c: test sources the build generates (tools/asl2c.py turns
# every in-kernel ASL test into a KTEST), counted like the others.
def kernel_cases(arch):
    return ktest_count(["tests/unit/*.c", "tests/kernel/*.c", "hal/%s/**/*.c" % arch,
                        "build/gen/*.c"])


class Results:
    """Thread-safe tally; every result is one line of output, and a
    testcase of the job running in this thread (set_job) for JUnit."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []
        self.lock = threading.Lock()
        self.local = threading.local()
        self.cases = {}  # job -> [(name, "pass"|"fail"|"skip", detail, seconds)]
        self.jobs = []  # (job, group, seconds, error or "")

    def set_job(self, job):
        self.local.job, self.local.last = job, time.monotonic()
        with self.lock:
            self.cases.setdefault(job, [])

    def end_job(self, job, group, seconds, error=""):
        with self.lock:
            self.jobs.append((job, group, seconds, error))

    def add(self, name, ok, skipped=False, detail=""):
        job = getattr(self.local, "job", "run-tests")
        now = time.monotonic()
        spent, self.local.last = now - getattr(self.local, "last", now), now
        with self.lock:
            kind = "skip" if skipped else "pass" if ok else "fail"
            self.cases.setdefault(job, []).append((name, kind, detail, spent))
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


def count_ktap(text, prefix, res, allowed_skips=(), want=None, need_plan=False):
    """Adds each KTAP case line of text to res (a skip not in allowed_skips
    and `not ok # SKIP` are failures), then checks the plan `1..N` (needed
    if need_plan; a run that prints one must give exactly N results) and,
    if want is set, that N == want. Returns the number of results."""
    n = 0
    for line in text.splitlines():
        m = KTAP_RE.match(line)
        if not m:
            continue
        n += 1
        case, rest = m.group(2), m.group(3)
        skip = "# SKIP" in rest
        reason = rest.replace("# SKIP", "").strip()
        name = "%s: %s" % (prefix, case)
        if skip and m.group(1) == "ok" and case in allowed_skips:
            res.add(name, True, True, reason)
        elif skip:
            res.add(name, False, detail="unexpected skip: %s (%s)" % (
                reason, "not ok" if m.group(1) != "ok" else "not in the expected skips"))
        else:
            res.add(name, m.group(1) == "ok", detail=rest.strip())
    plans = [int(p) for p in PLAN_RE.findall(text)]
    if plans or need_plan or want is not None:
        plan = plans[0] if len(plans) == 1 else None
        ok = plan is not None and plan == n and (want is None or plan == want)
        res.add("%s: KTAP plan 1..%s matches %d results%s" % (
            prefix, plan, n, "" if want is None else " and %d cases in the sources" % want),
            ok, detail="plans %s, %d results, %s cases expected" % (plans, n, want))
    return n


def run_logged(name, cmd, timeout, res):
    """Runs cmd from the top of the tree; returns (exit status or None on
    timeout, output, log path). A timeout becomes a failure line."""
    log = os.path.join(LOGDIR, name.replace("/", "_") + ".log")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                           errors="replace")
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc = None
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else e.stdout or ""
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr or ""
        res.add(name + ": finished in time", False, detail="timeout after %d s, see %s" % (timeout, log))
    except OSError as e:
        rc, out, err = None, "", str(e)
        res.add(name + ": could start", False, detail=str(e))
    with open(log, "w") as f:
        f.write(out + err)
    return rc, out, log


def run_host_tests(res):
    rc, out, log = run_logged("host", [os.path.join(ROOT, "build", "host", "tests")], 900, res)
    count_ktap(out, "host", res, HOST_SKIPS, ktest_count(["tests/unit/*.c", "tests/host/*.c", "build/gen/*.c"]), True)
    if rc is not None:
        res.add("host: test binary exit status 0", rc == 0, detail="exit %d, see %s" % (rc, log))


def run_script_suite(res, name, cmd, timeout=1800):
    """A suite that prints KTAP-ish lines and ends with 'N passed, N failed'."""
    rc, out, log = run_logged(name, cmd, timeout, res)
    n = count_ktap(out, name, res)
    if rc is not None:
        res.add("%s: exit status 0 with results" % name, rc == 0 and n > 0,
                detail="exit %d, %d results, see %s" % (rc, n, log))


def qemu_run(name, board, extra, cmdline, timeout, run_args=()):
    """board: a tools/boards.py name, or an arch (its default board, as
    tests/acpi/live_tables.py passes)."""
    board = boards.ARCH_BOARD.get(board, board)
    log = os.path.join(LOGDIR, name + ".log")
    start = time.monotonic()
    try:  # cairn-run kills QEMU at the timeout; this guards cairn-run itself
        p = subprocess.run([sys.executable, RUN, "--board", board, "--cmdline", cmdline, "--timeout",
                            str(timeout), "--quiet", "--log", log] + list(run_args) + ["--"] + extra,
                           capture_output=True, text=True, timeout=timeout + 60)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        rc, err = 124, "run-tests: cairn-run did not end %d s after its own timeout\n" % 60
    elapsed = time.monotonic() - start
    try:
        text = open(log, errors="replace").read().replace("\r", "")
    except FileNotFoundError:
        text = ""
    return rc, text + err, elapsed, log


def smp_count(extra):
    """The CPU count a configuration asks QEMU for (-smp N[,...])."""
    for i, a in enumerate(extra[:-1]):
        if a == "-smp":
            return int(extra[i + 1].split(",")[0].replace("cpus=", ""))
    return 1


def numa_nodes(extra):
    return sum(1 for i, a in enumerate(extra[:-1]) if a == "-numa" and
               extra[i + 1].startswith("node,"))


def check_boot(res, name, board, extra):
    rc, text, elapsed, log = qemu_run(name + "-boot", board, extra, "exit", 240)
    n = smp_count(extra)
    acpi = board not in DT_BOARDS and not any("acpi=off" in a for a in extra)
    aml = AML_EXPECT + [EVENTS_EXPECT] + BOARD_EVENTS.get(board, []) if acpi else []
    nodes = numa_nodes(extra)
    numa = [r"^mm: \d+ MiB in \d+ ranges on %d nodes" % nodes] if nodes > 1 else []
    expect = (BOOT_EXPECT + [r"^smp: %d of %d CPUs online" % (n, n)] + numa +
              BOOT_EXTRA.get(name, []) + aml + driver_lines(board, extra))
    missing = [e for e in expect if not re.search(e, text, re.M)]
    bad = re.search(DRIVER_FORBID, text, re.M)
    if bad:
        missing.append("(no unexpected driver failure; found %r)" % bad.group(0))
    if aml and re.search(AML_FORBID, text, re.M):
        missing.append("(no AML firmware errors)")
    ok = rc == 0 and not missing
    res.add("%s: boots to 'boot complete' (%.0f s)" % (name, elapsed), ok,
            detail="exit %d, missing %s, see %s" % (rc, missing, log))


def check_power(res, arch, what, expect, board=None):
    board = board or boards.ARCH_BOARD[arch]
    label = arch if board == boards.ARCH_BOARD[arch] else board
    name = "%s-%s" % (label, what)
    rc, text, elapsed, log = qemu_run(name, board, [], what, 120)
    missing = [e for e in expect if not re.search(e, text, re.M)]
    res.add("%s: '%s' ends QEMU (%.0f s)" % (label, what, elapsed), rc == 0 and not missing,
            detail="exit %d (want 0), missing %s, see %s" % (rc, missing, log))


# The Pi 3's tree edited by sed (dtc decompiles and recompiles it): the
# kernel must name what it cannot drive and still reach "boot complete".
BAD_DT = [
    ("raspi3b-dt-unknown-intc", "s/brcm,bcm2836-l1-intc/acme,l1-intc/",
     [r'^device tree: interrupt controller local_intc@40000000 \(compatible "acme,l1-intc"\): '
      r"no driver in Cairn", r"^irq: set-up failed .*one CPU"]),
    ("raspi3b-dt-unknown-enable-method", r"/cpu@2 {/,/};/s/\"spin-table\"/\"acme,kick\"/",
     [r'^smp: device tree: cpu@2 enable-method "acme,kick": no driver in Cairn; CPU 0x2 not '
      r"started", r"^smp: 3 of 4 CPUs online"]),
]


def check_bad_dt(res, name, sed, expect):
    dtb = os.path.join(LOGDIR, name + ".dtb")
    src = os.path.join(ROOT, "build", "deps", "rpi", "bcm2837-rpi-3-b.dtb")
    r = subprocess.run("dtc -q -I dtb -O dts %s | sed -e '%s' | dtc -q -I dts -O dtb -o %s -" % (
        src, sed, dtb), shell=True, capture_output=True, text=True)
    if r.returncode:
        res.add("%s: dtc made the edited tree" % name, False, detail=r.stderr.strip())
        return
    rc, text, elapsed, log = qemu_run(name, "raspi3b", [], "exit", 240, ["--dtb", dtb])
    missing = [e for e in expect + BOOT_EXPECT if not re.search(e, text, re.M)]
    res.add("%s: names what it cannot drive, boots on (%.0f s)" % (name, elapsed),
            rc == 0 and not missing, detail="exit %d, missing %s, see %s" % (rc, missing, log))


def check_events(res, name, board, extra, steps, expect):
    monitor = []
    for regex, command in steps:
        monitor += ["--monitor-after", regex, command]
    rc, text, elapsed, log = qemu_run(name, board, extra, "", 120, monitor)
    # Without `exit` the monitor starts after boot; its prompt may come just
    # before the event's line ("cairn> acpi: power button ...").
    text = re.sub(r"^cairn> ", "", text, flags=re.M)
    missing = [e for e in expect if not re.search(e, text, re.M)]
    res.add("%s: ACPI event handled, QEMU ended (%.0f s)" % (name, elapsed),
            rc == 0 and not missing,
            detail="exit %d (want 0), missing %s, see %s" % (rc, missing, log))


def check_kernel_tests(res, name, board, extra):
    # The SD card board runs U-Boot and the SD emulation too: more time.
    slow = boards.BOARDS[board].media == "sdimg"
    rc, text, elapsed, log = qemu_run(name + "-test", board, extra, "test", 600 if slow else 300)
    n = count_ktap(text, name, res, expected_skips(extra), kernel_cases(boards.BOARDS[board].arch),
                   True)
    res.add("%s: in-kernel tests ran and exited 0 (%d cases, %.0f s)" % (name, n, elapsed),
            rc == 0 and n > 0, detail="exit %d, see %s" % (rc, log))


def check_fair_strict(res, board, smp):
    name = "%s-smp%s-icount-fair" % (boards.BOARDS[board].arch, smp)
    run, qemu = boards.icount_args(board)
    rc, text, elapsed, log = qemu_run(name, board, ["-smp", smp] + boards.ICOUNT + qemu,
                                      "test=sched.fair_weights test.fair_pct=5 test.fair_cpus=4",
                                      300, run)
    n = count_ktap(text, name, res, (), 1, True)
    res.add("%s: fairness at 5%% ran and exited 0 (%.0f s)" % (name, elapsed),
            rc == 0 and n == 1, detail="exit %d, %d results, see %s" % (rc, n, log))


def check_loader_fault(res, board):
    """fault=1 makes the loader execute ud2 (__builtin_trap): the firmware
    or the loader's fault guard must report #UD (vector 6, Intel SDM) and
    the run must stop at that error (cairn-run 126), not reset silently."""
    name = board + "-loader-fault"
    rc, text, elapsed, log = qemu_run(name, board, [], "exit", 180, ["--cfg", "fault=1"])
    want = r"^cairn-loader: error: CPU exception 6 \(#UD\) at RIP 0x[0-9a-f]+"
    ok = rc == 126 and re.search(want, text, re.M) and not re.search(BOOT_EXPECT[0], text, re.M)
    res.add("%s: a CPU exception in the loader is reported (%.0f s)" % (name, elapsed), bool(ok),
            detail="exit %d (want 126), see %s" % (rc, log))


def loader_suite(res, arch, efi):
    run_script_suite(res, "loader-" + arch, [
        sys.executable, os.path.join(ROOT, "tests", "boot", "loader_errors.py"), "--arch", arch,
        "--loader", os.path.join(ROOT, "build", arch, efi),
        "--kernel", os.path.join(ROOT, "build", arch, "kernel.elf"),
        "--good-pattern", r"Cairn \S+ \((x86_64|aarch64)\)"])


def handover_suite(res, arch, efi):
    run_script_suite(res, "handover-" + arch, [
        sys.executable, os.path.join(ROOT, "tests", "boot", "handover.py"), "--arch", arch,
        "--loader", os.path.join(ROOT, "build", arch, efi),
        "--kernel", os.path.join(ROOT, "build", arch, "handover.elf")])


def script(path, *args):
    return [sys.executable, os.path.join(ROOT, path)] + list(args)


XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    """Text XML 1.0 can carry (QEMU logs hold escape sequences)."""
    return XML_BAD.sub("?", text)


def junit_tree(res, wall):
    """JUnit XML: <testsuites> with one <testsuite> per job (in the order
    jobs ended), a <testcase> per result line and one for the job itself
    (failed if any of its results failed or it raised)."""
    top = ET.Element("testsuites", name="cairn")
    totals = [0, 0, 0]
    for job, group, seconds, error in res.jobs:
        cases = list(res.cases.get(job, []))
        failed = [c for c in cases if c[1] == "fail"]
        detail = error or ("%d of %d results failed" % (len(failed), len(cases)) if failed
                           else "" if cases else "no results")
        cases.append(("job " + job, "fail" if detail else "pass", detail, seconds))
        suite = ET.SubElement(top, "testsuite", name=job, tests=str(len(cases)),
                              failures=str(sum(c[1] == "fail" for c in cases)),
                              errors="0", skipped=str(sum(c[1] == "skip" for c in cases)),
                              time="%.3f" % seconds)
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="group", value=group)
        for name, kind, why, spent in cases:
            tc = ET.SubElement(suite, "testcase", classname="cairn.%s.%s" % (group, job),
                               name=xml_text(name), time="%.3f" % spent)
            if kind == "fail":
                ET.SubElement(tc, "failure", message=xml_text(why or "failed"))
            elif kind == "skip":
                ET.SubElement(tc, "skipped", message=xml_text(why))
        for i, k in enumerate(("tests", "failures", "skipped")):
            totals[i] += int(suite.get(k))
    top.set("tests", str(totals[0]))
    top.set("failures", str(totals[1]))
    top.set("skipped", str(totals[2]))
    top.set("errors", "0")
    top.set("time", "%.3f" % wall)
    return ET.ElementTree(top)


def write_junit(res, path, wall):
    tree = junit_tree(res, wall)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def jobs(args):
    """Every job, in start order: add(NAME, FUNCTION, ARGS...) calls
    FUNCTION(res, ARGS...); after=JOB runs it right after JOB."""
    todo = []

    def add(name, fn, *fargs, after=None, group="common", tier="test"):
        todo.append((name, fn, fargs, after, group, tier))

    def arch_group(arch):
        return boards.group_of(boards.ARCH_BOARD[arch])

    topo_all = ["--all"] if args.topology_all else []
    add("topology-matrix", run_script_suite, "topology",
        script("tests/topology/matrix.py", *topo_all))
    add("host-tests", run_host_tests, after="topology-matrix")
    add("aml-tests", run_script_suite, "aml", script("tools/aml-tests.py"))
    add("junit", run_script_suite, "junit", script("tests/boot/junit_test.py"))
    add("ci-matrix", run_script_suite, "ci-matrix", script("tests/boot/ci_matrix.py"))
    for arch, efi in (("x86_64", "BOOTX64.EFI"), ("aarch64", "BOOTAA64.EFI")):
        add("loader-errors-" + arch, loader_suite, arch, efi, group=arch_group(arch))
        add("loader-handover-" + arch, handover_suite, arch, efi, group=arch_group(arch))
    add("aml-live-tables", run_script_suite, "aml-live", script("tests/acpi/live_tables.py"))
    add("trace", run_script_suite, "trace", script("tests/trace/trace_test.py"))
    add("sim", run_script_suite, "sim", script("tests/sim/sim_test.py"))
    # QEMU against the simulator: q35 (OVMF) without icount, thread counts
    # judged; q35-uboot and virt under icount, every metric judged.
    for name, board in (("x86_64", "q35"), ("x86_64-uboot", "q35-uboot"),
                        ("aarch64", "virt")):
        add("sim-compare-" + name, run_script_suite, "sim-compare-" + name,
            script("tests/sim/compare_test.py", "--board", board), group=boards.group_of(board))
    for name, path in (("runner", "tests/boot/runner.py"), ("monitor", "tests/boot/monitor.py"),
                       ("readme-example", "tests/host/readme_example.py"),
                       ("topo-node-groups", "tests/topology/node_groups.py")):
        add(name, run_script_suite, name, script(path))
    for name, board, extra, *runs in MATRIX:
        group = boards.group_of(board)
        for run in runs[0] if runs else ("boot", "test"):
            kind, _, tier = run.partition(":")
            add("%s-%s" % (name, kind), check_boot if kind == "boot" else check_kernel_tests,
                name, board, extra, group=group, tier=tier or "test")
    # Firmware whose IDT cannot take exceptions in 64-bit mode (U-Boot).
    add("q35-uboot-loader-fault", check_loader_fault, "q35-uboot",
        group=boards.group_of("q35-uboot"))
    for board, smp in FAIR_STRICT:
        add("%s-smp%s-icount-fair" % (boards.BOARDS[board].arch, smp), check_fair_strict, board,
            smp, group=boards.group_of(board))
    for arch, what, expect in POWER:
        add("%s-%s" % (arch, what), check_power, arch, what, expect, group=arch_group(arch))
    rpi = boards.group_of("raspi3b")
    for name, sed, expect in BAD_DT:
        add(name, check_bad_dt, name, sed, expect, group=rpi)
    for what, line in (("shutdown", "power off"), ("reboot", "reboot")):
        add("raspi3b-" + what, check_power, "aarch64", what,
            [r"^cairn: %s$" % line, r"^driver: bcm2835-pm bound"], "raspi3b", group=rpi)
    # U-Boot on q35: the FADT's PM1 blocks are unusable, the ich9-pm driver
    # powers off; the FADT's reset register (0xcf9) resets.
    for what, expect in (("shutdown", [r"^cairn: power off$", r"^driver: ich9-pm bound",
                                       r"^acpi: entering S5 \(soft off\) through PM1a_CNT io "
                                       r"0x604"]),
                         ("reboot", [r"^cairn: reboot$", r"^driver: ich9-pm bound",
                                     r"^acpi: reset through the FADT reset register"])):
        add("q35-uboot-" + what, check_power, "x86_64", what, expect, "q35-uboot",
            group=boards.group_of("q35-uboot"))
    # pc (i440FX + PIIX3): S5 through the FADT; the FADT has no reset
    # register, so piix-pm resets through the PIIX3's reset control register.
    for what, expect in (("shutdown", [r"^cairn: power off$", r"^driver: piix-pm bound",
                                       r"^acpi: entering S5 \(soft off\)"]),
                         ("reboot", [r"^cairn: reboot$", r"^driver: piix-pm bound",
                                     r"^piix-pm: reset through the PIIX3 reset control register "
                                     r"\(port 0xcf9 <- 0x6\)$"])):
        add("pc-" + what, check_power, "x86_64", what, expect, "pc", group=boards.group_of("pc"))
    for name, board, extra, steps, expect in EVENTS:
        add(name, check_events, name, board, extra, steps, expect, group=boards.group_of(board))
    return todo


def chains(todo):
    """Groups the jobs: a job with after=X (X also selected) runs in X's
    chain, right after it; the others each start a chain."""
    out, where = [], {}
    for name, fn, fargs, after, group, _ in todo:
        if after in where:
            where[after].append((name, fn, fargs, group))
            where[name] = where[after]
        else:
            where[name] = [(name, fn, fargs, group)]
            out.append(where[name])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="", help="run only jobs whose name contains this")
    ap.add_argument("--group", help="run only this group's jobs (--list-groups)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--list-groups", action="store_true",
                    help="print the groups (common, then ARCH-GROUP of tools/boards.py)")
    ap.add_argument("--junit", default=os.path.join(ROOT, "build", "test-results.xml"),
                    help="write JUnit XML here (default build/test-results.xml)")
    ap.add_argument("--tier", choices=("test", "extra", "all"),
                    help="test: the jobs of `ninja test` (the default without --only); extra: "
                         "the slow rows of `ninja test-extra`; all: both (the default with --only)")
    ap.add_argument("--topology-all", action="store_true",
                    help="every configuration of tests/topology/matrix.py, not only the default few")
    args = ap.parse_args()
    os.makedirs(LOGDIR, exist_ok=True)
    start = time.monotonic()
    res = Results()
    every = jobs(args)
    groups = ["common"] + boards.groups()
    if args.list_groups:
        print("\n".join(groups))
        return 0
    if args.group and args.group not in groups:
        print("run-tests: no group %r; the groups are: %s" % (args.group, ", ".join(groups)),
              file=sys.stderr)
        return 2
    if args.tier is None:
        args.tier = "all" if args.only else "test"
    todo = [j for j in every if args.only in j[0] and args.group in (None, j[4]) and
            args.tier in ("all", j[5])]
    if args.list:
        print("\n".join(j[0] for j in todo))
        return 0
    if not todo and (args.only or args.tier == "test"):
        print("run-tests: no %sjob name contains %r%s; the jobs are:\n  %s" % (
            "" if args.tier == "all" else args.tier + " ", args.only,
            " in group %s" % args.group if args.group else "",
            "\n  ".join("%s (%s)" % (j[0], j[5]) for j in every)), file=sys.stderr)
        return 2
    if not todo:  # a group without slow jobs
        print("run-tests: group %s has no %s jobs\n0 passed, 0 failed, 0 skipped" % (
            args.group, args.tier))
        return 0

    def run_chain(chain):
        for name, fn, fargs, group in chain:
            res.set_job(name)
            t0, error = time.monotonic(), ""
            try:
                fn(res, *fargs)
            except Exception as e:  # a bug in a check is a failure line too
                error = "Python error: %r" % e
                res.add("%s: ran without a Python error" % name, False, detail=repr(e))
            res.end_job(name, group, time.monotonic() - t0, error)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for f in [pool.submit(run_chain, c) for c in chains(todo)]:
            f.result()
    wall = time.monotonic() - start
    write_junit(res, args.junit, wall)
    print("# test logs in %s, JUnit XML in %s; wall time %.0f s" % (
        os.path.relpath(LOGDIR), os.path.relpath(args.junit), wall))
    for f in res.failures:
        print("# FAILED: " + f)
    print("%d passed, %d failed, %d skipped" % (res.passed, res.failed, res.skipped))
    return 1 if res.failed or res.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
