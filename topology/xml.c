// SPDX-License-Identifier: MIT
// hwloc v2 XML export of the model (hwloc's documented format, as
// `lstopo --of xml` writes it; loads with `lstopo --input f.xml`): the
// object tree with cpusets and nodesets, NUMA nodes as memory children,
// the distance matrix as a <distances2> "NUMALatency" matrix and HMAT
// figures as "Latency" (ns) / "Bandwidth" (MiB/s) memory attributes.
// NUMA node os_index is the proximity domain (logical number if a domain
// is past XML_MAX_DOMAIN). Single-threaded (static tree).
#include <string.h>
#include <lib/printk.h>
#include <lib/err.h>
#include <topology/build.h>
#include <topology/tree.h>

#define XML_MAX_DOMAIN 1024

struct xml_bitmap {
	uint64_t w[XML_MAX_DOMAIN / 64];
};

static unsigned xml_node_os(unsigned node)
{
	uint32_t d = 0;

	for (unsigned n = 0; n < topo_node_count(); n++)
		if (topo_node_domain(n) >= XML_MAX_DOMAIN)
			return node;
	d = topo_node_domain(node);
	return d;
}

// hwloc bitmap syntax: 32-bit words, most significant first, "0x%08x"
// joined by commas; "0x0" when empty.
static void xml_bits(const struct topo_out *o, const uint64_t *w, size_t nw)
{
	int top = -1;

	for (size_t i = 0; i < nw * 2; i++)
		if ((uint32_t)(w[i / 2] >> (32 * (i % 2))))
			top = (int)i;
	if (top < 0) {
		topo_outf(o, "0x0");
		return;
	}
	for (int i = top; i >= 0; i--)
		topo_outf(o, "%s0x%08x", i == top ? "" : ",",
		          (uint32_t)(w[i / 2] >> (32 * (i % 2))));
}

static void xml_nodes_of(const struct topo_cpuset *cpus, bool all,
                         struct xml_bitmap *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned n = 0; n < topo_node_count(); n++) {
		struct topo_cpuset s;
		bool hit = all;
		unsigned os = xml_node_os(n);

		topo_node_cpus(n, &s);
		for (size_t w = 0; w < ARRAY_SIZE(s.w) && !hit; w++)
			hit = (s.w[w] & cpus->w[w]) != 0;
		if (hit)
			out->w[os / 64] |= 1ull << (os % 64);
	}
}

static void xml_sets(const struct topo_out *o, const struct topo_cpuset *c,
                     const struct xml_bitmap *n, bool root)
{
	static const char *const names[] = {"", "complete_", "allowed_"};

	for (int i = 0; i < (root ? 3 : 2); i++) {
		topo_outf(o, " %scpuset=\"", names[i]);
		xml_bits(o, c->w, ARRAY_SIZE(c->w));
		topo_outf(o, "\"");
	}
	for (int i = 0; i < (root ? 3 : 2); i++) {
		topo_outf(o, " %snodeset=\"", names[i]);
		xml_bits(o, n->w, ARRAY_SIZE(n->w));
		topo_outf(o, "\"");
	}
}

static void xml_indent(const struct topo_out *o, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		topo_outf(o, "  ");
}

// gp_index: items 1..nitems, NUMA nodes after them.
static unsigned xml_node_gp(const struct topo_tree *t, unsigned n)
{
	return t->nitems + 1 + n;
}

static void xml_node(const struct topo_out *o, const struct topo_tree *t,
                     unsigned n, unsigned depth)
{
	struct topo_cpuset c;
	struct xml_bitmap b;
	unsigned os = xml_node_os(n);

	topo_node_cpus(n, &c);
	memset(&b, 0, sizeof(b));
	b.w[os / 64] |= 1ull << (os % 64);
	xml_indent(o, depth);
	topo_outf(o, "<object type=\"NUMANode\" os_index=\"%u\"", os);
	xml_sets(o, &c, &b, false);
	topo_outf(o, " gp_index=\"%u\" local_memory=\"%lu\"/>\n",
	          xml_node_gp(t, n), (unsigned long)topo_node_mem_bytes(n));
}

// The nodes hanging from item, except those drawn as groups.
static void xml_numa(const struct topo_out *o, const struct topo_tree *t,
                     unsigned item, unsigned depth)
{
	for (unsigned n = 0; n < topo_node_count(); n++)
		if (t->node_parent[n] == item && !topo_tree_node_group(t, n))
			xml_node(o, t, n, depth);
}

static void xml_item(const struct topo_out *o, const struct topo_tree *t,
                     unsigned i, unsigned depth);

// Groups of PUs per NUMA node (topology/tree.h), gp_index after the
// nodes'; dont_merge keeps hwloc from dissolving them.
static void xml_node_groups(const struct topo_out *o, const struct topo_tree *t)
{
	for (unsigned n = 0; n < topo_node_count(); n++) {
		struct topo_cpuset c;
		struct xml_bitmap b;
		unsigned os = xml_node_os(n);

		if (!topo_tree_node_group(t, n))
			continue;
		topo_node_cpus(n, &c);
		memset(&b, 0, sizeof(b));
		b.w[os / 64] |= 1ull << (os % 64);
		topo_outf(o, "    <object type=\"Group\"");
		xml_sets(o, &c, &b, false);
		topo_outf(o,
		          " gp_index=\"%u\" kind=\"1000\" dont_merge=\"1\">\n",
		          xml_node_gp(t, topo_node_count() + n));
		xml_node(o, t, n, 3);
		for (unsigned ch = t->items[0].child; ch != TOPO_NONE;
		     ch = t->items[ch].next)
			if (topo_tree_in_node(t, ch, n))
				xml_item(o, t, ch, 3);
		topo_outf(o, "    </object>\n");
	}
}

static bool xml_in_group(const struct topo_tree *t, unsigned item)
{
	for (unsigned n = 0; n < topo_node_count(); n++)
		if (topo_tree_node_group(t, n) && topo_tree_in_node(t, item, n))
			return true;
	return false;
}

static void xml_item_attrs(const struct topo_out *o, const struct topo_item *it)
{
	static const char *const types[] = {"Machine", "Package", "Die",
	                                    "Group",   "Core",    "PU"};
	static const int ctype[] = {0, 1, 2}; // hwloc: unified, data, instr

	if (it->kind == TOPO_ITEM_CACHE) {
		const struct topo_cache *c = topo_cache_get(it->idx);
		int ways = c->ways == 0xffffffffu ? -1 : (int)c->ways;

		topo_outf(o, "<object type=\"L%u%sCache\"", c->level,
		          c->type == TOPO_CACHE_INSTRUCTION ? "i" : "");
		topo_outf(o,
		          " cache_size=\"%u\" depth=\"%u\" "
		          "cache_linesize=\"%u\" cache_associativity=\"%d\" "
		          "cache_type=\"%d\"",
		          c->size, c->level, c->line, ways, ctype[c->type % 3]);
		return;
	}
	topo_outf(o, "<object type=\"%s\"", types[it->level]);
	if (it->level == TOPO_CLUSTER)
		topo_outf(o, " subtype=\"Cluster\"");
	else if (it->level == TOPO_PU)
		topo_outf(o, " os_index=\"%u\"", topo_order_cpu(it->idx));
	else
		topo_outf(o, " os_index=\"%u\"",
		          topo_obj_phys_id(it->level, it->idx));
}

static void xml_item(const struct topo_out *o, const struct topo_tree *t,
                     unsigned i, unsigned depth)
{
	const struct topo_item *it = &t->items[i];
	struct topo_cpuset c;
	struct xml_bitmap b;

	topo_item_cpus(it, &c);
	xml_nodes_of(&c, i == 0, &b);
	xml_indent(o, depth);
	xml_item_attrs(o, it);
	xml_sets(o, &c, &b, i == 0);
	topo_outf(o, " gp_index=\"%u\"", i + 1);
	if (i == 0) {
		topo_outf(o, ">\n");
		xml_indent(o, depth + 1);
		topo_outf(o, "<info name=\"Backend\" value=\"Cairn\"/>\n");
	} else if (it->child == TOPO_NONE) {
		bool nodes = false;

		for (unsigned n = 0; n < topo_node_count(); n++)
			nodes = nodes || t->node_parent[n] == i;
		if (!nodes) {
			topo_outf(o, "/>\n");
			return;
		}
		topo_outf(o, ">\n");
	} else {
		topo_outf(o, ">\n");
	}
	xml_numa(o, t, i, depth + 1);
	if (i == 0)
		xml_node_groups(o, t);
	for (unsigned ch = it->child; ch != TOPO_NONE; ch = t->items[ch].next)
		if (i != 0 || !xml_in_group(t, ch))
			xml_item(o, t, ch, depth + 1);
	xml_indent(o, depth);
	topo_outf(o, "</object>\n");
}

static unsigned xml_digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10)
		v /= 10, n++;
	return n;
}

static void xml_distances(const struct topo_out *o)
{
	unsigned n = topo_node_count(), ilen = 0, vlen = 0;

	if (n < 2)
		return;
	for (unsigned i = 0; i < n; i++) {
		ilen += xml_digits(xml_node_os(i)) + 1;
		for (unsigned j = 0; j < n; j++)
			vlen += xml_digits(topo_node_distance(i, j)) + 1;
	}
	topo_outf(o,
	          "  <distances2 type=\"NUMANode\" nbobjs=\"%u\" kind=\"5\" "
	          "name=\"NUMALatency\" indexing=\"os\">\n",
	          n);
	topo_outf(o, "    <indexes length=\"%u\">", ilen);
	for (unsigned i = 0; i < n; i++)
		topo_outf(o, "%u ", xml_node_os(i));
	topo_outf(o, "</indexes>\n    <u64values length=\"%u\">", vlen);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < n; j++)
			topo_outf(o, "%u ", topo_node_distance(i, j));
	topo_outf(o, "</u64values>\n  </distances2>\n");
}

static void xml_memattr(const struct topo_out *o, const struct topo_tree *t,
                        const char *name, unsigned flags,
                        uint64_t (*get)(unsigned, unsigned), uint64_t div)
{
	bool open = false;

	for (unsigned i = 0; i < topo_node_count(); i++) {
		struct topo_cpuset c;

		topo_node_cpus(i, &c);
		if (!topo_cpuset_count(&c))
			continue; // an initiator needs CPUs
		for (unsigned j = 0; j < topo_node_count(); j++) {
			uint64_t v = get(i, j) / div;

			if (!v)
				continue;
			if (!open)
				topo_outf(o,
				          "  <memattr name=\"%s\" "
				          "flags=\"%u\">\n",
				          name, flags);
			open = true;
			topo_outf(o,
			          "    <memattr_value target_obj_type="
			          "\"NUMANode\" target_obj_gp_index=\"%u\" "
			          "initiator_cpuset=\"",
			          xml_node_gp(t, j));
			xml_bits(o, c.w, ARRAY_SIZE(c.w));
			topo_outf(o, "\" value=\"%lu\"/>\n", (unsigned long)v);
		}
	}
	if (open)
		topo_outf(o, "  </memattr>\n");
}

void topo_print_xml(const struct topo_out *o)
{
	const struct topo_tree *t = topo_tree_build();

	topo_outf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	             "<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n"
	             "<topology version=\"2.0\">\n");
	xml_item(o, t, 0, 1);
	xml_distances(o);
	// hwloc's flags: Latency = lower first | need initiator (2|4),
	// Bandwidth = higher first | need initiator (1|4).
	xml_memattr(o, t, "Latency", 6, topo_node_latency_ps, 1000);
	xml_memattr(o, t, "Bandwidth", 5, topo_node_bandwidth_mbs, 1);
	topo_outf(o, "</topology>\n");
}
