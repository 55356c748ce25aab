#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Cairn's set-up and build configuration.

Checks every tool and package the build needs, installs what is missing on
a Debian 12 machine (as root, through apt-get; the arm64 gnu-efi headers and
libfdt.a are unpacked from Debian's arm64 packages into build/deps/), then
writes build.ninja. Sources are discovered by directory, so adding a file
needs no edit here:

  lib/ kernel/ mm/ acpi/ topology/ workload/ neutral: into both kernels and
  tests/unit/                               the host archive
  lib/libc/                                 freestanding C library bits: both
                                            kernels; string.c and lib/format.c
                                            also into the loader (LOADER_LIB)
  hal/<arch>/                               that arch's kernel only
  tests/kernel/                             in-kernel-only tests
  tests/host/                               host-only tests
  tools/<name>/*.c                          a host program build/host/<name>
  tests/fuzz/<name>.c                       a libFuzzer target (ninja fuzz;
                                            sim_*.c also link sim/ and libhwloc)
  sim/                                      the host simulator: build/host/
                                            cairn-sim-core (-O2) and
                                            cairn-sim-asan (ASan/UBSan)
  boot/ boot/<arch>/                        the UEFI loader

Usage: python3 configure.py [--no-install] [--release]
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
ARCHES = ["x86_64", "aarch64"]
NEUTRAL_DIRS = ["lib", "kernel", "mm", "acpi", "topology", "workload"]
# The leaf library files the UEFI loader builds too (docs/layers.md).
LOADER_LIB = ["lib/libc/string.c", "lib/format.c"]
DEPS = os.path.join("build", "deps")

# (check, Debian package). A check is a command on PATH or an absolute path.
REQUIRED = [
    ("clang", "clang"),
    ("ld.lld", "lld"),
    ("lld-link", "lld"),
    ("llvm-ar", "llvm"),
    ("llvm-objcopy", "llvm"),
    ("ninja", "ninja-build"),
    ("qemu-system-x86_64", "qemu-system-x86"),
    ("qemu-system-aarch64", "qemu-system-arm"),
    ("/usr/share/OVMF/OVMF_CODE_4M.fd", "ovmf"),
    ("/usr/share/AAVMF/AAVMF_CODE.fd", "qemu-efi-aarch64"),
    # U-Boot's UEFI as the other firmware (tools/boards.py: q35-uboot, virt-uboot).
    ("/usr/lib/u-boot/qemu-x86_64/u-boot.rom", "u-boot-qemu"),
    ("/usr/lib/u-boot/qemu_arm64/u-boot.bin", "u-boot-qemu"),
    ("/usr/include/efi/x86_64/efibind.h", "gnu-efi"),
    ("/usr/include/libfdt.h", "libfdt-dev"),
    ("dtc", "device-tree-compiler"),
    ("iasl", "acpica-tools"),
    ("acpiexec", "acpica-tools"),
    ("mtools", "mtools"),
    ("mkfs.vfat", "dosfstools"),
    ("/usr/share/consolefonts/Uni2-Terminus16.psf.gz", "console-setup-linux"),
    # hwloc, not hwloc-nox: build/host/topo --draw runs `lstopo` to write PNG,
    # which hwloc-nox's lstopo (a link to lstopo-no-graphics) cannot do.
    ("lstopo-no-graphics", "hwloc"),
    ("lstopo:png", "hwloc"),
    # tools/fetch-qemu-acpi.sh unpacks QEMU's .tar.xz source.
    ("xz", "xz-utils"),
    ("tar", "tar"),
    ("clang-format", "clang-format"),
    ("gdb-multiarch", "gdb-multiarch"),  # README: debugging AArch64 (and x86_64)
    ("cpuid", "cpuid"),  # README: capturing a real machine's CPUID for build/host/topo
    # The simulator (docs/research.md): hwloc XML and synthetic topologies
    # through libhwloc, plots through matplotlib, rt-app's documentation
    # and example workloads (tests parse them).
    ("/usr/include/hwloc.h", "libhwloc-dev"),
    ("/usr/lib/python3/dist-packages/matplotlib/__init__.py", "python3-matplotlib"),
    ("/usr/share/doc/rt-app/examples/template.json", "rt-app"),
]
ARM64_DEBS = ["gnu-efi", "libfdt-dev"]
FONT = "/usr/share/consolefonts/Uni2-Terminus16.psf.gz"


def lstopo_draws_png():
    """The graphical lstopo lists png among its output formats."""
    try:
        r = subprocess.run(["lstopo", "--help"], capture_output=True, text=True)
    except OSError:
        return False
    return any("png" in line for line in (r.stdout + r.stderr).splitlines()
               if line.startswith("Supported output file formats"))


def have(check):
    if check == "lstopo:png":
        return lstopo_draws_png()
    if check.startswith("/"):
        return os.path.exists(check)
    return shutil.which(check) is not None or os.path.exists("/usr/sbin/" + check)


def run(cmd, **kw):
    """Runs a set-up command; a failure ends configure with one line naming it."""
    print("+ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        subprocess.run(cmd, check=True, **kw)
    except FileNotFoundError:
        sys.exit("configure: %s: command not found" % cmd[0])
    except subprocess.CalledProcessError as e:
        sys.exit("configure: `%s` failed with exit status %d" % (" ".join(cmd), e.returncode))


def sanitizers_work():
    """clang's ASan/UBSan/libFuzzer runtimes (libclang-rt) link?"""
    src = "int main(void){return 0;}\n"
    try:
        r = subprocess.run(["clang", "-x", "c", "-", "-fsanitize=address,undefined,fuzzer-no-link",
                            "-o", "/dev/null"], input=src.encode(), capture_output=True)
        return r.returncode == 0
    except FileNotFoundError:
        return False


def arm64_deps_present():
    base = os.path.join(ROOT, DEPS, "arm64")
    return (os.path.exists(os.path.join(base, "usr/include/efi/aarch64/efibind.h")) and
            glob.glob(os.path.join(base, "usr/lib/aarch64-linux-gnu/libfdt.a")))


def apt_env():
    env = dict(os.environ)
    env["DEBIAN_FRONTEND"] = "noninteractive"
    return env


def install(missing_pkgs, need_arm64, no_install):
    apt_cmd = ["apt-get", "install", "-y", "--no-install-recommends"] + sorted(missing_pkgs)
    arm_cmds = [
        "dpkg --add-architecture arm64 && apt-get update",
        "cd %s/debs && apt-get download %s" % (DEPS, " ".join(p + ":arm64" for p in ARM64_DEBS)),
        "for d in %s/debs/*_arm64.deb; do dpkg-deb -x $d %s/arm64; done" % (DEPS, DEPS),
    ]
    if no_install or os.geteuid() != 0:
        print("configure: missing prerequisites. Run as root:")
        if missing_pkgs:
            print("  apt-get update && " + " ".join(apt_cmd))
        if need_arm64:
            for c in arm_cmds:
                print("  " + c)
        sys.exit(1)
    env = apt_env()
    if missing_pkgs or need_arm64:
        if need_arm64:
            run(["dpkg", "--add-architecture", "arm64"])
        run(["apt-get", "update", "-q"], env=env)
    if missing_pkgs:
        run(apt_cmd, env=env)
    if need_arm64:
        debdir = os.path.join(ROOT, DEPS, "debs")
        os.makedirs(debdir, exist_ok=True)
        os.chmod(debdir, 0o777)  # apt's _apt user downloads into it
        run(["apt-get", "download"] + [p + ":arm64" for p in ARM64_DEBS], cwd=debdir, env=env)
        for deb in glob.glob(os.path.join(debdir, "*_arm64.deb")):
            run(["dpkg-deb", "-x", deb, os.path.join(ROOT, DEPS, "arm64")])


def check_and_install(no_install):
    missing = sorted({pkg for chk, pkg in REQUIRED if not have(chk)})
    if not sanitizers_work():
        missing.append("libclang-rt-14-dev")
    need_arm64 = not arm64_deps_present()
    if missing or need_arm64:
        install(set(missing), need_arm64, no_install)
    still = [chk for chk, _ in REQUIRED if not have(chk)]
    if still or not arm64_deps_present() or not sanitizers_work():
        sys.exit("configure: still missing after installation: %s" %
                 (", ".join("%s (package %s)" % (c, p) for c, p in REQUIRED if c in still)
                  or "arm64 deps / sanitizers"))
    fetch_fixtures(no_install)
    fetch_rpi(no_install)
    print("configure: all prerequisites present")


# The Raspberry Pi 3 board (QEMU raspi3b): U-Boot's rpi_arm64 build and the
# board's device tree, from Debian's arm64 packages, unpacked (not
# installed) and copied to fixed names in build/deps/rpi/.
RPI_DIR = os.path.join(DEPS, "rpi")
RPI_FILES = {"u-boot.bin": ("u-boot-rpi", "usr/lib/u-boot/rpi_arm64/u-boot.bin"),
             "bcm2837-rpi-3-b.dtb": ("linux-image-arm64",
                                     "usr/lib/linux-image-*/broadcom/bcm2837-rpi-3-b.dtb")}


def arm64_depends(pkg, env):
    """The versioned package a meta package (linux-image-arm64) names."""
    r = subprocess.run(["apt-cache", "depends", pkg + ":arm64"], capture_output=True,
                       text=True, env=env)
    for line in r.stdout.splitlines():
        line = line.strip()
        if line.startswith("Depends:"):
            return line.split()[1].split(":")[0]
    return pkg


def fetch_rpi(no_install):
    base = os.path.join(ROOT, RPI_DIR)
    if all(os.path.exists(os.path.join(base, f)) for f in RPI_FILES):
        return
    if no_install or os.geteuid() != 0:
        print("configure: the raspi3b board's files are missing (%s); run configure.py as "
              "root to fetch u-boot-rpi:arm64 and linux-image-arm64:arm64" % RPI_DIR)
        return
    env = apt_env()
    debdir = os.path.join(base, "debs")
    os.makedirs(debdir, exist_ok=True)
    os.chmod(debdir, 0o777)  # apt's _apt user downloads into it
    for name, (pkg, path) in RPI_FILES.items():
        if pkg == "linux-image-arm64":
            pkg = arm64_depends(pkg, env)
        if not glob.glob(os.path.join(debdir, pkg + "_*_arm64.deb")):
            run(["apt-get", "download", pkg + ":arm64"], cwd=debdir, env=env)
        deb = glob.glob(os.path.join(debdir, pkg + "_*_arm64.deb"))[0]
        unpack = os.path.join(base, "unpacked")
        os.makedirs(unpack, exist_ok=True)
        # Only the one file: the Linux image package is 60 MB unpacked.
        run(["sh", "-c", "dpkg-deb --fsys-tarfile %s | tar -x -C %s --wildcards './%s'" % (
            shlex.quote(deb), shlex.quote(unpack), path)])
        found = glob.glob(os.path.join(unpack, path))
        if not found:
            sys.exit("configure: %s has no %s" % (deb, path))
        shutil.copyfile(found[0], os.path.join(base, name))


def fetch_fixtures(no_install):
    """QEMU's reference ACPI tables (test fixtures), from Debian's qemu source package."""
    if os.path.isdir(os.path.join(ROOT, DEPS, "qemu-acpi", "virt")):
        return
    if no_install:
        print("configure: QEMU's reference ACPI tables are missing; tests that need them will "
              "fail. Fetch them with: sh tools/fetch-qemu-acpi.sh")
        return
    run(["sh", "tools/fetch-qemu-acpi.sh"], cwd=ROOT)


def srcs(*patterns):
    out = []
    for p in patterns:
        out += glob.glob(os.path.join(ROOT, p), recursive=True)
    return sorted(os.path.relpath(f, ROOT) for f in out)


def obj(prefix, src):
    return "%s/%s.o" % (prefix, src)


def version():
    try:
        rev = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                             capture_output=True, text=True).stdout.strip()
    except FileNotFoundError:
        rev = ""
    return "0.1-" + (rev or "unknown")


def write_ninja(args):
    resdir = subprocess.run(["clang", "-print-resource-dir"], capture_output=True,
                            text=True, check=True).stdout.strip()
    warn = "-Wall -Wextra -Werror -Wno-unused-parameter"
    opt = "-O2" if args.release else "-O2"
    neutral = srcs(*["%s/**/*.c" % d for d in NEUTRAL_DIRS])
    klib = [s for s in neutral if s.startswith("lib/libc/")]
    neutral = [s for s in neutral if not s.startswith("lib/libc/")]
    # kernel/sched/unit.c compiles the default policy, the scheduler core and
    # the sleeping primitives as one unit (docs/sched.md, "Benchmarks"):
    # they are not units of their own in the kernel or the host archive.
    # The simulator, which has its own core, compiles eevdf.c alone
    # (policies below).
    in_unit = ("kernel/sched/eevdf.c", "kernel/sched/core.c", "kernel/wait.c")
    neutral = [s for s in neutral if s not in in_unit]
    # Compiled alone for the simulator's archives only.
    sim_alone = ["kernel/sched/eevdf.c"]
    # The ASL test programs as neutral tests (tools/asl2c.py, iasl at build
    # time): build/gen/aml_asl.c runs in the host tests and both kernels.
    unit = srcs("tests/unit/*.c") + ["build/gen/aml_asl.c"]
    out = []
    w = out.append
    w("# Generated by configure.py; do not edit. Re-run configure.py after adding files.")
    w("ninja_required_version = 1.10")
    w("builddir = build")
    w("resdir = %s" % resdir)
    w("version = %s" % version())
    w("hostcflags = -std=gnu11 -g -O1 %s -fno-omit-frame-pointer "
      "-fsanitize=address,undefined -fno-sanitize-recover=all -I. -Itests/host/hal "
      "-DCAIRN_VERSION='\"$version\"'" % warn)
    w("hostldflags = -fsanitize=address,undefined -lpthread -lfdt")
    kflags = ("-std=gnu11 %s -g %s -ffreestanding -fno-builtin -nostdinc -isystem $resdir/include "
              "-isystem lib/libc/include -isystem %s/arm64/usr/include -fno-stack-protector "
              "-fno-pic -ffunction-sections -fdata-sections -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -I. "
              "-DCAIRN_VERSION='\"$version\"'" % (warn, opt, DEPS))
    # -idivq-to-divl: no 32-bit fast path before each 64-bit division (a
    # test, a branch and a register move per division, clang's tuning for
    # cores whose divq is slow): eevdf divides on every wake-up and sleep,
    # and the benchmarks count instructions (docs/sched.md, "Benchmarks").
    w("kflags_x86_64 = --target=x86_64-unknown-elf %s -Ihal/x86_64 -mcmodel=kernel -mno-red-zone "
      "-mgeneral-regs-only -Xclang -target-feature -Xclang -idivq-to-divl" % kflags)
    w("kflags_aarch64 = --target=aarch64-unknown-elf %s -Ihal/aarch64 -mgeneral-regs-only" % kflags)
    # -mgeneral-regs-only: the loader must not depend on the firmware having
    # enabled SSE / FP. U-Boot's x86_64 UEFI leaves CR4.OSFXSR clear, so the
    # first SSE instruction clang emits (struct copies, zeroing) raises #UD
    # and U-Boot's IDT turns that into a silent triple fault (docs/boot.md).
    efi = ("-std=gnu11 %s -O2 -ffreestanding -fshort-wchar -fno-stack-protector -I. "
           "-isystem lib/libc/include -mgeneral-regs-only -mno-red-zone" % warn)
    w("efiflags_x86_64 = --target=x86_64-unknown-windows %s -I/usr/include/efi "
      "-I/usr/include/efi/x86_64" % efi)
    w("efiflags_aarch64 = --target=aarch64-unknown-windows %s -I%s/arm64/usr/include/efi "
      "-I%s/arm64/usr/include/efi/aarch64" % (efi.replace(" -mno-red-zone", ""), DEPS, DEPS))
    w("")
    w("rule hostcc\n  command = clang $hostcflags -MD -MF $out.d -c $in -o $out\n"
      "  depfile = $out.d\n  deps = gcc\n  description = CC(host) $in")
    w("rule hostlink\n  command = clang $in -o $out $hostldflags\n  description = LINK(host) $out")
    # Benchmarks (tools/bench-*) measure speed: -O2, no sanitizers.
    w("benchcflags = -std=gnu11 -g -O2 %s -I. -Itests/host/hal "
      "-DCAIRN_VERSION='\"$version\"'" % warn)
    w("rule benchcc\n  command = clang $benchcflags -MD -MF $out.d -c $in -o $out\n"
      "  depfile = $out.d\n  deps = gcc\n  description = CC(bench) $in")
    w("rule benchlink\n  command = clang $in -o $out -lpthread\n  description = LINK(bench) $out")
    w("rule ar\n  command = rm -f $out && llvm-ar rcs $out $in\n  description = AR $out")
    w("rule fuzzcc\n  command = clang $hostcflags -fsanitize=fuzzer-no-link -MD -MF $out.d -c $in -o $out\n"
      "  depfile = $out.d\n  deps = gcc\n  description = CC(fuzz) $in")
    w("rule fuzzcc_nocmp\n  command = clang $hostcflags -fsanitize=fuzzer-no-link "
      "-fno-sanitize-coverage=trace-cmp -MD -MF $out.d -c $in -o $out\n"
      "  depfile = $out.d\n  deps = gcc\n  description = CC(fuzz, no cmp tracing) $in")
    w("rule fuzzlink\n  command = clang $in -o $out -fsanitize=fuzzer,address,undefined $extra\n"
      "  description = LINK(fuzz) $out")
    for a in ARCHES:
        w("rule kcc_%s\n  command = clang $kflags_%s -MD -MF $out.d -c $in -o $out\n"
          "  depfile = $out.d\n  deps = gcc\n  description = CC(%s) $in" % (a, a, a))
        w("rule klink_%s\n  command = ld.lld -T hal/%s/kernel.ld -nostdlib -static --no-pie --gc-sections "
          "-z max-page-size=4096 $in -o $out\n  description = LINK(%s) $out" % (a, a, a))
        w("rule efcc_%s\n  command = clang $efiflags_%s -MD -MF $out.d -c $in -o $out\n"
          "  depfile = $out.d\n  deps = gcc\n  description = CC(efi %s) $in" % (a, a, a))
    w("rule hlink\n  command = ld.lld -T boot/tests/handover.ld -nostdlib -static --no-pie $in -o $out\n"
      "  description = LINK $out")
    w("rule efilink\n  command = lld-link /subsystem:efi_application /entry:efi_main /nodefaultlib "
      "$machine /out:$out $in\n  description = LINK(efi) $out")
    w("rule font\n  command = python3 tools/psf2c.py $in $out\n  description = FONT $out")
    w("rule copy\n  command = mkdir -p $$(dirname $out) && cp $in $out\n  description = COPY $out")
    w("rule configure\n  command = python3 configure.py --no-install %s\n  generator = 1\n"
      "  description = CONFIGURE" % ("--release" if args.release else ""))
    w("rule cmd\n  command = $cmd\n  description = $desc\n  pool = console")
    # Directories as inputs: adding or removing a source file changes the
    # directory's mtime, so ninja re-runs configure.py by itself.
    dirs = sorted({os.path.relpath(d, ROOT) for pat in
                   ["lib/**/", "kernel/**/", "mm/**/", "acpi/**/", "topology/**/", "workload/**/",
                    "sim/**/", "hal/**/", "boot/**/",
                    "tests/**/", "tools/*/"] for d in glob.glob(os.path.join(ROOT, pat), recursive=True)})
    w("build build.ninja: configure configure.py | %s" % " ".join(dirs))
    w("build build/gen/font.c: font %s | tools/psf2c.py" % FONT)
    w("rule asl2c\n  command = python3 tools/asl2c.py $out\n  description = ASL2C $out")
    w("build build/gen/aml_asl.c: asl2c | tools/asl2c.py %s" % " ".join(
        srcs("tests/aml/*.asl", "tests/aml/tables/*.asl")))
    w("")

    # Host: neutral archive, test binary, tools, fuzzers.
    host_objs = [obj("build/host/obj", s) for s in neutral + ["build/gen/font.c"]]
    for s in neutral + sim_alone + ["build/gen/font.c"]:
        w("build %s: hostcc %s" % (obj("build/host/obj", s), s))
    w("build build/host/libcairn.a: ar %s" % " ".join(host_objs))
    support = srcs("tests/host/hal/*.c")
    for s in support + ["tests/ktest.c"] + srcs("tests/host/*.c") + unit:
        w("build %s: hostcc %s" % (obj("build/host/obj", s), s))
    sup_objs = [obj("build/host/obj", s) for s in support]
    test_objs = [obj("build/host/obj", s) for s in ["tests/ktest.c"] + srcs("tests/host/*.c") + unit]
    w("build build/host/tests: hostlink %s %s build/host/libcairn.a" %
      (" ".join(test_objs), " ".join(sup_objs)))
    tools = []
    # The -O2 archive without sanitizers: benchmarks and the simulator.
    for s in neutral + sim_alone + support + ["build/gen/font.c"]:
        w("build %s: benchcc %s" % (obj("build/bench/obj", s), s))
    w("build build/bench/libcairn.a: ar %s" % " ".join(
        obj("build/bench/obj", s) for s in neutral + ["build/gen/font.c"]))
    bench_sup = " ".join(obj("build/bench/obj", s) for s in support)
    # The simulator has its own core: no host context switch (context.c
    # would pull kernel/sched/core.c in through sched_thread_start).
    sim_sup = [s for s in support if not s.endswith("/context.c")]
    # The simulator (sim/, docs/research.md): an -O2 build for use and
    # benchmarks, an ASan/UBSan build for the tests.
    sim_srcs = srcs("sim/*.c")
    w("rule simlink\n  command = clang $in -o $out $extra -lpthread -lhwloc -lfdt\n"
      "  description = LINK(sim) $out")
    for s in sim_srcs:
        w("build %s: benchcc %s" % (obj("build/bench/obj", s), s))
        w("build %s: hostcc %s" % (obj("build/host/obj", s), s))
    # Only the neutral floors below kernel/, the balancer, registry and
    # domain files, and every policy: a kernel/sched/*.c that defines a
    # `const struct sched_ops sched_NAME_ops` (so a policy added as
    # docs/research.md's tutorial says is in the simulator too). The
    # simulator is the core (sim/core.c, sim/host.c).
    policies = [s for s in srcs("kernel/sched/*.c") if re.search(
        r"^const struct sched_ops sched_\w+_ops = ", open(os.path.join(ROOT, s)).read(), re.M)]
    sim_neutral = [s for s in neutral if not s.startswith("kernel/")] + policies + [
        "kernel/sched/%s.c" % f for f in
        ("balance", "registry", "domain", "domain_raw", "domain_print")] + ["build/gen/font.c"]
    for kind in ("bench", "host"):
        w("build build/%s/libsim.a: ar %s" % (kind, " ".join(
            obj("build/%s/obj" % kind, s) for s in sim_neutral)))
    w("build build/host/cairn-sim-core: simlink %s %s build/bench/libsim.a" % (
        " ".join(obj("build/bench/obj", s) for s in sim_srcs),
        " ".join(obj("build/bench/obj", s) for s in sim_sup)))
    w("build build/host/cairn-sim-asan: simlink %s %s build/host/libsim.a\n"
      "  extra = -fsanitize=address,undefined" % (
          " ".join(obj("build/host/obj", s) for s in sim_srcs),
          " ".join(obj("build/host/obj", s) for s in sim_sup)))
    tools += ["build/host/cairn-sim-core", "build/host/cairn-sim-asan"]
    for d in sorted(glob.glob(os.path.join(ROOT, "tools/*/"))):
        name = os.path.basename(d.rstrip("/"))
        csrc = srcs("tools/%s/*.c" % name)
        if not csrc:
            continue
        if name.startswith("bench-"):
            for s in csrc:
                w("build %s: benchcc %s" % (obj("build/bench/obj", s), s))
            w("build build/host/%s: benchlink %s %s build/bench/libcairn.a" % (
                name, " ".join(obj("build/bench/obj", s) for s in csrc), bench_sup))
            tools.append("build/host/%s" % name)
            continue
        for s in csrc:
            w("build %s: hostcc %s" % (obj("build/host/obj", s), s))
        w("build build/host/%s: hostlink %s %s build/host/libcairn.a" %
          (name, " ".join(obj("build/host/obj", s) for s in csrc), " ".join(sup_objs)))
        tools.append("build/host/%s" % name)
    fuzzers = []
    fuzz_lib = []
    for s in neutral + support + ["build/gen/font.c"]:
        w("build %s: fuzzcc %s" % (obj("build/fuzz/obj", s), s))
        fuzz_lib.append(obj("build/fuzz/obj", s))
    for s in sim_alone:
        w("build %s: fuzzcc %s" % (obj("build/fuzz/obj", s), s))
    # The host stand-ins are linked as objects, as for build/host/tests: in
    # the archive, one that pulls in a kernel file (kstack_alloc) also drags
    # that file's other kernel-only references in.
    fuzz_sup = [obj("build/fuzz/obj", s) for s in support]
    w("build build/fuzz/libcairn.a: ar %s" % " ".join(o for o in fuzz_lib if o not in fuzz_sup))
    # sim_* fuzzers link the simulator's readers (not its main) over the
    # same neutral subset as the simulator.
    sim_fuzz = [obj("build/fuzz/obj", s) for s in sim_srcs if not s.endswith("/main.c")]
    for s in sim_srcs:
        if not s.endswith("/main.c"):
            w("build %s: fuzzcc %s" % (obj("build/fuzz/obj", s), s))
    w("build build/fuzz/libsim.a: ar %s %s" % (
        " ".join(obj("build/fuzz/obj", s) for s in sim_neutral),
        " ".join(obj("build/fuzz/obj", s) for s in sim_sup)))
    # aml_methods' input picks statements through a generator, so its bytes
    # never meet the interpreter's comparisons: tracing them (libFuzzer's
    # trace-cmp hooks, half of that target's time in a profile) guides
    # nothing there. Its copy of the interpreter is built without them;
    # edge coverage and the sanitizers are unchanged. Linked before the
    # archive, so the archive's instrumented copies are not pulled in.
    # aml_load's bytes do reach them, but with the AML opcode dictionary
    # the hooks bought no coverage (issue 14, fourth campaign: 20 000 runs,
    # cov 1544 with them and 1537 without) for 39% more runs per CPU-second.
    aml = [x for x in neutral if x.startswith("acpi/aml/")]
    nocmp = {"aml_methods": aml, "aml_load": aml}
    for x in sorted(set(x for lst in nocmp.values() for x in lst)):
        w("build %s: fuzzcc_nocmp %s" % (obj("build/fuzz/obj-nocmp", x), x))
    for s in srcs("tests/fuzz/*.c"):
        name = os.path.splitext(os.path.basename(s))[0]
        extra = name.startswith("sim_")
        own = "".join(obj("build/fuzz/obj-nocmp", x) + " " for x in nocmp.get(name, []))
        w("build %s: fuzzcc %s" % (obj("build/fuzz/obj", s), s))
        w("build build/fuzz/%s: fuzzlink %s %s%s" % (
            name, obj("build/fuzz/obj", s),
            " ".join(sim_fuzz) + " build/fuzz/libsim.a" if extra
            else own + " ".join(fuzz_sup) + " build/fuzz/libcairn.a",
            "\n  extra = -lhwloc -lfdt" if extra else ""))
        fuzzers.append("build/fuzz/%s" % name)
    w("")

    # Kernels and loaders.
    images = []
    for a in ARCHES:
        ksrc = (neutral + klib + ["tests/ktest.c"] + unit + srcs("tests/kernel/*.c") +
                srcs("hal/%s/**/*.c" % a, "hal/%s/**/*.S" % a) + ["build/gen/font.c"])
        kobjs = []
        for s in ksrc:
            o = obj("build/%s/obj" % a, s)
            w("build %s: kcc_%s %s" % (o, a, s))
            kobjs.append(o)
        libfdt = ("/usr/lib/x86_64-linux-gnu/libfdt.a" if a == "x86_64" else
                  "%s/arm64/usr/lib/aarch64-linux-gnu/libfdt.a" % DEPS)
        w("build build/%s/kernel.elf: klink_%s %s %s | hal/%s/kernel.ld" %
          (a, a, " ".join(kobjs), libfdt, a))
        bsrc = srcs("boot/*.c", "boot/%s/*.c" % a, "boot/%s/*.S" % a) + LOADER_LIB
        bobjs = []
        for s in bsrc:
            o = obj("build/%s/boot" % a, s)
            w("build %s: efcc_%s %s" % (o, a, s))
            bobjs.append(o)
        efi_name = "BOOTX64.EFI" if a == "x86_64" else "BOOTAA64.EFI"
        if bobjs:
            w("build build/%s/%s: efilink %s\n  machine = %s" %
              (a, efi_name, " ".join(bobjs), "/machine:x64" if a == "x86_64" else "/machine:arm64"))
            w("build build/esp-%s/EFI/BOOT/%s: copy build/%s/%s" % (a, efi_name, a, efi_name))
            images.append("build/esp-%s/EFI/BOOT/%s" % (a, efi_name))
        # The loader's handover-check kernel (tests/boot/handover.py boots it).
        w("build build/%s/handover/handover.c.o: kcc_%s boot/tests/handover.c" % (a, a))
        w("build build/%s/handover.elf: hlink build/%s/handover/handover.c.o | boot/tests/handover.ld"
          % (a, a))
        images.append("build/%s/handover.elf" % a)
        w("build build/esp-%s/cairn/kernel.elf: copy build/%s/kernel.elf" % (a, a))
        images.append("build/esp-%s/cairn/kernel.elf" % a)
    w("")
    w("build images: phony %s" % " ".join(images))
    w("build host: phony build/host/tests %s" % " ".join(tools))
    w("build fuzz-seeds: cmd\n  cmd = sh tests/fuzz/acpi_seeds.sh && sh tests/fuzz/sim_seeds.sh\n"
      "  desc = FUZZ-SEEDS")
    w("build fuzz: phony fuzz-seeds %s" % " ".join(fuzzers))
    w("build run: cmd images\n  cmd = python3 tools/cairn-run --arch x86_64\n  desc = RUN x86_64")
    w("build run-aarch64: cmd images\n  cmd = python3 tools/cairn-run --arch aarch64\n"
      "  desc = RUN aarch64")
    w("build test: cmd images host\n  cmd = python3 tools/run-tests.py\n  desc = TEST")
    w("build test-extra: cmd images host\n"
      "  cmd = python3 tools/run-tests.py --tier extra --junit build/test-results-extra.xml\n"
      "  desc = TEST-EXTRA")
    w("build scale: cmd images\n  cmd = python3 tools/run-scale.py\n  desc = SCALE")
    w("build linux-compare: cmd images\n"
      "  cmd = python3 tools/linux-compare.py --linux-from tests/topology/linux\n"
      "  desc = LINUX-COMPARE")
    w("build bench-smp: cmd images\n  cmd = python3 tools/bench-smp.py\n  desc = BENCH-SMP")
    w("build bench-sched: cmd images\n  cmd = python3 tools/bench-sched\n  desc = BENCH-SCHED")
    w("build bench-sim: cmd build/host/cairn-sim-core\n  cmd = python3 tools/bench-sim.py\n"
      "  desc = BENCH-SIM")
    # lint disassembles both kernels (the FP/SIMD rule): build them first,
    # so a clean checkout's `ninja lint` checks them instead of passing over.
    w("build lint: cmd | build/x86_64/kernel.elf build/aarch64/kernel.elf\n"
      "  cmd = python3 tools/lint.py\n  desc = LINT")
    w("build format-check: cmd\n  cmd = python3 tools/lint.py --format\n  desc = FORMAT-CHECK")
    w("build format: cmd\n  cmd = python3 tools/lint.py --format --fix\n  desc = FORMAT")
    w("default images host")
    with open(os.path.join(ROOT, "build.ninja"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("configure: wrote build.ninja (%d neutral sources, %d tools, %d fuzzers)" %
          (len(neutral), len(tools), len(fuzzers)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-install", action="store_true",
                    help="only check prerequisites; print the command to install what is missing")
    ap.add_argument("--release", action="store_true", help="(reserved) optimised kernel build")
    args = ap.parse_args()
    os.chdir(ROOT)
    check_and_install(args.no_install)
    write_ninja(args)


if __name__ == "__main__":
    main()
