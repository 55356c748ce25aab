#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU topology matrix: boot Cairn with `topo=all` under QEMU configurations
and compare what the kernel reports with what the QEMU options imply.

The expectation is computed from the options themselves (-smp sockets /
dies / clusters / cores / threads, -numa node / dist / hmat-lb, memory
backends), so a new configuration is one line in CONFIGS. For each run:
  - the kernel's hwloc XML loads in lstopo, which draws the expected PUs;
  - packages, dies, clusters, cores, PUs (and x86 L2/L3 caches) match;
  - NUMA nodes: numbers, CPUs (QEMU CPU index = Cairn CPU number), memory;
  - the distance matrix (QEMU's SLIT / distance-map; 10/20 if none given);
  - HMAT latency / bandwidth from every hmat-lb option;
  - build/host/topo rebuilds the same text from the kernel's dump of its
    tables and CPUID (ACPI), or from QEMU's own DTB (`dumpdtb`, acpi=off);
  - the scheduling domains (`sched.domains`): each CPU's levels, spans,
    groups, flags and distances, from the -smp / -numa options by the rules
    of docs/sched-domains.md.
Prints one TAP line per check and ends with "N passed, N failed".

Each run also leaves a host-test fixture in build/topology-fixtures/<name>/
(the kernel's dump or QEMU's DTB, the kernel's text, the expectation), which
tests/host/topology_qemu.c checks the host build against.

  tests/topology/matrix.py [--all] [--only SUBSTRING] [--list] [--keep DIR]
                           [--fixtures DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import extract  # noqa: E402
sys.path.insert(0, os.path.join(HERE, ".."))
from ktap import Ktap  # noqa: E402

RUN = os.path.join(ROOT, "tools", "cairn-run")
TOPO = os.path.join(ROOT, "build", "host", "topo")

MEM3 = ("-m 2G -object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=512M "
        "-object memory-backend-ram,id=m2,size=512M ")
ASYM3 = ("-numa dist,src=0,dst=1,val=21 -numa dist,src=1,dst=0,val=31 -numa dist,src=0,dst=2,val=41 "
         "-numa dist,src=2,dst=0,val=41 -numa dist,src=1,dst=2,val=51 -numa dist,src=2,dst=1,val=61")
# Asymmetric in a cycle: 0->1, 1->2, 2->0 are 15, the reverse 30 (each
# node's first NUMA level holds a different neighbour).
CYCLE3 = ("-numa dist,src=0,dst=1,val=15 -numa dist,src=1,dst=0,val=30 -numa dist,src=1,dst=2,val=15 "
          "-numa dist,src=2,dst=1,val=30 -numa dist,src=2,dst=0,val=15 -numa dist,src=0,dst=2,val=30")
HMAT = ("-numa hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-latency,latency=10 "
        "-numa hmat-lb,initiator=0,target=1,hierarchy=memory,data-type=access-latency,latency=20 "
        "-numa hmat-lb,initiator=0,target=2,hierarchy=memory,data-type=access-latency,latency=50 "
        "-numa hmat-lb,initiator=1,target=1,hierarchy=memory,data-type=access-latency,latency=10 "
        "-numa hmat-lb,initiator=0,target=0,hierarchy=memory,data-type=access-bandwidth,bandwidth=200M "
        "-numa hmat-lb,initiator=0,target=2,hierarchy=memory,data-type=access-bandwidth,bandwidth=100M")

# (name, arch, QEMU options, in the default suite?)
CONFIGS = [
    ("x86-s2-d2-c2-t2", "x86_64", "-smp 16,sockets=2,dies=2,cores=2,threads=2 -cpu Skylake-Server", True),
    ("x86-numa3-asym-memonly-hmat", "x86_64",
     "-machine q35,hmat=on -smp 4,sockets=2,cores=1,threads=2 -cpu Skylake-Server " + MEM3 +
     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1 "
     "-numa node,nodeid=2,memdev=m2,initiator=0 " + ASYM3 + " " + HMAT, True),
    ("a64-s2-cl2-c2-numa3-asym", "aarch64",
     "-smp 8,sockets=2,clusters=2,cores=2,threads=1 " + MEM3 +
     "-numa node,nodeid=0,cpus=0-3,memdev=m0 -numa node,nodeid=1,cpus=4-7,memdev=m1 "
     "-numa node,nodeid=2,memdev=m2 " + ASYM3, True),
    ("a64-dt-s2-cl2-c2-numa3", "aarch64",
     "-machine virt,acpi=off -smp 8,sockets=2,clusters=2,cores=2,threads=1 " + MEM3 +
     "-numa node,nodeid=0,cpus=0-3,memdev=m0 -numa node,nodeid=1,cpus=4-7,memdev=m1 "
     "-numa node,nodeid=2,memdev=m2 " + ASYM3, True),
    # --all adds these
    ("x86-smp1", "x86_64", "", False),
    ("x86-smp4-qemu64", "x86_64", "-smp 4", False),
    ("x86-s4-c3", "x86_64", "-smp 12,sockets=4,cores=3,threads=1 -cpu Skylake-Server", False),
    ("x86-64cpu-s4-d2-c4-t2", "x86_64", "-smp 64,sockets=4,dies=2,cores=4,threads=2 -cpu Skylake-Server", False),
    ("x86-s1-d4-c2-t1", "x86_64", "-smp 8,sockets=1,dies=4,cores=2,threads=1 -cpu Skylake-Server", False),
    ("x86-numa2-nodist", "x86_64",
     "-smp 4 -m 1G -object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M "
     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1", False),
    ("x86-numa-split-package", "x86_64",
     "-smp 4,sockets=2,cores=2 -m 1G -object memory-backend-ram,id=m0,size=512M "
     "-object memory-backend-ram,id=m1,size=512M "
     "-numa node,nodeid=0,cpus=0-2,memdev=m0 -numa node,nodeid=1,cpus=3,memdev=m1", False),
    ("x86-numa3-cycle", "x86_64",
     "-smp 6,sockets=3,cores=2 -cpu Skylake-Server -m 3G -object memory-backend-ram,id=m0,size=1G "
     "-object memory-backend-ram,id=m1,size=1G -object memory-backend-ram,id=m2,size=1G "
     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1 "
     "-numa node,nodeid=2,cpus=4-5,memdev=m2 " + CYCLE3, False),
    ("a64-smp1", "aarch64", "", False),
    ("a64-s2-c2-t2", "aarch64", "-smp 8,sockets=2,cores=2,threads=2", True),
    ("a64-s1-cl4-c2", "aarch64", "-smp 8,sockets=1,clusters=4,cores=2,threads=1", False),
    ("a64-hmat", "aarch64",
     "-machine virt,hmat=on -smp 4,sockets=2,cores=2 " + MEM3 +
     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1 "
     "-numa node,nodeid=2,memdev=m2,initiator=0 " + ASYM3 + " " + HMAT, False),
    ("a64-dt-smp4", "aarch64", "-machine virt,acpi=off -smp 4", False),
    ("a64-dt-s2-c2-t2", "aarch64", "-machine virt,acpi=off -smp 8,sockets=2,cores=2,threads=2", False),
    # AMD models (caches from the legacy leaves under TCG) and one-node
    # machines (the node's memory is the memory map's usable memory).
    ("x86-epyc-s2-c4", "x86_64", "-smp 8,sockets=2,cores=4 -cpu EPYC", True),
    ("a64-s1-cl2-c2", "aarch64", "-smp 4,sockets=1,clusters=2,cores=2", True),
    ("x86-epyc-s1-c6-2g", "x86_64", "-smp 6,sockets=1,cores=6 -cpu EPYC -m 2G", False),
    ("x86-epyc-rome-s2-c3", "x86_64", "-smp 6,sockets=2,cores=3 -cpu EPYC-Rome", False),
    ("x86-epyc-milan-s1-c8", "x86_64", "-smp 8,sockets=1,cores=8 -cpu EPYC-Milan", False),
    ("x86-opteron-g5-s4-c2", "x86_64", "-smp 8,sockets=4,cores=2 -cpu Opteron_G5", False),
    ("x86-epyc-numa2", "x86_64",
     "-smp 4,sockets=2,cores=2 -cpu EPYC -m 1G -object memory-backend-ram,id=m0,size=512M "
     "-object memory-backend-ram,id=m1,size=512M "
     "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1", False),
    ("a64-dt-s1-cl2-c2", "aarch64", "-machine virt,acpi=off -smp 4,sockets=1,clusters=2,cores=2", False),
    # Raspberry Pi 3 (QEMU raspi3b through U-Boot, its own device tree, no
    # cpu-map): 4 Cortex-A53 cores sharing one L2. Without a cpu-map each
    # CPU is a core of the package of its NUMA node (topology/fdt.c, as
    # Linux's store_cpu_topology()): one package of four cores, what the
    # -smp 4 expectation says. About 20 s (one U-Boot boot from the SD card).
    ("rpi3-smp4", "aarch64", "-smp 4", True),
]
# Rows that boot a board of tools/boards.py other than the arch's default
# (cairn-run --board); their expectation comes from BOARD_FACTS.
ROW_BOARD = {"rpi3-smp4": "raspi3b"}
# What a board is, where the QEMU options do not say: its CPU model's caches
# and the memory QEMU gives the CPUs. raspi3b: 1 GiB less the VideoCore's
# 64 MiB (QEMU's vcram-size default) = 960 MiB. Its caches as the board's
# tree describes them (bcm2837-rpi-3-b.dtb: L1 d 32 KiB / 128 sets, i
# 32 KiB / 256 sets, 64-byte lines: 4 and 2 ways; l2-cache0 512 KiB / 512
# sets: 16 ways), which the kernel prefers to the registers
# (docs/topology.md). QEMU's cortex-a53 CCSIDRs (target/arm/cpu64.c,
# aarch64_a53_initfn) give the same L1s but a 1024 KiB L2 (0x707fe07a:
# 1024 sets x 16 ways x 64 bytes): the tree is the board's own word.
BOARD_FACTS = {
    "raspi3b": {"cpu_model": "cortex-a53", "mem": 960 << 20,
                "caches": {"L1Cache": (32, 4, "core"), "L1iCache": (32, 2, "core"),
                           "L2Cache": (512, 16, "cluster")}},
}

# The caches of QEMU 7.2's CPU models (target/i386/cpu.c epyc*_cache_info and
# the legacy AMD cache info for Opteron_G5; target/arm/cpu64.c cortex-a72's
# CCSIDR values): hwloc type -> (size KiB, ways, who shares it). Sharing:
# Linux 6.1 under TCG (no TopologyExtensions) puts L3 per socket
# (amd_detect_cmp: llc_id = package ID) and L1/L2 per CPU = per core with one
# thread; on AArch64 Cairn assumes L1 per core and the last level per cluster.
CPU_CACHES = {
    "EPYC": {"L1Cache": (32, 8, "core"), "L1iCache": (64, 4, "core"),
             "L2Cache": (512, 8, "core"), "L3Cache": (8192, 16, "package")},
    "EPYC-Rome": {"L1Cache": (32, 8, "core"), "L1iCache": (32, 8, "core"),
                  "L2Cache": (512, 8, "core"), "L3Cache": (16384, 16, "package")},
    "EPYC-Milan": {"L1Cache": (32, 8, "core"), "L1iCache": (32, 8, "core"),
                   "L2Cache": (512, 8, "core"), "L3Cache": (32768, 16, "package")},
    "Opteron_G5": {"L1Cache": (64, 2, "core"), "L1iCache": (64, 2, "core"),
                   "L2Cache": (512, 16, "core"), "L3Cache": (16384, 16, "package")},
    "cortex-a72": {"L1Cache": (32, 2, "core"), "L1iCache": (48, 3, "core"),
                   "L2Cache": (1024, 16, "cluster")},
}
# One node without SRAT: its memory is the memory map's usable memory, which
# is -m less what the firmware keeps (OVMF/AAVMF keep about 10 MiB at 1G).
FIRMWARE_SLACK = 32 << 20

SIZE_SUFFIX = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def size(s):
    s = s.strip()
    if s and s[-1].upper() in SIZE_SUFFIX:
        return int(float(s[:-1]) * SIZE_SUFFIX[s[-1].upper()])
    return int(s)


def kv(opt):
    """'a,b=1,c=2' -> (['a'], {'b': '1', 'c': '2'}); repeated keys -> lists."""
    pos, d = [], {}
    for part in opt.split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            d.setdefault(k, []).append(v)
        elif d and "cpus" in d and re.match(r"^\d+(-\d+)?$", part):
            d["cpus"].append(part)  # cpus=0-1,3 continuation
        else:
            pos.append(part)
    return pos, d


def cpu_list(specs):
    out = set()
    for s in specs:
        a, _, b = s.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def expected(arch, opts, board=None):
    """What the QEMU options imply (QEMU 7.2 rules), and for a board row
    what the board is (BOARD_FACTS)."""
    facts = BOARD_FACTS.get(board, {})
    args = opts.split()
    pairs = [(args[i], args[i + 1]) for i in range(len(args) - 1) if args[i].startswith("-")]
    e = {"arch": arch}
    smp = [v for k, v in pairs if k == "-smp"]
    pos, d = kv(smp[-1]) if smp else (["1"], {})
    g = lambda k, default=None: int(d[k][-1]) if k in d else default
    threads, dies, clusters = g("threads", 1), g("dies", 1), g("clusters", 1)
    cpus, sockets, cores = (int(pos[0]) if pos else g("cpus")), g("sockets"), g("cores")
    if sockets is None and cores is None:
        sockets = 1  # QEMU >= 6.2 prefers cores
    if cores is None:
        cores = (cpus or sockets * threads) // (sockets * dies * clusters * threads)
    if sockets is None:
        sockets = cpus // (dies * clusters * cores * threads)
    cpus = cpus or sockets * dies * clusters * cores * threads
    e["smp"] = {"threads": threads, "cores": cores, "clusters": clusters, "dies": dies}
    e["levels"] = {"Package": sockets, "Die": sockets * dies if dies > 1 else 0,
                   "Group": sockets * clusters if clusters > 1 else 0,
                   "Core": sockets * dies * clusters * cores, "PU": cpus}
    if arch == "x86_64" and "Skylake" in opts:
        e["caches"] = {"L3Cache": sockets * dies, "L2Cache": sockets * dies * cores}
    cpu = [v for k, v in pairs if k == "-cpu"]
    model = cpu[-1] if cpu else ("cortex-a72" if arch == "aarch64" else "qemu64")
    model = facts.get("cpu_model", model)
    e["cpu_model"] = model
    caches = facts.get("caches", CPU_CACHES.get(model))
    e["board_caches"] = "caches" in facts
    e["cache_table"] = caches
    if caches:
        per = {"core": sockets * dies * clusters * cores, "cluster": sockets * dies * clusters,
               "package": sockets * dies}
        e["cache_sizes"] = {t: (per[share], kib << 10, ways)
                            for t, (kib, ways, share) in caches.items()}
    backends = {}
    for k, v in pairs:
        if k == "-object" and v.startswith("memory-backend"):
            _, o = kv(v)
            backends[o["id"][0]] = size(o["size"][0])
    nodes, dist, hmat = {}, {}, {}
    for k, v in pairs:
        if k != "-numa":
            continue
        pos, o = kv(v)
        if pos[0] == "node":
            n = int(o["nodeid"][0])
            nodes[n] = {"cpus": cpu_list(o.get("cpus", [])),
                        "mem": backends.get(o.get("memdev", [""])[0], 0)}
        elif pos[0] == "dist":
            dist[(int(o["src"][0]), int(o["dst"][0]))] = int(o["val"][0])
        elif pos[0] == "hmat-lb" and o["hierarchy"][0] == "memory":
            key = (int(o["initiator"][0]), int(o["target"][0]))
            if o["data-type"][0] == "access-latency":
                hmat.setdefault("Latency", {})[key] = int(o["latency"][0])
            elif o["data-type"][0] == "access-bandwidth":
                hmat.setdefault("Bandwidth", {})[key] = size(o["bandwidth"][0]) >> 20
    if not nodes:
        mem = [size(v) for k, v in pairs if k == "-m"]
        nodes = {0: {"cpus": set(range(cpus)),
                     "mem": facts.get("mem", mem[-1] if mem else 1 << 30),
                     "slack": FIRMWARE_SLACK}}
    e["nodes"] = nodes
    ids = sorted(nodes)
    m = {}
    for a in ids:
        for b in ids:
            if a == b:
                m[(a, b)] = dist.get((a, b), 10)
            elif dist:
                m[(a, b)] = dist.get((a, b), dist.get((b, a)))
            else:
                m[(a, b)] = 20  # no SLIT / distance-map: Cairn assumes 20
    e["dist"] = m if len(ids) > 1 else {}
    e["hmat"] = hmat
    return e


def cpu_coords(e, i):
    """QEMU CPU index -> (socket, die, cluster, core, thread): threads vary
    fastest, then cores, clusters, dies (QEMU 7.2's numbering, both arches)."""
    s = e["smp"]
    t = i % s["threads"]
    co = i // s["threads"] % s["cores"]
    cl = i // (s["threads"] * s["cores"]) % s["clusters"]
    di = i // (s["threads"] * s["cores"] * s["clusters"]) % s["dies"]
    pk = i // (s["threads"] * s["cores"] * s["clusters"] * s["dies"])
    return pk, di, cl, co, t


def expected_domains(e):
    """Per CPU, the scheduling domains the QEMU options imply (the rules of
    docs/sched-domains.md, computed from the options alone): a list of
    (name, span, distance, flags, groups), groups in printed order."""
    s, n = e["smp"], e["levels"]["PU"]
    node_of = {c: nd for nd, v in e["nodes"].items() for c in v["cpus"]}
    dist = lambda a, b: e["dist"].get((a, b), 10) if e["dist"] else 10
    co = [cpu_coords(e, i) for i in range(n)]
    same = lambda k: lambda a, b: co[a][:k] == co[b][:k]
    # LLC: Skylake's CPUID leaf 4 has L3 per die; the models of CPU_CACHES
    # (AMD legacy leaves, AArch64 CLIDR/CCSIDR) share their last level as
    # that table says; otherwise no cache data reaches Cairn and the
    # package stands in (flagged LLC_ASSUMED).
    skylake = e["arch"] == "x86_64" and "caches" in e
    model = e.get("cpu_model")
    known = skylake or model in CPU_CACHES or e.get("board_caches", False)
    if skylake:
        llc = same(2)
    elif known:
        table = e["cache_table"]
        last = max(table, key=lambda t: t[:2])  # "L3Cache" > "L2Cache" > "L1..."
        llc = {"package": same(2), "cluster": same(3), "core": same(4)}[table[last][2]]
    else:
        llc = same(1)
    levels = [("SMT", same(4))]
    if s["clusters"] > 1:
        levels.append(("CLS", same(3)))
    llc_lv, die_lv = ("LLC", llc), ("DIE", same(2))
    if s["dies"] > 1:
        inside = all(llc(a, b) for a in range(n) for b in range(n) if same(2)(a, b))
        larger = any(llc(a, b) and not same(2)(a, b) for a in range(n) for b in range(n))
        levels += [die_lv, llc_lv] if inside and larger else [llc_lv, die_lv]
    else:
        levels.append(llc_lv)
    levels.append(("PKG", same(1)))
    cpu_nodes = sorted({node_of[c] for c in range(n)})
    dists = sorted({dist(a, b) for a in cpu_nodes for b in cpu_nodes})
    raw = []  # (name, distance threshold or None, span of cpu c)
    for name, rel in levels:
        raw.append((name, None, [frozenset(b for b in range(n) if rel(c, b) and node_of[b] == node_of[c])
                                 for c in range(n)]))
    for i, d in enumerate(dists):
        raw.append(("NUMA" if i else "NODE", d,
                    [frozenset(b for b in range(n) if node_of[b] == node_of[c] or
                               dist(node_of[c], node_of[b]) <= d) for c in range(n)]))
    for k in range(1, len(raw)):  # nesting: widen to the level below
        for c in range(n):
            if not raw[k - 1][2][c] <= raw[k][2][c]:
                raw[k][2][c] = raw[k][2][c] | raw[k - 1][2][c]
    out = {}
    for c in range(n):
        chain, prev = [], frozenset([c])
        for k, (name, _, spans) in enumerate(raw):
            span = spans[c]
            if span == prev:
                continue
            below = (lambda i: frozenset([i])) if k == 0 else (lambda i, k=k: raw[k - 1][2][i])
            groups, covered = [below(c) & span], below(c) & span
            for i in sorted(span):
                if i not in covered:
                    g = (below(i) & span) - covered
                    groups.append(g)
                    covered |= g
            firsts = sorted(groups, key=min)
            j = firsts.index(groups[0])
            order = firsts[j:] + firsts[:j]
            flags = []
            if span <= raw[0][2][c]:
                flags.append("SHARE_CPU")
            llc_span = frozenset(b for b in range(n) if llc(c, b) and node_of[b] == node_of[c])
            if span <= llc_span:
                flags.append("SHARE_LLC")
                if not known:
                    flags.append("LLC_ASSUMED")
            if any(node_of[b] != node_of[c] for b in span):
                flags.append("NUMA")
            d = max(dist(node_of[c], node_of[b]) for b in span)
            chain.append((name, span, d, "|".join(flags) or "0", [sorted(g) for g in order]))
            prev = span
        out[c] = chain
    return out


def cpulist(text):
    out = set()
    for part in filter(None, text.split(",")):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def parse_domains(text):
    """The kernel's sched.domains text -> the shape of expected_domains()."""
    out, cur = {}, None
    for line in (text or "").splitlines():
        m = re.match(r"^CPU(\d+) attaching (NULL )?sched-domain", line)
        if m:
            cur = out.setdefault(int(m.group(1)), [])
            continue
        m = re.match(r"^\s+domain-\d+: span=(\S+) level=(\S+) distance=(\d+) flags=(\S+)", line)
        if m and cur is not None:
            cur.append((m.group(2), frozenset(cpulist(m.group(1))), int(m.group(3)), m.group(4), []))
            continue
        m = re.match(r"^\s+groups: (.*)$", line)
        if m and cur:
            cur[-1][4].extend(sorted(cpulist(g)) for g in re.findall(r"\{ span=(\S+) \}", m.group(1)))
    return out


def compare_domains(tap, name, e, text):
    want, got = expected_domains(e), parse_domains(text)
    bad = [c for c in sorted(want) if want[c] != got.get(c)]
    detail = ""
    if bad:
        c = bad[0]
        detail = "CPU%d: expected %s, kernel says %s" % (
            c, [(d[0], sorted(d[1]), d[2], d[3], d[4]) for d in want[c]],
            [(d[0], sorted(d[1]), d[2], d[3], d[4]) for d in got.get(c, [])])
    tap.check(name + ": scheduling domains (levels, spans, groups, flags, distances)",
              text is not None and not bad and sorted(got) == sorted(want),
              detail or "no sched.domains text" if text is None else detail)


def bits(s):
    return int("".join(p[2:] for p in s.split(",")), 16) if s and s != "0x0" else 0


def cpuset(s):
    v, out, i = bits(s), set(), 0
    while v:
        if v & 1:
            out.add(i)
        v >>= 1
        i += 1
    return out


def actual(xml_text):
    root = ET.fromstring(xml_text)
    objs = list(root.iter("object"))
    a = {"levels": {}, "caches": {}, "nodes": {}, "dist": {}, "hmat": {}, "cache_sizes": {}}
    for t in ["L1Cache", "L1iCache", "L2Cache", "L3Cache"]:
        c = [o for o in objs if o.get("type") == t]
        if c:
            a["cache_sizes"][t] = (len(c), {int(o.get("cache_size")) for o in c},
                                   {int(o.get("cache_associativity")) for o in c})
    for t in ["Package", "Die", "Group", "Core", "PU", "L3Cache", "L2Cache"]:
        n = sum(1 for o in objs if o.get("type") == t)
        (a["caches"] if "Cache" in t else a["levels"])[t] = n
    gp = {}
    for o in objs:
        if o.get("type") == "NUMANode":
            n = int(o.get("os_index"))
            a["nodes"][n] = {"cpus": cpuset(o.get("cpuset")), "mem": int(o.get("local_memory", 0))}
            gp[o.get("gp_index")] = n
    for d in root.iter("distances2"):
        idx = [int(x) for x in d.find("indexes").text.split()]
        vals = [int(x) for x in d.find("u64values").text.split()]
        for i, x in enumerate(idx):
            for j, y in enumerate(idx):
                a["dist"][(x, y)] = vals[i * len(idx) + j]
    for m in root.iter("memattr"):
        for v in m.iter("memattr_value"):
            init = cpuset(v.get("initiator_cpuset"))
            src = [n for n, nd in a["nodes"].items() if nd["cpus"] == init]
            key = (src[0] if src else -1, gp.get(v.get("target_obj_gp_index")))
            a["hmat"].setdefault(m.get("name"), {})[key] = int(v.get("value"))
    return a


def compare(tap, name, e, a):
    tap.check(name + ": levels " + str(e["levels"]), a["levels"] == e["levels"],
              "kernel says %s" % a["levels"])
    if "caches" in e:
        got = {k: a["caches"][k] for k in e["caches"]}
        tap.check(name + ": caches " + str(e["caches"]), got == e["caches"], "kernel says %s" % got)
    if "cache_sizes" in e:
        want = {t: (n, {sz}, {w}) for t, (n, sz, w) in e["cache_sizes"].items()}
        tap.check(name + ": cache counts, sizes and ways " + str(e["cache_sizes"]),
                  a["cache_sizes"] == want, "kernel says %s" % a["cache_sizes"])
    en = {n: sorted(v["cpus"]) for n, v in e["nodes"].items()}
    an = {n: sorted(v["cpus"]) for n, v in a["nodes"].items()}
    tap.check(name + ": NUMA nodes and their CPUs", en == an, "expected %s, kernel says %s" % (en, an))
    bad = [(n, v["mem"], a["nodes"].get(n, {}).get("mem")) for n, v in e["nodes"].items()
           if not (v["mem"] - v.get("slack", 0) - (1 << 20) <= a["nodes"].get(n, {}).get("mem", -1 << 40)
                   <= v["mem"] + (1 << 20))]
    tap.check(name + ": NUMA node memory", not bad, "(node, expected, kernel): %s" % bad)
    tap.check(name + ": distances", a["dist"] == e["dist"],
              "expected %s, kernel says %s" % (sorted(e["dist"].items()), sorted(a["dist"].items())))
    for attr, vals in e["hmat"].items():
        got = a["hmat"].get(attr, {})
        tap.check(name + ": HMAT " + attr, got == vals, "expected %s, kernel says %s" % (vals, got))


def boot(arch, opts, log, board=None):
    where = ["--board", board] if board else ["--arch", arch]
    cmd = [sys.executable, RUN] + where + ["--cmdline", "exit topo=all sched.domains", "--timeout",
                                           "240", "--quiet", "--log", log, "--"] + opts.split()
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        text = open(log, errors="replace").read()
    except FileNotFoundError:
        text = p.stderr
    return p.returncode, text


RPI_DTB = os.path.join(ROOT, "build", "deps", "rpi", "bcm2837-rpi-3-b.dtb")


def uses_dtb(opts, board):
    return "acpi=off" in opts or board == "raspi3b"


def host_src(opts, tmp, board=None):
    dump = os.path.join(tmp, "dump.txt")
    return [os.path.join(tmp, "qemu.dtb"), dump] if uses_dtb(opts, board) else [dump]


def host_text(arch, opts, parts, tmp, board=None):
    """build/host/topo on the kernel's dump, or on QEMU's DTB for acpi=off
    (the board's own tree for raspi3b: QEMU loads it with -dtb)."""
    if board == "raspi3b":
        # The tree the kernel got is U-Boot's copy, whose memory node U-Boot
        # sets from the VideoCore's answer (960 MiB, BOARD_FACTS): the same
        # edit here, through dtc.
        subprocess.run("dtc -q -I dtb -O dts %s | sed -e '/memory@0 {/,/};/s/reg = <0x00 "
                       "0x40000000>/reg = <0x00 0x%x>/' | dtc -q -I dts -O dtb -o %s -" % (
                           RPI_DTB, BOARD_FACTS["raspi3b"]["mem"], os.path.join(tmp, "qemu.dtb")),
                       shell=True, capture_output=True)
    elif "acpi=off" in opts:
        dtb = os.path.join(tmp, "qemu.dtb")
        cmd = ["qemu-system-aarch64", "-machine", "virt", "-cpu", "cortex-a72", "-m", "1G", "-nographic"]
        cmd += opts.split() + ["-machine", "dumpdtb=" + dtb]
        subprocess.run(cmd, capture_output=True)
    src = os.path.join(tmp, "dump.txt")
    open(src, "w").write(parts["dump.txt"] or "")
    srcs = [os.path.join(tmp, "qemu.dtb"), src] if uses_dtb(opts, board) else [src]
    p = subprocess.run([TOPO, "--quiet"] + srcs, capture_output=True, text=True)
    return p.stdout


def expect_lines(e):
    """The expectation as simple lines for tests/host/topology_qemu.c."""
    lv = e["levels"]
    out = ["levels %d %d %d %d %d" % (lv["Package"], lv["Die"], lv["Group"], lv["Core"], lv["PU"])]
    if "caches" in e:
        out.append("caches %d %d" % (e["caches"]["L3Cache"], e["caches"]["L2Cache"]))
    for t, (n, sz, ways) in sorted(e.get("cache_sizes", {}).items()):
        out.append("cache %s %d %d %d" % (t, n, sz, ways))
    for n, v in sorted(e["nodes"].items()):
        out.append("node %d %d %s %d" % (n, v["mem"], ",".join(map(str, sorted(v["cpus"]))) or "-",
                                         v.get("slack", 0)))
    for (a, b), v in sorted(e["dist"].items()):
        out.append("dist %d %d %d" % (a, b, v))
    for attr, vals in sorted(e["hmat"].items()):
        for (i, t), v in sorted(vals.items()):
            out.append("%s %d %d %d" % ("lat" if attr == "Latency" else "bw", i, t, v))
    return "\n".join(out) + "\n"


def save_fixture(name, arch, opts, parts, tmp, fixtures):
    """Generated host-test fixture: the kernel's inputs, its text, the
    expectation from the QEMU options (tests/host/topology_qemu.c)."""
    d = os.path.join(fixtures, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    open(os.path.join(d, "options"), "w").write("%s %s\n" % (arch, opts))
    open(os.path.join(d, "expect.txt"), "w").write(expect_lines(expected(arch, opts)))
    open(os.path.join(d, "kernel.txt"), "w").write(parts["topology.txt"] or "")
    m = re.search(r"^Cairn (\S+) \(", open(os.path.join(tmp, name + ".log"), errors="replace").read(), re.M)
    open(os.path.join(d, "version"), "w").write((m.group(1) if m else "?") + "\n")
    if "acpi=off" in opts:
        os.replace(os.path.join(tmp, "qemu.dtb"), os.path.join(d, "qemu.dtb"))
    open(os.path.join(d, "dump.txt"), "w").write(parts["dump.txt"] or "")


def run_one(tap, name, arch, opts, tmp, fixtures):
    log = os.path.join(tmp, name + ".log")
    board = ROW_BOARD.get(name)
    rc, text = boot(arch, opts, log, board)
    parts = extract.extract(text)
    if not tap.check(name + ": boots with topo=all and prints the XML",
                     rc == 0 and parts["topology.xml"] is not None, "exit %d, see %s" % (rc, log)):
        return
    xml = os.path.join(tmp, name + ".xml")
    open(xml, "w").write(parts["topology.xml"])
    p = subprocess.run(["lstopo-no-graphics", "--input", xml, "--of", "console"],
                       capture_output=True, text=True)
    e = expected(arch, opts, board)
    pus = len(re.findall(r"\bPU L#\d+", p.stdout))
    tap.check(name + ": lstopo loads the XML and draws every PU {%d}" % e["levels"]["PU"],
              p.returncode == 0 and pus == e["levels"]["PU"] and not p.stderr.strip(),
              "exit %d, %d PUs, stderr %r" % (p.returncode, pus, p.stderr[:300]))
    compare(tap, name, e, actual(parts["topology.xml"]))
    compare_domains(tap, name, e, parts["sched-domains.txt"])
    ht = host_text(arch, opts, parts, tmp, board)
    tap.check(name + ": build/host/topo reproduces the kernel's text", ht == parts["topology.txt"],
              "differs; kernel log %s" % log)
    png = os.path.join(tmp, name + ".png")
    if os.path.exists(png):
        os.remove(png)
    subprocess.run([TOPO, "--quiet", "--summary", "--xml", os.path.join(tmp, name + ".host.xml"),
                    "--draw", png] + host_src(opts, tmp, board),
                   capture_output=True)
    ok = os.path.exists(png) and open(png, "rb").read(4) == b"\x89PNG"
    tap.check(name + ": build/host/topo renders a PNG with lstopo", ok, "no PNG at %s" % png)
    # Host-test fixtures name QEMU options only (tests/host/topology_qemu.c
    # has no notion of a board): board rows leave none.
    if fixtures and not board:
        save_fixture(name, arch, opts, parts, tmp, fixtures)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--all", action="store_true", help="every configuration, not only the default few")
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--keep", help="keep logs and XML in this directory")
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "build", "topology-fixtures"),
                    help="where to save host-test fixtures (default build/topology-fixtures; '' = none)")
    args = ap.parse_args()
    todo = [c for c in CONFIGS if (args.all or c[3]) and args.only in c[0]]
    if args.list:
        for c in todo:
            print("%-32s %-8s %s" % (c[0], c[1], c[2]))
        return 0
    tap = Ktap()
    tmp = args.keep or os.path.join(ROOT, "build", "test-logs", "topology")
    os.makedirs(tmp, exist_ok=True)
    for name, arch, opts, _ in todo:
        run_one(tap, name, arch, opts, tmp, args.fixtures)
    print("# logs in %s" % tmp)
    return tap.done() or (0 if tap.passed else 1)


if __name__ == "__main__":
    sys.exit(main())
