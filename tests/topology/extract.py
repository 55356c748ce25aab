#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Split a Cairn serial log into the topology outputs it holds.

  tests/topology/extract.py LOG OUTDIR

writes, for what the log contains:
  OUTDIR/topology.txt   the boot-time text tree (summary line to last note)
  OUTDIR/topology.xml   hwloc XML (kernel option topo=xml or topo=all)
  OUTDIR/dump.txt       the inputs (topo=dump or topo=all): tables in hex
                        and CPUID leaves; `build/host/topo OUTDIR/dump.txt`
                        rebuilds the same model on the host
  OUTDIR/sched-domains.txt  the scheduling domains (kernel option
                        sched.domains)
Then draw the picture with: lstopo --input OUTDIR/topology.xml out.png
"""
import os
import re
import sys

MARK = "-----%s CAIRN TOPOLOGY %s-----"


def between(text, what):
    b, e = MARK % ("BEGIN", what), MARK % ("END", what)
    i = text.find(b)
    j = text.find(e, i + 1)
    if i < 0 or j < 0:
        return None
    return text[i + len(b):j].lstrip("\n")


def tree_text(text):
    """The summary line and the tree, up to the last 'Note:'/'Sources:' line."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith("topology: ")), None)
    if start is None:
        return None
    out = []
    for l in lines[start + 1:]:
        if l.startswith("-----BEGIN CAIRN") or l.startswith("boot complete"):
            break
        out.append(l)
    while out and not (out[-1].startswith("Note: ") or out[-1].startswith("Sources: ")):
        out.pop()
    return "\n".join(out) + "\n"


def sched_domains(text):
    """The text `sched.domains` prints between its markers, or None."""
    b, e = "-----BEGIN CAIRN SCHED DOMAINS-----", "-----END CAIRN SCHED DOMAINS-----"
    i = text.find(b)
    j = text.find(e, i + 1)
    return text[i + len(b):j].lstrip("\n") if i >= 0 and j >= 0 else None


def extract(log_text):
    text = log_text.replace("\r", "")
    return {"topology.txt": tree_text(text), "topology.xml": between(text, "XML"),
            "dump.txt": between(text, "DUMP"), "sched-domains.txt": sched_domains(text)}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    parts = extract(open(sys.argv[1], errors="replace").read())
    os.makedirs(sys.argv[2], exist_ok=True)
    n = 0
    for name, body in parts.items():
        if body is not None:
            with open(os.path.join(sys.argv[2], name), "w") as f:
                f.write(body)
            print("wrote %s" % os.path.join(sys.argv[2], name))
            n += 1
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
