#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boots Debian's Linux and Cairn in the same QEMU configuration and compares
the caches and NUMA nodes each reports (issue 11).

Linux: Debian 12's linux-image (amd64, arm64) and busybox-static packages,
fetched as .deb files into build/deps/linux/ (never installed) and
unpacked; a tiny initramfs (written here as a newc cpio) prints, for every
CPU, each /sys/devices/system/cpu/cpuN/cache/indexM's level, type, size,
ways_of_associativity, coherency_line_size and shared_cpu_list, and each
/sys/devices/system/node/nodeN's CPUs, then powers off. Linux boots from
QEMU's -kernel (SeaBIOS on x86; on virt, QEMU's own boot code): the CPU
model, -smp shape and ACPI tables are QEMU's either way.
Cairn: tools/cairn-run with topo=xml; its hwloc XML gives each PU's caches.

Both become lines "cpuN LEVEL TYPE SIZE_K WAYS LINE SHARED_CPUS" and
"node N CPUS"; a configuration passes when the sets are equal, except for
known Linux 6.1 differences, counted and named apart (see known_reasons):
on AMD models without TopologyExtensions, L1 ways decoded with the L2/L3
table (8 -> 16) and L1/L2 not shared by SMT threads; on arm64 without
cache nodes in the device tree, no size, ways or line size, and no level
past L1.
  tools/linux-compare.py [--only SUBSTRING] [--list] [--save DIR] [--linux-from DIR]
--save writes each Linux answer to DIR/NAME.txt (fixtures); --linux-from
compares with such saved answers instead of booting Linux (tests/topology/
linux/ holds the answers measured for CONFIGS).
"""
import argparse
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "topology"))
import extract  # noqa: E402

DEPS = os.path.join(ROOT, "build", "deps", "linux")
KVER = "6.1.0-57"
DEBS = {  # arch -> (kernel package, busybox-static package)
    "amd64": ("linux-image-%s-amd64" % KVER, "busybox-static"),
    "arm64": ("linux-image-%s-arm64" % KVER, "busybox-static"),
}

# (name, Cairn arch, QEMU options)
CONFIGS = [
    ("epyc-s1-c4", "x86_64", "-cpu EPYC -smp 4"),
    ("epyc-s2-c4-t2", "x86_64", "-cpu EPYC -smp 16,sockets=2,cores=4,threads=2"),
    ("epyc-rome-c8-t2", "x86_64", "-cpu EPYC-Rome -smp 16,sockets=1,cores=8,threads=2"),
    ("epyc-rome-s2-c4", "x86_64", "-cpu EPYC-Rome -smp 8,sockets=2,cores=4"),
    ("epyc-milan-s2-c4", "x86_64", "-cpu EPYC-Milan -smp 8,sockets=2,cores=4"),
    ("epyc-milan-c4-t2", "x86_64", "-cpu EPYC-Milan -smp 8,sockets=1,cores=4,threads=2"),
    # ",-xsave": under QEMU 7.2's TCG, Linux 6.1 with plain Opteron_G5 stops at the CR4 write
    # that sets OSXSAVE and prints nothing more; XSAVE plays no part in the cache and topology
    # leaves compared here, and Cairn boots with the same options.
    ("opteron-g5-c4", "x86_64", "-cpu Opteron_G5,-xsave -smp 4"),
    ("opteron-g5-s2-c4", "x86_64", "-cpu Opteron_G5,-xsave -smp 8,sockets=2,cores=4"),
    ("epyc-numa-s2-c4", "x86_64",
     "-cpu EPYC -smp 8,sockets=2,cores=4 -m 2G "
     "-object memory-backend-ram,id=m0,size=1G -object memory-backend-ram,id=m1,size=1G "
     "-numa node,nodeid=0,cpus=0-3,memdev=m0 -numa node,nodeid=1,cpus=4-7,memdev=m1"),
    ("virt-smp4", "aarch64", "-smp 4"),
    ("virt-s2-cl2-c2", "aarch64", "-smp 8,sockets=2,clusters=2,cores=2"),
]

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t sysfs sysfs /sys
mount -t proc proc /proc
echo LINUX-COMPARE-BEGIN
for c in /sys/devices/system/cpu/cpu[0-9]*; do
  for i in $c/cache/index*; do
    [ -d $i ] || continue
    v() { cat $i/$1 2>/dev/null || echo -; }
    echo "$(basename $c) $(v level) $(v type) $(v size) $(v ways_of_associativity) $(v coherency_line_size) $(v shared_cpu_list)"
  done
done
for n in /sys/devices/system/node/node[0-9]*; do
  [ -d $n ] && echo "node ${n##*node} $(cat $n/cpulist)"
done
echo LINUX-COMPARE-END
poweroff -f
"""


def fetch(deb_arch):
    """The unpacked packages for deb_arch (amd64/arm64), fetched once."""
    out = os.path.join(DEPS, deb_arch)
    if os.path.exists(os.path.join(out, "bin", "busybox")):
        return out
    os.makedirs(out, exist_ok=True)
    for pkg in DEBS[deb_arch]:
        # The host's apt gives the URL (its own architecture); the other
        # architecture's file sits beside it in the same pool.
        host_pkg = pkg.replace("arm64", "amd64")
        uri = subprocess.run(["apt-get", "download", "--print-uris", host_pkg],
                             capture_output=True, text=True, check=True).stdout
        url = re.search(r"'([^']+)'", uri).group(1)
        if deb_arch != "amd64":
            url = url.replace("amd64", deb_arch)
        deb = os.path.join(DEPS, os.path.basename(url))
        if not os.path.exists(deb):
            subprocess.run(["curl", "-sfL", "-o", deb, url], check=True)
        subprocess.run(["dpkg-deb", "-x", deb, out], check=True)
    return out


def cpio(entries):
    """newc archive of (path, mode, data) entries."""
    buf = io.BytesIO()

    def put(name, mode, data, ino):
        name_b = name.encode() + b"\0"
        hdr = "070701" + "".join("%08x" % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
        buf.write(hdr.encode() + name_b)
        buf.write(b"\0" * (-(110 + len(name_b)) % 4))
        buf.write(data)
        buf.write(b"\0" * (-len(data) % 4))

    for i, (path, mode, data) in enumerate(entries, 1):
        put(path, mode, data, i)
    put("TRAILER!!!", 0, b"", 0)
    return buf.getvalue()


def initramfs(root, path):
    bb = open(os.path.join(root, "bin", "busybox"), "rb").read()
    d = stat.S_IFDIR | 0o755
    entries = [("bin", d, b""), ("proc", d, b""), ("sys", d, b""), ("dev", d, b""),
               ("bin/busybox", stat.S_IFREG | 0o755, bb),
               ("init", stat.S_IFREG | 0o755, INIT.encode())]
    with open(path, "wb") as f:
        f.write(cpio(entries))


def run_linux(arch, opts, tmp):
    deb_arch = "amd64" if arch == "x86_64" else "arm64"
    root = fetch(deb_arch)
    kernel = os.path.join(root, "boot", "vmlinuz-%s-%s" % (KVER, deb_arch))
    rd = os.path.join(tmp, "initrd-%s.cpio" % deb_arch)
    initramfs(root, rd)
    if arch == "x86_64":
        cmd = ["qemu-system-x86_64", "-machine", "q35", "-m", "1G"]
        console = "ttyS0"
    else:
        cmd = ["qemu-system-aarch64", "-machine", "virt", "-cpu", "cortex-a72", "-m", "1G"]
        console = "ttyAMA0"
    cmd += ["-nographic", "-no-reboot", "-kernel", kernel, "-initrd", rd,
            "-append", "console=%s panic=-1 quiet" % console] + opts.split()
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=600)
    text = r.stdout.replace("\r", "")
    i, j = text.find("LINUX-COMPARE-BEGIN"), text.find("LINUX-COMPARE-END")
    if i < 0 or j < 0:
        raise RuntimeError("Linux printed no answer:\n" + text[-2000:])
    return linux_lines(text[i:j].splitlines()[1:])


def cpulist(s):
    out = []
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += range(int(a), int(b) + 1)
        elif part:
            out.append(int(part))
    return out


def fmt_list(cpus):
    return ",".join(str(c) for c in sorted(set(cpus)))


def linux_lines(lines):
    out = set()
    for l in lines:
        f = l.split()
        if f[0] == "node":
            out.add("node %s %s" % (f[1], fmt_list(cpulist(f[2]) if len(f) > 2 else [])))
            continue
        # "-": Linux has no such attribute (arm64 takes sizes, ways and
        # line sizes only from the device tree or PPTT): written "?".
        size = "?" if f[3] == "-" else \
            int(f[3].rstrip("K")) if f[3].endswith("K") else int(f[3]) // 1024
        out.add("%s L%s %s %sK ways=%s line=%s shared=%s" % (
            f[0], f[1], f[2], size, f[4].replace("-", "?"), f[5].replace("-", "?"),
            fmt_list(cpulist(f[6]))))
    return out


def mask_cpus(s):
    cpus = []
    words = [w for w in s.split(",") if w]
    for k, w in enumerate(reversed(words)):
        v = int(w, 16)
        cpus += [k * 32 + b for b in range(32) if v >> b & 1]
    return cpus


CACHE_TYPES = {"0": "Unified", "1": "Data", "2": "Instruction"}


def run_cairn(arch, opts):
    r = subprocess.run([os.path.join(ROOT, "tools", "cairn-run"), "--arch", arch,
                        "--cmdline", "topo=xml exit", "--timeout", "600", "--"] + opts.split(),
                       capture_output=True, text=True, errors="replace")
    xml = extract.extract(r.stdout)["topology.xml"]
    if not xml:
        raise RuntimeError("Cairn printed no XML:\n" + r.stdout[-2000:])
    return cairn_lines(ET.fromstring(xml))


def cairn_lines(root):
    out = set()

    def walk(obj, caches):
        t = obj.get("type")
        if t and (t.endswith("Cache")):
            caches = caches + [obj]
        if t == "PU":
            pu = int(obj.get("os_index"))
            for c in caches:
                ways = int(c.get("cache_associativity", "0"))
                out.add("cpu%d L%s %s %dK ways=%s line=%s shared=%s" % (
                    pu, c.get("depth"), CACHE_TYPES.get(c.get("cache_type"), "?"),
                    int(c.get("cache_size")) // 1024, ways if ways > 0 else 0,
                    c.get("cache_linesize"), fmt_list(mask_cpus(c.get("cpuset")))))
        if t == "NUMANode":
            out.add("node %s %s" % (obj.get("os_index"), fmt_list(mask_cpus(obj.get("cpuset")))))
        for ch in obj:
            if ch.tag == "object":
                walk(ch, caches)

    walk(root.find("object"), [])
    return out


# Known Linux 6.1 differences, counted and named apart. On arm64 without
# cache nodes in the device tree (QEMU virt gives none) Linux lists cache
# levels, types and sharing from CLIDR but no size, ways or line size
# ("no size in Linux": the rest must agree), and only the L1 level ("level
# not listed by Linux", checked in main()). And two on AMD models without
# TopologyExtensions (its amd_cpuid4() emulation of the legacy leaves):
# - "L1 ways": it decodes the L1 associativity of CPUID 0x80000005, which
#   AMD defines as the number of ways (0xFF: fully associative), with the
#   table meant for the encoded L2/L3 fields of 0x80000006, so 8 ways become
#   16. Later kernels take the L1 field as it is; Cairn does too.
# - "SMT sharing": it says L1 and L2 serve one CPU each (no sharing below
#   L3 on that path), while an AMD core's SMT threads share them (what
#   leaf 0x8000001D reports when offered, and what Cairn derives from the
#   APIC ID layout).
AMD_L2L3_WAYS = {1: 1, 2: 2, 4: 4, 6: 8, 8: 16, 0xa: 32, 0xb: 48, 0xc: 64,
                 0xd: 96, 0xe: 128}
LINE_RE = re.compile(r"^cpu(\d+) L(\d) (\S+) (\d+|\?)K ways=(\d+|\?) line=(\d+|\?) "
                     r"shared=(\S+)$")


def known_reasons(lx, cn):
    """Why the Linux line lx and the Cairn line cn differ, when only by the
    known differences above (a list of reason names), else None."""
    a, b = LINE_RE.match(lx), LINE_RE.match(cn)
    if not a or not b or a.group(1, 2, 3) != b.group(1, 2, 3):
        return None
    why = []
    unknown = [k for k in (4, 5, 6) if a.group(k) == "?"]
    if unknown:  # Linux knows no size: everything else must agree
        if any(a.group(k) != b.group(k) for k in (4, 5, 6) if k not in unknown):
            return None
        why.append("no size in Linux")
        if a.group(7) != b.group(7):
            return None
        return why
    if a.group(4, 6) != b.group(4, 6):
        return None
    lw, cw = int(a.group(5)), int(b.group(5))
    if lw != cw:
        if a.group(2) != "1" or AMD_L2L3_WAYS.get(cw) != lw:
            return None
        why.append("L1 ways")
    if a.group(7) != b.group(7):
        own = a.group(1)
        if a.group(2) not in ("1", "2") or a.group(7) != own or \
                own not in b.group(7).split(","):
            return None
        why.append("SMT sharing")
    return why


def known_differences(only_l, only_c):
    """Pairs (linux, cairn, reasons) explained by known_reasons, and what is
    left unexplained on each side."""
    pairs, left_l, left_c = [], [], list(only_c)
    for l in only_l:
        for c in left_c:
            why = known_reasons(l, c)
            if why:
                pairs.append((l, c, why))
                left_c.remove(c)
                break
        else:
            left_l.append(l)
    return pairs, left_l, left_c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--save")
    ap.add_argument("--linux-from", metavar="DIR",
                    help="take Linux's answers from DIR/NAME.txt (written by --save) "
                         "instead of booting Linux")
    a = ap.parse_args()
    fails = 0
    for name, arch, opts in CONFIGS:
        if a.only and a.only not in name:
            continue
        if a.list:
            print("%s: %s %s" % (name, arch, opts))
            continue
        try:
            if a.linux_from:
                with open(os.path.join(a.linux_from, name + ".txt")) as f:
                    lx = {l.strip() for l in f if l.strip() and not l.startswith("#")}
            else:
                with tempfile.TemporaryDirectory() as tmp:
                    lx = run_linux(arch, opts, tmp)
        except (OSError, RuntimeError, subprocess.TimeoutExpired) as e:
            fails += 1
            print("FAILED %s (%s %s): no Linux answer: %s" % (name, arch, opts, str(e)[:300]),
                  flush=True)
            continue
        if a.save:
            os.makedirs(a.save, exist_ok=True)
            with open(os.path.join(a.save, name + ".txt"), "w") as f:
                f.write("# Linux %s, QEMU %s %s\n" % (KVER, arch, opts))
                f.write("\n".join(sorted(lx)) + "\n")
        try:
            cn = run_cairn(arch, opts)
        except (OSError, RuntimeError) as e:
            fails += 1
            print("FAILED %s (%s %s): no Cairn answer: %s" % (name, arch, opts, str(e)[:300]),
                  flush=True)
            continue
        only_l, only_c = sorted(lx - cn), sorted(cn - lx)
        known, only_l, only_c = known_differences(only_l, only_c)
        # Linux 6.1 on arm64 with no cache description in the device tree
        # (every size unknown) lists L1 only; CLIDR_EL1 (QEMU's models: a
        # unified L2) is what Cairn reads. Levels Linux lists nowhere:
        if arch == "aarch64" and lx and all("?K" in l for l in lx if " L" in l):
            levels = {LINE_RE.match(l).group(2) for l in lx if LINE_RE.match(l)}
            extra = [c for c in only_c
                     if LINE_RE.match(c) and LINE_RE.match(c).group(2) not in levels]
            known += [("", c, ["level not listed by Linux"]) for c in extra]
            only_c = [c for c in only_c if c not in extra]
        ok = not only_l and not only_c
        fails += not ok
        reasons = {}
        for _, _, why in known:
            for w in why:
                reasons[w] = reasons.get(w, 0) + 1
        print("%s %s (%s %s): %d lines%s" % (
            "ok" if ok else "DIFFERS", name, arch, opts, len(lx),
            "; known Linux 6.1 differences: " + ", ".join(
                "%s (%d lines)" % kv for kv in sorted(reasons.items())) if known else ""))
        sys.stdout.flush()
        for l in only_l[:12]:
            print("    linux only: " + l)
        for l in only_c[:12]:
            print("    cairn only: " + l)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
