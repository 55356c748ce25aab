#!/bin/sh
# SPDX-License-Identifier: MIT
# Seeds of the simulator's fuzz targets, built at build time (nothing
# committed): build/fuzz/seeds/sim_workload/ from rt-app's examples and
# tests/sim/, sim_acpi_topo/ with each corpus machine's tables
# concatenated, sim_hwloc/ with lstopo's XML of a few synthetic machines.
set -eu
cd "$(dirname "$0")/../.."
corpus=${CAIRN_SHARED:-../shared}/acpi-corpus
s=build/fuzz/seeds
mkdir -p $s/sim_workload $s/sim_acpi_topo $s/sim_hwloc
for f in /usr/share/doc/rt-app/examples/*.json /usr/share/doc/rt-app/examples/*/*.json \
	docs/research/*.json; do
	[ -f "$f" ] && cp "$f" "$s/sim_workload/$(echo "$f" | md5sum | cut -c1-16)"
done
for d in "$corpus"/*/; do
	cat "$d"/*.dat > "$s/sim_acpi_topo/$(echo "$d" | md5sum | cut -c1-16)" 2>/dev/null || true
done
i=0
for desc in "pu:2" "pack:2 core:4 pu:2" "pack:2 numa:2 l3:2 core:4 pu:2" "numa:4 core:2"; do
	lstopo-no-graphics -i "$desc" --of xml "$s/sim_hwloc/synth$i.xml" 2>/dev/null || true
	i=$((i + 1))
done
echo "sim fuzz seeds: $(ls $s/sim_workload | wc -l) workloads, $(ls $s/sim_acpi_topo | wc -l) machines, $(ls $s/sim_hwloc | wc -l) XML"
