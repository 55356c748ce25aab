#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's structural lint (ninja lint) and format check (ninja format-check).

lint:
  - neutral code (kernel/ mm/ acpi/ topology/ tests/unit/) includes no
    per-arch header (hal/<arch>/..., <arch/...>) and tests no arch macro;
  - every HAL header hal/X.h has an implementation header
    hal/<arch>/arch/X.h for every arch, and a host stand-in
    tests/host/hal/arch/X.h;
  - every C/asm source starts with an SPDX line;
  - the FP/SIMD rule (docs/sched.md): no function of a built kernel uses an
    FP/SIMD register, except Debian's prebuilt libfdt (fdt_*), which the
    kernel calls only at boot, before any thread switch.
--format: clang-format --dry-run over all C sources (--fix rewrites them).
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARCHES = ["x86_64", "aarch64"]
NEUTRAL = ["kernel", "mm", "acpi", "topology", "tests/unit"]
ARCH_MACRO = re.compile(r"\b(__x86_64__|__amd64__|__i386__|__aarch64__|__arm__|__ARM_ARCH\w*|_M_X64|_M_ARM64)\b")
ARCH_INCLUDE = re.compile(r'#\s*include\s*[<"](hal/(x86_64|aarch64)/|arch/)')


def files(patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(ROOT, p), recursive=True)
    return sorted(set(out))


def lint():
    errors = []
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
    for path in files(["%s/**/*.[chS]" % d for d in NEUTRAL + ["hal", "boot", "tools", "tests"]]):
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
    srcs = [f for f in files(["%s/**/*.[ch]" % d for d in NEUTRAL + ["hal", "boot", "tools", "tests"]])]
    cmd = ["clang-format", "-i"] if fix else ["clang-format", "--dry-run", "-Werror"]
    p = subprocess.run(cmd + srcs, capture_output=True, text=True)
    bad = sorted({l.split(":")[0] for l in p.stderr.splitlines() if "error:" in l})
    for b in bad:
        print("format: %s differs from .clang-format (run `ninja format`)" % os.path.relpath(b, ROOT))
    print("format-check: %d of %d file(s) need formatting" % (len(bad), len(srcs)))
    return 1 if bad or (p.returncode and not fix) else 0


if __name__ == "__main__":
    if "--format" in sys.argv:
        sys.exit(format_check("--fix" in sys.argv))
    sys.exit(lint())
