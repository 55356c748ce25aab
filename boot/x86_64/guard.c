// SPDX-License-Identifier: MIT
// A CPU exception in the loader must never be a silent reset. OVMF's IDT
// takes exceptions in 64-bit mode and prints a dump; U-Boot's x86_64 UEFI
// hands over the IDT of its 32-bit phase (8-byte gates), so in long mode
// every exception vectors through garbage and triple-faults with nothing
// on the console (docs/boot.md). When the firmware's IDT cannot take
// exceptions 0-31 in 64-bit mode, the loader installs its own for them:
// each reports the vector, RIP, error code and CR2 as a "cairn-loader:
// error:" line on ConOut (COM1 once boot services are gone or if ConOut
// itself faulted), then halts.
#include <boot/arch.h>
#include <hal/x86_64/x86_insn.h>

#define GUARD_VECTORS 32
#define GATE_INTR 0x8e00 // present, DPL 0, 64-bit interrupt gate
#define COM1 0x3f8

struct gate {
	uint16_t off0, sel, flags, off1;
	uint32_t off2, zero;
};

struct __attribute__((packed)) idtr {
	uint16_t limit;
	uint64_t base;
};

static struct gate guard_idt[GUARD_VECTORS] __attribute__((aligned(16)));
static struct idtr fw_idtr;
static bool installed, console_ok, reporting;

// 32 entry stubs, 16 bytes apart: push 0 where the CPU pushes no error
// code, push the vector, then the common part calls guard_report(frame)
// (Microsoft x64 ABI: first argument in RCX, 32 bytes of shadow space).
__asm__(".text\n"
        ".balign 16\n"
        "guard_stubs:\n"
        ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,"
        "23,24,25,26,27,28,29,30,31\n"
        ".balign 16\n"
        ".if (\\n == 8) || (\\n >= 10 && \\n <= 14) || (\\n == 17) || "
        "(\\n == 21) || (\\n == 29) || (\\n == 30)\n"
        ".else\n"
        "pushq $0\n"
        ".endif\n"
        "pushq $\\n\n"
        "jmp guard_common\n"
        ".endr\n"
        "guard_common:\n"
        "movq %rsp, %rcx\n"
        "andq $-16, %rsp\n"
        "subq $32, %rsp\n"
        "call guard_report\n"
        "1: cli\n"
        "hlt\n"
        "jmp 1b\n");
extern const char guard_stubs[];

static const char *const names[GUARD_VECTORS] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "",    "#TS", "#NP", "#SS", "#GP", "#PF", "",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};

static void com1_puts(const char *s)
{
	for (; *s; s++) {
		for (int spin = 0; spin < 100000; spin++)
			if (x86_inb(COM1 + 5) & 0x20) // transmitter empty
				break;
		x86_outb(COM1, (uint8_t)*s);
	}
}

// frame: vector, error code, then what the CPU pushed (RIP, CS, RFLAGS,
// RSP, SS).
__attribute__((used)) void guard_report(const uint64_t *frame)
{
	char line[320];
	uint64_t cr2, v = frame[0];
	bool nested = reporting;

	reporting = true;
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	ksnprintf(
	    line, sizeof(line),
	    "\r\ncairn-loader: error: CPU exception %llu (%s) at RIP 0x%llx, "
	    "error code 0x%llx, CR2 0x%llx, RSP 0x%llx; the firmware's "
	    "IDT (base 0x%llx, limit 0x%x) cannot take exceptions in "
	    "64-bit mode, so the loader caught it; halted\r\n",
	    v, v < GUARD_VECTORS && names[v][0] ? names[v] : "reserved",
	    frame[2], frame[1], cr2, frame[5], fw_idtr.base, fw_idtr.limit);
	if (console_ok && !nested) // ConOut is the serial port under QEMU
		con_printf("%s", line + 2);
	else
		com1_puts(line);
}

// A 64-bit gate for vector v is usable if present, an interrupt or trap
// gate, its reserved dword is zero and its handler address canonical.
static bool gate_ok(const struct gate *g)
{
	uint64_t off =
	    (uint64_t)g->off2 << 32 | (uint32_t)g->off1 << 16 | g->off0;
	unsigned type = (g->flags >> 8) & 0x1f;
	uint64_t top = off >> 47;

	return (g->flags & 0x8000) && (type == 0xe || type == 0xf) &&
	       !g->zero && (top == 0 || top == 0x1ffff);
}

static bool firmware_idt_ok(void)
{
	const struct gate *g = (const struct gate *)(uintptr_t)fw_idtr.base;

	if (fw_idtr.limit < sizeof(guard_idt) - 1)
		return false;
	for (int v = 0; v < GUARD_VECTORS; v++)
		if (!gate_ok(&g[v]))
			return false;
	return true;
}

// For arch_prepare's report (the config, and so verbose=, is read later
// than the guard goes in).
bool x86_fault_guard_installed(uint64_t *base, unsigned *limit)
{
	*base = fw_idtr.base;
	*limit = fw_idtr.limit;
	return installed;
}

void arch_fault_guard(enum fault_guard what)
{
	uint16_t cs;

	if (what == GUARD_INSTALL) {
		__asm__ volatile("sidt %0" : "=m"(fw_idtr));
		if (firmware_idt_ok())
			return;
		__asm__ volatile("mov %%cs, %0" : "=r"(cs));
		for (int v = 0; v < GUARD_VECTORS; v++) {
			uint64_t h = (uint64_t)(uintptr_t)guard_stubs + 16 * v;
			guard_idt[v] = (struct gate){
			    (uint16_t)h,         cs,
			    GATE_INTR,           (uint16_t)(h >> 16),
			    (uint32_t)(h >> 32), 0};
		}
		struct idtr mine = {sizeof(guard_idt) - 1,
		                    (uint64_t)(uintptr_t)guard_idt};
		__asm__ volatile("lidt %0" ::"m"(mine));
		installed = console_ok = true;
	} else if (what == GUARD_NO_CONSOLE) {
		console_ok = false;
	} else if (installed) { // GUARD_REMOVE: back to the firmware
		__asm__ volatile("lidt %0" ::"m"(fw_idtr));
		installed = false;
	}
}
