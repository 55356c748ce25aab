# SPDX-License-Identifier: MIT
"""Shared helpers for the loader tests: build an ESP directory, boot it in
QEMU with the firmware and command lines from ../shared/QEMU.md, stream the
serial output and stop as soon as a wanted line appears (or on timeout)."""

import os
import re
import select
import shutil
import signal
import subprocess
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
AAVMF_CODE = "/usr/share/AAVMF/AAVMF_CODE.fd"
AAVMF_VARS = "/usr/share/AAVMF/AAVMF_VARS.fd"
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")


def make_esp(root, arch, loader, kernel_bytes=None, cfg=None):
    """Creates root/esp with the loader, cairn/kernel.elf (unless
    kernel_bytes is None) and cairn/cairn.cfg (unless cfg is None)."""
    esp = os.path.join(root, "esp")
    shutil.rmtree(esp, ignore_errors=True)
    os.makedirs(os.path.join(esp, "EFI", "BOOT"))
    os.makedirs(os.path.join(esp, "cairn"))
    name = "BOOTX64.EFI" if arch == "x86_64" else "BOOTAA64.EFI"
    shutil.copy(loader, os.path.join(esp, "EFI", "BOOT", name))
    if kernel_bytes is not None:
        with open(os.path.join(esp, "cairn", "kernel.elf"), "wb") as f:
            f.write(kernel_bytes)
    if cfg is not None:
        with open(os.path.join(esp, "cairn", "cairn.cfg"), "w") as f:
            f.write(cfg)
    return esp


def qemu_cmd(arch, root, esp, mem="1G", extra=()):
    vars_copy = os.path.join(root, "vars.fd")
    if arch == "x86_64":
        shutil.copy(OVMF_VARS, vars_copy)
        return ["qemu-system-x86_64", "-machine", "q35", "-m", mem,
                "-nographic", "-no-reboot",
                "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
                "-drive", f"if=pflash,format=raw,file={vars_copy}",
                "-drive", f"format=raw,file=fat:rw:{esp}",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                *extra]
    if not os.path.exists(vars_copy):
        shutil.copy(AAVMF_VARS, vars_copy)
    machine = "virt"
    extra = list(extra)
    if "-machine" in extra:  # e.g. virt,virtualization=on
        i = extra.index("-machine")
        machine = extra[i + 1]
        del extra[i:i + 2]
    return ["qemu-system-aarch64", "-machine", machine, "-cpu", "cortex-a72",
            "-m", mem, "-nographic", "-no-reboot",
            "-drive", f"if=pflash,format=raw,readonly=on,file={AAVMF_CODE}",
            "-drive", f"if=pflash,format=raw,file={vars_copy}",
            "-drive", f"format=raw,file=fat:rw:{esp},if=none,id=d0",
            "-device", "virtio-blk-pci,drive=d0",
            "-semihosting-config", "enable=on,target=native", *extra]


def run(cmd, timeout, stop_re=None, mark_re=None, log=None):
    """Runs QEMU; returns (exit status, or None if killed; output text;
    seconds from start until mark_re (or stop_re) first matched, or None).
    QEMU is killed as soon as stop_re matches or the timeout expires."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    out = b""
    marked = None
    mark_re = mark_re or stop_re
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                break
            r, _, _ = select.select([p.stdout], [], [], min(left, 0.5))
            if not r:
                if p.poll() is not None:
                    break
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
            if log:
                log.write(chunk)
            text = ANSI.sub(b"", out).decode("latin-1")
            if mark_re and marked is None and re.search(mark_re, text):
                marked = time.monotonic() - start
            if stop_re and re.search(stop_re, text):
                break
    finally:
        if p.poll() is None:
            # Give a finishing guest a moment to exit on its own.
            try:
                p.wait(timeout=0 if stop_re else 2)
            except subprocess.TimeoutExpired:
                pass
        status = p.poll()
        if status is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        out += p.stdout.read() or b""
    text = ANSI.sub(b"", out).decode("latin-1").replace("\r", "")
    return status, text, marked
