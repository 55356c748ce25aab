// SPDX-License-Identifier: MIT
// Driver binding's device-tree look-ups (lib/fdt_dev.c) on the Raspberry
// Pi 3's real tree (bcm2837-rpi-3-b.dtb from Debian's arm64 Linux image,
// unpacked by configure.py into build/deps/rpi/) and on variants of it made
// by decompiling it with dtc, editing the source with sed and compiling it
// again: an unknown or missing interrupt controller, console and CPU
// enable-method, and a truncated or corrupt blob. Expected values come from
// the board, not from the code: QEMU's raspi3b maps the peripherals at
// 0x3f000000 (bus 0x7e000000) and the mini UART at +0x215040; the
// spin-table release addresses are QEMU's 0xd8 + 8 * core.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libfdt.h>
#include <lib/err.h>
#include <lib/fdt_dev.h>
#include <tests/ktest.h>
#include "topology_util.h"

#define RPI3_DTB "build/deps/rpi/bcm2837-rpi-3-b.dtb"

static const char *const intc_known[] = {"arm,gic-v3", "arm,cortex-a15-gic",
                                         "brcm,bcm2836-l1-intc", NULL};
static const char *const serial_known[] = {"arm,pl011", "brcm,bcm2835-aux-uart",
                                           NULL};
static const char *const cpu_known[] = {"psci", "spin-table", NULL};
static const char *const power_known[] = {"psci", "brcm,bcm2835-pm-wdt", NULL};

static bool have_tree(void)
{
	return access(RPI3_DTB, R_OK) == 0 &&
	       system("dtc -v >/dev/null 2>&1") == 0;
}

// The real tree through dtc and back, with sed edits (NULL: none).
static uint8_t *rpi3_tree(const char *sed, size_t *len)
{
	char dir[] = "/tmp/cairn-fdtdev-XXXXXX", cmd[1024], out[600];
	uint8_t *buf;

	if (!mkdtemp(dir))
		return NULL;
	snprintf(out, sizeof(out), "%s/t.dtb", dir);
	snprintf(cmd, sizeof(cmd),
	         "dtc -q -I dtb -O dts %s 2>/dev/null | sed -e '%s' | "
	         "dtc -q -I dts -O dtb -o %s - 2>/dev/null",
	         RPI3_DTB, sed ? sed : "", out);
	buf = system(cmd) == 0 ? (uint8_t *)topo_test_read(out, len) : NULL;
	unlink(out);
	rmdir(dir);
	return buf;
}

#define NEED_TREE()                                                            \
	do {                                                                   \
		if (!have_tree())                                              \
			KT_FAIL("no " RPI3_DTB " or dtc: run python3 "         \
			        "configure.py (it fetches the tree)");         \
	} while (0)

KTEST(fdt_dev, rpi3_binds)
{
	char msg[FDT_DEV_MSG];
	uint64_t addr, size, rel;
	int node, which;
	size_t len;
	uint8_t *dt;

	NEED_TREE();
	dt = rpi3_tree(NULL, &len);
	KT_ASSERT(dt);
	KT_EXPECT_EQ(fdt_dev_check(dt, len, msg, sizeof(msg)), 0);
	KT_EXPECT_EQ(fdt_dev_find(dt, FDT_ROLE_INTC, intc_known, &node, &which,
	                          msg, sizeof(msg)),
	             0);
	KT_EXPECT_STR(intc_known[which], "brcm,bcm2836-l1-intc");
	KT_EXPECT_EQ(fdt_dev_find(dt, FDT_ROLE_SERIAL, serial_known, &node,
	                          &which, msg, sizeof(msg)),
	             0);
	KT_EXPECT_STR(serial_known[which], "brcm,bcm2835-aux-uart");
	KT_ASSERT(fdt_dev_reg(dt, node, 0, &addr, &size) == 0);
	KT_EXPECT_EQ_U(addr, 0x3f215040u); // bus 0x7e215040 via /soc ranges
	KT_EXPECT_EQ_U(size, 0x40u);
	for (unsigned cpu = 0; cpu < 4; cpu++) {
		KT_EXPECT_EQ(fdt_dev_cpu_method(dt, cpu, cpu_known, &node,
		                                &which, msg, sizeof(msg)),
		             0);
		KT_EXPECT_STR(cpu_known[which], "spin-table");
		KT_EXPECT_EQ(fdt_dev_u64(dt, node, "cpu-release-addr", &rel),
		             0);
		KT_EXPECT_EQ_U(rel, 0xd8u + 8 * cpu);
	}
	KT_EXPECT_EQ(fdt_dev_find(dt, FDT_ROLE_POWER, power_known, &node,
	                          &which, msg, sizeof(msg)),
	             0);
	KT_EXPECT_STR(power_known[which], "brcm,bcm2835-pm-wdt");
	free(dt);
}

// One edited tree, one role: the error and words the message must hold.
static void expect_bind_error(struct ktest *t, const char *sed,
                              enum fdt_role role, err_t want, const char *word1,
                              const char *word2)
{
	const char *const *known = role == FDT_ROLE_INTC     ? intc_known
	                           : role == FDT_ROLE_SERIAL ? serial_known
	                                                     : power_known;
	char msg[FDT_DEV_MSG] = "";
	int node, which;
	size_t len;
	uint8_t *dt = rpi3_tree(sed, &len);

	KT_ASSERT(dt);
	KT_EXPECT_EQ(fdt_dev_check(dt, len, msg, sizeof(msg)), 0);
	KT_EXPECT_EQ(
	    fdt_dev_find(dt, role, known, &node, &which, msg, sizeof(msg)),
	    want);
	KT_EXPECT(strstr(msg, word1) != NULL);
	KT_EXPECT(!word2 || strstr(msg, word2) != NULL);
	printf("# %s\n", msg);
	free(dt);
}

KTEST(fdt_dev, unknown_intc)
{
	NEED_TREE();
	expect_bind_error(t, "s/brcm,bcm2836-l1-intc/acme,l1-intc/",
	                  FDT_ROLE_INTC, E_NOTSUP, "local_intc@40000000",
	                  "\"acme,l1-intc\"");
}

KTEST(fdt_dev, missing_intc)
{
	NEED_TREE();
	// The root node's interrupt-parent goes (first such line).
	expect_bind_error(t, "0,/interrupt-parent/{/interrupt-parent/d}",
	                  FDT_ROLE_INTC, E_NOENT, "interrupt-parent", NULL);
}

KTEST(fdt_dev, unknown_serial)
{
	NEED_TREE();
	expect_bind_error(t, "s/brcm,bcm2835-aux-uart/acme,uart/",
	                  FDT_ROLE_SERIAL, E_NOTSUP, "serial@7e215040",
	                  "\"acme,uart\"");
}

KTEST(fdt_dev, missing_serial)
{
	NEED_TREE();
	expect_bind_error(t, "/stdout-path/d", FDT_ROLE_SERIAL, E_NOENT,
	                  "stdout-path", NULL);
}

static void expect_cpu_error(struct ktest *t, const char *sed, err_t want,
                             const char *word)
{
	char msg[FDT_DEV_MSG] = "";
	int node, which;
	size_t len;
	uint8_t *dt = rpi3_tree(sed, &len);

	KT_ASSERT(dt);
	KT_EXPECT_EQ(fdt_dev_cpu_method(dt, 2, cpu_known, &node, &which, msg,
	                                sizeof(msg)),
	             want);
	KT_EXPECT(strstr(msg, "cpu@2") != NULL);
	KT_EXPECT(strstr(msg, word) != NULL);
	printf("# %s\n", msg);
	free(dt);
}

KTEST(fdt_dev, unknown_enable_method)
{
	NEED_TREE();
	expect_cpu_error(t, "s/\"spin-table\"/\"acme,kick\"/", E_NOTSUP,
	                 "\"acme,kick\"");
}

KTEST(fdt_dev, missing_enable_method)
{
	NEED_TREE();
	expect_cpu_error(t, "/enable-method/d", E_NOENT, "no enable-method");
}

KTEST(fdt_dev, truncated_and_corrupt)
{
	char msg[FDT_DEV_MSG] = "";
	size_t len;
	uint8_t *dt;

	NEED_TREE();
	dt = rpi3_tree(NULL, &len);
	KT_ASSERT(dt);
	// Truncated: the header says more bytes than there are.
	KT_EXPECT_EQ(fdt_dev_check(dt, len / 2, msg, sizeof(msg)), E_TRUNC);
	KT_EXPECT(strstr(msg, "device tree") != NULL);
	printf("# %s\n", msg);
	KT_EXPECT_EQ(fdt_dev_check(dt, 20, msg, sizeof(msg)), E_TRUNC);
	// Corrupt: the structure block's first token (FDT_BEGIN_NODE)
	// overwritten with an unknown token.
	memset(dt + fdt_off_dt_struct(dt), 0x7f, 4);
	KT_EXPECT_EQ(fdt_dev_check(dt, len, msg, sizeof(msg)), E_CORRUPT);
	printf("# %s\n", msg);
	// Corrupt: bad magic.
	memset(dt, 0, 4);
	KT_EXPECT_EQ(fdt_dev_check(dt, len, msg, sizeof(msg)), E_CORRUPT);
	KT_EXPECT(strstr(msg, "libfdt") != NULL);
	free(dt);
}
