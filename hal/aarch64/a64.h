// SPDX-License-Identifier: MIT
// AArch64 HAL internals shared between the files of hal/aarch64/.
#pragma once

#include <lib/bootinfo.h>
#include <lib/types.h>

#define A64_READ_SYSREG(r)                                                     \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                    \
		v_;                                                            \
	})

err_t a64_serial_init(const struct boot_info *bi);

// PSCI calls go through hvc, or smc when the firmware ran at EL2.
extern bool a64_psci_smc;
uint64_t a64_psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

// The semihosting trap instruction, so the exception handler can tell a
// semihosting call QEMU did not service from a real fault.
extern char a64_semihost_insn[];

// Where the next backtrace starts (set by the exception handler).
extern uint64_t a64_backtrace_from, a64_backtrace_first_pc;

#define A64_WRITE_SYSREG(r, v)                                                 \
	__asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")

// MPIDR_EL1 affinity fields Aff3..Aff0 (bits 39..32, 23..0): the hwid of
// struct hal_cpu_desc and struct cpu.
#define A64_MPIDR_AFF_MASK 0xff00ffffffull

static inline uint64_t a64_mpidr(void)
{
	return A64_READ_SYSREG(mpidr_el1) & A64_MPIDR_AFF_MASK;
}

// Boot info fields the rest of the HAL needs after hal_early_init().
extern const struct boot_info *a64_boot_info;

// Binds the power-off / reset driver (driver.h: PSCI from the FADT or the
// device tree's /psci, or a board's power block) and logs which.
void a64_psci_init(const struct boot_info *bi);
// PSCI return codes as err_t.
err_t a64_psci_error(int64_t ret);

// Physical address of a kernel virtual address (AT S1E1R); 0 if unmapped.
paddr_t a64_virt_to_phys(const void *va);
// Device MMIO [pa, pa + size): its address in the direct map when that
// maps it as device memory, else in a vm_ioremap() window
// (GICv3 redistributor regions past 256 GiB on QEMU virt with many CPUs).
// Needs the kernel's page tables (vm_kernel_init()). NULL if it cannot.
void *a64_map_device(paddr_t pa, uint64_t size);

// Exception entry for IRQs (trap.c calls it from the vector path).
void a64_irq_dispatch(void);
