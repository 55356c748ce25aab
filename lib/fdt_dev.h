// SPDX-License-Identifier: MIT
// Device-tree look-ups that driver binding needs, on an untrusted tree:
// which node plays a role (the root interrupt controller, the console, the
// power controller, a CPU's start method), which of a driver table's
// `compatible` strings it matches, and its registers translated to CPU
// physical addresses through every parent's `ranges`. Every failure comes
// back as an err_t plus a one-line message naming the node and what was
// wrong, for the caller to log; nothing here prints or panics.
//
// Neutral: the AArch64 HAL binds its drivers with it, the host tests run
// it on trees built by libfdt and on the Raspberry Pi 3's real tree.
#pragma once

#include <lib/err.h>
#include <lib/types.h>

#define FDT_DEV_MSG 160 // room for a message

enum fdt_role {
	FDT_ROLE_INTC,   // the root interrupt controller
	FDT_ROLE_SERIAL, // the console: /chosen stdout-path
	FDT_ROLE_POWER,  // power-off / reset: /psci or a known compatible
};

// The whole tree is sound: header, sizes within size, structure block
// walkable (libfdt's fdt_check_full). msg says what is wrong otherwise.
__must_check err_t fdt_dev_check(const void *fdt, size_t size, char *msg,
                                 size_t msglen);

// The node playing role, and the index in known[] (a NULL-terminated list
// of compatible strings, or for FDT_ROLE_POWER also "psci" meaning the
// /psci node) of the first string it matches. E_NOENT: no such node
// (msg: what was looked for); E_NOTSUP: a node Cairn has no driver for
// (msg names the node and its compatible list); E_CORRUPT: a bad property.
__must_check err_t fdt_dev_find(const void *fdt, enum fdt_role role,
                                const char *const *known, int *node, int *which,
                                char *msg, size_t msglen);

// The CPU node whose reg is hwid (MPIDR affinity), and which of known[]
// its enable-method (else /cpus' enable-method) names. Errors as above.
__must_check err_t fdt_dev_cpu_method(const void *fdt, uint64_t hwid,
                                      const char *const *known, int *node,
                                      int *which, char *msg, size_t msglen);

// reg entry i of node, translated through each parent's ranges to a CPU
// physical address. E_RANGE when an address lies outside every range.
__must_check err_t fdt_dev_reg(const void *fdt, int node, int i, uint64_t *addr,
                               uint64_t *size);

// The interrupt controller node for node's interrupts (interrupt-parent,
// inherited from the parents), or a negative libfdt error.
int fdt_dev_irq_parent(const void *fdt, int node);

// "NAME (compatible "a", "b")" for messages; "(no compatible)" if none.
void fdt_dev_describe(const void *fdt, int node, char *buf, size_t len);

// A 64-bit cell-pair/-single property value (cpu-release-addr): E_NOENT
// if absent, E_CORRUPT if neither 4 nor 8 bytes long.
__must_check err_t fdt_dev_u64(const void *fdt, int node, const char *prop,
                               uint64_t *out);
