// SPDX-License-Identifier: MIT
// HAL: finding and starting the other CPUs, and per-CPU data access.
#pragma once

#include <lib/types.h>

struct cpu; // kernel/percpu.h

// One CPU as the firmware lists it (MADT local APIC / x2APIC / GICC
// entries; device tree /cpus without ACPI).
struct hal_cpu_desc {
	uint64_t hwid;     // APIC ID (x86_64); MPIDR affinity bits (aarch64)
	uint32_t acpi_uid; // processor UID, or ~0u without ACPI
	bool enabled;      // usable now (ACPI "enabled" flag)
	bool boot;         // the CPU running this code
};

// Fills out with up to max CPUs, boot CPU first; returns how many the
// firmware lists (may be more than max). Disabled CPUs are listed too.
unsigned hal_smp_enumerate(struct hal_cpu_desc *out, unsigned max);

// Starts the CPU c->hwid. It comes up on the current kernel page tables
// with interrupts off, on stack_top, with this_cpu() == c, and calls
// smp_secondary_main(c) (kernel/smp.h), which never returns. Returns once
// the start request was sent; the caller waits for c->online.
__must_check err_t hal_cpu_start(struct cpu *c, void *stack_top);

// Makes this_cpu() return c on the running CPU (boot CPU: once, early).
void hal_percpu_set(struct cpu *c);

// Invalidates this CPU's TLB entries for [va, va + len); len 0 means every
// non-global and global entry. Any context. Other CPUs: smp_tlb_shootdown().
void hal_tlb_flush_local(vaddr_t va, size_t len);

// Test support (tests/unit/smp_tlb.c): exchanges the physical pages behind
// two 4 KiB-mapped kernel pages a and b (e.g. page-aligned BSS pages of the
// kernel image) without any TLB maintenance. E_NOTSUP where not provided.
__must_check err_t hal_debug_swap_pages(vaddr_t a, vaddr_t b);
