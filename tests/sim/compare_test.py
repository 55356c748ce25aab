#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The kernel's workload= runner against the simulator (docs/research.md,
"Comparing the kernel and the simulator"), on one board: TAP lines, then
"N passed, N failed".

1. tools/sched-compare on tests/sim/wl/small.json and events.json (every
   rt-app event type the phase interpreter, workload/interp.c, knows, in
   hand-shakes no timing can strand: a suspend or wait is always followed
   by its resume or signal, so the thread count does not depend on the
   host; -smp 4 as 2 sockets x 2 cores: two domain levels): every judged
   metric within its tolerance
   (-icount shift=0 on AArch64 and on q35-uboot, every metric judged; on
   the OVMF boards q35 and pc by default without icount, where only the
   thread counts are judged: shares, makespan, migration levels and idle
   episodes follow the host's scheduling of the vCPUs; `--icount on`
   judges them all, but one OVMF boot under icount is minutes).
2. A malformed workload file: the kernel names the file, line and column,
   finishes booting and exits 0.
3. A workload file missing from the ESP: a loader warning, a kernel error
   naming it, exit 0.

  tests/sim/compare_test.py --board virt|q35|q35-uboot [--icount auto|on|off] [--compare-only]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from ktap import Ktap  # noqa: E402
import boards  # noqa: E402  (tools/boards.py: the board table)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--board", default="virt")
    ap.add_argument("--icount", choices=("auto", "on", "off"), default="auto",
                    help="passed to tools/sched-compare (auto: on for AArch64 boards and "
                         "q35-uboot, off for the OVMF x86 boards)")
    ap.add_argument("--compare-only", action="store_true",
                    help="only the two comparisons, not the bad-input boots")
    a = ap.parse_args()
    default = boards.icount_by_default(a.board)  # sched-compare's auto
    icount = a.icount == "on" or (a.icount == "auto" and default)
    tmp = tempfile.mkdtemp(prefix="cairn-compare-")
    # Results are named by the board, and by the icount mode when it is not
    # the board's default.
    tap = Ktap("compare/%s%s/" % (a.board, "" if icount == default else
                                  "-icount" if icount else "-no-icount"))
    check = tap.check
    # A q35 or pc boot under icount is minutes of OVMF (docs/research.md).
    timeout = 900 if icount and not default else 120
    # Under icount: shares, levels, idle episodes, makespan and the two
    # thread counts (at least 7 with small.json's two tasks); without it,
    # the thread counts only.
    least = 7 if icount else 2

    for wl, what in (("small.json", ""), ("events.json", " (every event type)")):
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "sched-compare"),
                            "--board", a.board, "--workload", os.path.join(HERE, "wl", wl),
                            "--timeout", str(timeout), "--smp", "4,sockets=2,cores=2,threads=1",
                            "--icount", "on" if icount else "off",
                            "--out", os.path.join(tmp, wl[:-5])],
                           capture_output=True, text=True, timeout=timeout + 300)
        print("\n".join("# " + line for line in p.stdout.splitlines()))
        m = re.search(r"(\d+) of (\d+) metrics within tolerance", p.stdout)
        check("%s%s: kernel and simulator agree" % (wl, what), p.returncode == 0 and m and
              m.group(1) == m.group(2) and int(m.group(2)) >= least,
              "exit %d: %s" % (p.returncode, p.stdout[-300:]))
    if a.compare_only:
        return tap.done()

    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{\n  "tasks": {\n    "hog": { "run": 10, "bogus": 3 }\n  }\n}\n')
    log = os.path.join(tmp, "bad.log")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "cairn-run"), "--board",
                        a.board, "--timeout", "120", "--quiet", "--log", log, "--workload", bad,
                        "--", "-smp", "2"], capture_output=True, text=True, timeout=200)
    text = open(log, errors="replace").read() if os.path.exists(log) else ""
    ok = (p.returncode == 0 and "boot complete" in text and
          'workload: /cairn/bad.json:3:25: task "hog": unknown key "bogus"' in text)
    check("malformed workload: file:line:column named, boot completes, exit 0", ok,
          "exit %d, see %s" % (p.returncode, log))
    log = os.path.join(tmp, "missing.log")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "cairn-run"), "--board",
                        a.board, "--timeout", "120", "--quiet", "--log", log, "--cfg",
                        "file=/cairn/nothere.json", "--cmdline",
                        "workload=/cairn/nothere.json exit", "--", "-smp", "2"],
                       capture_output=True, text=True, timeout=200)
    text = open(log, errors="replace").read() if os.path.exists(log) else ""
    ok = (p.returncode == 0 and "file=/cairn/nothere.json: cannot read" in text and
          "workload: /cairn/nothere.json: the loader passed no such file" in text)
    check("missing workload file: loader warning, kernel error, exit 0", ok,
          "exit %d, see %s" % (p.returncode, log))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
