#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Wasted Cores reproduction in the simulator (docs/research.md,
"Reproducing The Linux Scheduler: a Decade of Wasted Cores"): each bug of the
fair balancer on a workload of the shape the paper describes for it, against
the fixed policy on the same workload, on the Dell R820 of the corpus (4
sockets in a ring: nodes two hops apart) and a synthetic 8-node machine with
10/16/22 distances. Prints the table of docs/research.md, writes the
workloads it ran (docs/research/wc-*-MACHINE.json) and
docs/research/wastedcores.svg.

Workloads, built from the machine's nodes (CPU numbers as the simulator
numbers them, read from --print-topology):
  group_avg      Group Imbalance: one nice -20 thread ("R") pinned to the
                 first CPU of the last node, plus a make-like burst of
                 CPU-bound threads (n x 40 ms, n/2 x 90 ms, 3n/8 x 150 ms
                 for n CPUs) started on CPU 0. Compared by average load,
                 R's node looks loaded and its other CPUs stay idle.
  numa_onepov    Scheduling Group Construction: 2 threads per CPU of node
                 a, pinned to nodes a and b, two hops apart but both
                 neighbours of node 0 (so CPU 0's groups put them together);
                 they start on node a (a first phase pinned there) and run
                 300 ms each. Groups built from CPU 0's view hide a from b.
  wake_busy_node Overload on Wake-up: docs/research/wastedcores.json (R
                 pinned to CPU 0 and 120 threads that run 4 ms, sleep
                 0.5 ms): wake-ups kept on the waker's busy node.

  tools/wastedcores.py [--corpus DIR] [--out FILE.svg]
"""
import argparse
import json
import os
import re
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
SIM = os.path.join(ROOT, "build", "host", "cairn-sim-core")
BUGS = ["group_avg", "numa_onepov", "wake_busy_node"]
LINKS = {(0, 1), (0, 2), (0, 4), (1, 3), (1, 5), (2, 3), (2, 6), (3, 7), (4, 5), (4, 6), (5, 7), (6, 7)}


def distances():
    return ";".join(",".join(str(10 if i == j else 16 if (min(i, j), max(i, j)) in LINKS else 22)
                             for j in range(8)) for i in range(8))


def machine_nodes(topo):
    """Node -> CPU numbers (the simulator's: hwloc's P#) and the distance
    matrix, from the simulator's own --print-topology."""
    p = subprocess.run([SIM] + topo + ["--workload", os.path.join(ROOT, "tests", "sim", "wl", "small.json"),
                                       "--policy", "eevdf", "--print-topology", "--quiet"],
                       capture_output=True, text=True, check=True)
    nodes, cur, dist = [], None, []
    lines = p.stdout.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*NUMANode L#\d+", line):
            cur = []
            nodes.append(cur)
        m = re.search(r"PU L#\d+ \(P#(\d+)\)", line)
        if m and cur is not None:
            cur.append(int(m.group(1)))
        if line.startswith("NUMA distances"):
            rows = [r.split() for r in lines[i + 2:i + 2 + len(nodes)]]
            dist = [[int(x) for x in r[1:]] for r in rows]
    return nodes, dist


def wl_group(nodes):
    n = sum(len(c) for c in nodes)
    return {"global": {"duration": -1}, "tasks": {
        "R": {"instance": 1, "priority": -20, "cpus": [nodes[-1][0]], "loop": 1, "run": 100000},
        "cc1": {"instance": n, "loop": 1, "run": 40000},
        "cc2": {"instance": n // 2, "loop": 1, "run": 90000},
        "cc3": {"instance": 3 * n // 8, "loop": 1, "run": 150000}}}


def onepov_pair(dist):
    """Two nodes at the largest distance that are both nearest neighbours of
    node 0: CPU 0's view puts them into one group at the top level."""
    near = min(d for j, d in enumerate(dist[0]) if j)
    nb = [j for j, d in enumerate(dist[0]) if j and d == near]
    pairs = [(dist[a][b], a, b) for a in nb for b in nb if a < b]
    _, a, b = max(pairs)
    return a, b


def wl_numa(nodes, dist):
    a, b = onepov_pair(dist)
    return {"global": {"duration": -1}, "tasks": {"app": {
        "instance": 2 * len(nodes[a]), "loop": 1, "phases": {
            "spawn": {"cpus": nodes[a], "run": 100},
            "work": {"cpus": sorted(nodes[a] + nodes[b]), "run": 300000}}}}}, (a, b)


def run(topo, wl, bug, tmp, tag):
    out = os.path.join(tmp, "%s-%s" % (tag, bug or "fixed"))
    cmd = [SIM] + topo + ["--workload", wl, "--policy", "eevdf", "--out", out, "--quiet"]
    subprocess.run(cmd + (["--fair-bugs", bug] if bug else []), check=True)
    m = json.load(open(os.path.join(out, "metrics.json")))
    return m["makespan_ns"] / 1e6, m["idle_while_runnable_ns"] / 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(
        os.environ.get("CAIRN_SHARED", os.path.join(ROOT, "..", "shared")), "acpi-corpus"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "research", "wastedcores.svg"))
    a = ap.parse_args()
    machines = [("R820", "Dell R820 (4 nodes, 80 CPUs)",
                 ["--topology", os.path.join(a.corpus, "Server-Dell-PowerEdge_R820-E5985CCBA349")]),
                ("syn8", "synthetic 8 nodes x 8", ["--topology", "pack:8 numa:1 l3:1 core:8 pu:1",
                                                  "--numa-distances", distances()])]
    tmp = tempfile.mkdtemp(prefix="wastedcores-")
    res = {}
    print("%-30s %-15s %21s %27s" % ("machine", "bug", "makespan ms fixed/bug",
                                      "idle-while-runnable ms"))
    for tag, mname, topo in machines:
        nodes, dist = machine_nodes(topo)
        numa, pair = wl_numa(nodes, dist)
        wls = {"group_avg": wl_group(nodes), "numa_onepov": numa}
        files = {"wake_busy_node": os.path.join(ROOT, "docs", "research", "wastedcores.json")}
        for bug, w in wls.items():
            files[bug] = os.path.join(ROOT, "docs", "research", "wc-%s-%s.json" % (bug, tag))
            with open(files[bug], "w") as f:
                json.dump(w, f, indent=1)
                f.write("\n")
        for bug in BUGS:
            fixed = run(topo, files[bug], "", tmp, tag + bug)
            buggy = run(topo, files[bug], bug, tmp, tag + bug)
            res[(tag, bug)] = (fixed, buggy)
            note = " (nodes %d+%d)" % pair if bug == "numa_onepov" else ""
            ratio = "x%.1f" % (buggy[1] / fixed[1]) if fixed[1] >= 1 else "from ~0"
            print("%-30s %-15s %9.1f / %9.1f  %11.1f / %11.1f  %s%s" % (
                mname, bug, fixed[0], buggy[0], fixed[1], buggy[1], ratio, note))
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "wastedcores"  # same bytes each run
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.4))
    for ax, k, title in ((axes[0], 0, "makespan (ms)"), (axes[1], 1, "idle while runnable (ms)")):
        labels, xs = [], []
        for i, (tag, mname, _) in enumerate(machines):
            for j, bug in enumerate(BUGS):
                x = i * 7 + j * 2
                fixed, buggy = res[(tag, bug)]
                ax.bar([x, x + 0.8], [fixed[k], buggy[k]], width=0.8, color=["#4c72b0", "#c44e52"])
                labels.append("%s\n%s" % (tag, bug))
                xs.append(x + 0.4)
        ax.set_xticks(xs)
        ax.set_xticklabels(labels, fontsize=6)
        ax.set_title(title, fontsize=9)
    axes[1].legend([plt.Rectangle((0, 0), 1, 1, color=c) for c in ["#4c72b0", "#c44e52"]],
                   ["fixed policy", "bug variant"], fontsize=7)
    fig.tight_layout()
    fig.savefig(a.out, metadata={"Date": None})
    print("wrote %s" % a.out)


if __name__ == "__main__":
    main()
