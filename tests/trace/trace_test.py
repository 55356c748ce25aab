#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the scheduling trace (docs/trace.md): TAP lines, then
"N passed, N failed".

1. The converter (tools/trace2perfetto.py) on a dump written here by hand:
   the JSON loads (python json module), has one track per CPU and per
   thread with the names from the create records, run slices with the
   durations the switch records imply, idle slices and instants.
2. Malformed dumps get a clear error, not a traceback.
3. End to end on both arches: boot with `trace=sched test=trace.` on 4
   CPUs; the in-kernel test records synthetic events on every CPU; the
   dump printed at exit converts, and every CPU's track holds its 20 marks
   per round in order (two rounds; the wrap test overwrites the first round
   on its own CPU).

  tests/trace/trace_test.py [--no-qemu]
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import trace2perfetto as tp  # noqa: E402

RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs", "trace")
MAGIC = 0x7472616365746573


class Tap:
    def __init__(self):
        self.n = self.passed = self.failed = 0

    def check(self, name, ok, detail=""):
        self.n += 1
        if ok:
            self.passed += 1
            print("ok %d trace/%s" % (self.n, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d trace/%s # %s" % (self.n, name, detail), flush=True)
        return ok


def word(s):
    return int.from_bytes(s.encode().ljust(8, b"\0")[:8], "little")


# CPU 0 runs "alpha" (7) from 1000 to 4000 ns, then idles to 6000; CPU 1
# runs "beta" (8) from 2000 to the end (9000); 7 wakes 8 and migrates.
HAND = """noise before
-----BEGIN CAIRN TRACE-----
cairn-trace 1 cpus 2 record-bytes 32 clock ns
cpu 0 written 6 dropped 0 size 16
0 500 create 7 0 0 %x
0 1000 switch 0 7 0 0
0 1500 wakeup 8 1 7 0
0 4000 switch 7 0 1 0
0 4000 idle_enter 0 0 0 0
0 6000 idle_exit 0 0 0 0
cpu 1 written 4 dropped 2 size 16
1 600 create 8 0 0 %x
1 2000 switch 0 8 0 0
1 3000 migrate 8 0 1 0
1 9000 mark 8 1 2 %x
-----END CAIRN TRACE-----
after
""" % (word("alpha"), word("beta"), MAGIC)


def track_names(doc, pid):
    return {e["tid"]: e["args"]["name"] for e in doc["traceEvents"]
            if e["ph"] == "M" and e["name"] == "thread_name" and e["pid"] == pid}


def check_hand(tap):
    doc = json.loads(json.dumps(tp.convert(*tp.parse(HAND))))
    ev = doc["traceEvents"]
    tap.check("hand: JSON has traceEvents", isinstance(ev, list) and len(ev) > 0)
    tap.check("hand: one track per CPU", track_names(doc, tp.PID_CPU) == {0: "CPU 0", 1: "CPU 1"},
              str(track_names(doc, tp.PID_CPU)))
    th = track_names(doc, tp.PID_THREAD)
    tap.check("hand: one track per thread, named from create", th.get(8) == "alpha (7)" and
              th.get(9) == "beta (8)" and th.get(1) == "idle (0)", str(th))
    runs = sorted((e["tid"], e["name"], e["ts"], e["dur"]) for e in ev
                  if e["ph"] == "X" and e["pid"] == tp.PID_CPU)
    want = [(0, "alpha", 0.5, 3.0), (0, "idle", 3.5, 2.0), (0, "idle", 3.5, 5.0), (1, "beta", 1.5, 7.0)]
    tap.check("hand: run and idle slices on the CPU tracks", runs == want, "%s != %s" % (runs, want))
    tr = sorted((e["tid"], e["name"], e["ts"]) for e in ev if e["pid"] == tp.PID_THREAD and e["ph"] != "M")
    tap.check("hand: thread tracks: runs and instants",
              (8, "on CPU 0", 0.5) in tr and (9, "on CPU 1", 1.5) in tr and (9, "migrate", 2.5) in tr and
              (9, "wakeup", 1.0) in tr and (8, "create", 0.0) in tr, str(tr))
    tap.check("hand: dropped counts kept", doc["otherData"]["dropped_per_cpu"] == {"0": 0, "1": 2})


def check_errors(tap):
    for name, text in (("no markers", "nothing"),
                       ("bad header", "-----BEGIN CAIRN TRACE-----\nxyz\n-----END CAIRN TRACE-----"),
                       ("bad line", HAND.replace("1000 switch 0 7 0 0", "1000 switch 0 7"))):
        try:
            tp.parse(text)
            ok, detail = False, "accepted"
        except tp.TraceError as e:
            ok, detail = "trace" in str(e) or "line" in str(e), str(e)
        tap.check("errors: %s is refused with a message" % name, ok, detail)


def check_qemu(tap, arch):
    os.makedirs(LOGDIR, exist_ok=True)
    log = os.path.join(LOGDIR, "%s.log" % arch)
    p = subprocess.run([sys.executable, RUN, "--arch", arch, "--cmdline", "trace=sched test=trace.",
                        "--timeout", "240", "--quiet", "--log", log, "--", "-smp", "4"],
                       capture_output=True, text=True)
    text = open(log, errors="replace").read() if os.path.exists(log) else p.stderr
    if not tap.check("%s: boots, in-kernel trace tests pass" % arch, p.returncode == 0,
                     "exit %d, see %s" % (p.returncode, log)):
        return
    out = log + ".json"
    q = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace2perfetto.py"), log, out],
                       capture_output=True, text=True)
    if not tap.check("%s: trace2perfetto converts the dump" % arch, q.returncode == 0, q.stderr):
        return
    doc = json.load(open(out))
    cpus = track_names(doc, tp.PID_CPU)
    tap.check("%s: a track for each of the 4 CPUs" % arch, sorted(cpus) == [0, 1, 2, 3], str(cpus))
    ok, detail = True, ""
    for c in range(4):
        a = [e["args"]["a"] for e in doc["traceEvents"] if e["ph"] == "i" and e["pid"] == tp.PID_CPU
             and e["tid"] == c and e["name"] == "mark" and e["args"]["c"] == "%#x" % MAGIC]
        # Two rounds of 20; the wrap test overwrites its own CPU's first.
        if not a or len(a) % 20 or a != list(range(20)) * (len(a) // 20):
            ok, detail = False, "CPU %d marks %s" % (c, a)
    tap.check("%s: every CPU's marks in order (rounds of 20)" % arch, ok, detail)
    th = track_names(doc, tp.PID_THREAD)
    tap.check("%s: thread tracks named from create records" % arch,
              all(th.get(1000 + c + 1) == "ttest (%d)" % (1000 + c) for c in range(4)), str(th))


def main():
    tap = Tap()
    check_hand(tap)
    check_errors(tap)
    if "--no-qemu" not in sys.argv:
        for arch in ("x86_64", "aarch64"):
            check_qemu(tap, arch)
    print("%d passed, %d failed" % (tap.passed, tap.failed))
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
