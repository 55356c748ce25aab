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

Coverage: amlrun runs each ASL test with --opcode-stats, and the script
checks which opcodes of the ACPI 6.5 AML grammar (chapter 20: one-byte
opcodes, data and name prefixes, Local0-7, Arg0-6, the 0x5B-prefixed and
the 0x92-prefixed ones; SPEC_OPCODES below) the suite decoded for
execution, and which ObjectType results (0-16) its ObjectType calls
produced. A full run (no --filter) has one more test, aml.coverage, that
fails when any is missing; --coverage prints the per-opcode table.

Usage: tools/aml-tests.py [--amlrun PATH] [--corpus] [--filter SUBSTR]
                          [--coverage]
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

# The opcodes of ACPI 6.5 section 20.3 ("AML Byte Stream Byte Values"),
# keyed as amlrun --opcode-stats prints them: 0x1XX for ExtOpPrefix 0x5B
# followed by XX, 0x2XX for LNotOp 0x92 followed by XX. Left out: NameChar
# and DigitChar (parts of a NameSeg), ExtOpPrefix itself, and NullName
# (0x00 where a Target is empty: the same byte as ZeroOp, not an opcode).
SPEC_OPCODES = {
    0x00: "ZeroOp", 0x01: "OneOp", 0x06: "AliasOp", 0x08: "NameOp",
    0x0A: "BytePrefix", 0x0B: "WordPrefix", 0x0C: "DWordPrefix",
    0x0D: "StringPrefix", 0x0E: "QWordPrefix", 0x10: "ScopeOp",
    0x11: "BufferOp", 0x12: "PackageOp", 0x13: "VarPackageOp",
    0x14: "MethodOp", 0x15: "ExternalOp", 0x2E: "DualNamePrefix",
    0x2F: "MultiNamePrefix", 0x5C: "RootChar", 0x5E: "ParentPrefixChar",
    0x70: "StoreOp", 0x71: "RefOfOp", 0x72: "AddOp", 0x73: "ConcatOp",
    0x74: "SubtractOp", 0x75: "IncrementOp", 0x76: "DecrementOp",
    0x77: "MultiplyOp", 0x78: "DivideOp", 0x79: "ShiftLeftOp",
    0x7A: "ShiftRightOp", 0x7B: "AndOp", 0x7C: "NandOp", 0x7D: "OrOp",
    0x7E: "NorOp", 0x7F: "XorOp", 0x80: "NotOp", 0x81: "FindSetLeftBitOp",
    0x82: "FindSetRightBitOp", 0x83: "DerefOfOp", 0x84: "ConcatResOp",
    0x85: "ModOp", 0x86: "NotifyOp", 0x87: "SizeOfOp", 0x88: "IndexOp",
    0x89: "MatchOp", 0x8A: "CreateDWordFieldOp", 0x8B: "CreateWordFieldOp",
    0x8C: "CreateByteFieldOp", 0x8D: "CreateBitFieldOp",
    0x8E: "ObjectTypeOp", 0x8F: "CreateQWordFieldOp", 0x90: "LandOp",
    0x91: "LorOp", 0x92: "LnotOp", 0x93: "LEqualOp", 0x94: "LGreaterOp",
    0x95: "LLessOp", 0x96: "ToBufferOp", 0x97: "ToDecimalStringOp",
    0x98: "ToHexStringOp", 0x99: "ToIntegerOp", 0x9C: "ToStringOp",
    0x9D: "CopyObjectOp", 0x9E: "MidOp", 0x9F: "ContinueOp", 0xA0: "IfOp",
    0xA1: "ElseOp", 0xA2: "WhileOp", 0xA3: "NoopOp", 0xA4: "ReturnOp",
    0xA5: "BreakOp", 0xCC: "BreakPointOp", 0xFF: "OnesOp",
    0x101: "MutexOp", 0x102: "EventOp", 0x112: "CondRefOfOp",
    0x113: "CreateFieldOp", 0x11F: "LoadTableOp", 0x120: "LoadOp",
    0x121: "StallOp", 0x122: "SleepOp", 0x123: "AcquireOp",
    0x124: "SignalOp", 0x125: "WaitOp", 0x126: "ResetOp",
    0x127: "ReleaseOp", 0x128: "FromBCDOp", 0x129: "ToBCDOp",
    0x12A: "UnloadOp", 0x130: "RevisionOp", 0x131: "DebugOp",
    0x132: "FatalOp", 0x133: "TimerOp", 0x180: "OpRegionOp",
    0x181: "FieldOp", 0x182: "DeviceOp", 0x183: "ProcessorOp",
    0x184: "PowerResOp", 0x185: "ThermalZoneOp", 0x186: "IndexFieldOp",
    0x187: "BankFieldOp", 0x188: "DataRegionOp",
    0x293: "LNotEqualOp", 0x294: "LLessEqualOp", 0x295: "LGreaterEqualOp",
}
SPEC_OPCODES.update({0x60 + i: "Local%dOp" % i for i in range(8)})
SPEC_OPCODES.update({0x68 + i: "Arg%dOp" % i for i in range(7)})
OBJECT_TYPES = ["Uninitialized", "Integer", "String", "Buffer", "Package",
                "FieldUnit", "Device", "Event", "Method", "Mutex",
                "OperationRegion", "PowerResource", "Processor",
                "ThermalZone", "BufferField", "DDBHandle", "DebugObject"]


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


def run_asl(amlrun, asl, outdir, stats=None):
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
    if stats is not None:
        cmd.append("--opcode-stats")
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "amlrun timed out"
    m = re.search(r"(\d+) errors", r.stdout)
    errors = int(m.group(1)) if m else -1
    if stats is not None:
        for what, key, count in re.findall(r"^(opstat|typestat) (\w+) (\d+)$",
                                           r.stdout, re.M):
            k = (what, int(key, 0))
            stats.setdefault(k, []).append((name, int(count)))
    ok = r.returncode == 0 and errors == int(h["errors"])
    detail = "" if ok else "exit %d, %d errors (want %s)\n%s%s" % (
        r.returncode, errors, h["errors"], r.stdout, r.stderr[-3000:])
    return ok, detail


# The ASL tests where acpiexec (ACPICA, Debian's acpica-tools) returns
# something else from \MAIN, each with the value it returns and why; every
# other test's expectation must be what acpiexec returns. A listed test
# still fails if acpiexec's answer changes (the list cannot go stale).
ACPIEXEC_DIFFERS = {
    "bufacc": ("int 0x2", "acpiexec has no SMBus/IPMI/GSB/PCC handlers with "
                          "amlrun's simulated replies"),
    "bufferfields": ("int 0x2", "ACPICA reads a CreateField field as a Buffer, "
                                "so NIB != 0xA compares a Buffer"),
    "ec_ecdt": ("int 0x2135", "needs amlrun --ecdt; acpiexec has no ECDT here"),
    "ec_late": ("int 0x213", "amlrun's simulated EC attaches late; acpiexec "
                             "installs its EC handler at once"),
    "late_handler": ("int 0x115a", "needs amlrun --late-space"),
    "load": (None, "needs tables copied into memory (amlrun --mem)"),
    "load_ini": (None, "acpiexec gets the SSDT as a file and loads it at "
                       "start-up, not through the test's LoadTable"),
    "load_nested": (None, "needs tables copied into memory (amlrun --mem)"),
    "misc": (None, "acpiexec -b enters its debugger at BreakPoint; \\MAIN "
                   "returns nothing"),
    "refs": ("int 0x5", "Windows' store through an Index reference; ACPICA "
                        "differs (docs/aml.md)"),
    "refs_dead": ("int 0x138", "Windows' semantics for references to deleted "
                               "objects; ACPICA differs (docs/aml.md)"),
    # Issue 14's NT rules: each test encodes where Windows and ACPICA part
    # (docs/aml.md, the spec/Windows/ACPICA/Cairn table); acpiexec's answer
    # is recorded so a change on either side still shows.
    "nt_concat": ('str "id000000000000001A-0000000000000000-FFFFFFFFFFFFFFFF"',
                  "rule 2: ACPICA pads an Integer to 16 upper-case hex digits"),
    "nt_load": (None, "rule 7: ACPICA refuses a table identical to a loaded one"),
    "nt_recover": (None, "rule 5: ACPICA gives up on the table after the "
                         "nesting-limit abort"),
    "nt_refkeep": (None, "rule 3: ACPICA's reference to a LocalX dies with "
                         "the frame"),
    "nt_reg": ("int 0x0", "rule 6: ACPICA runs _REG for SystemMemory/SystemIO "
                          "regions"),
    "nt_replace": (None, "rule 1: ACPICA aborts on a CopyObject over an "
                         "operation region"),
    "nt_strint": ("int 0x10", "rule 4: ACPICA parses the String as hex"),
    "pkg_deepnest": (None, "ACPICA deep-copies every level (no value "
                           "from acpiexec within its 60 s)"),
    "recurse_budget": (None, "ACPICA has no evaluation budget: the 2^40-call "
                             "tree in the table's code does not end within "
                             "acpiexec's 60 s"),
    "root_store": (None, "acpiexec 20200925 dies (\"ACPI Exec: "
                         "Segmentation Fault\") on CopyObject (0x55, \\)"),
    "bfield_wrap": (None, "acpiexec 20200925 dies (\"ACPI Exec: "
                          "Segmentation Fault\") on the wrapped indices"),
    "call_replaced": (None, "acpiexec 20200925 itself dies (\"ACPI Exec: "
                            "Segmentation Fault\") when a call's argument "
                            "replaces the method being called"),
    "field_wide": ("int 0xe", "ACPICA has no per-statement work budget: "
                              "it makes all 128 x 514 accesses of the "
                              "store, so WIDE completes"),
    "pkg_selfcopy": (None, "ACPICA deep-copies every level, so the copy "
                           "doubles with each store: acpiexec gave no "
                           "value after about 50 s"),
    "refs_cycle": (None, "references to a callee's locals (heap cells): "
                         "acpiexec refuses the first one and fails the "
                         "table load"),
    "refs_local": (None, "Windows' semantics for references to locals; "
                         "acpiexec aborts (docs/aml.md)"),
    "strstore": ('str "1"', "Windows' store to a named String; ACPICA "
                            "converts (file header)"),
    "sleep_long": (None, "acpiexec ends the loop by its own timeout "
                         "(AE_AML_LOOP_TIMEOUT, about 10 s) and fails the "
                         "whole evaluation, callers included"),
    "timeout": (None, "needs amlrun --loop-timeout; acpiexec spins on"),
}


def acpiexec_main(aml_files):
    """What acpiexec's \MAIN returns for these tables: 'int 0x..',
    'str "..."' or None (no value: it aborted or timed out)."""
    try:
        r = subprocess.run(["acpiexec", "-b", "evaluate \\MAIN"] + aml_files,
                           capture_output=True, text=True, timeout=60, errors="replace")
    except subprocess.TimeoutExpired:
        return None
    m = re.search(r"Evaluation of \\MAIN returned object.*\n\s*\[Integer\] = ([0-9A-Fa-f]+)",
                  r.stdout)
    if m:
        return "int 0x%x" % int(m.group(1), 16)
    m = re.search(r"Evaluation of \\MAIN returned object.*\n\s*\[String\] Length \w+ = \"(.*)\"",
                  r.stdout)
    return 'str "%s"' % m.group(1) if m else None


def normal(expect):
    """An '// expect:' value in acpiexec_main's form."""
    kind, _, value = expect.partition(" ")
    if kind == "int":
        return "int 0x%x" % int(value, 0)
    value = value.strip()
    return 'str "%s"' % (value[1:-1] if value[:1] == '"' else value)


def run_witness(asl, outdir):
    """acpiexec, an independent interpreter, must return the expectation
    (or, for ACPIEXEC_DIFFERS, its recorded other answer)."""
    h = headers(asl)
    name = os.path.splitext(os.path.basename(asl))[0]
    files = [os.path.join(outdir, name + ".aml")] + [
        os.path.join(outdir, os.path.splitext(t.split()[-1])[0] + ".aml") for t in h["table"]]
    if not all(os.path.exists(f) for f in files):
        return False, "not compiled"
    got = acpiexec_main(files)
    want, why = ACPIEXEC_DIFFERS.get(name, (normal(h["expect"]), None))
    ok = got == want
    return ok, ("%s (%s)" % (got, why) if why else got) if ok else \
        "acpiexec returns %s, want %s%s" % (got, want, " (%s)" % why if why else "")


def run_canary(amlrun, asl, outdir):
    """A canary's guard must fire: amlrun must fail the expectation and
    acpiexec must return something else too."""
    ok, detail = run_asl(amlrun, asl, outdir)
    if ok:
        return False, "amlrun passed a canary: its guard did not fire"
    if "iasl failed" in detail or "no '// expect:'" in detail:
        return False, detail
    name = os.path.splitext(os.path.basename(asl))[0]
    got = acpiexec_main([os.path.join(outdir, name + ".aml")])
    want = normal(headers(asl)["expect"])
    if got is None or got == want:
        return False, "acpiexec returns %s: its guard did not fire" % got
    return True, "guard fired (acpiexec: %s)" % got


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


def coverage_report(stats, verbose):
    """Prints covered / uncovered opcodes and object types (with verbose,
    each covered one with its count and tests); returns the number of
    missing ones."""
    ops = [c for c in sorted(SPEC_OPCODES) if ("opstat", c) in stats]
    missing = [c for c in sorted(SPEC_OPCODES) if ("opstat", c) not in stats]
    print("# opcode coverage: %d of %d ACPI 6.5 opcodes executed by the ASL tests"
          % (len(ops), len(SPEC_OPCODES)))
    for c in ops if verbose else []:
        tests = sorted({t for t, _ in stats[("opstat", c)]})
        print("#   0x%03x %-20s %6d  %s" % (c, SPEC_OPCODES[c],
              sum(n for _, n in stats[("opstat", c)]),
              ", ".join(tests[:4]) + (" ..." if len(tests) > 4 else "")))
    print("# uncovered opcodes: %s" % (", ".join(
        "0x%03x %s" % (c, SPEC_OPCODES[c]) for c in missing) or "none"))
    extra = sorted(k for w, k in stats if w == "opstat" and k not in SPEC_OPCODES)
    if extra:
        print("# decoded but not in the list: %s" % ", ".join("0x%03x" % k for k in extra))
    types = [t for t in range(17) if ("typestat", t) in stats]
    tmissing = [t for t in range(17) if ("typestat", t) not in stats]
    print("# object type coverage: %d of 17 ObjectType results seen" % len(types))
    for t in types if verbose else []:
        tests = sorted({n for n, _ in stats[("typestat", t)]})
        print("#   %2d %-16s %s" % (t, OBJECT_TYPES[t], ", ".join(tests[:4])))
    print("# uncovered object types: %s" % (", ".join(
        "%d %s" % (t, OBJECT_TYPES[t]) for t in tmissing) or "none"))
    return len(missing) + len(tmissing)


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
    # Real firmware must stay far inside the evaluation step budget.
    m = re.search(r"(\d+) step budget overruns, largest evaluation (\d+) steps", r.stdout)
    if m:
        row.update(overruns=int(m.group(1)), steps=int(m.group(2)))
    ok = r.returncode == 0 and "ops" in row and row.get("overruns") == 0
    return ok, row, r.stderr[-2000:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--amlrun", default=os.path.join(ROOT, "build/host/amlrun"))
    ap.add_argument("--corpus", action="store_true")
    ap.add_argument("--filter", default="")
    ap.add_argument("--no-qemu", action="store_true")
    ap.add_argument("--coverage", action="store_true")
    args = ap.parse_args()
    stats = {} if args.coverage or not args.filter else None
    passed = failed = 0
    n = 0
    print("KTAP version 1")
    witness = shutil.which("acpiexec") is not None

    def report(ok, name, detail, always=False):
        nonlocal n, passed, failed
        n += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", n, name,
                                " # " + detail.splitlines()[0] if always and ok else ""))
        if not ok:
            print("".join("    # " + l + "\n" for l in detail.splitlines()), end="")
        passed += ok
        failed += not ok

    with tempfile.TemporaryDirectory(prefix="aml-tests-") as tmp:
        for asl in sorted(glob.glob(os.path.join(ROOT, "tests/aml/*.asl"))):
            if args.filter not in asl:
                continue
            ok, detail = run_asl(args.amlrun, asl, tmp, stats)
            report(ok, "aml." + os.path.basename(asl), detail)
            if witness:
                ok, detail = run_witness(asl, tmp)
                report(ok, "acpiexec." + os.path.basename(asl), detail, True)
        for asl in sorted(glob.glob(os.path.join(ROOT, "tests/aml/canaries/*.asl"))):
            if args.filter in asl and witness:
                ok, detail = run_canary(args.amlrun, asl, tmp)
                report(ok, "canary." + os.path.basename(asl), detail, True)
    if not witness:
        report(False, "acpiexec", "acpiexec not found (python3 configure.py installs acpica-tools): "
               "no independent witness for the ASL tests, canaries or QEMU tables")
    if stats is not None:
        missing = coverage_report(stats, args.coverage)
        if not args.filter:
            n += 1
            ok = missing == 0
            print("%s %d - aml.coverage # %d opcodes/types not executed" % (
                "ok" if ok else "not ok", n, missing))
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
        if not have or not configs and not args.filter:
            report(False, "qemu", "acpiexec or QEMU's tables in %s missing (python3 configure.py "
                   "installs and fetches both)" % os.path.join(ROOT, "build/deps/qemu-acpi"))
    if args.corpus:
        rows = []
        machines = sorted(glob.glob(os.path.join(corpus_dir(), "*/")))
        if not machines:
            report(False, "corpus", "no machines in %s (set CAIRN_SHARED)" % corpus_dir())
        for d in machines:
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
        print("\n| machine | blobs | ops | load ms | init ms | devices | thermal | errors | most steps |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, r in rows:
            print("| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s |" % (
                name, r.get("blobs", "?"), r.get("ops", "?"), r.get("load_ms", 0),
                r.get("init_ms", 0), r.get("devices", "?"), r.get("tz", "?"), r["errors"],
                r.get("steps", "?")))
        clean = sum(1 for _, r in rows if r["errors"] == 0)
        print("\ncorpus: %d machines, %d with zero firmware errors" % (len(rows), clean))
        most = max(rows, key=lambda nr: nr[1].get("steps", 0), default=None)
        if most:
            print("corpus: largest top-level evaluation %s steps (%s)" % (
                most[1].get("steps", "?"), most[0]))
    if n == 0:
        report(False, "selection", "--filter %r selects nothing" % args.filter)
    print("1..%d" % n)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
