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
4. A known workload (tests/kernel/sched_observe.c, observe.trace_workload)
   with trace=sched and sched.stats on 4 CPUs, x86_64 with eevdf and
   AArch64 with minimal: every event type present; per CPU, each switch
   out names the thread the previous switch put in; a migration is
   recorded on the CPU it goes to and starts from the CPU the thread last
   ran on; no thread runs before its create or after its exit; idle
   enter/exit alternate and name idle threads; the statistics agree with
   the trace (switches per CPU, migrations) and with the per-thread sums
   (switch-ins + re-picks, migrations by domain level); the JSON has a
   track per CPU and per thread.

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
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ktap import Ktap  # noqa: E402

RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs", "trace")
MAGIC = 0x7472616365746573


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
    # tid 0's own run (4000 .. 9000) is not drawn: the idle slice is.
    want = [(0, "alpha", 0.5, 3.0), (0, "idle", 3.5, 2.0), (1, "beta", 1.5, 7.0)]
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


STATS_BEGIN, STATS_END = "-----BEGIN CAIRN SCHED STATS-----", "-----END CAIRN SCHED STATS-----"
WORKLOAD = ("obs-ping", "obs-pong", "obs-walk")
IDLE_TAGS = ("idle_enter", "idle_exit")


def parse_stats(text):
    """The sched.stats block -> (cpu lines {cpu: {k: int}}, level lines [(cpu, {k: v})],
    threads {k: int}, watchdog {k: int})."""
    i = text.find(STATS_BEGIN)
    j = text.find(STATS_END, i + 1)
    if i < 0 or j < 0:
        return None
    cpus, levels, threads, wd = {}, [], {}, {}
    for line in text[i + len(STATS_BEGIN):j].replace("\r", "").splitlines():
        f = line.split()
        if len(f) > 2 and f[0] == "cpu" and f[2] == "level":
            # cpu C level L NAME key value ...
            levels.append((int(f[1]), dict(zip(f[5::2], f[6::2]), level=f[3], name=f[4])))
        elif f and f[0] == "cpu":
            cpus[int(f[1])] = {k: int(v) for k, v in zip(f[2::2], f[3::2])}
        elif f and f[0] == "threads":
            threads = {k: int(v) for k, v in zip(f[1::2], f[2::2])}
        elif f and f[0] == "watchdog":
            wd = {k: int(v) for k, v in zip(f[1::2], f[2::2])}
    return cpus, levels, threads, wd


def trace_problems(recs, names):
    """Independent checks of a scheduler trace: a list of problems (empty when consistent).
    recs sorted by time: (ts, cpu, type, tid, a, b, c)."""
    bad = []
    last_in = {}      # cpu -> tid switched in by the last switch record
    idle_state = {}   # cpu -> last idle record type
    ran_on = {}       # tid -> CPU of its last switch-in
    dead = {}         # tid -> ts of its exit record
    created = {}
    by_cpu = {}
    for r in recs:
        by_cpu.setdefault(r[1], []).append(r)
    for cpu, rs in by_cpu.items():
        for k in range(1, len(rs)):
            if rs[k][0] < rs[k - 1][0]:
                bad.append("cpu %d: time goes back at record %d" % (cpu, k))
                break
    for ts, cpu, typ, tid, a, b, c in recs:
        if typ == "create":
            created[tid] = ts
        elif typ == "switch":
            if cpu in last_in and last_in[cpu] != tid:
                bad.append("cpu %d at %d: switch out of %d, but %d was switched in" %
                           (cpu, ts, tid, last_in[cpu]))
            last_in[cpu] = a
            if a in dead:
                bad.append("thread %d switched in at %d after its exit" % (a, ts))
            if a in created and ts < created[a]:
                bad.append("thread %d switched in before its create" % a)
            if tid in dead and b != 2:
                bad.append("thread %d switched out after exit with state %d" % (tid, b))
            ran_on[a] = cpu
        elif typ == "migrate":
            if b != cpu:
                bad.append("migrate of %d recorded on cpu %d but to cpu %d" % (tid, cpu, b))
            if tid in ran_on and ran_on[tid] != a:
                bad.append("migrate of %d from cpu %d, but it last ran on %d" % (tid, a, ran_on[tid]))
        elif typ == "exit":
            dead[tid] = ts
            if last_in.get(cpu) != tid:
                bad.append("exit of %d on cpu %d where %s runs" % (tid, cpu, last_in.get(cpu)))
        elif typ in IDLE_TAGS:
            if idle_state.get(cpu) == typ:
                bad.append("cpu %d: two %s in a row" % (cpu, typ))
            idle_state[cpu] = typ
            if not names.get(tid, "").startswith("idle"):
                bad.append("cpu %d: %s of thread %d (%s)" % (cpu, typ, tid, names.get(tid)))
    return bad[:10]


def check_workload(tap, arch, policy):
    """Boot a known workload with trace=sched and sched.stats; check the trace, the
    statistics and the Perfetto JSON."""
    os.makedirs(LOGDIR, exist_ok=True)
    log = os.path.join(LOGDIR, "%s-workload.log" % arch)
    cmd = ("sched=%s trace=sched trace.size=65536 sched.stats test=observe.trace_workload" % policy)
    p = subprocess.run([sys.executable, RUN, "--arch", arch, "--cmdline", cmd, "--timeout", "300",
                        "--quiet", "--log", log, "--", "-smp", "4"], capture_output=True, text=True)
    text = open(log, errors="replace").read() if os.path.exists(log) else ""
    name = "%s workload (sched=%s)" % (arch, policy)
    if not tap.check("%s: boots, the workload passes" % name, p.returncode == 0,
                     "exit %d, see %s" % (p.returncode, log)):
        return
    try:
        header, stats, recs = tp.parse(text)
    except tp.TraceError as e:
        tap.check("%s: trace parses" % name, False, str(e))
        return
    names = {r[3]: tp.name_of(r[6]) for r in recs if r[2] == "create"}
    tap.check("%s: no record dropped" % name, all(s["dropped"] == 0 for s in stats.values()), str(stats))
    types = {r[2] for r in recs}
    want = {"switch", "wakeup", "migrate", "create", "exit", "idle_enter", "idle_exit"}
    tap.check("%s: every event type present" % name, want <= types, "missing %s" % (want - types))
    tids = {n: t for t, n in names.items()}
    tap.check("%s: the workload's threads created" % name, all(w in tids for w in WORKLOAD),
              str(sorted(names.values())))
    bad = trace_problems(recs, names)
    tap.check("%s: trace consistent (switch chains, migrations, lifetimes, idle)" % name,
              not bad, "; ".join(bad))
    walk = tids.get("obs-walk")
    migr = {r[5] for r in recs if r[2] == "migrate" and r[3] == walk}
    tap.check("%s: obs-walk migrated to every CPU" % name, migr >= {0, 1, 2, 3} - {0} and len(migr) >= 3,
              "to %s" % sorted(migr))
    ends = [r for r in recs if r[3] in (tids.get(w) for w in WORKLOAD) and r[2] == "exit"]
    tap.check("%s: the workload's threads exited" % name, len(ends) == 3, str(ends))
    st = parse_stats(text)
    if not tap.check("%s: sched.stats printed" % name, st is not None, "no stats block"):
        return
    cpus, levels, threads, wd = st
    tap.check("%s: stats for 4 CPUs" % name, sorted(cpus) == [0, 1, 2, 3], str(sorted(cpus)))
    per_cpu = {c: sum(1 for r in recs if r[1] == c and r[2] == "switch") for c in cpus}
    tap.check("%s: per-CPU switches = the trace's switch records" % name,
              all(cpus[c]["switches"] == per_cpu[c] for c in cpus),
              "stats %s trace %s" % ({c: cpus[c]["switches"] for c in cpus}, per_cpu))
    sw = sum(v["switch_in"] + v["repick"] for v in cpus.values())
    tap.check("%s: sum of per-CPU switch-ins and re-picks = sum over threads" % name,
              sw == threads.get("switches"), "cpus %d threads %s" % (sw, threads))
    mig = sum(int(v["migrations"]) for _, v in levels) + sum(v["migrate_far"] for v in cpus.values())
    nmig = sum(1 for r in recs if r[2] == "migrate")
    tap.check("%s: migrations by level = over threads = the trace's" % name,
              mig == threads.get("migrations") == nmig,
              "levels %d threads %s trace %d" % (mig, threads.get("migrations"), nmig))
    up = max(1, int(text[text.find("uptime_ns"):].split()[1]) if "uptime_ns" in text else 1)
    tap.check("%s: idle time, run-queue lengths plausible" % name,
              all(0 < v["idle_ns"] <= up and v["rq_max"] >= v["rq_now"] and
                  v["rq_avg_milli"] <= 1000 * v["rq_max"] for v in cpus.values()), str(cpus))
    out = log + ".json"
    q = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "trace2perfetto.py"), log, out],
                       capture_output=True, text=True)
    if not tap.check("%s: trace2perfetto converts it" % name, q.returncode == 0, q.stderr):
        return
    doc = json.load(open(out))
    tap.check("%s: JSON: a track per CPU" % name, sorted(track_names(doc, tp.PID_CPU)) == [0, 1, 2, 3])
    th = track_names(doc, tp.PID_THREAD)
    seen = {r[4] for r in recs if r[2] == "switch"} | {r[3] for r in recs if r[2] == "switch"}
    tap.check("%s: JSON: a track per thread, the workload's named" % name,
              all(t + 1 in th for t in seen) and
              all(th.get(tids[w] + 1) == "%s (%d)" % (w, tids[w]) for w in WORKLOAD),
              "missing %s" % sorted(t for t in seen if t + 1 not in th)[:10])


def main():
    tap = Ktap("trace/")
    check_hand(tap)
    check_errors(tap)
    if "--no-qemu" not in sys.argv:
        for arch in ("x86_64", "aarch64"):
            check_qemu(tap, arch)
        # Each arch with another fair policy.
        for arch, policy in (("x86_64", "eevdf"), ("aarch64", "minimal")):
            check_workload(tap, arch, policy)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
