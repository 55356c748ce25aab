# SPDX-License-Identifier: MIT
"""KTAP output for the Python test scripts, in the one form
tools/run-tests.py reads (its KTAP_RE): a header, an optional plan,
`ok N case - title` / `not ok N case - title # why` per case, `ok N case
# SKIP why` for a skip, and the closing `N passed, N failed` line. A case
name is one word made from the title: "cfg: what is checked {details}"
becomes `cfg/what-is-checked` (the part from " {" on is left out). Used as

    tap = Ktap("trace/")
    tap.check("hand-written trace parses", ok, "what went wrong")
    return tap.done()          # exit status: 1 if anything failed
"""
import re


class Ktap:
    def __init__(self, prefix="", plan=None):
        """prefix goes in front of every case name; plan (a count) prints
        `1..N` now, for scripts that know their cases in advance."""
        self.prefix = prefix
        self.n = self.passed = self.failed = self.skipped = 0
        print("KTAP version 1", flush=True)
        if plan is not None:
            print("1..%d" % plan, flush=True)

    def case(self, title):
        """The one-word case name of a title (see above)."""
        head = title.strip().split(" {")[0]
        cfg, sep, what = head.partition(": ")
        if not sep:
            cfg, what = "", cfg
        slug = re.sub(r"[^a-z0-9]+", "-", what.lower().split(" {")[0]).strip("-")
        return self.prefix + (re.sub(r"\s+", "_", cfg) + "/" if cfg else "") + slug

    def _line(self, ok, title, note):
        self.n += 1
        line = "%s %d %s - %s" % ("ok" if ok else "not ok", self.n, self.case(title),
                                  " ".join(title.split()))
        if note:
            line += " # " + " | ".join(note.strip().splitlines())
        print(line, flush=True)

    def _result(self, ok, name, note):
        ok = bool(ok)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        self._line(ok, name, note)
        return ok

    def check(self, name, ok, detail=""):
        """One case; detail is printed after a failure (and after a pass
        when it is a figure worth keeping: pass it through note())."""
        return self._result(ok, name, "" if ok else detail)

    def note(self, name, ok, detail):
        """check() that prints detail whatever the outcome (a timing, a
        count)."""
        return self._result(ok, name, detail)

    def skip(self, name, why):
        self.skipped += 1
        self._line(True, name, "SKIP " + why)

    def comment(self, text):
        for line in str(text).splitlines():
            print("# " + line, flush=True)

    def done(self):
        """Prints the closing count; returns the exit status."""
        print("%d passed, %d failed%s" % (
            self.passed, self.failed, ", %d skipped" % self.skipped if self.skipped else ""),
            flush=True)
        return 1 if self.failed else 0
