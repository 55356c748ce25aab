#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Exported symbols of Cairn's own code that no other object uses.

Reads the objects of an existing build (run `ninja` first) with llvm-nm:
both kernels, the host tests and tools, the benchmarks and the fuzzers. A
global symbol defined in lib/ kernel/ mm/ acpi/ topology/ hal/ that no
object references is listed as one of:

  unused       nothing in the source tree names it outside its definition
               and declarations: remove it;
  file-local   only its own file uses it: make it static.

Symbols the linker script, assembly or the firmware reach by name (entry
points; `__stack_chk_*`, which libfdt.a calls) show up too; judge each line. Exit status 0 always: this
is a report, not a check.

Usage: python3 tools/unused-exports.py
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OWN = ("lib/", "kernel/", "mm/", "acpi/", "topology/", "hal/")
BUILDS = ["build/x86_64/obj", "build/aarch64/obj", "build/host/obj", "build/bench/obj",
          "build/fuzz/obj"]


def symbols():
    """({name: set of defining sources}, set of referenced names)."""
    defs, refs = {}, set()
    for b in BUILDS:
        base = os.path.join(ROOT, b)
        objs = [o for o in glob.glob(os.path.join(base, "**/*.o"), recursive=True)
                # skip stale objects of files that moved or went
                if os.path.exists(os.path.join(ROOT, os.path.relpath(o, base)[:-2]))]
        if not objs:
            continue
        out = subprocess.run(["llvm-nm", "--print-file-name"] + objs, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            path, _, rest = line.partition(": ")
            f = rest.split()
            src = os.path.relpath(path, base)[:-2]
            if len(f) == 3 and f[1] in "TDBR":
                defs.setdefault(f[2], set()).add(src)
            elif len(f) == 2 and f[0] == "U":
                refs.add(f[1])
    return defs, refs


def uses(name):
    """Files (not headers) naming `name`, and how often in each."""
    p = subprocess.run(["git", "grep", "-c", "-w", name, "--", "*.c", "*.S", "*.ld", "*.py"],
                       cwd=ROOT, capture_output=True, text=True)
    return {l.rsplit(":", 1)[0]: int(l.rsplit(":", 1)[1]) for l in p.stdout.splitlines()}


def main():
    defs, refs = symbols()
    if not defs:
        sys.exit("unused-exports: no objects under build/: run ninja first")
    n = 0
    for name in sorted(defs):
        srcs = sorted(s for s in defs[name] if s.startswith(OWN))
        if name in refs or not srcs:
            continue
        u = uses(name)
        others = {f: c for f, c in u.items() if f not in srcs}
        if others:
            continue  # named elsewhere (a linker script, a test build not scanned)
        kind = "file-local" if any(c > 1 for c in u.values()) else "unused"
        print("%-10s %-32s %s" % (kind, name, " ".join(srcs)))
        n += 1
    print("unused-exports: %d symbol(s)" % n)


if __name__ == "__main__":
    main()
