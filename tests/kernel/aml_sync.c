// SPDX-License-Identifier: MIT
// AML Mutex contention between two kernel threads on the kernel's sleeping
// mutex (acpi_aml_sync_hooks): kernel code holds the AML Mutex \MTXK
// (aml_mutex_acquire, as a driver sharing a resource with the firmware
// would) while another thread runs AML that Acquires it:
//   1. Acquire(MTXK, 100) times out, not before 100 ms, returning Ones;
//   2. Acquire(MTXK, 0xFFFF) waits until the kernel releases it 20 ms
//      later, is handed the mutex, counts and releases it;
//   3. afterwards the kernel takes it again at once; a release by a
//      thread that does not hold it is refused.
// The table is tests/aml/tables/sync_contend.asl (iasl at build time).
#include <acpi/aml/aml.h>
#include <acpi/aml_boot.h>
#include <lib/err.h>
#include <tests/kernel/sched_util.h>
#include <tests/unit/aml_asl.h>

#define MS 1000000ull

struct aml_run {
	struct aml_ctx *ctx;
	const char *method;
	err_t e;
	uint64_t result, ns;
	volatile bool done;
};

static void aml_run_fn(void *arg)
{
	struct aml_run *r = arg;
	uint64_t t0 = hal_time_ns();
	struct aml_value v;

	r->e = aml_eval(r->ctx, r->method, NULL, 0, &v);
	r->ns = hal_time_ns() - t0;
	if (!r->e) {
		r->result = v.type == AML_INTEGER ? v.i : 0x5a5a;
		aml_value_put(r->ctx, &v);
	}
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
}

static struct thread *aml_run_start(struct aml_run *r, struct aml_ctx *ctx,
                                    const char *method)
{
	struct thread *th;

	*r = (struct aml_run){.ctx = ctx, .method = method};
	return thread_create(&th, "aml-run", aml_run_fn, r, NULL) ? NULL : th;
}

static void release_fn(void *arg)
{
	void **a = arg;

	a[2] = (void *)(intptr_t)aml_mutex_release(a[0], a[1]);
}

static void contend(struct ktest *t, struct aml_ctx *ctx, void *h)
{
	struct aml_run r;
	struct thread *th, *other;
	void *args[3] = {ctx, h, NULL};
	struct aml_value v;

	// 1: held by this thread; the AML thread's wait times out.
	KT_ASSERT(aml_mutex_acquire(ctx, h, 0));
	KT_ASSERT((th = aml_run_start(&r, ctx, "\\T100")));
	(void)thread_join(th);
	KT_EXPECT_EQ(r.e, 0);
	KT_EXPECT(r.result != 0); // Ones: timed out
	KT_EXPECT(r.ns >= 100 * MS);
	ktest_log(t, "Acquire(MTXK, 100) gave up after %lu us",
	          (unsigned long)(r.ns / 1000));
	// 2: the AML thread waits; the release hands the mutex to it.
	KT_ASSERT((th = aml_run_start(&r, ctx, "\\TFOR")));
	sleep_ns(20 * MS);
	KT_EXPECT(!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE));
	KT_EXPECT_EQ(aml_mutex_release(ctx, h), 0);
	(void)thread_join(th);
	KT_EXPECT_EQ(r.e, 0);
	KT_EXPECT_EQ_U(r.result, 0);
	// r.ns counts from when the AML thread first ran, which may be
	// after our 20 ms sleep began on a busy host: no lower bound; that
	// it waited is the !done check above.
	KT_EXPECT(r.ns < 5000 * MS);
	KT_ASSERT_EQ(aml_eval(ctx, "\\CNT", NULL, 0, &v), 0);
	KT_EXPECT_EQ_U(v.i, 1);
	aml_value_put(ctx, &v);
	// 3: free again; another thread may not release it for us.
	KT_ASSERT(aml_mutex_acquire(ctx, h, 0));
	KT_ASSERT(!thread_create(&other, "aml-rel", release_fn, args, NULL));
	(void)thread_join(other);
	KT_EXPECT_EQ((intptr_t)args[2], E_INVAL);
	KT_EXPECT_EQ(aml_mutex_release(ctx, h), 0);
}

KTEST(aml_sync, two_threads_contend_on_an_aml_mutex)
{
	struct aml_ctx *ctx;
	void *h = NULL;

	KT_ASSERT(wait_can_sleep());
	KT_ASSERT_EQ(aml_create(acpi_aml_host(), NULL, &ctx), 0);
	if (KT_EXPECT_EQ(aml_load_table(ctx, aml_blob_sync_contend,
	                                aml_blob_sync_contend_len),
	                 0) &&
	    KT_EXPECT_EQ(aml_mutex_get(ctx, "\\MTXK", &h), 0))
		contend(t, ctx, h);
	KT_EXPECT_EQ(aml_mutex_get(ctx, "\\CNT", &h), E_NOENT);
	aml_destroy(ctx);
}
