#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the JUnit XML tools/run-tests.py writes, with Python's own XML
parsers (xml.dom.minidom and ElementTree): run-tests' main() runs three
made-up jobs (KTAP with a pass, a failure and an allowed skip; a job whose
check raises; a job with a hostile name and detail: markup characters,
control characters, non-ASCII), and the file must parse and hold exactly
what those jobs reported: counts here come from the jobs' definitions, not
from the writer. Output is KTAP ending in `N passed, N failed`.

usage: tests/boot/junit_test.py
"""
import contextlib
import importlib.machinery
import importlib.util
import io
import os
import sys
import tempfile
import xml.dom.minidom
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ktap import Ktap  # noqa: E402
HOSTILE = "a <b> & \"c\" \x1b[31m\x07 \u00e9\u2192"
KTAP = """KTAP version 1
1..3
ok 1 demo.passes
not ok 2 demo.fails
ok 3 demo.skipped # SKIP not here
"""


def load_run_tests():
    path = os.path.join(ROOT, "tools", "run-tests.py")
    loader = importlib.machinery.SourceFileLoader("run_tests", path)
    spec = importlib.util.spec_from_loader("run_tests", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def ktap_job(mod, res):
    mod.count_ktap(KTAP, "demo", res, {"demo.skipped"})


def raising_job(res):
    res.add("raiser: before", True)
    raise RuntimeError("on purpose")


def hostile_job(res):
    res.add("hostile " + HOSTILE, False, detail=HOSTILE)


def run_fake(mod, path):
    # (NAME, FUNCTION, ARGS, AFTER, GROUP, TIER), as run-tests' jobs()
    fake = [("ktap", lambda res: ktap_job(mod, res), (), None, "x86_64-demo", "test"),
            ("raiser", raising_job, (), None, "common", "test"),
            ("hostile", hostile_job, (), None, "common", "test"),
            # ninja test-extra's tier: not run by default (the counts below
            # would change if it were)
            ("slow", lambda res: res.add("slow: must not run", False), (), None, "common",
             "extra")]
    mod.jobs = lambda args: fake
    argv, sys.argv = sys.argv, ["run-tests.py", "--jobs", "1", "--junit", path]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            rc = mod.main()
    finally:
        sys.argv = argv
    return rc, out.getvalue()


def suite_counts(s):
    return (int(s.get("tests")), int(s.get("failures")), int(s.get("skipped")))


def main():
    mod = load_run_tests()
    tap = Ktap("junit/")

    def check(ok, what):
        tap.check(what, ok)

    with tempfile.TemporaryDirectory(prefix="junit-test-") as tmp:
        path = os.path.join(tmp, "out", "results.xml")
        rc, out = run_fake(mod, path)
        check(rc == 1, "run-tests exits 1 when results failed (got %r)" % rc)
        check(out.rstrip().endswith("3 passed, 3 failed, 1 skipped"),
              "summary line counts the fake jobs' results")
        data = open(path, "rb").read()
        try:
            xml.dom.minidom.parseString(data)
            parsed = True
        except Exception as e:  # any parser complaint is the failure
            parsed = False
            print("# minidom: %r" % e)
        check(parsed, "xml.dom.minidom parses the file")
        top = ET.fromstring(data)
        suites = {s.get("name"): s for s in top.findall("testsuite")}
        check(top.tag == "testsuites" and sorted(suites) == ["hostile", "ktap", "raiser"],
              "one testsuite per job")
        # ktap: 3 results + plan line + the job = 5 cases, 2 failed
        # (demo.fails, the job), 1 skipped.
        check(suite_counts(suites["ktap"]) == (5, 2, 1), "ktap suite: 5 cases, 2 failures, 1 skip")
        names = [c.get("name") for c in suites["ktap"].findall("testcase")]
        check("demo: demo.passes" in names and "job ktap" in names,
              "KTAP results and the job are testcases")
        skipped = [c for c in suites["ktap"].findall("testcase") if c.find("skipped") is not None]
        check([c.get("name") for c in skipped] == ["demo: demo.skipped"],
              "the allowed skip is <skipped>")
        # raiser: its one passing result, the Python-error line, the job.
        check(suite_counts(suites["raiser"]) == (3, 2, 0), "raising job: 3 cases, 2 failures")
        job = [c for c in suites["raiser"].findall("testcase") if c.get("name") == "job raiser"]
        check(len(job) == 1 and "on purpose" in job[0].find("failure").get("message"),
              "the raising job's own testcase fails naming the error")
        case = suites["hostile"].find("testcase")
        want = mod.xml_text("hostile " + HOSTILE)
        check(case is not None and case.get("name") == want and "\u00e9\u2192" in want and
              "<b> &" in want, "markup and non-ASCII survive, control characters are replaced")
        groups = {s.get("name"): s.find("properties/property").get("value") for s in
                  suites.values()}
        check(groups == {"ktap": "x86_64-demo", "raiser": "common", "hostile": "common"},
              "each testsuite names its group")
        check(suite_counts(top) == (10, 6, 1), "testsuites totals add up")
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
