#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The differential AML test on the tables QEMU's firmware really hands over.

Boots Cairn with `acpi.tables exit` in several QEMU configurations of both
arches, takes every ACPI table out of the serial log (the kernel prints them
in hex between markers), then loads the DSDT and SSDTs with Cairn's amlrun
and with Debian's acpiexec: both must report the same firmware errors and
the same namespace (paths and object types), as tools/aml-tests.py checks
for QEMU's reference tables.

  tests/acpi/live_tables.py [--amlrun PATH] [--only SUBSTR]
  tests/acpi/live_tables.py --save DIR [--arch A] [-- QEMU ARGS]   (just dump)

Prints one KTAP line per configuration and "N passed, N failed".
"""
import argparse
import importlib.util
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ktap import Ktap  # noqa: E402
BEGIN, END = "-----BEGIN CAIRN ACPI TABLES-----", "-----END CAIRN ACPI TABLES-----"


def load_tool(name):
    """A script in tools/ as a module (their names have dashes)."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"),
                                                  os.path.join(ROOT, "tools", name))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


RUN_TESTS = load_tool("run-tests.py")  # qemu_run (logs in build/test-logs), numa2
numa2 = RUN_TESTS.numa2


# (name, arch, extra QEMU arguments): each changes what QEMU puts in the
# DSDT or adds SSDTs.
CONFIGS = [
    ("x86_64-q35", "x86_64", []),
    ("x86_64-q35-numa", "x86_64", ["-smp", "4", "-m", "2G"] + numa2(1)),
    ("x86_64-q35-cpu-hotplug", "x86_64", ["-smp", "2,maxcpus=4"]),
    ("x86_64-q35-mem-hotplug", "x86_64", ["-m", "1G,slots=2,maxmem=4G"]),
    ("x86_64-q35-nohpet-bridge", "x86_64", ["-machine", "q35,hpet=off",
                                            "-device", "pci-bridge,chassis_nr=1,id=br1"]),
    ("aarch64-virt", "aarch64", []),
    ("aarch64-virt-gicv3-numa", "aarch64", ["-smp", "4", "-m", "2G",
                                            "-machine", "virt,gic-version=3"] + numa2(1)),
    ("aarch64-virt-mem-hotplug", "aarch64", ["-m", "1G,slots=2,maxmem=4G"]),
]


def boot_tables(name, arch, extra, timeout=240):
    """[(signature, bytes)] from one boot, or (None, why)."""
    os.makedirs(RUN_TESTS.LOGDIR, exist_ok=True)
    rc, text, _, log = RUN_TESTS.qemu_run("live-tables-" + name, arch, extra,
                                          "acpi.tables exit", timeout)
    if rc != 0:
        return None, "boot exited %d, see %s" % (rc, log)
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < i:
        return None, "no table dump in the log"
    tables, cur = [], None
    for line in text[i + len(BEGIN):j].splitlines():
        m = re.match(r"^table (\S{4}) (\d+)$", line)
        if m:
            cur = [m.group(1), int(m.group(2)), bytearray()]
            tables.append(cur)
        elif cur and re.match(r"^[0-9a-f]+$", line):
            cur[2] += bytes.fromhex(line)
    for sig, n, data in tables:
        if len(data) != n:
            return None, "%s: %d bytes dumped, header says %d" % (sig, len(data), n)
    return [(sig, bytes(data)) for sig, n, data in tables], ""


def save(tables, outdir):
    """Writes DSDT.dat, SSDT1.dat, ... (then other tables by signature);
    returns the AML files, DSDT first."""
    os.makedirs(outdir, exist_ok=True)
    count, aml = {}, []
    for sig, data in tables:
        count[sig] = count.get(sig, 0) + 1
        name = sig + (str(count[sig]) if sig == "SSDT" or count[sig] > 1 else "") + ".dat"
        path = os.path.join(outdir, name)
        with open(path, "wb") as f:
            f.write(data)
        if sig in ("DSDT", "SSDT"):
            aml.append(path)
    aml.sort(key=lambda p: (not os.path.basename(p).startswith("DSDT"), p))
    return aml


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--amlrun", default=os.path.join(ROOT, "build", "host", "amlrun"))
    ap.add_argument("--only", default="")
    ap.add_argument("--save", help="only boot once and write the tables to this directory")
    ap.add_argument("--arch", default="x86_64")
    ap.add_argument("qemu_args", nargs="*")
    args = ap.parse_args()

    if args.save:
        tables, why = boot_tables("save", args.arch, args.qemu_args)
        if tables is None:
            sys.exit("live_tables: " + why)
        save(tables, args.save)
        print("\n".join("%s %d" % (s, len(d)) for s, d in tables))
        return 0

    aml_tests = load_tool("aml-tests.py")
    configs = [c for c in CONFIGS if args.only in c[0]]
    tap = Ktap(plan=len(configs))
    for name, arch, extra in configs:
        tables, why = boot_tables(name, arch, extra)
        if tables is not None:
            with tempfile.TemporaryDirectory() as tmp:
                files = save(tables, tmp)
                ok, why = aml_tests.run_qemu_diff(args.amlrun, files) if files else (
                    False, "no DSDT in the dump")
                why = "%d tables, %d AML: %s" % (len(tables), len(files), why)
        else:
            ok = False
        tap.note(name, ok, why)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
