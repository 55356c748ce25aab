// SPDX-License-Identifier: MIT
// Unit tests for the PPTT decoder: a package > cluster > 2 cores hierarchy
// with private L1 caches and a shared L2, IDs with and without the
// "ACPI processor ID valid" flag, and broken references (into the middle
// of a node, wrong node type, a parent loop).
#include <acpi/pptt.h>
#include <tests/ktest.h>
#include <tests/unit/acpi_build.h>

static uint8_t pptt_buf[512];

// Offsets of the nodes built by pptt_build().
enum {
	L2 = 36,
	L1D = 64,
	L1I = 92,
	PKG = 120,
	CLU = 140,
	CPU0 = 164,
	CPU1 = 192
};

static uint32_t pptt_cache(struct acpi_tb *b, uint32_t next, uint32_t size,
                           uint8_t type)
{
	uint32_t o = acpi_tb_add(b, 0x1c01, 2); // cache node, length 28

	acpi_tb_put(b, o + 4, 0xff, 4); // all fields valid, ID valid
	acpi_tb_put(b, o + 8, next, 4);
	acpi_tb_put(b, o + 12, size, 4);
	acpi_tb_put(b, o + 16, size / 64 / 8, 4);
	acpi_tb_put(b, o + 20, 8, 1);
	acpi_tb_put(b, o + 21, (uint64_t)(type << 2) | 3, 1);
	acpi_tb_put(b, o + 22, 64, 2);
	acpi_tb_put(b, o + 24, o, 4); // cache ID
	return o;
}

static uint32_t pptt_proc(struct acpi_tb *b, uint32_t flags, uint32_t parent,
                          uint32_t id, uint32_t npriv, const uint32_t *priv)
{
	uint32_t o = acpi_tb_add(b, 0, 1);

	acpi_tb_put(b, o + 1, 20 + 4 * npriv, 1);
	acpi_tb_put(b, o + 4, flags, 4);
	acpi_tb_put(b, o + 8, parent, 4);
	acpi_tb_put(b, o + 12, id, 4);
	acpi_tb_put(b, o + 16, npriv, 4);
	for (uint32_t i = 0; i < npriv; i++)
		acpi_tb_put(b, o + 20 + 4 * i, priv[i], 4);
	return o;
}

static const struct acpi_sdt_header *pptt_build(struct acpi_tb *b)
{
	static const uint32_t l1[] = {L1D, L1I}, l2[] = {L2};

	acpi_tb_init(b, pptt_buf, sizeof(pptt_buf), "PPTT", 3);
	pptt_cache(b, 0, 1 << 20, ACPI_PPTT_CACHE_UNIFIED);
	pptt_cache(b, L2, 32768, ACPI_PPTT_CACHE_DATA);
	pptt_cache(b, L2, 32768, ACPI_PPTT_CACHE_INSTRUCTION);
	pptt_proc(b, ACPI_PPTT_PHYSICAL_PACKAGE, 0, 0xdead, 0, NULL);
	pptt_proc(b, 0, PKG, 0, 1, l2);
	pptt_proc(b, ACPI_PPTT_ID_VALID | ACPI_PPTT_LEAF, CLU, 0, 2, l1);
	pptt_proc(b, ACPI_PPTT_ID_VALID | ACPI_PPTT_LEAF, CLU, 1, 2, l1);
	return acpi_tb_finish(b);
}

KTEST(acpi_pptt, hierarchy_and_caches)
{
	struct acpi_tb b;
	const struct acpi_sdt_header *tbl = pptt_build(&b);
	struct acpi_pptt p;
	struct acpi_pptt_node n, c;

	KT_ASSERT_EQ(acpi_pptt_parse(tbl, &p), E_OK);
	KT_EXPECT_EQ(p.nproc, 4);
	KT_EXPECT_EQ(p.ncache, 3);
	KT_EXPECT_EQ(p.nleaves, 2);
	KT_EXPECT_EQ(p.max_depth, 3);
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, PKG, &n), E_OK);
	KT_EXPECT(!n.proc.id_valid);
	KT_EXPECT_EQ(n.proc.id, PKG); // no valid ID: the offset stands in
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, CPU1, &n), E_OK);
	KT_EXPECT(n.proc.id_valid);
	KT_EXPECT_EQ(n.proc.id, 1);
	KT_EXPECT_EQ(n.proc.parent, CLU);
	KT_ASSERT_EQ(n.proc.nprivate, 2);
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, acpi_pptt_private(&p, &n, 1), &c),
	             E_OK);
	KT_EXPECT_EQ(c.type, ACPI_PPTT_CACHE);
	KT_EXPECT_EQ(c.cache.type, ACPI_PPTT_CACHE_INSTRUCTION);
	KT_EXPECT_EQ(c.cache.size, 32768);
	KT_EXPECT_EQ(c.cache.line_size, 64);
	KT_EXPECT_EQ(c.cache.next_level, L2);
	KT_EXPECT_EQ(c.cache.cache_id, L1I);
	KT_ASSERT_EQ(acpi_pptt_node_at(&p, L2, &c), E_OK);
	KT_EXPECT_EQ(c.cache.type, ACPI_PPTT_CACHE_UNIFIED);
	KT_EXPECT_EQ(acpi_pptt_node_at(&p, L2 + 4, &c), E_NOENT);
}

KTEST(acpi_pptt, bad_references)
{
	struct acpi_tb b;
	struct acpi_pptt p;
	const struct acpi_sdt_header *tbl;

	acpi_set_quiet(true);
	pptt_build(&b);
	acpi_tb_put(&b, CPU0 + 8, CLU + 4, 4); // parent into a node's middle
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_pptt_parse(tbl, &p), E_CORRUPT);
	KT_EXPECT_STR(acpi_last_error(),
	              "PPTT: offset 0xac: parent reference 0x90 is not the "
	              "start of a node");
	pptt_build(&b);
	acpi_tb_put(&b, CPU0 + 8, L2, 4); // parent is a cache
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_pptt_parse(tbl, &p), E_CORRUPT);
	pptt_build(&b);
	acpi_tb_put(&b, PKG + 8, CPU0, 4); // package's parent: a loop
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_pptt_parse(tbl, &p), E_CORRUPT);
	pptt_build(&b);
	acpi_tb_put(&b, L2 + 8, L1D, 4); // cache next-level loop
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_pptt_parse(tbl, &p), E_CORRUPT);
	pptt_build(&b);
	acpi_tb_put(&b, CPU1 + 16, 1000, 4); // private count past the node
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_pptt_parse(tbl, &p), E_CORRUPT);
	pptt_build(&b);
	acpi_tb_put(&b, CPU1 + 1, 255, 1); // node length past the table
	tbl = acpi_tb_finish(&b);
	KT_EXPECT_EQ(acpi_pptt_parse(tbl, &p), E_TRUNC);
	acpi_set_quiet(false);
}
