#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ninja bench-sim: the simulator's speed (a benchmark, not a test).

For synthetic machines of 8, 64 and 512 CPUs, one run of the -O2
simulator (build/host/cairn-sim-core) with the eevdf policy on a
representative mixed workload sized to the machine (per CPU: two
run/sleep threads and half a periodic timer thread; a mutex shared by
a few), no trace and no files. Prints events per second of host time on
one core and simulated seconds per host second. The issue's target:
at least 1M events/s at 64 CPUs.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "host", "cairn-sim-core")
MACHINES = [(8, "pack:1 l3:1 core:4 pu:2"),
            (64, "pack:2 numa:2 l3:1 core:8 pu:2"),
            (512, "pack:8 numa:2 l3:2 core:8 pu:2")]


def workload(ncpu):
    return {"global": {"duration": 2},
            "tasks": {"worker": {"instance": 2 * ncpu, "loop": -1, "run": 700, "sleep": 500},
                      "periodic": {"instance": max(1, ncpu // 2), "loop": -1, "run": 2000,
                                   "timer": {"ref": "unique", "period": 10000}},
                      "locker": {"instance": 4, "loop": -1, "lock": "L", "run": 50,
                                 "unlock": "L", "sleep": 200}}}


def main():
    if not os.path.exists(BIN):
        sys.exit("bench-sim: %s missing: run ninja" % BIN)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for ncpu, topo in MACHINES:
            w = os.path.join(tmp, "w%d.json" % ncpu)
            json.dump(workload(ncpu), open(w, "w"))
            p = subprocess.run([BIN, "--topology", topo, "--workload", w, "--policy", "eevdf",
                                "--quiet", "--bench", "--trace-records", "0", "--sample-us", "0"],
                               capture_output=True, text=True)
            m = re.search(r"(\d+) events in ([\d.]+) s host: (\d+) events/s; ([\d.]+) s "
                          r"simulated: ([\d.]+)", p.stdout)
            if p.returncode or not m:
                sys.exit("bench-sim: %d CPUs: %s%s" % (ncpu, p.stdout, p.stderr))
            rows.append((ncpu, topo, int(m.group(1)), float(m.group(2)), int(m.group(3)),
                         float(m.group(5))))
    print("%5s  %-34s %12s %9s %14s %12s" % ("CPUs", "topology", "events", "CPU s",
                                             "events/s", "sim s/host s"))
    for ncpu, topo, ev, hs, eps, ratio in rows:
        print("%5d  %-34s %12d %9.3f %14d %12.3f" % (ncpu, '"%s"' % topo, ev, hs, eps, ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
