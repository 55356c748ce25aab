#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that the CI workflow's test matrix (.github/workflows/ci.yml) has
one row per group `tools/run-tests.py --list-groups` prints, and no row for
a group that does not exist, so a board group added to tools/boards.py
cannot silently go untested in CI (and a renamed one cannot leave a job
that runs nothing). Each group must also hold at least one job. Output is
KTAP ending in `N passed, N failed`.

usage: tests/boot/ci_matrix.py [--workflow FILE]
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from ktap import Ktap  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROW_RE = re.compile(r"^\s*-\s*group:\s*([\w.-]+)\s*$", re.M)


def run_tests(*args):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "run-tests.py")] + list(args),
                       capture_output=True, text=True, cwd=ROOT)
    return p.returncode, p.stdout.split()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workflow", default=os.path.join(ROOT, ".github", "workflows", "ci.yml"))
    args = ap.parse_args()
    rows = ROW_RE.findall(open(args.workflow).read())
    rc, groups = run_tests("--list-groups")
    results = [(rc == 0 and groups, "run-tests --list-groups names groups {%s}" % " ".join(groups)),
               (len(rows) == len(set(rows)), "no group has two rows {%s}" % " ".join(rows))]
    for g in groups:
        results.append((g in rows, "group %s has a matrix row" % g))
        n = run_tests("--list", "--group", g)[1]
        results.append((len(n) > 0, "group %s holds jobs {%d}" % (g, len(n))))
    for r in rows:
        if r not in groups:
            results.append((False, "matrix row %s names a group run-tests does not know" % r))
    tap = Ktap("ci-matrix/", plan=len(results))
    for ok, what in results:
        tap.check(what, ok)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
