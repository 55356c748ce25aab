#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the seed corpora of the ACPI fuzz targets from real tables (the
# acpi-corpus and QEMU's reference tables), at build time, into
# build/fuzz/seeds/acpi_<table>/. Nothing is committed.
#   tests/fuzz/acpi_seeds.sh   then   build/fuzz/acpi_madt build/fuzz/seeds/acpi_madt
set -eu
cd "$(dirname "$0")/../.."
corpus=${CAIRN_SHARED:-../shared}/acpi-corpus
qemu=build/deps/qemu-acpi
[ -d "$qemu" ] || tools/fetch-qemu-acpi.sh >/dev/null 2>&1 || true
for pair in fadt:FACP madt:APIC srat:SRAT slit:SLIT pptt:PPTT hmat:HMAT \
	mcfg:MCFG hpet:HPET gtdt:GTDT spcr:SPCR dbg2:DBG2 iort:IORT; do
	name=${pair%%:*}
	sig=${pair#*:}
	out=build/fuzz/seeds/acpi_$name
	mkdir -p "$out"
	for f in "$corpus"/*/*.dat "$qemu"/*/*; do
		[ -f "$f" ] || continue
		if [ "$(head -c 4 "$f")" = "$sig" ]; then
			cp "$f" "$out/$(echo "$f" | md5sum | cut -c1-16)"
		fi
	done
	echo "acpi_$name: $(ls "$out" | wc -l) seeds"
done
