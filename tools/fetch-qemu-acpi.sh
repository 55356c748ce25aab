#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetches QEMU's reference ACPI tables (tests/data/acpi/{virt,q35,...}) from
# Debian's qemu source package into build/deps/qemu-acpi/, without touching
# the system's apt set-up (a private sources list and state directory).
# The tables are test fixtures for acpi/ (tests/host/acpi_qemu.c) and seeds
# for the fuzzers; they are never committed.
#
# Usage: tools/fetch-qemu-acpi.sh [outdir]   (default build/deps/qemu-acpi)
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/deps/qemu-acpi}
if [ -d "$out/virt" ] && [ -d "$out/q35" ]; then
	exit 0
fi
# One clear line for a missing tool (configure.py installs them).
for tool in apt-get tar xz; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		pkg=$tool
		[ "$tool" = xz ] && pkg=xz-utils
		echo "fetch-qemu-acpi: '$tool' is not installed (Debian package $pkg)" >&2
		exit 1
	fi
done
work=build/deps/qemu-src
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/cache"
src=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
	head -n1 | awk '{print $2}')
: "${src:=http://deb.debian.org/debian}"
echo "deb-src $src bookworm main" >"$work/sources.list"
apt_opts="-o Dir::Etc::sourcelist=$PWD/$work/sources.list
 -o Dir::Etc::sourceparts=-
 -o Dir::State::Lists=$PWD/$work/lists
 -o Dir::Cache=$PWD/$work/cache
 -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get -q $apt_opts update >/dev/null
(cd "$work" && apt-get -q $apt_opts source --download-only qemu >/dev/null)
tarball=$(ls "$work"/qemu_*.orig.tar.* | head -n1)
tmp=$work/x
rm -rf "$tmp" && mkdir -p "$tmp"
tar -xf "$tarball" -C "$tmp" --wildcards '*/tests/data/acpi/*'
rm -rf "$out" && mkdir -p "$out"
cp -r "$tmp"/*/tests/data/acpi/* "$out"/
rm -rf "$tmp"
echo "fetch-qemu-acpi: $(find "$out" -type f | wc -l) tables in $out"
