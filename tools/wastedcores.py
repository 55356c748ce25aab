#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs docs/research/wastedcores.json in the simulator with each Wasted
Cores bug of the fair balancer and without, on the Dell R820 of the corpus
(4 nodes) and a synthetic 8-node machine with 10/16/22 distances, prints
the table of docs/research.md and writes docs/research/wastedcores.svg.

  tools/wastedcores.py [--corpus DIR] [--out FILE.svg]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import matplotlib
except ImportError:  # Debian's python3-matplotlib is for /usr/bin/python3
    if os.path.exists("/usr/bin/python3") and sys.executable != "/usr/bin/python3":
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("wastedcores: matplotlib is missing (python3 configure.py installs it)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUGS = ["", "group_avg", "numa_onepov", "wake_busy_node"]
LINKS = {(0, 1), (0, 2), (0, 4), (1, 3), (1, 5), (2, 3), (2, 6), (3, 7), (4, 5), (4, 6), (5, 7), (6, 7)}


def distances():
    return ";".join(",".join(str(10 if i == j else 16 if (min(i, j), max(i, j)) in LINKS else 22)
                             for j in range(8)) for i in range(8))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "acpi-corpus"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "research", "wastedcores.svg"))
    a = ap.parse_args()
    machines = [("R820 (4 nodes, 80 CPUs)",
                 ["--topology", os.path.join(a.corpus, "Server-Dell-PowerEdge_R820-E5985CCBA349")]),
                ("synthetic 8 nodes x 8", ["--topology", "pack:8 numa:1 l3:1 core:8 pu:1",
                                           "--numa-distances", distances()])]
    res = {}
    tmp = tempfile.mkdtemp(prefix="wastedcores-")
    for mname, topo in machines:
        for bug in BUGS:
            out = os.path.join(tmp, "%s-%s" % (len(res), bug or "none"))
            cmd = [os.path.join(ROOT, "build", "host", "cairn-sim-core")] + topo + [
                "--workload", os.path.join(ROOT, "docs", "research", "wastedcores.json"),
                "--policy", "eevdf", "--out", out, "--quiet"] + (["--fair-bugs", bug] if bug else [])
            subprocess.run(cmd, check=True)
            m = json.load(open(os.path.join(out, "metrics.json")))
            res[(mname, bug or "none")] = (m["makespan_ns"] / 1e6, m["idle_while_runnable_ns"] / 1e6)
            print("%-26s %-15s makespan %8.1f ms  idle while runnable %8.1f ms" % (
                (mname, bug or "none") + res[(mname, bug or "none")]))
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "wastedcores"  # same bytes each run
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    for ax, k, title in ((axes[0], 0, "makespan (ms)"), (axes[1], 1, "idle while runnable (ms)")):
        for i, (mname, _) in enumerate(machines):
            xs = [i * (len(BUGS) + 1) + j for j in range(len(BUGS))]
            ax.bar(xs, [res[(mname, b or "none")][k] for b in BUGS],
                   color=["#4c72b0", "#dd8452", "#55a868", "#c44e52"])
        ax.set_xticks([1.5, 1.5 + len(BUGS) + 1])
        ax.set_xticklabels([m[0] for m in machines], fontsize=7)
        ax.set_title(title, fontsize=9)
    axes[1].legend([plt.Rectangle((0, 0), 1, 1, color=c) for c in
                    ["#4c72b0", "#dd8452", "#55a868", "#c44e52"]],
                   ["fixed"] + BUGS[1:], fontsize=7)
    fig.tight_layout()
    fig.savefig(a.out, metadata={"Date": None})
    print("wrote %s" % a.out)


if __name__ == "__main__":
    main()
