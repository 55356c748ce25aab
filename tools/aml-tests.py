#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs the AML interpreter's ASL test programs (tests/aml/*.asl).

Each test is compiled with iasl (never committed as .aml) and run with
build/host/amlrun, which evaluates \\MAIN. A test states in its comment header:
    // expect: int 0x2a          or   // expect: str "text"
    // errors: N                 firmware errors the run must report (default 0)
    // args: --loop-timeout 0.2  extra amlrun arguments
    // iasl: -f                  extra iasl flags
    // table: NAME.asl           tests/aml/tables/NAME.asl, compiled and
                                 given to LoadTable (amlrun --table)
    // mem: ADDR NAME.asl        the same, copied into memory at ADDR
(table: and mem: may repeat.)
It passes when amlrun exits 0, the expectation held and exactly N errors were
reported.

The QEMU differential test (on by default, --no-qemu to leave it out): every
DSDT of QEMU's reference tables in build/deps/qemu-acpi (all q35, pc, virt
and microvm configurations, with the SSDT of the same configuration) must
load and initialise reporting exactly the firmware errors acpiexec reports
("Firmware Error" lines; zero for all but q35 cxl, whose DSDT defines two
_UIDs twice), and the namespace amlrun
prints must equal the one Debian's acpiexec prints for the same tables:
same paths, same object types. Known, checked differences are listed in
QEMU_KNOWN below.

With --corpus, every machine under $CAIRN_SHARED/acpi-corpus is
loaded as well (DSDT + SSDTs, namespace initialisation) and must exit 0; a
Markdown table of ops, times and error counts is printed for docs/aml.md.

Usage: tools/aml-tests.py [--amlrun PATH] [--corpus] [--filter SUBSTR]
Ends with the line "N passed, N failed".
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def headers(path):
    h = {"errors": "0", "args": "", "iasl": "", "table": [], "mem": []}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*//\s*(expect|errors|args|iasl|table|mem):\s*(.*?)\s*$", line)
            if m and m.group(1) in ("table", "mem"):
                h[m.group(1)].append(m.group(2))
            elif m:
                h[m.group(1)] = m.group(2)
            elif line.strip() and not line.lstrip().startswith("//"):
                break
    return h


def run_asl(amlrun, asl, outdir):
    h = headers(asl)
    name = os.path.splitext(os.path.basename(asl))[0]
    if "expect" not in h:
        return False, "no '// expect:' header"
    base = os.path.join(outdir, name)
    r = subprocess.run(["iasl", "-p", base] + shlex.split(h["iasl"]) + [asl],
                       capture_output=True, text=True)
    if not os.path.exists(base + ".aml"):
        return False, "iasl failed:\n" + r.stdout + r.stderr
    side = []
    for what, spec in [("table", t) for t in h["table"]] + [("mem", m) for m in h["mem"]]:
        words = spec.split()
        src = os.path.join(ROOT, "tests/aml/tables", words[-1])
        out = os.path.join(outdir, os.path.splitext(words[-1])[0])
        r = subprocess.run(["iasl", "-p", out, src], capture_output=True, text=True)
        if not os.path.exists(out + ".aml"):
            return False, "iasl failed on %s:\n%s%s" % (src, r.stdout, r.stderr)
        side += ["--" + what] + words[:-1] + [out + ".aml"]
    kind, _, value = h["expect"].partition(" ")
    if kind == "str":
        value = value.strip()
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = value[1:-1]
    cmd = [amlrun, base + ".aml", "--expect", kind, value] + shlex.split(h["args"]) + side
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "amlrun timed out"
    m = re.search(r"(\d+) errors", r.stdout)
    errors = int(m.group(1)) if m else -1
    ok = r.returncode == 0 and errors == int(h["errors"])
    detail = "" if ok else "exit %d, %d errors (want %s)\n%s%s" % (
        r.returncode, errors, h["errors"], r.stdout, r.stderr[-3000:])
    return ok, detail


# Differences from acpiexec that are not ours to fix:
#  \_TI_ (and its method _T97) is a test object acpiexec itself installs
#  (it appears for a one-Name table too); \_TZ_ is a Device in ACPICA, a
#  plain scope here (the specification only calls it a namespace).
QEMU_KNOWN_SKIP = ("\\_TI_",)
QEMU_KNOWN_TYPES = {("\\_TZ_", "Device", "Scope")}
ACPIEXEC_TYPES = {"Region": "OpRegion", "RegionField": "FieldUnit",
                  "BankField": "FieldUnit", "IndexField": "FieldUnit",
                  "Power": "PowerResource", "Thermal": "ThermalZone",
                  "Untyped": "Uninitialized", "BufferFld": "BufferField",
                  "DdbHandle": "DDBHandle"}


def acpiexec_namespace(files):
    r = subprocess.run(["acpiexec", "-b", "namespace"] + files,
                       capture_output=True, text=True, timeout=300)
    names, stack = {}, []
    fw_errors = sum(1 for l in (r.stdout + r.stderr).splitlines()
                    if l.startswith("Firmware Error"))
    for line in r.stdout.splitlines():
        m = re.match(r"^\s*(\d+)\s+([A-Z_][A-Z0-9_]{3})\s+(\w+)", line)
        if not m:
            continue
        depth = int(m.group(1))
        stack[depth:] = [m.group(2)]
        path = "\\" + ".".join(stack)
        if not path.startswith(QEMU_KNOWN_SKIP):
            names[path] = ACPIEXEC_TYPES.get(m.group(3), m.group(3))
    return names, fw_errors


def amlrun_namespace(amlrun, files):
    cmd = [amlrun, "--quiet", "--enumerate-namespace", files[0]]
    if files[1:]:
        cmd += ["--extra-tables"] + files[1:]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    names = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^\s*(\\\S+) \[(\w+)\]$", line)
        if m:
            names[m.group(1)] = m.group(2)
    return r, names


def qemu_configs():
    base = os.path.join(ROOT, "build/deps/qemu-acpi")
    for dsdt in sorted(glob.glob(os.path.join(base, "*/DSDT*"))):
        suffix = os.path.basename(dsdt)[4:]
        ssdt = os.path.join(os.path.dirname(dsdt), "SSDT" + suffix)
        files = [dsdt] + ([ssdt] if os.path.exists(ssdt) else [])
        yield os.path.relpath(dsdt, base).replace("/", "."), files


def run_qemu_diff(amlrun, files):
    r, ours = amlrun_namespace(amlrun, files)
    if r.returncode != 0:
        return False, "amlrun failed (exit %d):\n%s" % (r.returncode, r.stderr[-2000:])
    theirs, their_errors = acpiexec_namespace(files)
    if not theirs:
        return False, "acpiexec printed no namespace"
    m = re.search(r"(\d+) errors", r.stdout)
    our_errors = int(m.group(1)) if m else -1
    problems = []
    if our_errors != their_errors:
        problems.append("%d firmware errors, acpiexec reports %d\n%s" % (
            our_errors, their_errors, r.stderr[-2000:]))
    for p in sorted(set(theirs) - set(ours)):
        problems.append("only in acpiexec: %s [%s]" % (p, theirs[p]))
    for p in sorted(set(ours) - set(theirs)):
        problems.append("only in amlrun: %s [%s]" % (p, ours[p]))
    for p in sorted(set(ours) & set(theirs)):
        if ours[p] != theirs[p] and (p, theirs[p], ours[p]) not in QEMU_KNOWN_TYPES:
            problems.append("%s: acpiexec %s, amlrun %s" % (p, theirs[p], ours[p]))
    return not problems, "\n".join(problems[:40]) or "%d names, %d errors as acpiexec" % (
        len(ours), our_errors)


def corpus_dir():
    shared = os.environ.get("CAIRN_SHARED", os.path.join(ROOT, "..", "shared"))
    return os.path.join(shared, "acpi-corpus")


def natural(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def run_machine(amlrun, d):
    ssdts = sorted(glob.glob(os.path.join(d, "ssdt*.dat")), key=natural)
    cmd = [amlrun, "--quiet", os.path.join(d, "dsdt.dat")]
    if ssdts:
        cmd += ["--extra-tables"] + ssdts
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return False, None, "timed out"
    row = {}
    m = re.search(r"loaded (\d+) AML blobs, (\d+) ops in ([\d.]+) ms", r.stdout)
    if m:
        row.update(blobs=int(m.group(1)), ops=int(m.group(2)), load_ms=float(m.group(3)))
    m = re.search(r"initialization done in ([\d.]+) ms: (\d+) devices, (\d+) thermal", r.stdout)
    if m:
        row.update(init_ms=float(m.group(1)), devices=int(m.group(2)), tz=int(m.group(3)))
    m = re.search(r"(\d+) errors", r.stdout)
    row["errors"] = int(m.group(1)) if m else -1
    return r.returncode == 0 and "ops" in row, row, r.stderr[-2000:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--amlrun", default=os.path.join(ROOT, "build/host/amlrun"))
    ap.add_argument("--corpus", action="store_true")
    ap.add_argument("--filter", default="")
    ap.add_argument("--no-qemu", action="store_true")
    args = ap.parse_args()
    passed = failed = 0
    n = 0
    print("KTAP version 1")
    with tempfile.TemporaryDirectory(prefix="aml-tests-") as tmp:
        for asl in sorted(glob.glob(os.path.join(ROOT, "tests/aml/*.asl"))):
            if args.filter not in asl:
                continue
            n += 1
            ok, detail = run_asl(args.amlrun, asl, tmp)
            name = os.path.basename(asl)
            print("%s %d - aml.%s" % ("ok" if ok else "not ok", n, name))
            if not ok:
                print("".join("    # " + l + "\n" for l in detail.splitlines()), end="")
            passed += ok
            failed += not ok
    if not args.no_qemu:
        have = shutil.which("acpiexec") and os.path.isdir(os.path.join(ROOT, "build/deps/qemu-acpi"))
        # acpiexec spends about a second asleep per run: run them side by
        # side (threads only wait on processes).
        configs = [(nm, f) for nm, f in (qemu_configs() if have else [])
                   if args.filter in nm]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda c: run_qemu_diff(args.amlrun, c[1]), configs))
        for (name, files), (ok, detail) in zip(configs, results):
            n += 1
            print("%s %d - qemu.%s # %s" % ("ok" if ok else "not ok", n, name,
                                            detail if ok else "differs from acpiexec"))
            if not ok:
                print("".join("    # " + l + "\n" for l in detail.splitlines()), end="")
            passed += ok
            failed += not ok
        if not have:
            n += 1
            print("ok %d - qemu # SKIP acpiexec or build/deps/qemu-acpi missing" % n)
    if args.corpus:
        rows = []
        for d in sorted(glob.glob(os.path.join(corpus_dir(), "*/"))):
            name = os.path.basename(d.rstrip("/"))
            if args.filter not in name:
                continue
            n += 1
            ok, row, err = run_machine(args.amlrun, d)
            print("%s %d - corpus.%s" % ("ok" if ok else "not ok", n, name))
            if not ok:
                print("".join("    # " + l + "\n" for l in err.splitlines()), end="")
            passed += ok
            failed += not ok
            if row:
                rows.append((name, row))
        print("\n| machine | blobs | ops | load ms | init ms | devices | thermal | errors |")
        print("|---|---|---|---|---|---|---|---|")
        for name, r in rows:
            print("| %s | %s | %s | %.2f | %.2f | %s | %s | %s |" % (
                name, r.get("blobs", "?"), r.get("ops", "?"), r.get("load_ms", 0),
                r.get("init_ms", 0), r.get("devices", "?"), r.get("tz", "?"), r["errors"]))
        clean = sum(1 for _, r in rows if r["errors"] == 0)
        print("\ncorpus: %d machines, %d with zero firmware errors" % (len(rows), clean))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
