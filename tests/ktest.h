// SPDX-License-Identifier: MIT
// Cairn's one test harness, used unchanged by host test programs and by the
// kernel's in-kernel test mode. Output is KTAP version 1; every run ends with
// a line "N passed, N failed, N skipped".
//
//   #include <tests/ktest.h>
//   KTEST(buddy, split_and_merge)
//   {
//       KT_EXPECT_EQ(buddy_free_pages(&z), 512);
//       KT_ASSERT(p != NULL);      // stops this case on failure
//   }
//
// Cases register themselves in the "ktest_cases" linker section; no list to
// maintain. A case fails if any expectation failed; KT_SKIP() ends it as
// skipped with a reason (a skip is never reported as a pass).
#pragma once

#include <lib/types.h>

struct ktest {
	const char *suite;
	const char *name;
	int failures;
	const char *skip_reason;
};

struct ktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest *t);
};

struct ktest_summary {
	int passed, failed, skipped;
};

#define KTEST(suite_, name_)                                                   \
	static void ktest_fn_##suite_##_##name_(struct ktest *t);              \
	__attribute__((used, section("ktest_cases"),                           \
	               aligned(8))) static const struct ktest_case             \
	    ktest_case_##suite_##_##name_ = {#suite_, #name_,                  \
	                                     ktest_fn_##suite_##_##name_};     \
	static void ktest_fn_##suite_##_##name_(struct ktest *t __unused)

// Record a failed check; returns cond so callers can chain.
bool ktest_check(struct ktest *t, bool cond, const char *file, int line,
                 const char *expr);
bool ktest_check_eq(struct ktest *t, int64_t a, int64_t b, const char *file,
                    int line, const char *ea, const char *eb);
bool ktest_check_eq_u(struct ktest *t, uint64_t a, uint64_t b, const char *file,
                      int line, const char *ea, const char *eb);
bool ktest_check_str(struct ktest *t, const char *a, const char *b,
                     const char *file, int line, const char *ea,
                     const char *eb);

#define KT_EXPECT(cond) ktest_check(t, !!(cond), __FILE__, __LINE__, #cond)
#define KT_EXPECT_EQ(a, b)                                                     \
	ktest_check_eq(t, (int64_t)(a), (int64_t)(b), __FILE__, __LINE__, #a,  \
	               #b)
#define KT_EXPECT_EQ_U(a, b)                                                   \
	ktest_check_eq_u(t, (uint64_t)(a), (uint64_t)(b), __FILE__, __LINE__,  \
	                 #a, #b)
#define KT_EXPECT_STR(a, b)                                                    \
	ktest_check_str(t, (a), (b), __FILE__, __LINE__, #a, #b)
#define KT_ASSERT(cond)                                                        \
	do {                                                                   \
		if (!KT_EXPECT(cond))                                          \
			return;                                                \
	} while (0)
#define KT_ASSERT_EQ(a, b)                                                     \
	do {                                                                   \
		if (!KT_EXPECT_EQ(a, b))                                       \
			return;                                                \
	} while (0)
#define KT_SKIP(reason)                                                        \
	do {                                                                   \
		t->skip_reason = (reason);                                     \
		return;                                                        \
	} while (0)

// Fail the current case with a reason and end it: for a missing input that
// the set-up always provides (a skip would hide the gap).
#define KT_FAIL(...)                                                           \
	do {                                                                   \
		ktest_log(t, __VA_ARGS__);                                     \
		t->failures++;                                                 \
		return;                                                        \
	} while (0)

// Print a diagnostic line ("# ...") inside the current case's output.
void ktest_log(struct ktest *t, const char *fmt, ...) __printf_like(2, 3);

// Run every registered case whose "suite.name" starts with filter (NULL or
// "" = all), printing KTAP through printk. Fills *sum. A filter that
// matches no case counts as one failure and lists the suites.
void ktest_run(const char *filter, struct ktest_summary *sum);

// Print "#   SUITE." for each suite, in link order.
void ktest_list_suites(void);
