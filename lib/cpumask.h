// SPDX-License-Identifier: MIT
// CPU masks: one bit per logical CPU number, sized for MAX_CPUS (512), so
// they scale to every machine Cairn brings up (no 64-bit masks anywhere).
//
// A mask is a plain value (64 bytes): copy it, keep it on the stack or in a
// struct. No function here takes a lock or allocates; callers guard shared
// masks themselves. Iteration is in ascending CPU order:
//
//     unsigned cpu;
//     CPUMASK_FOR_EACH(cpu, &mask)
//             use(cpu);
#pragma once

#include <lib/types.h>

#define CPUMASK_WORDS (MAX_CPUS / 64)

struct cpumask {
	uint64_t w[CPUMASK_WORDS];
};

static inline void cpumask_clear_all(struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m->w[i] = 0;
}

// Sets CPUs 0..n-1 and clears the rest.
static inline void cpumask_fill(struct cpumask *m, unsigned n)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++) {
		unsigned lo = i * 64;
		m->w[i] = n >= lo + 64 ? ~0ull
		          : n > lo     ? (1ull << (n - lo)) - 1
		                       : 0;
	}
}

static inline void cpumask_set(struct cpumask *m, unsigned cpu)
{
	if (cpu < MAX_CPUS)
		m->w[cpu / 64] |= 1ull << (cpu % 64);
}

static inline void cpumask_clear(struct cpumask *m, unsigned cpu)
{
	if (cpu < MAX_CPUS)
		m->w[cpu / 64] &= ~(1ull << (cpu % 64));
}

static inline bool cpumask_test(const struct cpumask *m, unsigned cpu)
{
	return cpu < MAX_CPUS && (m->w[cpu / 64] >> (cpu % 64) & 1);
}

static inline unsigned cpumask_weight(const struct cpumask *m)
{
	unsigned n = 0;
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		n += (unsigned)__builtin_popcountll(m->w[i]);
	return n;
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (m->w[i])
			return false;
	return true;
}

static inline bool cpumask_equal(const struct cpumask *a,
                                 const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (a->w[i] != b->w[i])
			return false;
	return true;
}

// True if every CPU of a is in b.
static inline bool cpumask_subset(const struct cpumask *a,
                                  const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (a->w[i] & ~b->w[i])
			return false;
	return true;
}

static inline bool cpumask_intersects(const struct cpumask *a,
                                      const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

// out = a & b, a | b, a & ~b (out may alias either input).
static inline void cpumask_and(struct cpumask *out, const struct cpumask *a,
                               const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		out->w[i] = a->w[i] & b->w[i];
}

static inline void cpumask_or(struct cpumask *out, const struct cpumask *a,
                              const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		out->w[i] = a->w[i] | b->w[i];
}

static inline void cpumask_andnot(struct cpumask *out, const struct cpumask *a,
                                  const struct cpumask *b)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		out->w[i] = a->w[i] & ~b->w[i];
}

// First CPU >= from in m, or MAX_CPUS if none.
static inline unsigned cpumask_next(const struct cpumask *m, unsigned from)
{
	while (from < MAX_CPUS) {
		uint64_t w = m->w[from / 64] >> (from % 64);
		if (w)
			return from + (unsigned)__builtin_ctzll(w);
		from = (from | 63) + 1;
	}
	return MAX_CPUS;
}

static inline unsigned cpumask_first(const struct cpumask *m)
{
	return cpumask_next(m, 0);
}

// The n-th (0-based) CPU of m, or MAX_CPUS if m has n or fewer CPUs.
static inline unsigned cpumask_nth(const struct cpumask *m, unsigned n)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++) {
		uint64_t w = m->w[i];
		unsigned c = (unsigned)__builtin_popcountll(w);
		if (n >= c) {
			n -= c;
			continue;
		}
		while (n--)
			w &= w - 1;
		return i * 64 + (unsigned)__builtin_ctzll(w);
	}
	return MAX_CPUS;
}

#define CPUMASK_FOR_EACH(cpu, m)                                               \
	for ((cpu) = cpumask_first(m); (cpu) < MAX_CPUS;                       \
	     (cpu) = cpumask_next((m), (cpu) + 1))
