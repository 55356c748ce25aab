// SPDX-License-Identifier: MIT
// Host stand-ins for hal/irq.h, hal/timer.h and hal/smp.h: one CPU, no
// interrupt controller, the host's monotonic clock, timers that never fire.
// Enough for neutral SMP code to link and for its tests to skip cleanly.
#include <stdlib.h>
#include <time.h>
#include <hal/irq.h>
#include <hal/smp.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <kernel/percpu.h>
#include <mm/kstack.h>

__thread struct cpu *host_this_cpu;
static __thread struct cpu host_fallback_cpu;

struct cpu *host_cpu_fallback(void)
{
	return &host_fallback_cpu;
}

err_t hal_irq_init(void)
{
	return 0;
}
err_t hal_irq_init_cpu(void)
{
	return 0;
}
err_t hal_irq_register(unsigned irq, irq_handler_t fn, void *arg)
{
	return E_RANGE;
}
void hal_irq_mask(unsigned irq) {}
err_t hal_irq_set_trigger(unsigned irq, bool level, bool active_low)
{
	return 0;
}
void hal_irq_unmask(unsigned irq) {}
err_t hal_irq_from_isa(unsigned isa, unsigned *irq)
{
	return E_NOTSUP;
}
void hal_ipi_send(unsigned cpu, enum ipi_kind kind) {}
void hal_ipi_send_others(enum ipi_kind kind) {}

err_t hal_timer_init(void)
{
	return 0;
}
err_t hal_timer_init_cpu(void)
{
	return 0;
}
uint64_t hal_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
void hal_timer_oneshot(uint64_t deadline_ns) {}
void hal_timer_cancel(void) {}
void hal_timer_set_handler(void (*fn)(void)) {}

unsigned hal_smp_enumerate(struct hal_cpu_desc *out, unsigned max)
{
	if (max)
		out[0] = (struct hal_cpu_desc){0, ~0u, true, true};
	return 1;
}
err_t hal_cpu_start(struct cpu *c, void *stack_top)
{
	return E_NOTSUP;
}
void hal_percpu_set(struct cpu *c)
{
	host_this_cpu = c;
}
void hal_tlb_flush_local(vaddr_t va, size_t len) {}
err_t hal_debug_swap_pages(vaddr_t a, vaddr_t b)
{
	return E_NOTSUP;
}

// Kernel stacks on the host: plain aligned heap blocks, no guard page (the
// kernel's come from mm/kstack.c, which needs the kernel's address space).
void *kstack_alloc_node(unsigned node)
{
	char *p = aligned_alloc(16, KSTACK_SIZE);

	(void)node;
	return p ? p + KSTACK_SIZE : NULL;
}

void *kstack_alloc(void)
{
	return kstack_alloc_node(0);
}

void kstack_free(void *top)
{
	if (top)
		free((char *)top - KSTACK_SIZE);
}
