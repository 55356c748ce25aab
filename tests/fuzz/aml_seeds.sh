#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the seed corpora of the AML fuzz targets, at build time, into
# build/fuzz/seeds/ (nothing is committed):
#   aml_load: every DSDT/SSDT of every corpus machine and of QEMU's reference
#     tables, and every ASL test (tests/aml/*.asl, tables/*.asl) compiled by
#     iasl; each as the target wants it: one revision byte, then the body
#     (the 36-byte header stripped).
#   aml_res: every ResourceTemplate of the ASL tests and of QEMU's tables is
#     inside those bodies; the target gets the bodies as well (it scans
#     descriptors from the start, libFuzzer's mutations find the rest).
# The dictionary of AML opcodes is tests/fuzz/aml.dict.
#   tests/fuzz/aml_seeds.sh   then   build/fuzz/aml_load -dict=tests/fuzz/aml.dict build/fuzz/seeds/aml_load
set -eu
cd "$(dirname "$0")/../.."
corpus=${CAIRN_SHARED:-../shared}/acpi-corpus
qemu=build/deps/qemu-acpi
out=build/fuzz/seeds/aml_load
tmp=build/fuzz/seeds/asl
mkdir -p "$out" "$tmp"
body() { # file -> revision byte + body, named by content hash
	rev=$(od -An -tu1 -j8 -N1 "$1" | tr -d ' ')
	n=$(md5sum "$1" | cut -c1-16)
	{ printf "\\$(printf %o "$rev")"; tail -c +37 "$1"; } >"$out/$n"
}
for f in "$corpus"/*/dsdt*.dat "$corpus"/*/ssdt*.dat "$qemu"/*/DSDT* "$qemu"/*/SSDT*; do
	[ -f "$f" ] || continue
	case "$(head -c 4 "$f")" in DSDT | SSDT) body "$f" ;; esac
done
for a in tests/aml/*.asl tests/aml/tables/*.asl; do
	b=$tmp/$(basename "$a" .asl)
	iasl -p "$b" "$a" >/dev/null 2>&1 || iasl -f -p "$b" "$a" >/dev/null 2>&1 || continue
	body "$b.aml"
done
mkdir -p build/fuzz/seeds/aml_res build/fuzz/seeds/aml_methods
cp "$out"/* build/fuzz/seeds/aml_res/
echo "aml_load: $(ls "$out" | wc -l) seeds"
