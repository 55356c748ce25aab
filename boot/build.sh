#!/bin/sh
# Builds the loader for both arches by hand (configure.py does the same with
# ninja): build/boot/<arch>/BOOTX64.EFI and BOOTAA64.EFI. Run from the repo root.
set -e
CFLAGS="-std=gnu11 -ffreestanding -fshort-wchar -mno-red-zone -fno-stack-protector -Wall -Wextra -Werror -Wno-unused-parameter -O2 -I."
build() { # arch target incs machine out
	mkdir -p build/boot/$1
	objs=""
	for f in boot/*.c boot/$1/*.c; do
		o=build/boot/$1/$(echo "$f" | tr / _ | sed 's/\.c$/.obj/')
		clang --target=$2 $CFLAGS $3 -c "$f" -o "$o"
		objs="$objs $o"
	done
	lld-link /subsystem:efi_application /entry:efi_main /nodefaultlib $4 /out:build/boot/$1/$5 $objs
}
build x86_64 x86_64-unknown-windows "-I/usr/include/efi -I/usr/include/efi/x86_64" "" BOOTX64.EFI
build aarch64 aarch64-unknown-windows "-Ibuild/deps/arm64/usr/include/efi -Ibuild/deps/arm64/usr/include/efi/aarch64" /machine:arm64 BOOTAA64.EFI

# The handover-check kernel (boot/tests/handover.c) for both arches.
KCFLAGS="-std=gnu11 -ffreestanding -fno-builtin -nostdinc -isystem $(clang -print-resource-dir)/include -mgeneral-regs-only -fno-pic -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -O2 -I."
clang --target=x86_64-unknown-elf $KCFLAGS -mno-red-zone -mcmodel=kernel -c boot/tests/handover.c -o build/boot/x86_64/handover.o
ld.lld -T boot/tests/handover.ld -o build/boot/x86_64/handover.elf build/boot/x86_64/handover.o
clang --target=aarch64-unknown-elf $KCFLAGS -c boot/tests/handover.c -o build/boot/aarch64/handover.o
ld.lld -T boot/tests/handover.ld -o build/boot/aarch64/handover.elf build/boot/aarch64/handover.o
