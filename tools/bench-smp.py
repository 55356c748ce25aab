#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SMP boot-time benchmark: time from kernel entry to all CPUs online.

Boots each arch with -smp 1, 2, 4, ..., 64 (`exit` on the command line) and
reads the kernel's line "smp: N of N CPUs online, T us after kernel entry
(S us in smp_init)": T counts from the first line of kernel_main to the
moment smp_init() saw the last CPU online, S is the part spent in smp_init.
Prints a table of both. The growth check uses S (T - S, memory and paging
set-up and timer calibration, does not depend on the CPU count but jitters
by more than S under TCG): the cost per added CPU of each doubling must not
rise beyond 3x the earlier ones (see linear_ok). Each point is the median
of --runs boots; every point boots the same copy of the kernel.

  tools/bench-smp.py [--arch x86_64|aarch64|both] [--max 64] [--runs 3]
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "run_scale", os.path.join(os.path.dirname(os.path.abspath(__file__)), "run-scale.py"))
run_scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_scale)

EXTRA = {"x86_64": [], "aarch64": ["-machine", "virt,gic-version=3", "-m", "2G"]}
NOISE_US = 20000  # TCG: allowed jitter per point


def measure(arch, cpus, runs, kernel):
    """Median (us after kernel entry, us in smp_init) over runs, or None."""
    vals, starts = [], []
    for r in range(runs):
        rc, text, took, log = run_scale.boot("bench-%s-smp%d-%d" % (arch, cpus, r), arch, cpus,
                                             EXTRA[arch], 600, kernel=kernel)
        got = run_scale.online_line(text)
        if rc != 0 or not got or got[0] != cpus:
            print("# %s -smp %d: boot failed (exit %d), see %s" % (arch, cpus, rc, log))
            return None
        vals.append(got[2])
        starts.append(got[3])
    return int(statistics.median(vals)), int(statistics.median(starts))


def linear_ok(points):
    """points: [(cpus, us)] for 1, 2, 4, ...  The cost per added CPU of each
    doubling, (t(2n) - t(n)) / n, is constant for linear growth and grows
    with n for anything worse. Fails if the last doubling's cost per CPU
    exceeds three times the median of the earlier ones (TCG jitter of
    NOISE_US allowed)."""
    if len(points) < 3:
        return True, "too few points"
    costs = [(n2, max(0.0, (t2 - t1) / n1)) for (n1, t1), (n2, t2) in zip(points, points[1:])]
    earlier = statistics.median(c for _, c in costs[:-1])
    last_n, last = costs[-1]
    half = last_n // 2
    ok = last <= 3 * earlier + NOISE_US / half
    desc = ", ".join("%d: %.0f" % (n, c) for n, c in costs)
    return ok, "us per added CPU at each doubling: " + desc


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="both", choices=["x86_64", "aarch64", "both"])
    ap.add_argument("--max", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    arches = ["x86_64", "aarch64"] if args.arch == "both" else [args.arch]
    counts = []
    n = 1
    while n <= args.max:
        counts.append(n)
        n *= 2
    table = {a: [] for a in arches}
    # The same kernel for every point, even if the tree is rebuilt meanwhile.
    tmp = tempfile.mkdtemp(prefix="cairn-bench-")
    kernels = {}
    for a in arches:
        kernels[a] = os.path.join(tmp, a + ".elf")
        shutil.copyfile(os.path.join(run_scale.ROOT, "build", a, "kernel.elf"), kernels[a])
    for a in arches:
        for c in counts:
            got = measure(a, c, args.runs, kernels[a])
            if got is not None:
                table[a].append((c, got[0], got[1]))
            print("# %s -smp %d: %s us (entry, smp_init)" % (a, c, got), flush=True)
    print()
    print("| CPUs | " + " | ".join("%s: entry to all online (ms) | %s: in smp_init (ms)" % (a, a)
                                   for a in arches) + " |")
    print("| ---: | " + " | ".join("---: | ---:" for _ in arches) + " |")
    for c in counts:
        row = []
        for a in arches:
            v = {p[0]: p for p in table[a]}.get(c)
            row.append("%.1f | %.1f" % (v[1] / 1000, v[2] / 1000) if v else "failed | failed")
        print("| %d | %s |" % (c, " | ".join(row)))
    shutil.rmtree(tmp, ignore_errors=True)
    status = 0
    for a in arches:
        # The check uses the smp_init time: the part before it (memory and
        # paging set-up, calibration) does not depend on the CPU count but
        # jitters by far more than the start-up costs under TCG.
        ok, why = linear_ok([(p[0], p[2]) for p in table[a]])
        print("%s: growth %s (%s)" % (a, "at most linear" if ok else "SUPER-LINEAR", why))
        status |= 0 if ok and len(table[a]) == len(counts) else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
