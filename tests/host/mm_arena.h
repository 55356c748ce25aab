// SPDX-License-Identifier: MIT
// Host test helper: a malloc'd arena presented to the buddy allocator as
// physical memory at a fake base, plus panic capture for misuse tests.
// Each including file gets its own (static) copy; one arena at a time.
#pragma once

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lib/panic.h>
#include <mm/buddy.h>

struct mm_arena {
	uint8_t *mem;
	paddr_t base;
	uint64_t size;
};

static struct mm_arena mm_arena;

static __unused void *mm_arena_p2v(paddr_t pa)
{
	if (pa < mm_arena.base || pa >= mm_arena.base + mm_arena.size) {
		fprintf(stderr, "mm_arena: phys 0x%lx outside the arena\n",
		        (unsigned long)pa);
		abort();
	}
	return mm_arena.mem + (pa - mm_arena.base);
}

static __unused paddr_t mm_arena_v2p(const void *va)
{
	const uint8_t *p = va;

	if (p < mm_arena.mem || p >= mm_arena.mem + mm_arena.size) {
		fprintf(stderr, "mm_arena: %p outside the arena\n", va);
		abort();
	}
	return mm_arena.base + (paddr_t)(p - mm_arena.mem);
}

static __unused void mm_arena_open(paddr_t base, uint64_t size)
{
	mm_arena.mem = aligned_alloc(PAGE_SIZE, size);
	if (!mm_arena.mem)
		abort();
	mm_arena.base = base;
	mm_arena.size = size;
}

static __unused void mm_arena_close(void)
{
	free(mm_arena.mem);
	memset(&mm_arena, 0, sizeof(mm_arena));
}

static __unused struct buddy_config mm_arena_config(unsigned pcp_high,
                                                    unsigned pcp_batch)
{
	struct buddy_config cfg = {.phys_to_virt = mm_arena_p2v,
	                           .virt_to_phys = mm_arena_v2p,
	                           .pcp_high = pcp_high,
	                           .pcp_batch = pcp_batch};
	return cfg;
}

static __unused paddr_t mm_arena_pg(uint64_t i)
{
	return mm_arena.base + i * PAGE_SIZE;
}

// --- panic capture: EXPECT_PANIC(stmt, "text") runs stmt and expects a
// panic whose message contains text (and, if non-NULL, addr_text).

static jmp_buf mm_panic_jmp;
static char mm_panic_msg[256];

static __unused void mm_panic_catch(const char *msg)
{
	snprintf(mm_panic_msg, sizeof(mm_panic_msg), "%s", msg);
	longjmp(mm_panic_jmp, 1);
}

#define EXPECT_PANIC(stmt, text, addr)                                         \
	do {                                                                   \
		char addr_text_[32] = "";                                      \
		if (addr)                                                      \
			snprintf(addr_text_, sizeof(addr_text_), "0x%lx",      \
			         (unsigned long)(addr));                       \
		mm_panic_msg[0] = 0;                                           \
		panic_hook = mm_panic_catch;                                   \
		if (!setjmp(mm_panic_jmp)) {                                   \
			stmt;                                                  \
			panic_hook = NULL;                                     \
			KT_EXPECT(!"no panic from: " #stmt);                   \
		} else {                                                       \
			panic_hook = NULL;                                     \
			ktest_log(t, "panic: %s", mm_panic_msg);               \
			KT_EXPECT(strstr(mm_panic_msg, text) != NULL);         \
			KT_EXPECT(strstr(mm_panic_msg, addr_text_) != NULL);   \
		}                                                              \
	} while (0)
