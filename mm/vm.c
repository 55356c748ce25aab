// SPDX-License-Identifier: MIT
// Page-table walking for vm_space (see mm/vm.h): map, unmap, protect,
// query, splitting large pages and freeing tables that empty. Every call
// takes space->lock for its whole walk; TLB flushes and the freeing of
// emptied tables happen after it drops the lock (struct vm_batch). Tables
// are reached through the direct map and come from the page allocator.
#include <string.h>
#include <lib/err.h>
#include <mm/phys.h>
#include <lib/printk.h>
#include <mm/mm.h>
#include <mm/vm.h>

static uint64_t *vm_table(paddr_t t)
{
	return phys_to_virt(t);
}

static paddr_t vm_table_alloc(void)
{
	paddr_t t = page_alloc(0);

	if (t != BUDDY_NIL)
		memset(vm_table(t), 0, PAGE_SIZE);
	return t;
}

// End of the level-l entry holding va, or 0 if that is the top of the
// address space.
static vaddr_t vm_entry_end(vaddr_t va, unsigned l)
{
	return (va & ~(MMU_SPAN(l) - 1)) + MMU_SPAN(l);
}

// TLB flushes and table frees an operation owes, paid after it drops the
// space's lock: a flush may wait for other CPUs (x86_64 IPIs), which could
// themselves be spinning on that lock. Freed tables are chained through
// their first entry and go back to the allocator only after the flush, so
// no CPU can still walk them.
struct vm_batch {
	vaddr_t lo, hi; // range to flush; lo == hi: nothing
	paddr_t freed;  // chain of tables to free, BUDDY_NIL-terminated
};

#define VM_BATCH_INIT                                                          \
	{                                                                      \
		0, 0, BUDDY_NIL                                                \
	}

static void vm_flush(struct vm_space *s, struct vm_batch *b, vaddr_t va,
                     size_t len)
{
	if (!s->live)
		return;
	if (b->lo == b->hi) {
		b->lo = va;
		b->hi = va + len;
	} else {
		b->lo = MIN(b->lo, va);
		b->hi = MAX(b->hi, va + len);
	}
}

static void vm_defer_free(struct vm_batch *b, paddr_t t)
{
	*(paddr_t *)vm_table(t) = b->freed;
	b->freed = t;
}

// Unlocks s and settles what the operation owes.
static void vm_unlock(struct vm_space *s, irqflags_t f, struct vm_batch *b)
{
	spin_unlock_irqrestore(&s->lock, f);
	if (b->lo != b->hi)
		hal_mmu_flush(b->lo, b->hi - b->lo);
	while (b->freed != BUDDY_NIL) {
		paddr_t t = b->freed;

		b->freed = *(paddr_t *)vm_table(t);
		page_free(t, 0);
	}
}

static void vm_set(struct vm_space *s, uint64_t *e, uint64_t v, vaddr_t va,
                   unsigned l)
{
	if (s->live && mmu_pte_valid(*e) && mmu_pte_valid(v))
		hal_mmu_replace(e, v, va & ~(MMU_SPAN(l) - 1), MMU_SPAN(l));
	else
		__atomic_store_n(e, v, __ATOMIC_RELEASE);
}

err_t vm_space_init(struct vm_space *s)
{
	spin_lock_init(&s->lock);
	s->live = false;
	s->root = vm_table_alloc();
	return s->root == BUDDY_NIL ? E_NOMEM : 0;
}

static void vm_free_tables(paddr_t t, unsigned l)
{
	uint64_t *e = vm_table(t);

	for (unsigned i = 0; l > 1 && i < MMU_ENTRIES; i++)
		if (mmu_pte_is_table(e[i], l))
			vm_free_tables(mmu_pte_addr(e[i], l), l - 1);
	page_free(t, 0);
}

void vm_space_destroy(struct vm_space *s)
{
	if (s->root != BUDDY_NIL)
		vm_free_tables(s->root, MMU_ROOT_LEVEL);
	s->root = BUDDY_NIL;
}

static size_t vm_count_tables(paddr_t t, unsigned l)
{
	uint64_t *e = vm_table(t);
	size_t n = 1;

	for (unsigned i = 0; l > 1 && i < MMU_ENTRIES; i++)
		if (mmu_pte_is_table(e[i], l))
			n += vm_count_tables(mmu_pte_addr(e[i], l), l - 1);
	return n;
}

size_t vm_table_pages(struct vm_space *s)
{
	irqflags_t f = spin_lock_irqsave(&s->lock);
	size_t n = vm_count_tables(s->root, MMU_ROOT_LEVEL);

	spin_unlock_irqrestore(&s->lock, f);
	return n;
}

// Replaces the leaf *e (level l, covering base) by a table of 512 leaves
// one level down mapping the same memory with the same protection.
static err_t vm_split(struct vm_space *s, uint64_t *e, unsigned l, vaddr_t base)
{
	paddr_t t = vm_table_alloc(), pa = mmu_pte_addr(*e, l);
	unsigned prot = mmu_pte_prot(*e);
	uint64_t *n;

	if (t == BUDDY_NIL)
		return E_NOMEM;
	n = vm_table(t);
	for (unsigned i = 0; i < MMU_ENTRIES; i++)
		n[i] = mmu_pte_leaf(pa + i * MMU_SPAN(l - 1), l - 1, prot);
	vm_set(s, e, mmu_pte_table(t), base, l);
	return 0;
}

static bool vm_table_empty(const uint64_t *t)
{
	for (unsigned i = 0; i < MMU_ENTRIES; i++)
		if (t[i])
			return false;
	return true;
}

// After clearing an entry of path[l], frees the tables on va's path that
// became empty (never the root).
static void vm_prune(struct vm_space *s, struct vm_batch *b, uint64_t **path,
                     unsigned l, vaddr_t va)
{
	for (; l < MMU_ROOT_LEVEL && vm_table_empty(path[l]); l++) {
		uint64_t *parent = &path[l + 1][MMU_INDEX(va, l + 1)];
		paddr_t t = mmu_pte_addr(*parent, l + 1);

		__atomic_store_n(parent, 0, __ATOMIC_RELEASE);
		vm_flush(s, b, va & ~(MMU_SPAN(l + 1) - 1), MMU_SPAN(l + 1));
		vm_defer_free(b, t);
	}
}

// First mapped address in [va, end), or end.
static vaddr_t vm_first_mapped(struct vm_space *s, vaddr_t va, vaddr_t end)
{
	while (va < end) {
		uint64_t *t = vm_table(s->root);
		unsigned l = MMU_ROOT_LEVEL;
		vaddr_t next;

		for (;;) {
			uint64_t e = t[MMU_INDEX(va, l)];

			if (!mmu_pte_valid(e)) {
				next = vm_entry_end(va, l);
				break;
			}
			if (!mmu_pte_is_table(e, l))
				return va;
			t = vm_table(mmu_pte_addr(e, l));
			l--;
		}
		if (next == 0)
			return end;
		va = next;
	}
	return end;
}

enum vm_op { VM_OP_UNMAP, VM_OP_PROTECT };

// Applies op to every mapped page of [va, end), splitting large pages the
// range covers only in part. Sets *hole if some of it was not mapped.
static err_t vm_range_op(struct vm_space *s, struct vm_batch *b, vaddr_t va,
                         vaddr_t end, enum vm_op op, unsigned prot, bool *hole)
{
	while (va < end) {
		uint64_t *path[MMU_LEVELS];
		uint64_t *t = vm_table(s->root), *e;
		unsigned l = MMU_ROOT_LEVEL;
		vaddr_t base, next;

		for (;;) {
			path[l] = t;
			e = &t[MMU_INDEX(va, l)];
			base = va & ~(MMU_SPAN(l) - 1);
			next = vm_entry_end(va, l);
			if (!mmu_pte_valid(*e)) {
				*hole = true;
				break;
			}
			if (mmu_pte_is_table(*e, l)) {
				t = vm_table(mmu_pte_addr(*e, l));
				l--;
				continue;
			}
			if (va == base && (next == 0 || next <= end))
				break; // the whole leaf is in the range
			err_t err = vm_split(s, e, l, base);
			if (err)
				return err;
		}
		if (mmu_pte_valid(*e) && op == VM_OP_UNMAP) {
			__atomic_store_n(e, 0, __ATOMIC_RELEASE);
			vm_flush(s, b, base, MMU_SPAN(l));
			vm_prune(s, b, path, l, va);
		} else if (mmu_pte_valid(*e)) {
			vm_set(s, e, mmu_pte_leaf(mmu_pte_addr(*e, l), l, prot),
			       base, l);
			vm_flush(s, b, base, MMU_SPAN(l));
		}
		if (next == 0)
			break;
		va = next;
	}
	return 0;
}

// Largest leaf level for mapping va -> pa with len bytes left.
static unsigned vm_fit_level(vaddr_t va, paddr_t pa, size_t len)
{
	unsigned l = hal_mmu_max_leaf_level();

	while (l > 0 && (((va | pa) & (MMU_SPAN(l) - 1)) || len < MMU_SPAN(l)))
		l--;
	return l;
}

// The entry for va at level l, creating tables above it. NULL: no memory.
static uint64_t *vm_walk_create(struct vm_space *s, vaddr_t va, unsigned l)
{
	uint64_t *t = vm_table(s->root);

	for (unsigned k = MMU_ROOT_LEVEL; k > l; k--) {
		uint64_t *e = &t[MMU_INDEX(va, k)];

		if (!mmu_pte_valid(*e)) {
			paddr_t n = vm_table_alloc();

			if (n == BUDDY_NIL)
				return NULL;
			__atomic_store_n(e, mmu_pte_table(n), __ATOMIC_RELEASE);
		}
		t = vm_table(mmu_pte_addr(*e, k));
	}
	return &t[MMU_INDEX(va, l)];
}

static bool vm_args_ok(vaddr_t va, size_t len)
{
	return len && IS_ALIGNED(va, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       (va + len == 0 || va + len > va);
}

static vaddr_t vm_end(vaddr_t va, size_t len)
{
	return va + len == 0 ? ~(vaddr_t)0 : va + len;
}

err_t vm_map(struct vm_space *s, vaddr_t va, paddr_t pa, size_t len,
             unsigned prot)
{
	vaddr_t start = va, end = vm_end(va, len);
	struct vm_batch b = VM_BATCH_INIT;
	irqflags_t f;
	err_t err = 0;
	bool hole;

	if (!vm_args_ok(va, len) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    (prot & ~MMU_PROT_MASK))
		return E_INVAL;
	f = spin_lock_irqsave(&s->lock);
	if (vm_first_mapped(s, va, end) != end) {
		err = E_EXIST;
		goto out;
	}
	while (va < end) {
		unsigned l = vm_fit_level(va, pa, end - va + (end == ~0ull));
		uint64_t *e = vm_walk_create(s, va, l);

		if (!e) {
			err = E_NOMEM;
			(void)vm_range_op(s, &b, start, va, VM_OP_UNMAP, 0,
			                  &hole);
			break;
		}
		__atomic_store_n(e, mmu_pte_leaf(pa, l, prot),
		                 __ATOMIC_RELEASE);
		va += MMU_SPAN(l);
		pa += MMU_SPAN(l);
		if (va == 0)
			break;
	}
out:
	vm_unlock(s, f, &b);
	return err;
}

err_t vm_unmap(struct vm_space *s, vaddr_t va, size_t len)
{
	struct vm_batch b = VM_BATCH_INIT;
	bool hole = false;
	irqflags_t f;
	err_t err;

	if (!vm_args_ok(va, len))
		return E_INVAL;
	f = spin_lock_irqsave(&s->lock);
	err = vm_range_op(s, &b, va, vm_end(va, len), VM_OP_UNMAP, 0, &hole);
	vm_unlock(s, f, &b);
	return err;
}

err_t vm_protect(struct vm_space *s, vaddr_t va, size_t len, unsigned prot)
{
	struct vm_batch b = VM_BATCH_INIT;
	bool hole = false;
	irqflags_t f;
	err_t err;

	if (!vm_args_ok(va, len) || (prot & ~MMU_PROT_MASK))
		return E_INVAL;
	f = spin_lock_irqsave(&s->lock);
	err =
	    vm_range_op(s, &b, va, vm_end(va, len), VM_OP_PROTECT, prot, &hole);
	vm_unlock(s, f, &b);
	return err ? err : hole ? E_NOENT : 0;
}

bool vm_query(struct vm_space *s, vaddr_t va, struct vm_mapping *m)
{
	irqflags_t f = spin_lock_irqsave(&s->lock);
	uint64_t *t = vm_table(s->root);
	bool found = false;

	for (unsigned l = MMU_ROOT_LEVEL;; l--) {
		uint64_t e = t[MMU_INDEX(va, l)];

		if (!mmu_pte_valid(e))
			break;
		if (!mmu_pte_is_table(e, l)) {
			m->size = MMU_SPAN(l);
			m->base = va & ~(m->size - 1);
			m->pa = mmu_pte_addr(e, l) + (va - m->base);
			m->prot = mmu_pte_prot(e);
			found = true;
			break;
		}
		t = vm_table(mmu_pte_addr(e, l));
	}
	spin_unlock_irqrestore(&s->lock, f);
	return found;
}
