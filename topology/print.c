// SPDX-License-Identifier: MIT
// The lstopo-style text tree (as `lstopo --of console` draws it: one object
// per line, a chain of single children joined with " + "), then the NUMA
// distances, HMAT figures, memory ranges, sources and notes. The kernel
// prints it at boot and build/host/topo prints the same text from the same
// tables. Reads the finished model; single-threaded (tree storage is
// static).
#include <string.h>
#include <lib/printk.h>
#include <lib/err.h>
#include <topology/build.h>
#include <topology/tree.h>

// As lstopo: KB, moving up a unit while the value is 10240 or more.
static void print_size(const struct topo_out *o, uint64_t bytes)
{
	static const char *const unit[] = {"KB", "MB", "GB", "TB", "PB"};
	uint64_t v = (bytes + 512) >> 10;
	unsigned u = 0;

	while (v >= 10240 && u + 1 < ARRAY_SIZE(unit))
		v = (v + 512) >> 10, u++;
	topo_outf(o, "%lu%s", (unsigned long)v, unit[u]);
}

static void print_item(const struct topo_out *o, const struct topo_item *it)
{
	topo_outf(o, "%s L#%u", topo_item_name(it), it->lindex);
	if (it->kind == TOPO_ITEM_CACHE) {
		const struct topo_cache *c = topo_cache_get(it->idx);

		if (c->size) {
			topo_outf(o, " (");
			print_size(o, c->size);
			topo_outf(o, ")");
		}
	} else if (it->level == TOPO_PU) {
		topo_outf(o, " (P#%u)", topo_order_cpu(it->idx));
	}
}

static void print_indent(const struct topo_out *o, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		topo_outf(o, "  ");
}

static bool has_nodes(const struct topo_tree *t, unsigned item)
{
	for (unsigned n = 0; n < topo_node_count(); n++)
		if (t->node_parent[n] == item)
			return true;
	return false;
}

static void print_node(const struct topo_out *o, unsigned n, unsigned depth)
{
	print_indent(o, depth);
	topo_outf(o, "NUMANode L#%u (P#%u", n, topo_node_domain(n));
	if (topo_node_mem_known()) {
		topo_outf(o, " ");
		print_size(o, topo_node_mem_bytes(n));
	}
	topo_outf(o, ")\n");
}

// The nodes hanging from item, except those drawn as groups.
static void print_nodes(const struct topo_out *o, const struct topo_tree *t,
                        unsigned item, unsigned depth)
{
	for (unsigned n = 0; n < topo_node_count(); n++)
		if (t->node_parent[n] == item && !topo_tree_node_group(t, n))
			print_node(o, n, depth);
}

// A node whose PUs have no common object: a group of them, as lstopo
// shows the XML (topology/tree.h).
static void print_node_groups(const struct topo_out *o,
                              const struct topo_tree *t)
{
	unsigned g = 0, pu = 0;

	// The machine's children are PUs here; lstopo numbers them (L#) in
	// the order it shows them, group by group.
	for (unsigned n = 0; n < topo_node_count(); n++) {
		if (!topo_tree_node_group(t, n))
			continue;
		topo_outf(o, "  Group0 L#%u\n", g++);
		print_node(o, n, 2);
		for (unsigned c = t->items[0].child; c != TOPO_NONE;
		     c = t->items[c].next)
			if (topo_tree_in_node(t, c, n))
				topo_outf(o, "    PU L#%u (P#%u)\n", pu++,
				          topo_order_cpu(t->items[c].idx));
	}
}

static void print_subtree(const struct topo_out *o, const struct topo_tree *t,
                          unsigned item, unsigned depth)
{
	unsigned i = item;

	print_indent(o, depth);
	for (;;) { // merge single-child chains onto one line
		print_item(o, &t->items[i]);
		if (t->items[i].child == TOPO_NONE ||
		    t->items[t->items[i].child].next != TOPO_NONE ||
		    has_nodes(t, i))
			break;
		topo_outf(o, " + ");
		i = t->items[i].child;
	}
	topo_outf(o, "\n");
	print_nodes(o, t, i, depth + 1);
	for (unsigned c = t->items[i].child; c != TOPO_NONE;
	     c = t->items[c].next)
		print_subtree(o, t, c, depth + 1);
}

static bool in_node_group(const struct topo_tree *t, unsigned item)
{
	for (unsigned n = 0; n < topo_node_count(); n++)
		if (topo_tree_node_group(t, n) && topo_tree_in_node(t, item, n))
			return true;
	return false;
}

static uint64_t total_memory(void)
{
	uint64_t sum = 0;

	for (unsigned n = 0; n < topo_node_count(); n++)
		sum += topo_node_mem_bytes(n);
	return sum;
}

static void print_matrix(const struct topo_out *o, const char *title,
                         uint64_t (*get)(unsigned, unsigned), uint64_t div)
{
	unsigned n = topo_node_count();
	bool any = false;

	for (unsigned i = 0; i < n && !any; i++)
		for (unsigned j = 0; j < n; j++)
			any = any || get(i, j);
	if (!any)
		return;
	topo_outf(o, "%s\n  from\\to", title);
	for (unsigned j = 0; j < n; j++)
		topo_outf(o, " %6u", topo_node_domain(j));
	topo_outf(o, "\n");
	for (unsigned i = 0; i < n; i++) {
		topo_outf(o, "  %7u", topo_node_domain(i));
		for (unsigned j = 0; j < n; j++)
			topo_outf(o, " %6lu", (unsigned long)(get(i, j) / div));
		topo_outf(o, "\n");
	}
}

static uint64_t get_distance(unsigned i, unsigned j)
{
	return topo_node_distance(i, j);
}

static void print_numa(const struct topo_out *o)
{
	if (topo_node_count() > 1)
		print_matrix(o,
		             topo_distances_known()
		                 ? "NUMA distances:"
		                 : "NUMA distances (assumed):",
		             get_distance, 1);
	print_matrix(o, "HMAT access latency (ns):", topo_node_latency_ps,
	             1000);
	print_matrix(
	    o, "HMAT access bandwidth (MB/s):", topo_node_bandwidth_mbs, 1);
	if (topo_mem_range_count())
		topo_outf(o, "Memory ranges:\n");
	for (unsigned i = 0; i < topo_mem_range_count(); i++) {
		const struct topo_mem_range *m = topo_mem_range_get(i);

		topo_outf(o, "  0x%012lx-0x%012lx node P#%u%s%s\n",
		          (unsigned long)m->base,
		          (unsigned long)(m->base + m->length - 1),
		          topo_node_domain(m->node),
		          m->hotplug ? " hot-pluggable" : "",
		          m->nonvolatile ? " non-volatile" : "");
	}
}

void topo_print_tree(const struct topo_out *o)
{
	const struct topo_tree *t = topo_tree_build();

	topo_outf(o, "Machine");
	if (topo_node_mem_known()) {
		topo_outf(o, " (");
		print_size(o, total_memory());
		topo_outf(o, " total)");
	}
	topo_outf(o, "\n");
	print_nodes(o, t, 0, 1);
	print_node_groups(o, t);
	for (unsigned c = t->items[0].child; c != TOPO_NONE;
	     c = t->items[c].next)
		if (!in_node_group(t, c))
			print_subtree(o, t, c, 1);
	print_numa(o);
	topo_outf(o, "Sources: %s\n", topo_sources());
	if (t->ndropped)
		topo_outf(o,
		          "Note: %u caches are not nested in the hierarchy "
		          "and are not shown\n",
		          t->ndropped);
	for (unsigned i = 0; i < topo_note_count(); i++)
		topo_outf(o, "Note: %s\n", topo_note_get(i));
}

void topo_print_summary(const struct topo_out *o)
{
	static const char *const one[] = {"machine", "package", "die",
	                                  "cluster", "core",    "PU"};
	static const char *const plural[] = {"machines", "packages", "dies",
	                                     "clusters", "cores",    "PUs"};
	unsigned nodes = topo_node_count(), caches = topo_cache_count();

	topo_outf(o, "topology:");
	for (int l = TOPO_PACKAGE; l < TOPO_NLEVELS; l++) {
		unsigned n = topo_level_count(l);

		if (topo_level_shown(l))
			topo_outf(o, " %u %s,", n, n == 1 ? one[l] : plural[l]);
	}
	topo_outf(o, " %u NUMA node%s, %u cache%s\n", nodes,
	          nodes == 1 ? "" : "s", caches, caches == 1 ? "" : "s");
}
