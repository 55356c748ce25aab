// SPDX-License-Identifier: MIT
// Device-tree look-ups for driver binding (lib/fdt_dev.h). Only libfdt's
// read-only functions; every property length is checked before use, and
// walks up the tree are bounded by FDT_DEV_MAX_DEPTH so a malformed tree
// (an interrupt-parent cycle) cannot loop. No state, no locks.
#include <libfdt.h>
#include <string.h>
#include <lib/fdt_dev.h>
#include <lib/printk.h>

#define FDT_DEV_MAX_DEPTH 16

static bool prop_str(const void *fdt, int node, const char *name,
                     const char **out, int *len)
{
	const char *p = fdt_getprop(fdt, node, name, len);

	if (!p || *len <= 0 || p[*len - 1] != '\0')
		return false;
	*out = p;
	return true;
}

void fdt_dev_describe(const void *fdt, int node, char *buf, size_t len)
{
	const char *c, *name = fdt_get_name(fdt, node, NULL);
	int clen, n;
	size_t at;

	n = ksnprintf(buf, len, "%s (", name ? name : "?");
	at = n > 0 ? (size_t)n : 0;
	if (!prop_str(fdt, node, "compatible", &c, &clen)) {
		ksnprintf(buf + MIN(at, len), len - MIN(at, len),
		          "no compatible)");
		return;
	}
	ksnprintf(buf + MIN(at, len), len - MIN(at, len), "compatible");
	for (int off = 0; off < clen; off += (int)strlen(c + off) + 1) {
		at = strlen(buf);
		ksnprintf(buf + at, len - at, "%s \"%s\"", off ? "," : "",
		          c + off);
	}
	at = strlen(buf);
	ksnprintf(buf + at, len - at, ")");
}

err_t fdt_dev_check(const void *fdt, size_t size, char *msg, size_t msglen)
{
	int err;

	if (size < 40) { // the header alone is 40 bytes
		ksnprintf(msg, msglen,
		          "device tree: %zu bytes, shorter than "
		          "its header",
		          size);
		return E_TRUNC;
	}
	err = fdt_check_full(fdt, size);
	if (err) {
		ksnprintf(msg, msglen, "device tree: %s (libfdt)",
		          fdt_strerror(err));
		return err == -FDT_ERR_TRUNCATED ? E_TRUNC : E_CORRUPT;
	}
	return 0;
}

// Index in known[] of the first of node's compatible strings listed, or -1.
static int match(const void *fdt, int node, const char *const *known)
{
	for (int i = 0; known[i]; i++)
		if (fdt_node_check_compatible(fdt, node, known[i]) == 0)
			return i;
	return -1;
}

int fdt_dev_irq_parent(const void *fdt, int node)
{
	for (int depth = 0; node >= 0 && depth < FDT_DEV_MAX_DEPTH; depth++) {
		int len;
		const fdt32_t *p =
		    fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (p && len == 4)
			return fdt_node_offset_by_phandle(fdt,
			                                  fdt32_to_cpu(*p));
		node = fdt_parent_offset(fdt, node);
	}
	return -FDT_ERR_NOTFOUND;
}

// The root controller: from the root node's interrupt-parent, follow each
// controller's own interrupt-parent until one has none or names itself.
static err_t find_intc(const void *fdt, int *node, char *msg, size_t msglen)
{
	int n = fdt_dev_irq_parent(fdt, 0);

	if (n < 0) {
		ksnprintf(msg, msglen,
		          "device tree: the root node names no "
		          "interrupt-parent (no interrupt controller)");
		return E_NOENT;
	}
	for (int depth = 0; depth < FDT_DEV_MAX_DEPTH; depth++) {
		int len, up;
		const fdt32_t *p =
		    fdt_getprop(fdt, n, "interrupt-parent", &len);

		if (!fdt_getprop(fdt, n, "interrupt-controller", NULL)) {
			ksnprintf(msg, msglen,
			          "device tree: %s is named as "
			          "interrupt parent but is no "
			          "interrupt-controller",
			          fdt_get_name(fdt, n, NULL));
			return E_CORRUPT;
		}
		up = p && len == 4
		         ? fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p))
		         : -1;
		if (up < 0 || up == n) {
			*node = n;
			return 0;
		}
		n = up;
	}
	ksnprintf(msg, msglen,
	          "device tree: interrupt-parent chain deeper "
	          "than %d (a cycle?)",
	          FDT_DEV_MAX_DEPTH);
	return E_CORRUPT;
}

// /chosen stdout-path ("serial1:115200n8": an alias or a path, options
// after ':').
static err_t find_serial(const void *fdt, int *node, char *msg, size_t msglen)
{
	const char *path;
	int len, plen = 0;
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen < 0 || !prop_str(fdt, chosen, "stdout-path", &path, &len)) {
		ksnprintf(msg, msglen,
		          "device tree: no /chosen stdout-path "
		          "(no console named)");
		return E_NOENT;
	}
	while (path[plen] && path[plen] != ':')
		plen++;
	*node = fdt_path_offset_namelen(fdt, path, plen);
	if (*node < 0) {
		ksnprintf(msg, msglen,
		          "device tree: stdout-path \"%.*s\" "
		          "names no node",
		          plen, path);
		return E_NOENT;
	}
	return 0;
}

static err_t find_power(const void *fdt, const char *const *known, int *node,
                        int *which, char *msg, size_t msglen)
{
	for (int i = 0; known[i]; i++) {
		int n = strcmp(known[i], "psci") == 0
		            ? fdt_path_offset(fdt, "/psci")
		            : fdt_node_offset_by_compatible(fdt, -1, known[i]);

		if (n >= 0) {
			*node = n, *which = i;
			return 0;
		}
	}
	ksnprintf(msg, msglen,
	          "device tree: no /psci node and no power "
	          "controller Cairn knows");
	return E_NOENT;
}

err_t fdt_dev_find(const void *fdt, enum fdt_role role,
                   const char *const *known, int *node, int *which, char *msg,
                   size_t msglen)
{
	char what[96];
	err_t err;

	if (role == FDT_ROLE_POWER)
		return find_power(fdt, known, node, which, msg, msglen);
	err = role == FDT_ROLE_INTC ? find_intc(fdt, node, msg, msglen)
	                            : find_serial(fdt, node, msg, msglen);
	if (err)
		return err;
	*which = match(fdt, *node, known);
	if (*which >= 0)
		return 0;
	fdt_dev_describe(fdt, *node, what, sizeof(what));
	ksnprintf(msg, msglen, "device tree: %s %s: no driver in Cairn",
	          role == FDT_ROLE_INTC ? "interrupt controller" : "console",
	          what);
	return E_NOTSUP;
}

static int find_cpu(const void *fdt, int cpus, uint64_t hwid)
{
	int node, ac = fdt_address_cells(fdt, cpus);

	fdt_for_each_subnode(node, fdt, cpus)
	{
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		uint64_t v;

		if (!reg || ac < 1 || ac > 2 || len < ac * 4)
			continue;
		v = ac == 2 ? (uint64_t)fdt32_to_cpu(reg[0]) << 32 |
		                  fdt32_to_cpu(reg[1])
		            : fdt32_to_cpu(reg[0]);
		if (v == hwid)
			return node;
	}
	return -1;
}

err_t fdt_dev_cpu_method(const void *fdt, uint64_t hwid,
                         const char *const *known, int *node, int *which,
                         char *msg, size_t msglen)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), len;
	const char *m;

	*node = cpus >= 0 ? find_cpu(fdt, cpus, hwid) : -1;
	if (*node < 0) {
		ksnprintf(msg, msglen,
		          "device tree: no /cpus node with reg "
		          "%#lx",
		          (unsigned long)hwid);
		return E_NOENT;
	}
	if (!prop_str(fdt, *node, "enable-method", &m, &len) &&
	    !prop_str(fdt, cpus, "enable-method", &m, &len)) {
		ksnprintf(msg, msglen, "device tree: %s has no enable-method",
		          fdt_get_name(fdt, *node, NULL));
		return E_NOENT;
	}
	for (int i = 0; known[i]; i++)
		if (strcmp(m, known[i]) == 0) {
			*which = i;
			return 0;
		}
	ksnprintf(msg, msglen,
	          "device tree: %s enable-method \"%s\": no "
	          "driver in Cairn",
	          fdt_get_name(fdt, *node, NULL), m);
	return E_NOTSUP;
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

// addr in bus's child address space, to bus's parent's address space
// through bus's ranges (absent or empty: identity).
static err_t translate_one(const void *fdt, int bus, uint64_t *addr)
{
	int len, parent = fdt_parent_offset(fdt, bus);
	const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
	int ca = fdt_address_cells(fdt, bus), cs = fdt_size_cells(fdt, bus);
	int pa = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
	int step = ca + pa + cs;

	if (!r || len == 0)
		return 0;
	if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || cs < 1 || cs > 2)
		return E_CORRUPT;
	for (int at = 0; (at + step) * 4 <= len; at += step) {
		uint64_t child = cells(r + at, ca);
		uint64_t par = cells(r + at + ca, pa);
		uint64_t size = cells(r + at + ca + pa, cs);

		if (*addr >= child && *addr - child < size) {
			*addr = *addr - child + par;
			return 0;
		}
	}
	return E_RANGE;
}

err_t fdt_dev_reg(const void *fdt, int node, int i, uint64_t *addr,
                  uint64_t *size)
{
	int len, parent = fdt_parent_offset(fdt, node);
	int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
	int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : 1;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    len < (i + 1) * (ac + sc) * 4)
		return E_CORRUPT;
	*addr = cells(reg + i * (ac + sc), ac);
	*size = cells(reg + i * (ac + sc) + ac, sc);
	for (int d = 0; parent > 0 && d < FDT_DEV_MAX_DEPTH; d++) {
		err_t err = translate_one(fdt, parent, addr);

		if (err)
			return err;
		parent = fdt_parent_offset(fdt, parent);
	}
	return 0;
}

err_t fdt_dev_u64(const void *fdt, int node, const char *prop, uint64_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

	if (!p)
		return E_NOENT;
	if (len != 4 && len != 8)
		return E_CORRUPT;
	*out = cells(p, len / 4);
	return 0;
}
