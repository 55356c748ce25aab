// SPDX-License-Identifier: MIT
// Host implementation of the out-of-line HAL functions, plus a console that
// sends printk output to stderr so host tools report errors the usual way.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <hal/cpu.h>
#include <hal/early.h>
#include <hal/mmu.h>
#include <hal/power.h>
#include <lib/printk.h>

__thread unsigned host_cpu_id;
__thread bool host_irq_on = true;

void host_set_cpu_id(unsigned id)
{
	host_cpu_id = id;
}

__noreturn void hal_cpu_halt(void)
{
	abort();
}

uint64_t hal_ticks_hz(void)
{
	static uint64_t hz;
	struct timespec a, b;
	uint64_t t0, t1;

	if (hz)
		return hz;
	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = hal_ticks();
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) <
	       20000000L);
	t1 = hal_ticks();
	hz = (t1 - t0) * 50;
	return hz;
}

unsigned hal_backtrace(uintptr_t *pcs, unsigned max)
{
	if (max == 0)
		return 0;
	pcs[0] = (uintptr_t)__builtin_return_address(0);
	return 1;
}

static FILE *host_console_file;

static void host_console_write(struct console *con, const char *s, size_t n)
{
	fwrite(s, 1, n, host_console_file ? host_console_file : stderr);
}

static struct console host_console = {.name = "host",
                                      .write = host_console_write};

__attribute__((constructor)) static void host_console_init(void)
{
	console_register(&host_console);
}

// Host test programs print KTAP on stdout.
void host_console_to_stdout(void)
{
	host_console_file = stdout;
}

__noreturn void hal_machine_exit(int status)
{
	exit(status);
}

const char *hal_arch_name(void)
{
	return "host";
}

void hal_dump_cpu_state(void) {}

// hal/mmu.h on the host: tables are built and walked, never activated.
uint64_t x86_pte_nx = X86_PTE_NX;

unsigned hal_mmu_max_leaf_level(void)
{
	return 2;
}

bool hal_mmu_shares_kernel_half(void)
{
	return true;
}

void hal_mmu_flush(vaddr_t va, size_t len) {}

unsigned hal_mmu_protections(void)
{
	return 0;
}

void hal_mmu_replace(volatile uint64_t *entry, uint64_t e, vaddr_t va,
                     size_t span)
{
	*entry = e;
}

err_t hal_firmware_power_off(void)
{
	return E_NOTSUP;
}

err_t hal_firmware_reset(void)
{
	return E_NOTSUP;
}

// hal/serial.h: the host has no UART; nothing is ever received.
int hal_serial_getc(void)
{
	return -1;
}

err_t hal_serial_rx_start(void (*fn)(void))
{
	(void)fn;
	return E_NOENT;
}
