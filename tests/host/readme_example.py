#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that README.md's "Adding a test" example works as written.

Takes the first C block under "## Adding a test" and the file name, host
filter and kernel filter the text around it gives, then: the block opens
with an SPDX line (ninja lint), is clang-format clean (ninja
format-check), compiles for the host (with the test binary's flags) and for
both kernels, and, linked into a copy of the host test binary, runs at
least one case whose name the README's filter selects, all passing.
Output is KTAP ending in `N passed, N failed`.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def section(text):
    m = re.search(r"^## Adding a test\n(.*?)(?=^## )", text, re.M | re.S)
    return m.group(1) if m else ""


def ninja_vars(build):
    """Variables and the host test binary's inputs from build.ninja."""
    v, inputs = {}, []
    for line in build.splitlines():
        m = re.match(r"^(\w+) = (.*)$", line)
        if m:
            v[m.group(1)] = m.group(2)
        if line.startswith("build build/host/tests: hostlink "):
            inputs = line.split()[3:]
    return v, inputs


def expand(s, v):
    return re.sub(r"\$(\w+)", lambda m: v.get(m.group(1), ""), s)


def main():
    sec = section(open(os.path.join(ROOT, "README.md")).read())
    code = re.search(r"```c\n(.*?)```", sec, re.S)
    path = re.search(r"`(tests/unit/\w+\.c)`", sec)
    host_filter = re.search(r"`build/host/tests (\S+)`", sec)
    kernel_filter = re.search(r"--cmdline test=(\S+?)`", sec)
    results = []

    def check(name, ok, detail=""):
        results.append((name, bool(ok), detail))
        return ok

    if not check("README has the example, its path and filters",
                 code and path and host_filter and kernel_filter,
                 "code %s path %s filters %s %s" % (bool(code), path, host_filter, kernel_filter)):
        return report(results)
    src, fname = code.group(1), path.group(1)
    hf, kf = host_filter.group(1), kernel_filter.group(1)
    check("host and kernel filters agree", hf == kf, "%s vs %s" % (hf, kf))
    check("SPDX line first (ninja lint)", src.startswith("// SPDX-License-Identifier: "))
    fmt = subprocess.run(["clang-format", "--style=file", "--assume-filename=" + fname],
                         input=src, capture_output=True, text=True, cwd=ROOT)
    check("clang-format clean (ninja format-check)", fmt.returncode == 0 and fmt.stdout == src,
          "clang-format would change it")
    build = open(os.path.join(ROOT, "build.ninja")).read()
    v, inputs = ninja_vars(build)
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, os.path.basename(fname))
        open(c, "w").write(src)
        obj = c + ".o"
        cc = subprocess.run(["clang"] + shlex.split(expand(v["hostcflags"], v)) + ["-c", c, "-o", obj],
                            capture_output=True, text=True, cwd=ROOT)
        if not check("compiles for the host", cc.returncode == 0, cc.stderr[-500:]):
            return report(results)
        for arch in ("x86_64", "aarch64"):
            kc = subprocess.run(["clang"] + shlex.split(expand(v["kflags_" + arch], v))
                                + ["-c", c, "-o", obj + "." + arch],
                                capture_output=True, text=True, cwd=ROOT)
            check("compiles for the %s kernel" % arch, kc.returncode == 0, kc.stderr[-500:])
        exe = os.path.join(tmp, "tests")
        ld = subprocess.run(["clang", obj] + inputs + ["-o", exe] +
                            shlex.split(expand(v["hostldflags"], v)),
                            capture_output=True, text=True, cwd=ROOT)
        if not check("links into the host test binary", ld.returncode == 0, ld.stderr[-500:]):
            return report(results)
        run = subprocess.run([exe, hf], capture_output=True, text=True, cwd=ROOT, timeout=300)
        cases = re.findall(r"^\s*(ok|not ok) \d+ (\S+)", run.stdout, re.M)
        check("`build/host/tests %s` runs the example's cases, all passing" % hf,
              cases and all(r == "ok" and n.startswith(hf) for r, n in cases) and run.returncode == 0,
              "exit %d, cases %s" % (run.returncode, cases))
    return report(results)


def report(results):
    print("KTAP version 1")
    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        if not ok and detail:
            print("# " + detail.replace("\n", "\n# "))
        print("%s %d readme.%s" % ("ok" if ok else "not ok", i, re.sub(r"\s+", "_", name)))
    failed = sum(not ok for _, ok, _ in results)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
