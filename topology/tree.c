// SPDX-License-Identifier: MIT
// The object tree behind both printers (topology/tree.h): items are the
// shown levels' objects and the caches; each item's parent is the item just
// above it in every one of its CPUs' chains (CPU's items sorted by size,
// then rank). An item whose CPUs disagree on that parent is not nested in
// the hierarchy (e.g. a cache shared across two packages): it is dropped
// and counted. Static storage, rebuilt per print; single-threaded.
#include <stdarg.h>
#include <string.h>
#include <lib/printk.h>
#include <lib/err.h>
#include <topology/build.h>
#include <topology/tree.h>

#define TOPO_MAX_ITEMS (TOPO_NLEVELS * MAX_CPUS + TOPO_MAX_CACHES)
#define TOPO_CHAIN_MAX (TOPO_NLEVELS + TOPO_MAX_CPU_CACHES)

static struct topo_item items[TOPO_MAX_ITEMS];
static uint16_t node_parent[TOPO_MAX_NODES];
static uint16_t level_base[TOPO_NLEVELS]; // first item of each level
static uint16_t cache_base;
static uint16_t cpu_pos[MAX_CPUS]; // position in tree order
static struct topo_tree tree;

void topo_outf(const struct topo_out *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (n > 0)
		o->write(o->ctx, buf, (size_t)n);
}

// Equal CPU sets: package above die above cluster above caches (outer
// level first, data before instruction) above core above PU.
static uint16_t topo_rank_level(enum topo_level l)
{
	return l <= TOPO_CLUSTER ? (uint16_t)l : (uint16_t)(100 + l);
}

static uint16_t topo_rank_cache(const struct topo_cache *c)
{
	return (uint16_t)(10 + (16 - c->level) * 4 + c->type);
}

static void topo_add_items(void)
{
	unsigned n = 0;

	for (int l = TOPO_MACHINE; l < TOPO_NLEVELS; l++) {
		level_base[l] = (uint16_t)n;
		if (!topo_level_shown(l))
			continue;
		for (unsigned i = 0; i < topo_level_count(l); i++) {
			struct topo_item *it = &items[n++];

			memset(it, 0, sizeof(*it));
			it->kind = TOPO_ITEM_LEVEL;
			it->level = (uint8_t)l;
			it->idx = (uint16_t)i;
			it->rank = topo_rank_level(l);
		}
	}
	cache_base = (uint16_t)n;
	for (unsigned i = 0; i < topo_cache_count(); i++) {
		struct topo_item *it = &items[n++];

		memset(it, 0, sizeof(*it));
		it->kind = TOPO_ITEM_CACHE;
		it->idx = (uint16_t)i;
		it->rank = topo_rank_cache(topo_cache_get(i));
	}
	for (unsigned i = 0; i < n; i++) {
		items[i].parent = items[i].child = items[i].next = TOPO_NONE;
		items[i].first = TOPO_NONE;
	}
	tree.nitems = n;
}

// The items holding cpu, biggest first.
static unsigned topo_chain(unsigned cpu, uint16_t *chain)
{
	unsigned n = 0, caches[TOPO_MAX_CPU_CACHES];
	unsigned nc = topo_cpu_caches(cpu, caches);

	for (int l = TOPO_MACHINE; l < TOPO_NLEVELS; l++)
		if (topo_level_shown(l))
			chain[n++] =
			    (uint16_t)(level_base[l] + topo_cpu_obj(cpu, l));
	for (unsigned k = 0; k < nc; k++)
		if (!items[cache_base + caches[k]].dropped)
			chain[n++] = (uint16_t)(cache_base + caches[k]);
	// Insertion sort by (more CPUs first, then rank).
	for (unsigned i = 1; i < n; i++) {
		uint16_t v = chain[i];
		unsigned j = i;

		while (j > 0 && (items[chain[j - 1]].ncpus < items[v].ncpus ||
		                 (items[chain[j - 1]].ncpus == items[v].ncpus &&
		                  items[chain[j - 1]].rank > items[v].rank))) {
			chain[j] = chain[j - 1];
			j--;
		}
		chain[j] = v;
	}
	return n;
}

static void topo_count_cpus(void)
{
	uint16_t chain[TOPO_CHAIN_MAX];

	for (unsigned i = 0; i < tree.nitems; i++)
		items[i].ncpus = 0;
	for (unsigned p = 0; p < topo_cpu_count(); p++) {
		unsigned cpu = topo_order_cpu(p), caches[TOPO_MAX_CPU_CACHES];
		unsigned nc = topo_cpu_caches(cpu, caches);

		cpu_pos[cpu] = (uint16_t)p;
		for (int l = TOPO_MACHINE; l < TOPO_NLEVELS; l++)
			if (topo_level_shown(l))
				chain[0] = (uint16_t)(level_base[l] +
				                      topo_cpu_obj(cpu, l)),
				items[chain[0]].ncpus++;
		for (unsigned k = 0; k < nc; k++)
			items[cache_base + caches[k]].ncpus++;
	}
}

// Parents from the chains; returns the number of newly dropped items.
static unsigned topo_link(bool drop)
{
	uint16_t chain[TOPO_CHAIN_MAX];
	unsigned dropped = 0;

	for (unsigned i = 0; i < tree.nitems; i++)
		items[i].parent = items[i].first = TOPO_NONE;
	for (unsigned p = 0; p < topo_cpu_count(); p++) {
		unsigned cpu = topo_order_cpu(p);
		unsigned n = topo_chain(cpu, chain);

		for (unsigned k = 0; k < n; k++) {
			struct topo_item *it = &items[chain[k]];
			uint16_t par = k ? chain[k - 1] : TOPO_NONE;

			if (it->first == TOPO_NONE) {
				it->first = (uint16_t)p;
				it->parent = par;
			} else if (it->parent != par && drop &&
			           it->kind == TOPO_ITEM_CACHE &&
			           !it->dropped) {
				it->dropped = true;
				dropped++;
			}
		}
	}
	return dropped;
}

static void topo_link_children(void)
{
	// Children in tree order of their first CPU: walk items sorted by
	// (first CPU, bigger first) and append to the parent's list.
	static uint16_t last[TOPO_MAX_ITEMS];

	for (unsigned i = 0; i < tree.nitems; i++)
		items[i].child = items[i].next = last[i] = TOPO_NONE;
	for (unsigned p = 0; p < topo_cpu_count(); p++) {
		uint16_t chain[TOPO_CHAIN_MAX];
		unsigned n = topo_chain(topo_order_cpu(p), chain);

		for (unsigned k = 1; k < n; k++) {
			struct topo_item *it = &items[chain[k]];
			uint16_t par = chain[k - 1];

			if (it->first != p || it->dropped)
				continue;
			if (last[par] == TOPO_NONE)
				items[par].child = chain[k];
			else
				items[last[par]].next = chain[k];
			last[par] = chain[k];
		}
	}
}

static void topo_number_items(void)
{
	unsigned count[TOPO_NLEVELS] = {0};
	static uint16_t ccount[16][3];

	memset(ccount, 0, sizeof(ccount));
	// Pre-order walk: logical indices per type in tree order.
	for (unsigned i = 0; i != TOPO_NONE && i < tree.nitems;) {
		struct topo_item *it = &items[i];

		if (it->kind == TOPO_ITEM_LEVEL) {
			it->lindex = (uint16_t)count[it->level]++;
		} else {
			const struct topo_cache *c = topo_cache_get(it->idx);

			it->lindex = ccount[c->level & 15][c->type % 3]++;
		}
		if (it->child != TOPO_NONE) {
			i = it->child;
			continue;
		}
		while (i != TOPO_NONE && items[i].next == TOPO_NONE)
			i = items[i].parent;
		i = i == TOPO_NONE ? TOPO_NONE : items[i].next;
	}
}

static bool topo_item_holds(uint16_t item, const struct topo_cpuset *s)
{
	struct topo_cpuset c;

	topo_item_cpus(&items[item], &c);
	for (size_t w = 0; w < ARRAY_SIZE(c.w); w++)
		if (s->w[w] & ~c.w[w])
			return false;
	return true;
}

// The outermost object with the same CPUs as item (hwloc attaches memory
// there: a node of one package hangs from the package, not its core).
static uint16_t topo_highest_equal(uint16_t item)
{
	uint16_t best = item;

	for (uint16_t p = items[item].parent;
	     p != TOPO_NONE && items[p].ncpus == items[item].ncpus;
	     p = items[p].parent)
		if (items[p].kind == TOPO_ITEM_LEVEL)
			best = p;
	return best;
}

static void topo_place_nodes(void)
{
	for (unsigned n = 0; n < topo_node_count(); n++) {
		struct topo_cpuset s;
		uint16_t chain[TOPO_CHAIN_MAX];
		unsigned len, first = TOPO_NONE;

		node_parent[n] = 0;
		topo_node_cpus(n, &s);
		for (unsigned c = 0; c < topo_cpu_count(); c++)
			if (topo_cpuset_has(&s, c)) {
				first = c;
				break;
			}
		if (first == TOPO_NONE)
			continue; // memory-only: the machine
		len = topo_chain(first, chain);
		for (unsigned k = len; k-- > 0;) {
			// NUMA nodes hang from objects, not from caches or PUs.
			if (items[chain[k]].kind == TOPO_ITEM_CACHE ||
			    items[chain[k]].level == TOPO_PU)
				continue;
			if (topo_item_holds(chain[k], &s)) {
				node_parent[n] = topo_highest_equal(chain[k]);
				break;
			}
		}
	}
}

static unsigned topo_tree_groups(const struct topo_tree *t);

const struct topo_tree *topo_tree_build(void)
{
	topo_add_items();
	topo_count_cpus();
	tree.ndropped = 0;
	for (int pass = 0; pass < 4; pass++) {
		unsigned d = topo_link(true);

		tree.ndropped += d;
		if (!d)
			break;
	}
	topo_link_children();
	topo_number_items();
	topo_place_nodes();
	tree.items = items;
	tree.node_parent = node_parent;
	tree.node_groups = topo_tree_groups(&tree) > 0;
	return &tree;
}

bool topo_tree_in_node(const struct topo_tree *t, unsigned item, unsigned n)
{
	struct topo_cpuset c, s;

	topo_item_cpus(&t->items[item], &c);
	topo_node_cpus(n, &s);
	for (size_t w = 0; w < ARRAY_SIZE(c.w); w++)
		if (c.w[w] & ~s.w[w])
			return false;
	return true;
}

// Nodes with CPUs at the machine, or 0 when grouping does not apply.
static unsigned topo_tree_groups(const struct topo_tree *t)
{
	unsigned groups = 0;

	for (unsigned n = 0; n < topo_node_count(); n++) {
		struct topo_cpuset s;

		topo_node_cpus(n, &s);
		if (t->node_parent[n] == 0 && topo_cpuset_count(&s))
			groups++;
	}
	if (groups < 2)
		return 0;
	for (unsigned c = t->items[0].child; c != TOPO_NONE;
	     c = t->items[c].next) {
		unsigned in = 0;

		if (t->items[c].kind != TOPO_ITEM_LEVEL ||
		    t->items[c].level != TOPO_PU)
			return 0;
		for (unsigned n = 0; n < topo_node_count(); n++)
			in += t->node_parent[n] == 0 &&
			      topo_tree_in_node(t, c, n);
		if (in != 1)
			return 0;
	}
	return groups;
}

bool topo_tree_node_group(const struct topo_tree *t, unsigned n)
{
	struct topo_cpuset s;

	if (!t->node_groups)
		return false;
	topo_node_cpus(n, &s);
	return t->node_groups && t->node_parent[n] == 0 &&
	       topo_cpuset_count(&s);
}

void topo_item_cpus(const struct topo_item *it, struct topo_cpuset *out)
{
	if (it->kind == TOPO_ITEM_CACHE)
		topo_cache_cpus(it->idx, out);
	else
		topo_obj_cpus(it->level, it->idx, out);
}

const char *topo_item_name(const struct topo_item *it)
{
	static char buf[8];
	const struct topo_cache *c;

	if (it->kind == TOPO_ITEM_LEVEL)
		return topo_level_name(it->level);
	c = topo_cache_get(it->idx);
	ksnprintf(buf, sizeof(buf), "L%u%s", c->level,
	          c->type == TOPO_CACHE_DATA          ? "d"
	          : c->type == TOPO_CACHE_INSTRUCTION ? "i"
	                                              : "");
	return buf;
}
