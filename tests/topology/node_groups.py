#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""build/host/topo on real machines' tables without CPUID: NUMA membership.

For every machine of $CAIRN_SHARED/acpi-corpus with an SRAT, the tool's
text tree must equal what lstopo (hwloc, an independent implementation)
prints from the tool's own XML, and when the PUs hang flat from the machine
each NUMA node with CPUs must be a Group0 holding that node and its PUs,
with each node's PU count equal to the SRAT's enabled processor entries for
its proximity domain (read from the raw table here). Also runs the tool
with the captured `cpuid -r` file (tests/fixtures/cpuid/). KTAP output.
"""
import glob
import os
import re
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ktap import Ktap  # noqa: E402
TOPO = os.path.join(ROOT, "build", "host", "topo")
CORPUS = os.path.join(os.environ.get("CAIRN_SHARED", os.path.join(ROOT, "..", "shared")),
                      "acpi-corpus")
CAPTURE = os.path.join(ROOT, "tests", "fixtures", "cpuid", "amd-epyc-kvm-cpuid-r.txt")


def srat_cpus_per_domain(path):
    """{domain: enabled processor affinity entries} from the raw SRAT."""
    b = open(path, "rb").read()
    length = struct.unpack_from("<I", b, 4)[0]
    off, out = 48, {}
    while off + 2 <= min(length, len(b)):
        typ, ln = b[off], b[off + 1]
        if ln < 2:
            break
        if typ == 0 and ln >= 16:  # local APIC affinity
            flags = struct.unpack_from("<I", b, off + 4)[0]
            dom = b[off + 2] | (b[off + 9] << 8) | (b[off + 10] << 16) | (b[off + 11] << 24)
            if flags & 1:
                out[dom] = out.get(dom, 0) + 1
        elif typ == 2 and ln >= 24:  # local x2APIC affinity
            dom, _, flags = struct.unpack_from("<III", b, off + 4)
            if flags & 1:
                out[dom] = out.get(dom, 0) + 1
        off += ln
    return out


def tree_part(text):
    lines = text.splitlines()
    end = next((i for i, l in enumerate(lines) if i and not l.startswith(" ")), len(lines))
    return lines[:end]


def groups_of(tree):
    """[(domain, PU count)] per Group0 in a text tree."""
    out, cur = [], None
    for l in tree:
        if l.startswith("  Group0 "):
            cur = [None, 0]
            out.append(cur)
        elif cur and (m := re.match(r"^    NUMANode L#\d+ \(P#(\d+)", l)):
            cur[0] = int(m.group(1))
        elif cur and l.startswith("    PU "):
            cur[1] += 1
        elif not l.startswith("    "):
            cur = None
    return [tuple(g) for g in out]


def main():
    results = []
    machines = sorted(d for d in glob.glob(os.path.join(CORPUS, "*")) if
                      os.path.exists(os.path.join(d, "srat.dat")))
    if not machines:
        results.append(("corpus machines with an SRAT in %s" % CORPUS, False, "set CAIRN_SHARED"))
    with tempfile.TemporaryDirectory() as tmp:
        for d in machines:
            name = os.path.basename(d)
            xml = os.path.join(tmp, name + ".xml")
            p = subprocess.run([TOPO, "--quiet", "--xml", xml, d], capture_output=True, text=True)
            ls = subprocess.run(["lstopo-no-graphics", "--input", xml], capture_output=True, text=True)
            ours, theirs = tree_part(p.stdout), tree_part(ls.stdout)
            results.append(("%s: text tree as lstopo shows the XML" % name,
                            p.returncode == 0 and ours == theirs and not ls.stderr.strip(),
                            "exit %d, lstopo stderr %r, first difference %r" % (
                                p.returncode, ls.stderr[:200],
                                next(((a, b) for a, b in zip(ours, theirs) if a != b), None))))
            flat = any(l.startswith("  PU ") for l in ours) or any(l.startswith("  Group0") for l in ours)
            if not flat:
                continue
            want = sorted(srat_cpus_per_domain(os.path.join(d, "srat.dat")).items())
            if len(want) < 2:  # one node holds every CPU: nothing to group
                want = []
            got = sorted(groups_of(ours))
            results.append(("%s: one Group0 per node with its PUs (SRAT: %s)" % (name, want or "one node"),
                            got == want, "got %s" % got))
        corpus_dir = machines[0] if machines else None
        if corpus_dir:
            p = subprocess.run([TOPO, "--quiet", "--cpuid", CAPTURE, corpus_dir], capture_output=True,
                               text=True)
            results.append(("--cpuid with a captured `cpuid -r` file",
                            p.returncode == 0 and "CPUID" in p.stdout,
                            "exit %d: %s" % (p.returncode, (p.stdout + p.stderr)[-300:])))
    tap = Ktap("node_groups.", plan=len(results))
    for name, ok, detail in results:
        tap.check(name, ok, detail)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
