#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's structural lint (ninja lint) and format check (ninja format-check).

lint:
  - neutral code (lib/ kernel/ mm/ acpi/ topology/ workload/ tests/unit/) includes no
    per-arch header (hal/<arch>/..., <arch/...>) and tests no arch macro;
  - every HAL header hal/X.h has an implementation header
    hal/<arch>/arch/X.h for every arch, and a host stand-in
    tests/host/hal/arch/X.h;
  - every C/asm source starts with an SPDX line;
  - the floors of docs/layers.md: each directory includes only the
    directories FLOORS allows it (lib/ at the bottom, kernel/ on top), the
    HAL contract (hal/*.h) only lib/, the loader (boot/) only lib/ and its
    own arch's encodings, and there is no include cycle between the
    directories lib mm acpi topology workload kernel. sim/ (the host
    simulator) is a host-only layer on top: it may include any neutral
    directory and tests/host/, and nothing else may include sim/.
  - the FP/SIMD rule (docs/sched.md): no function of a built kernel uses an
    FP/SIMD register, except Debian's prebuilt libfdt (fdt_*), which the
    kernel calls only at boot, before any thread switch.
--format: clang-format --dry-run over all C sources (--fix rewrites them).
--graph: print the include graph between those directories (how many
  includes per edge; --graph -v lists them) and any cycle in it.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHES = ["x86_64", "aarch64"]
NEUTRAL = ["lib", "kernel", "mm", "acpi", "topology", "workload", "tests/unit"]
ARCH_MACRO = re.compile(r"\b(__x86_64__|__amd64__|__i386__|__aarch64__|__arm__|__ARM_ARCH\w*|_M_X64|_M_ARM64)\b")
ARCH_INCLUDE = re.compile(r'#\s*include\s*[<"](hal/(x86_64|aarch64)/|arch/)')
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([A-Za-z0-9_]+)/([^>"]*)[>"]')

# The floors (docs/layers.md): what each directory's files may include,
# besides their own directory. "hal" means the HAL contract, hal/*.h; the
# per-arch hal/<arch>/ is checked by ARCH_INCLUDE for neutral code.
FLOORS = {
    "lib": {"hal"},
    "mm": {"lib", "hal"},
    "acpi": {"lib", "hal", "mm"},
    "topology": {"lib", "hal", "mm", "acpi"},
    "workload": {"lib", "hal", "mm"},
    "kernel": {"lib", "hal", "mm", "acpi", "topology", "workload", "tests"},
    # Host-only: the simulator over the neutral code (docs/layers.md).
    "sim": {"lib", "hal", "mm", "acpi", "topology", "workload", "kernel", "tests"},
}
# Directories the cycle check and --graph look at.
GRAPH_DIRS = ["lib", "mm", "acpi", "topology", "workload", "kernel", "sim"]


def files(patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(ROOT, p), recursive=True)
    return sorted(set(out))


def includes(dirs):
    """(file, line number, top directory, included path) for every
    `#include <dir/...>` in the C files under dirs (a glob ending in .h or
    .c is taken as it is)."""
    out = []
    for path in files([d if d.endswith((".h", ".c")) else "%s/**/*.[ch]" % d for d in dirs]):
        rel = os.path.relpath(path, ROOT)
        for n, line in enumerate(open(path, errors="replace"), 1):
            m = INCLUDE.match(line)
            if m:
                out.append((rel, n, m.group(1), m.group(1) + "/" + m.group(2)))
    return out


def floor_errors():
    errors = []
    project = set(FLOORS) | {"hal", "tests", "boot", "tools"}
    for d, allowed in FLOORS.items():
        for rel, n, top, inc in includes([d]):
            if top != d and top in project and top not in allowed:
                errors.append("%s:%d: %s/ may not include %s (docs/layers.md: the floors)"
                              % (rel, n, d, inc))
    for rel, n, top, inc in includes(["sim"]):
        if top == "tests" and not inc.startswith("tests/host/"):
            errors.append("%s:%d: sim/ includes only tests/host/ of tests/: %s" % (rel, n, inc))
    for rel, n, top, inc in includes(["lib", "mm", "acpi", "topology", "workload", "kernel", "hal",
                                      "boot", "tests", "tools"]):
        if top == "sim" and not rel.startswith(("tests/fuzz/", "tests/sim/", "tools/")):
            errors.append("%s:%d: only the simulator's own tests and tools include sim/: %s"
                          % (rel, n, inc))
    for rel, n, top, inc in includes(["hal/*.h"]):
        if top not in ("lib", "arch") and not (top == "hal" and inc.count("/") == 1):
            errors.append("%s:%d: the HAL contract includes only lib/ and its arch/ header: %s"
                          % (rel, n, inc))
    for rel, n, top, inc in includes(["boot"]):
        arch_ok = top == "hal" and any(inc.startswith("hal/%s/" % a) for a in ARCHES)
        if top not in ("boot", "lib") and not arch_ok:
            errors.append("%s:%d: the loader includes only boot/, lib/ and its arch's hal/<arch>/ "
                          "encodings: %s" % (rel, n, inc))
    return errors


def include_graph():
    """{(from, to): [file:line ...]} between GRAPH_DIRS."""
    edges = {}
    for rel, n, top, inc in includes(GRAPH_DIRS):
        src = rel.split("/")[0]
        if top in GRAPH_DIRS and top != src:
            edges.setdefault((src, top), []).append("%s:%d %s" % (rel, n, inc))
    return edges


def cycles(edges):
    """Every elementary cycle among the directories (a few nodes: a plain
    depth-first search from each node, reporting cycles that start at their
    smallest node so each is listed once)."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    found = []

    def walk(start, node, path):
        for nxt in sorted(succ.get(node, [])):
            if nxt == start:
                found.append(path + [start])
            elif nxt not in path and nxt > start:
                walk(start, nxt, path + [nxt])

    for start in sorted(succ):
        walk(start, start, [start])
    return found


def graph(verbose):
    edges = include_graph()
    for (a, b), where in sorted(edges.items()):
        print("%-8s -> %-8s %3d include(s)" % (a, b, len(where)))
        if verbose:
            for w in where:
                print("    " + w)
    cyc = cycles(edges)
    for c in cyc:
        print("cycle: " + " -> ".join(c))
    print("graph: %d edge(s), %d cycle(s)" % (len(edges), len(cyc)))
    return 1 if cyc else 0


def lint():
    errors = floor_errors()
    for c in cycles(include_graph()):
        errors.append("include cycle between directories: %s (python3 tools/lint.py --graph -v)"
                      % " -> ".join(c))
    for path in files(["%s/**/*.[ch]" % d for d in NEUTRAL]):
        rel = os.path.relpath(path, ROOT)
        for n, line in enumerate(open(path, errors="replace"), 1):
            if ARCH_INCLUDE.search(line):
                errors.append("%s:%d: neutral code includes an arch header: %s" % (rel, n, line.strip()))
            if ARCH_MACRO.search(line):
                errors.append("%s:%d: neutral code tests an arch macro: %s" % (rel, n, line.strip()))
    for hdr in files(["hal/*.h"]):
        name = os.path.basename(hdr)
        for impl in ["hal/%s/arch/%s" % (a, name) for a in ARCHES] + ["tests/host/hal/arch/" + name]:
            uses_impl = "#include <arch/%s>" % name in open(hdr).read()
            if uses_impl and not os.path.exists(os.path.join(ROOT, impl)):
                errors.append("hal/%s: no implementation header %s" % (name, impl))
    for path in files(["%s/**/*.[chS]" % d for d in NEUTRAL + ["hal", "boot", "tools", "tests", "sim"]]):
        with open(path, errors="replace") as f:
            head = f.read(200)
        if "SPDX-License-Identifier" not in head and "/build/" not in path:
            errors.append("%s:1: no SPDX-License-Identifier line" % os.path.relpath(path, ROOT))
    errors += fp_simd_check()
    for e in errors:
        print(e)
    print("lint: %d problem(s)" % len(errors))
    return 1 if errors else 0


# FP/SIMD register operands in llvm-objdump's disassembly, per arch.
FP_SIMD = {"x86_64": re.compile(r"%[xyz]mm\d|%st\b|%mm\d"),
           "aarch64": re.compile(r"\b(v\d+\.|[qdsbh]\d+\b|fpcr|fpsr)")}


def fp_simd_check():
    """Functions of the built kernels that touch FP/SIMD registers."""
    errors = []
    for arch in ARCHES:
        elf = os.path.join(ROOT, "build", arch, "kernel.elf")
        if not os.path.exists(elf):
            errors.append("build/%s/kernel.elf: missing, so the FP/SIMD rule was not checked "
                          "(run `ninja lint`, which builds it first)" % arch)
            continue
        out = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", elf],
                             capture_output=True, text=True).stdout
        fn, bad = "?", set()
        for line in out.splitlines():
            m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
            if m:
                fn = m.group(1)
                continue
            ins = line.split("\t", 2)[-1] if "\t" in line else ""
            if ins and FP_SIMD[arch].search(ins) and not fn.startswith("fdt_"):
                bad.add(fn)
        errors += ["build/%s/kernel.elf: %s uses FP/SIMD registers (docs/sched.md: "
                   "kernel threads use general registers only)" % (arch, f) for f in sorted(bad)]
    return errors


def format_check(fix):
    srcs = [f for f in files(["%s/**/*.[ch]" % d for d in NEUTRAL + ["hal", "boot", "tools", "tests", "sim"]])]
    cmd = ["clang-format", "-i"] if fix else ["clang-format", "--dry-run", "-Werror"]
    p = subprocess.run(cmd + srcs, capture_output=True, text=True)
    bad = sorted({l.split(":")[0] for l in p.stderr.splitlines() if "error:" in l})
    for b in bad:
        print("format: %s differs from .clang-format (run `ninja format`)" % os.path.relpath(b, ROOT))
    print("format-check: %d of %d file(s) need formatting" % (len(bad), len(srcs)))
    return 1 if bad or (p.returncode and not fix) else 0


if __name__ == "__main__":
    if "--graph" in sys.argv:
        sys.exit(graph("-v" in sys.argv))
    if "--format" in sys.argv:
        sys.exit(format_check("--fix" in sys.argv))
    sys.exit(lint())
