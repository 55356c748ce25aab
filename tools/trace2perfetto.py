#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn Cairn's scheduling trace (kernel option trace=sched) into a Chrome
trace-event JSON file that ui.perfetto.dev (or chrome://tracing) opens.

  tools/trace2perfetto.py LOG [OUT.json]      (OUT default: LOG + ".json")
  tools/trace2perfetto.py --run OUT.json CAIRN-RUN-ARGS...
      boots with tools/cairn-run CAIRN-RUN-ARGS (add trace=sched to its
      --cmdline), keeps the log in OUT.log and converts it to OUT.json:
      tools/trace2perfetto.py --run t.json --arch x86_64 \
          --cmdline "sched=eevdf trace=sched test=sched." -- -smp 4

LOG is a serial log holding the dump between
-----BEGIN CAIRN TRACE----- and -----END CAIRN TRACE----- (docs/trace.md).
The JSON has two processes:
  pid 1 "CPUs":    one track per CPU (tid = CPU number): what ran there
                   (a slice per thread run, "idle" slices from the
                   idle_enter/idle_exit records; an idle thread's own run
                   is not drawn twice) and instant events (wake-ups
                   targeted at it, marks);
  pid 2 "Threads": one track per thread (tid = thread id + 1): its runs
                   ("on CPU n"), and instants for create, wake-up, migrate
                   and exit.
Timestamps are microseconds from the first record (Chrome JSON's unit).
"""
import json
import os
import sys

BEGIN, END = "-----BEGIN CAIRN TRACE-----", "-----END CAIRN TRACE-----"
TYPES = ("switch", "wakeup", "migrate", "create", "exit", "idle_enter", "idle_exit", "mark")
PID_CPU, PID_THREAD = 1, 2


class TraceError(Exception):
    pass


def parse(text):
    """The dump in text -> (header dict, per-CPU stats, records sorted by time).
    A record is (ts_ns, cpu, type, tid, a, b, c)."""
    text = text.replace("\r", "")
    i = text.find(BEGIN)
    j = text.find(END, i + 1)
    if i < 0 or j < 0:
        raise TraceError("no trace between the markers (boot with trace=sched)")
    lines = [l.strip() for l in text[i + len(BEGIN):j].splitlines() if l.strip()]
    if not lines or not lines[0].startswith("cairn-trace 1 "):
        raise TraceError("unknown trace header %r" % (lines[0] if lines else ""))
    h = lines[0].split()
    header = dict(zip(h[2::2], h[3::2]))
    stats, recs = {}, []
    for n, l in enumerate(lines[1:], 2):
        f = l.split()
        if f[0] == "cpu":
            stats[int(f[1])] = {k: int(v) for k, v in zip(f[2::2], f[3::2])}
            continue
        if len(f) != 7 or f[2] not in TYPES + ("none",):
            raise TraceError("line %d of the trace: %r" % (n, l))
        recs.append((int(f[1]), int(f[0]), f[2], int(f[3]), int(f[4]), int(f[5]), int(f[6], 16)))
    recs.sort(key=lambda r: (r[0], r[1]))
    return header, stats, recs


def name_of(word):
    return word.to_bytes(8, "little").rstrip(b"\0").decode("ascii", "replace")


def is_idle(tid, names):
    """Thread 0, or a thread whose create record names it idle/N."""
    return tid == 0 or names.get(tid, "").startswith("idle")


def convert(header, stats, recs):
    t0 = recs[0][0] if recs else 0
    us = lambda ns: (ns - t0) / 1000.0
    ev = []
    names = {0: "idle"}
    cpus = sorted(set(stats) | {r[1] for r in recs})
    for r in recs:
        if r[2] == "create":
            names[r[3]] = name_of(r[6]) or "thread %d" % r[3]
    threads = sorted({r[3] for r in recs if r[2] != "mark"} |
                     {r[4] for r in recs if r[2] == "switch"})
    ev.append({"ph": "M", "pid": PID_CPU, "name": "process_name", "args": {"name": "CPUs"}})
    ev.append({"ph": "M", "pid": PID_THREAD, "name": "process_name", "args": {"name": "Threads"}})
    for c in cpus:
        ev.append({"ph": "M", "pid": PID_CPU, "tid": c, "name": "thread_name",
                   "args": {"name": "CPU %d" % c}})
        ev.append({"ph": "M", "pid": PID_CPU, "tid": c, "name": "thread_sort_index",
                   "args": {"sort_index": c}})
    for t in threads:
        ev.append({"ph": "M", "pid": PID_THREAD, "tid": t + 1, "name": "thread_name",
                   "args": {"name": "%s (%d)" % (names.get(t, "thread %d" % t), t)}})
    running = {}  # cpu -> (tid, since)
    idle = {}     # cpu -> since
    end = recs[-1][0] if recs else 0

    def close_run(cpu, ts):
        if cpu in running:
            tid, since = running.pop(cpu)
            n = names.get(tid, "thread %d" % tid)
            if not is_idle(tid, names):
                ev.append({"ph": "X", "pid": PID_CPU, "tid": cpu, "name": n, "ts": us(since),
                           "dur": (ts - since) / 1000.0, "args": {"tid": tid}})
            if tid:
                ev.append({"ph": "X", "pid": PID_THREAD, "tid": tid + 1, "name": "on CPU %d" % cpu,
                           "ts": us(since), "dur": (ts - since) / 1000.0})

    for ts, cpu, typ, tid, a, b, c in recs:
        if typ == "switch":
            close_run(cpu, ts)
            running[cpu] = (a, ts)
        elif typ == "idle_enter":
            idle[cpu] = ts
        elif typ == "idle_exit" and cpu in idle:
            since = idle.pop(cpu)
            ev.append({"ph": "X", "pid": PID_CPU, "tid": cpu, "name": "idle", "ts": us(since),
                       "dur": (ts - since) / 1000.0})
        elif typ == "mark":
            ev.append({"ph": "i", "s": "t", "pid": PID_CPU, "tid": cpu, "name": "mark", "ts": us(ts),
                       "args": {"tid": tid, "a": a, "b": b, "c": "%#x" % c}})
        else:
            args = {"cpu": cpu}
            if typ == "wakeup":
                args.update(target_cpu=a, waker=b)
                ev.append({"ph": "i", "s": "t", "pid": PID_CPU, "tid": a, "name": "wakeup %d" % tid,
                           "ts": us(ts), "args": {"tid": tid, "waker": b}})
            elif typ == "migrate":
                args.update(from_cpu=a, to_cpu=b)
            elif typ == "create":
                args.update(parent=a, name=names.get(tid))
            elif typ == "exit":
                args.update(code=a)
            ev.append({"ph": "i", "s": "t", "pid": PID_THREAD, "tid": tid + 1, "name": typ,
                       "ts": us(ts), "args": args})
    for cpu in list(running):
        close_run(cpu, end)
    for cpu, since in idle.items():
        ev.append({"ph": "X", "pid": PID_CPU, "tid": cpu, "name": "idle", "ts": us(since),
                   "dur": (end - since) / 1000.0})
    dropped = {str(c): s.get("dropped", 0) for c, s in stats.items()}
    return {"traceEvents": ev, "displayTimeUnit": "ns",
            "otherData": {"source": "cairn trace=sched", "format": header.get("cairn-trace", "1"),
                          "dropped_per_cpu": dropped}}


def boot(out, run_args):
    """tools/cairn-run run_args with the log in OUT.log; returns the log's path."""
    import subprocess
    log = os.path.splitext(out)[0] + ".log"
    run = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cairn-run")
    if "--" in run_args:
        i = run_args.index("--")
        run_args = run_args[:i] + ["--log", log] + run_args[i:]
    else:
        run_args = run_args + ["--log", log]
    rc = subprocess.run([sys.executable, run] + run_args).returncode
    if rc != 0:
        print("trace2perfetto: cairn-run exited with %d; converting what the log holds" % rc,
              file=sys.stderr)
    return log


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--run":
        out = sys.argv[2]
        log = boot(out, sys.argv[3:])
    elif len(sys.argv) in (2, 3) and not sys.argv[1].startswith("-"):
        log = sys.argv[1]
        out = sys.argv[2] if len(sys.argv) == 3 else log + ".json"
    else:
        sys.exit(__doc__)
    try:
        header, stats, recs = parse(open(log, errors="replace").read())
    except (OSError, TraceError, ValueError) as e:
        sys.exit("trace2perfetto: %s: %s" % (log, e))
    doc = convert(header, stats, recs)
    with open(out, "w") as f:
        json.dump(doc, f)
    ncpu = len({r[1] for r in recs})
    print("wrote %s: %d records from %d CPUs, %d events; open it in https://ui.perfetto.dev"
          % (out, len(recs), ncpu, len(doc["traceEvents"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
