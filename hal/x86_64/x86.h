// SPDX-License-Identifier: MIT
// x86_64 HAL internals shared between the files of hal/x86_64/.
#pragma once

#include <lib/types.h>
#include "x86_insn.h"

struct cpu;
struct boot_info;

// Interrupt vectors. 0..31 exceptions; 32..47 the (masked, remapped) 8259s;
// I/O APIC inputs from X86_VEC_GSI_BASE; local vectors at the top.
#define X86_VEC_PIC_BASE 0x20
#define X86_VEC_GSI_BASE 0x30
#define X86_VEC_GSI_END 0xe0 // GSIs 0 .. 175
#define X86_VEC_TIMER 0xf0
#define X86_VEC_IPI_BASE 0xf1 // + enum ipi_kind
#define X86_VEC_SPURIOUS 0xff

// Stacks of the interrupt stack table (TSS IST slots 1..3).
#define X86_IST_NMI 1
#define X86_IST_DF 2
#define X86_IST_MC 3
#define X86_IST_SIZE 8192 // boot CPU's (static); others: KSTACK_SIZE
// struct cpu hal[] slots: tops of the three IST stacks (0 = boot CPU's
// static ones).
#define X86_HAL_IST 0

// Highest APIC ID (exclusive) this kernel can start.
#define X86_APIC_ID_LIMIT 4096

struct x86_trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; // pushed by the CPU
};

void x86_traps_init(void);
void x86_desc_init_cpu(struct cpu *c); // GDT, TSS with IST stacks, IDT
void x86_serial_init(void);
void x86_mmu_early_init(void);
void x86_trap(struct x86_trap_frame *f);
void x86_irq_dispatch(unsigned vector);
bool x86_stack_contains(uint64_t lo, uint64_t hi); // for backtraces

// Local APIC (apic.c).
err_t x86_lapic_init(void);     // boot CPU: mode, base
err_t x86_lapic_init_cpu(void); // every CPU
void x86_lapic_eoi(void);
uint32_t x86_lapic_id(void);
uint32_t x86_lapic_read(unsigned reg);
void x86_lapic_write(unsigned reg, uint32_t v);
void x86_lapic_send(uint32_t apic_id, uint32_t icr_lo);
bool x86_lapic_x2apic(void);
#define X86_LAPIC_ID 0x20
#define X86_LAPIC_VER 0x30
#define X86_LAPIC_TPR 0x80
#define X86_LAPIC_EOI 0xb0
#define X86_LAPIC_LDR 0xd0
#define X86_LAPIC_DFR 0xe0
#define X86_LAPIC_SVR 0xf0
#define X86_LAPIC_ESR 0x280
#define X86_LAPIC_ICR_LO 0x300
#define X86_LAPIC_ICR_HI 0x310
#define X86_LAPIC_LVT_TIMER 0x320
#define X86_LAPIC_LVT_LINT0 0x350
#define X86_LAPIC_LVT_LINT1 0x360
#define X86_LAPIC_LVT_ERROR 0x370
#define X86_LAPIC_TIMER_INIT 0x380
#define X86_LAPIC_TIMER_CUR 0x390
#define X86_LAPIC_TIMER_DIV 0x3e0
#define X86_ICR_INIT (5u << 8)
#define X86_ICR_STARTUP (6u << 8)
#define X86_ICR_LEVEL_ASSERT (1u << 14)
#define X86_ICR_PENDING (1u << 12)
#define X86_ICR_ALL_BUT_SELF (3u << 18)

// Timer (timer.c).
void x86_timer_irq(void);
void x86_udelay(uint64_t us);
extern uint64_t x86_tsc_hz;

// SMP (smp.c).
void x86_smp_early_init(const struct boot_info *bi);

// Where the next backtrace starts: set by the trap handler so a panic from
// an exception walks the interrupted code's stack, not the handler's.
// Indexed by CPU.
extern uint64_t x86_backtrace_from[MAX_CPUS], x86_backtrace_first_pc[MAX_CPUS];

static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

#define X86_READ_CR(n)                                                         \
	({                                                                     \
		uint64_t v_;                                                   \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v_));             \
		v_;                                                            \
	})

static inline void x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
	                 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	                 : "a"(leaf), "c"(sub));
}

#define X86_MSR_APIC_BASE 0x1b
#define X86_MSR_TSC_DEADLINE 0x6e0
#define X86_MSR_EFER 0xc0000080
#define X86_MSR_GS_BASE 0xc0000101
