// SPDX-License-Identifier: MIT
// Internal to topology/: the object tree the printers walk (text tree and
// hwloc XML). Built by topo_tree_build() from the model: the shown levels'
// objects and the caches, nested by their CPU sets; NUMA nodes attached to
// the smallest object holding all their CPUs (memory-only nodes to the
// machine). Static storage; rebuilt on every print (single-threaded).
#pragma once

#include <topology/topology.h>

enum topo_item_kind { TOPO_ITEM_LEVEL, TOPO_ITEM_CACHE };

struct topo_item {
	uint8_t kind;    // enum topo_item_kind
	uint8_t level;   // enum topo_level (TOPO_ITEM_LEVEL)
	uint16_t idx;    // object or cache index
	uint16_t ncpus;  // CPUs below
	uint16_t first;  // position of its first CPU in tree order
	uint16_t rank;   // order among items with equal CPU sets
	uint16_t parent; // item index, TOPO_NONE for the machine
	uint16_t child;  // first child, TOPO_NONE if none
	uint16_t next;   // next sibling
	uint16_t lindex; // logical index among items of its type
	bool dropped;    // not nested in the others: left out
};

struct topo_tree {
	unsigned nitems;
	struct topo_item *items; // items[0] is the machine
	uint16_t *node_parent;   // per NUMA node: item it hangs from
	unsigned ndropped;
	bool node_groups; // topo_tree_node_group() applies
};

const struct topo_tree *topo_tree_build(void);
// Whether NUMA node n is drawn as a group of the machine's children: when
// nothing but PUs hang from the machine (tables without CPUID: packages
// unknown), no object holds a node's CPUs, so the printers wrap each
// node's PUs in a Group (as hwloc does) to show which PUs belong to it.
// Needs at least two nodes with CPUs, every PU in exactly one of them.
bool topo_tree_node_group(const struct topo_tree *t, unsigned n);
// Whether the machine's child item lies in node n's CPUs.
bool topo_tree_in_node(const struct topo_tree *t, unsigned item, unsigned n);
void topo_item_cpus(const struct topo_item *it, struct topo_cpuset *out);
// "L2", "L1d", "Package", ... and the hwloc type name ("L2Cache").
const char *topo_item_name(const struct topo_item *it);
void topo_outf(const struct topo_out *o, const char *fmt, ...)
    __printf_like(2, 3);
