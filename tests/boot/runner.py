#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tools/cairn-run's exit statuses and its clean-up, on both arches.

Each case runs the runner as a user would, with its temp directory under a
private TMPDIR, and checks the status the runner's --help promises, that
no QEMU it started outlives it and that its /tmp/cairn-run-* directory is
gone. The expected statuses come from the runner's documentation and from
how the run was ended (QEMU's monitor `quit`, a signal, a timeout), not
from the runner's code. Output is KTAP ending in `N passed, N failed`.

usage: tests/boot/runner.py [--case SUBSTRING]... [--list]
"""
import argparse
import glob
import importlib.machinery
import importlib.util
import os
import pty
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from ktap import Ktap  # noqa: E402
RUN = os.path.join(ROOT, "tools", "cairn-run")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
BANNER = r"Cairn \S+ \((x86_64|aarch64)\)"


def load_runner():
    """tools/cairn-run as a module, for its status mapping alone."""
    loader = importlib.machinery.SourceFileLoader("cairn_run", RUN)
    spec = importlib.util.spec_from_loader("cairn_run", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class Run:
    """One runner process with its own TMPDIR, its output collected."""

    def __init__(self, args, tty=False):
        self.tmp = tempfile.mkdtemp(prefix="runner-test-")
        env = dict(os.environ, TMPDIR=self.tmp)
        self.out = b""
        self.master = None
        if tty:  # a terminal on stdin: the runner's interactive mode
            self.master, slave = pty.openpty()
            self.p = subprocess.Popen([sys.executable, RUN] + args, stdin=slave, stdout=slave,
                                      stderr=slave, env=env, start_new_session=True)
            os.close(slave)
        else:
            self.p = subprocess.Popen([sys.executable, RUN] + args, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                      start_new_session=True)
        self.fd = self.master if tty else self.p.stdout.fileno()

    def read(self, wait):
        r, _, _ = select.select([self.fd], [], [], wait)
        if not r:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # a pty whose other side closed
            chunk = b""
        self.out += chunk
        return bool(chunk)

    def wait_for(self, regex, limit):
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if re.search(regex.encode(), self.out, re.M):
                return True
            if not self.read(0.5) and self.p.poll() is not None:
                return bool(re.search(regex.encode(), self.out, re.M))
        return False

    def finish(self, limit):
        """The runner's exit status (None if it did not end within limit)."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.p.poll() is not None:
                while self.read(0.1):
                    pass
                return self.p.returncode
            self.read(0.5)
        os.killpg(self.p.pid, signal.SIGKILL)
        self.p.wait()
        return None

    def qemu_pids(self):
        return qemu_pids(self.tmp)

    def leftovers(self):
        """What is left in TMPDIR (the runner's cairn-run-* directory)."""
        return os.listdir(self.tmp)

    def close(self):
        if self.p.poll() is None:
            os.killpg(self.p.pid, signal.SIGKILL)
            self.p.wait()
        for pid in self.qemu_pids():
            os.kill(pid, signal.SIGKILL)
        if self.master is not None:
            os.close(self.master)
        subprocess.run(["rm", "-rf", self.tmp])


def qemu_pids(tmp):
    """QEMU processes whose command line names tmp (a run's TMPDIR)."""
    pids = []
    for pid in os.listdir("/proc"):
        try:
            cmd = open("/proc/%s/cmdline" % pid, "rb").read()
        except OSError:
            continue
        if pid.isdigit() and cmd.startswith(b"qemu-system") and tmp.encode() in cmd:
            pids.append(int(pid))
    return pids


class Outer:
    """A run made by another program (`timeout`): its TMPDIR only."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="runner-test-")

    def qemu_pids(self):
        return qemu_pids(self.tmp)

    def leftovers(self):
        return os.listdir(self.tmp)


def gone(run, limit=10):
    """True once no QEMU of run's is left (a killed QEMU takes a moment)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not run.qemu_pids():
            return True
        time.sleep(0.2)
    return False


def expect(status, want, run, why=""):
    problems = []
    if status != want:
        problems.append("status %s, want %d%s" % (status, want, why))
    if not gone(run):
        problems.append("QEMU %s still running" % run.qemu_pids())
    if run.leftovers():
        problems.append("left behind in TMPDIR: %s" % run.leftovers())
    return problems


def boot(arch, cmdline, *extra, timeout=240, run_args=()):
    return Run(["--arch", arch, "--cmdline", cmdline, "--timeout", str(timeout)] + list(run_args)
               + ["--"] + list(extra))


# --- the cases: each returns a list of problems (empty = pass) ---------------

def case_missing_kernel():
    r = Run(["--kernel", "/nonexistent/kernel.elf", "--timeout", "60"])
    try:
        st = r.finish(60)
        p = expect(st, 126, r)
        if b"Traceback" in r.out or b"/nonexistent/kernel.elf" not in r.out:
            p.append("no clear message naming the file: %r" % r.out[-300:])
        return p
    finally:
        r.close()


def case_status_mapping():
    """The documented statuses from the two ways QEMU carries them:
    isa-debug-exit ((N << 1) | 1, x86_64) and semihosting (N, aarch64)."""
    m, p = load_runner(), []
    cases = [("x86_64", 3, b"cairn: exit status 1\n", 1), ("x86_64", 5, b"cairn: exit status 2\n", 2),
             ("x86_64", 1, b"cairn: exit status 0\n", 0), ("aarch64", 1, b"cairn: exit status 1\n", 1),
             ("aarch64", 2, b"cairn: exit status 2\n", 2), ("x86_64", 0, b"boot complete\n", 125),
             ("x86_64", 0, b"cairn: power off\r\n", 0), ("aarch64", 0, b"cairn: reboot\r\n", 0),
             ("x86_64", 1, b"cairn: power off\r\n", 125), ("x86_64", 0, b"QEMU: Terminated\r\n", 0)]
    for arch, rc, text, want in cases:
        got = m.exit_status(arch, rc, text, 0)
        if got != want:
            p.append("%s QEMU code %d after %r: %d, want %d" % (arch, rc, text, got, want))
    if m.exit_status("x86_64", 0, b"cairn: power off\n", 7) != 7:
        p.append("--poweroff-status 7 not honoured")
    return p


def case_exit_and_tcg_warnings():
    """`exit` is 0; -cpu Skylake-Server's TCG warnings become one line."""
    r = boot("x86_64", "exit", "-smp", "2", "-cpu", "Skylake-Server")
    try:
        p = expect(r.finish(300), 0, r)
        if b"TCG doesn't support requested feature" in r.out:
            p.append("TCG warnings not folded")
        if len(re.findall(rb"cairn-run: QEMU's TCG cannot emulate", r.out)) != 1:
            p.append("no single summary line of the TCG warnings")
        return p
    finally:
        r.close()


def case_panic(arch):
    r = boot(arch, "panic")
    try:
        return expect(r.finish(300), 2, r)
    finally:
        r.close()


def case_power(arch, what, status=None):
    extra = ["--poweroff-status", str(status)] if status is not None else []
    r = boot(arch, what, run_args=extra)
    try:
        p = expect(r.finish(300), 0 if status is None else status, r)
        if not re.search(rb"cairn-run: the kernel .* on purpose", r.out):
            p.append("no note of the clean end")
        return p
    finally:
        r.close()


def case_quit_no_status():
    """QEMU quits (its monitor's `quit`) without a word from the kernel."""
    r = boot("x86_64", "", run_args=["--monitor-after", "boot complete", "quit"])
    try:
        return expect(r.finish(300), 125, r)
    finally:
        r.close()


def case_timeout():
    r = boot("aarch64", "", timeout=5)
    try:
        return expect(r.finish(60), 124, r)
    finally:
        r.close()


def case_loader_error(arch):
    """The other arch's kernel: the loader refuses it; the run must end at
    once (well before its timeout) with 126, not wait through PXE."""
    other = "aarch64" if arch == "x86_64" else "x86_64"
    r = boot(arch, "exit", timeout=600, run_args=[
        "--kernel", os.path.join(ROOT, "build", other, "kernel.elf")])
    try:
        st = r.finish(650)
        p = expect(st, 126, r)
        if b"cairn-loader: error:" not in r.out:
            p.append("no loader error shown")
        return p
    finally:
        r.close()


def case_signal(sig):
    r = boot("x86_64", "")
    try:
        if not r.wait_for("QEMU|BdsDxe|Cairn|\x1b", 120) or not r.qemu_pids():
            return ["QEMU did not start: %r" % r.out[-300:]]
        r.p.send_signal(sig)
        return expect(r.finish(30), 128 + sig, r)
    finally:
        r.close()


def case_outer_timeout():
    """`timeout 8 tools/cairn-run ...` (SIGTERM from outside, no terminal)."""
    r = Outer()
    p = subprocess.run(["timeout", "8", sys.executable, RUN, "--arch", "x86_64"],
                       env=dict(os.environ, TMPDIR=r.tmp), stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=120)
    try:
        return expect(p.returncode, 124, r, " (timeout's own)")
    finally:
        for pid in r.qemu_pids():
            os.kill(pid, signal.SIGKILL)
        subprocess.run(["rm", "-rf", r.tmp])


def case_sigkill():
    """SIGKILL cannot be caught: QEMU must still die with the runner."""
    r = boot("x86_64", "")
    try:
        if not r.wait_for("BdsDxe|Cairn|\x1b", 120) or not r.qemu_pids():
            return ["QEMU did not start"]
        r.p.send_signal(signal.SIGKILL)
        r.p.wait()
        return [] if gone(r) else ["QEMU %s outlived the runner" % r.qemu_pids()]
    finally:
        r.close()


def case_gdb_port():
    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = Run(["--arch", "x86_64", "--gdb-port", str(port), "--timeout", "20"])
    try:
        if not r.wait_for("target remote :%d" % port, 30):
            return ["no gdb command naming port %d" % port]
        ok, end = False, time.monotonic() + 15
        while not ok and time.monotonic() < end:
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                ok = True
            except OSError:
                time.sleep(0.2)
        p = [] if ok else ["QEMU does not listen on port %d" % port]
        return p + expect(r.finish(60), 124, r)
    finally:
        r.close()


def case_ctrl_a_x():
    """Ctrl-A X on a terminal (what `ninja run` users do): status 0."""
    r = Run(["--arch", "x86_64"], tty=True)
    try:
        if not r.wait_for("boot complete", 240):
            return ["no boot complete: %r" % r.out[-300:]]
        os.write(r.master, b"\x01x")
        return expect(r.finish(30), 0, r)
    finally:
        r.close()


def case_amlrun_refuses_table():
    """amlrun on a table that holds no AML (a MADT): a clear refusal naming
    the table's signature (read from the file) and a failure status."""
    corpus = os.path.join(os.environ.get("CAIRN_SHARED", os.path.join(ROOT, "..", "shared")),
                          "acpi-corpus")
    apic = sorted(glob.glob(os.path.join(corpus, "*", "apic.dat")))
    if not apic:
        return ["no apic.dat in %s (CAIRN_SHARED)" % corpus]
    sig = open(apic[0], "rb").read(4).decode(errors="replace")
    p = subprocess.run([os.path.join(ROOT, "build", "host", "amlrun"), apic[0]],
                       capture_output=True, text=True, timeout=60)
    problems = [] if p.returncode != 0 else ["exit 0"]
    if "'%s' table, not AML" % sig not in p.stderr:
        problems.append("no message naming the %s table: %r" % (sig, p.stderr[-300:]))
    return problems


def case_boards():
    """--list-boards names the boards the issue asks for; --board and a
    contradicting --arch is a usage error (2) naming both."""
    p = []
    out = subprocess.run([sys.executable, RUN, "--list-boards"], capture_output=True, text=True)
    names = [line.split()[0] for line in out.stdout.splitlines() if line.strip()]
    for want in ("q35", "pc", "virt", "q35-uboot", "virt-uboot"):
        if want not in names:
            p.append("--list-boards lacks %s: %r" % (want, out.stdout))
    if out.returncode:
        p.append("--list-boards exit %d" % out.returncode)
    bad = subprocess.run([sys.executable, RUN, "--board", "q35", "--arch", "aarch64"],
                         capture_output=True, text=True)
    if bad.returncode != 2 or "q35" not in bad.stderr or "aarch64" not in bad.stderr:
        p.append("--board q35 --arch aarch64: exit %d, %r" % (bad.returncode, bad.stderr[-200:]))
    return p


def case_sdimg():
    """The runner's SD card image (media "sdimg"): read back with tools
    other than the runner's: the MBR's bytes by hand (one bootable FAT32
    LBA partition at sector 2048, the 0x55AA signature) and mtools' mtype
    for a file two directories down."""
    m, p = load_runner(), []
    with tempfile.TemporaryDirectory(prefix="sdimg-test-") as d:
        esp = os.path.join(d, "esp")
        os.makedirs(os.path.join(esp, "EFI", "BOOT"))
        with open(os.path.join(esp, "EFI", "BOOT", "probe.txt"), "w") as f:
            f.write("cairn sdimg probe\n")
        img = m.make_sdimg(esp, os.path.join(d, "sd.img"))
        data = open(img, "rb").read(512)
        size = os.path.getsize(img)
        start = int.from_bytes(data[454:458], "little")
        count = int.from_bytes(data[458:462], "little")
        if data[510:512] != b"\x55\xaa" or data[446] != 0x80 or data[450] != 0x0c:
            p.append("MBR: signature %r, status 0x%x, type 0x%x" % (data[510:512], data[446],
                                                                  data[450]))
        if start != 2048 or (start + count) * 512 != size or size & (size - 1):
            p.append("partition %d+%d sectors in a %d-byte image (want 2048+, to the end, "
                     "a power of two)" % (start, count, size))
        got = subprocess.run(["mtype", "-i", "%s@@%d" % (img, start * 512),
                              "::/EFI/BOOT/probe.txt"], capture_output=True, text=True)
        if got.stdout != "cairn sdimg probe\n":
            p.append("mtype read %r (%s)" % (got.stdout, got.stderr.strip()))
    return p


CASES = [
    ("boards", case_boards),
    ("sdimg", case_sdimg),
    ("amlrun-refuses-table", case_amlrun_refuses_table),
    ("missing-kernel", case_missing_kernel),
    ("status-mapping", case_status_mapping),
    ("x86_64-exit-skylake", case_exit_and_tcg_warnings),
    ("aarch64-panic", lambda: case_panic("aarch64")),
    ("x86_64-shutdown", lambda: case_power("x86_64", "shutdown")),
    ("aarch64-reboot", lambda: case_power("aarch64", "reboot")),
    ("aarch64-shutdown-status", lambda: case_power("aarch64", "shutdown", 7)),
    ("x86_64-quit-no-status", case_quit_no_status),
    ("aarch64-timeout", case_timeout),
    ("x86_64-loader-error", lambda: case_loader_error("x86_64")),
    ("aarch64-loader-error", lambda: case_loader_error("aarch64")),
    ("sigterm", lambda: case_signal(signal.SIGTERM)),
    ("sighup", lambda: case_signal(signal.SIGHUP)),
    ("sigint", lambda: case_signal(signal.SIGINT)),
    ("outer-timeout", case_outer_timeout),
    ("sigkill", case_sigkill),
    ("gdb-port", case_gdb_port),
    ("ctrl-a-x", case_ctrl_a_x),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", action="append", default=[])
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    todo = [(n, f) for n, f in CASES if not args.case or any(c in n for c in args.case)]
    if args.list:
        print("\n".join(n for n, _ in todo))
        return 0
    tap = Ktap("runner.", plan=len(todo))
    for name, fn in todo:
        start = time.monotonic()
        try:
            problems = fn()
        except Exception as e:  # a broken case fails, it does not stop the rest
            problems = ["%s: %s" % (type(e).__name__, e)]
        tap.comment("\n".join("%s: %s" % (name, pr) for pr in problems))
        tap.note(name, not problems, "%.0f s" % (time.monotonic() - start))
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
