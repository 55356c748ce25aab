// SPDX-License-Identifier: MIT
// The kernel monitor's core: the command table, the serial input path and
// the line editor (kernel/lineedit.h). The built-in commands are in
// kernel/monitor_cmds.c.
//
// Input path: the UART's receive interrupt (boot CPU) drains the UART into
// rx_ring and queues rx_work; rx_work runs in the idle loop, feeds the
// bytes to the editor and runs each finished line there, so commands may
// take their time and use everything a thread may (the heap, AML).
//
// Locking: rx_lock (irqsave: taken in the interrupt) guards rx_ring,
// rx_head, rx_tail and rx_dropped. The command list and the editor are
// touched by the boot CPU only (registration, then rx_work).
#include <stdarg.h>
#include <string.h>
#include <hal/serial.h>
#include <lib/err.h>
#include <kernel/lineedit.h>
#include <kernel/monitor.h>
#include <lib/printk.h>
#include <lib/spinlock.h>
#include <lib/work.h>

#define RX_RING 256 // bytes; a pasted line or two

static struct monitor_cmd *commands;
static struct lineedit editor;
static spinlock_t rx_lock = SPINLOCK_INIT;
static uint8_t rx_ring[RX_RING];
static unsigned rx_head, rx_tail, rx_dropped;

void monitor_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	if (n > 0)
		console_write(buf, (size_t)n);
}

static void editor_out(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

static struct monitor_cmd *monitor_find(const char *name)
{
	for (struct monitor_cmd *c = commands; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void monitor_register(struct monitor_cmd *cmd)
{
	struct monitor_cmd **pp = &commands;

	if (monitor_find(cmd->name)) {
		pr_warn("monitor: a second command '%s' ignored\n", cmd->name);
		return;
	}
	while (*pp && strcmp((*pp)->name, cmd->name) < 0) // keep it sorted
		pp = &(*pp)->next;
	cmd->next = *pp;
	*pp = cmd;
}

static void help_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	monitor_printf("commands (Up/Down: history, Ctrl-U: clear line):\n");
	for (struct monitor_cmd *c = commands; c; c = c->next) {
		char head[40];

		ksnprintf(head, sizeof(head), "%s %s", c->name, c->usage);
		monitor_printf("  %-24s %s\n", head, c->help);
	}
}

static struct monitor_cmd help_cmd = {
    .name = "help", .usage = "", .help = "this list", .run = help_run};

// Splits line at spaces (in place) into at most MONITOR_MAX_ARGS words.
static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p && argc < MONITOR_MAX_ARGS;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

bool monitor_run_line(char *line)
{
	char *argv[MONITOR_MAX_ARGS + 1] = {0};
	int argc = split(line, argv);
	struct monitor_cmd *c;

	if (!argc)
		return true;
	c = monitor_find(argv[0]);
	if (!c) {
		monitor_printf("%s: no such command; 'help' lists them\n",
		               argv[0]);
		return false;
	}
	c->run(argc, argv);
	return true;
}

static int rx_take(void)
{
	irqflags_t f = spin_lock_irqsave(&rx_lock);
	int c = -1;

	if (rx_tail != rx_head)
		c = rx_ring[rx_tail++ % RX_RING];
	spin_unlock_irqrestore(&rx_lock, f);
	return c;
}

static void rx_work_fn(struct work *w)
{
	int c;

	(void)w;
	while ((c = rx_take()) >= 0) {
		if (!lineedit_feed(&editor, (uint8_t)c))
			continue;
		(void)monitor_run_line(editor.line);
		lineedit_redraw(&editor);
	}
	if (rx_dropped) {
		monitor_printf("\nmonitor: %u input bytes dropped (typed too "
		               "fast)\n",
		               rx_dropped);
		rx_dropped = 0;
		lineedit_redraw(&editor);
	}
}

static struct work rx_work = WORK_INIT(rx_work_fn);

// The UART's receive interrupt: every waiting byte into the ring.
static void rx_irq(void)
{
	irqflags_t f = spin_lock_irqsave(&rx_lock);
	int c;

	while ((c = hal_serial_getc()) >= 0) {
		if (rx_head - rx_tail < RX_RING)
			rx_ring[rx_head++ % RX_RING] = (uint8_t)c;
		else
			rx_dropped++;
	}
	spin_unlock_irqrestore(&rx_lock, f);
	work_queue(&rx_work);
}

void monitor_start(void)
{
	err_t e;

	monitor_register(&help_cmd);
	monitor_builtins();
	lineedit_init(&editor, "cairn> ", editor_out, NULL);
	e = hal_serial_rx_start(rx_irq);
	if (e) {
		pr_info("monitor: no serial input (%s); not started\n",
		        err_name(e));
		return;
	}
	pr_info("monitor: on the serial console; 'help' lists the "
	        "commands\n");
	lineedit_redraw(&editor);
	rx_irq(); // what was typed before the interrupt was on
}
