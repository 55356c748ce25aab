// SPDX-License-Identifier: MIT
// The kernel monitor: a command line on the serial console once boot is
// complete (kernel/monitor.c). Subsystems add commands with
// monitor_register(); the built-in ones are help, topo, mem, cpus, acpi,
// test, poweroff and reboot.
#pragma once

#include <lib/types.h>

#define MONITOR_MAX_ARGS 8

struct monitor_cmd {
	const char *name;
	const char *usage; // arguments, e.g. "[xml|summary]"; "" for none
	const char *help;  // one line
	// Runs in the boot CPU's idle loop (interrupts on, may sleep-wait);
	// argv[0] is the command's name.
	void (*run)(int argc, char **argv);
	struct monitor_cmd *next; // the monitor's list
};

// Adds cmd (static storage; not copied) to the table. Boot CPU, before or
// after monitor_start(). Names are unique: a second "foo" is refused with
// a warning.
void monitor_register(struct monitor_cmd *cmd);

// Formatted output of a command, shown at any log level.
void monitor_printf(const char *fmt, ...) __printf_like(1, 2);

// Starts the monitor after "boot complete": prints how to use it and the
// prompt, and takes serial input through hal/serial.h. Returns at once;
// the work it does runs from the idle loop (lib/work.h). Prints why and
// does nothing more when there is no serial input.
void monitor_start(void);

// Registers the built-in commands (kernel/monitor_cmds.c); monitor_start()
// calls it.
void monitor_builtins(void);

// Runs one command line as if typed (tests; the monitor itself). Returns
// false when no command had that name.
bool monitor_run_line(char *line);
