// SPDX-License-Identifier: MIT
// Sleeping locks (lib/wait.h) under contention: mutex, semaphore,
// condition variable and completion, with exact counts and the exclusion
// each promises checked on every entry. Threads: two per CPU, anywhere.
#include "sched_util.h"

#define SYNC_THREADS_MAX 16

static unsigned sync_nthreads(void)
{
	unsigned n = 2 * sched_test_cpus();

	return n < 4 ? 4 : n > SYNC_THREADS_MAX ? SYNC_THREADS_MAX : n;
}

static void spawn_all(struct thread **th, unsigned n, void (*fn)(void *),
                      void *arg, struct ktest *t)
{
	for (unsigned i = 0; i < n; i++)
		if (thread_create(&th[i], "sync", fn, arg, NULL))
			th[i] = NULL;
}

static void join_all(struct thread **th, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (th[i])
			(void)thread_join(th[i]);
}

// ---- Mutex --------------------------------------------------------------

#define MUTEX_ROUNDS 2000

static struct mutex mx = MUTEX_INIT;
static uint64_t mx_counter, mx_inside, mx_overlap;

static void mutex_fn(void *arg)
{
	for (unsigned i = 0; i < MUTEX_ROUNDS; i++) {
		mutex_lock(&mx);
		if (__atomic_fetch_add(&mx_inside, 1, __ATOMIC_RELAXED))
			mx_overlap++;
		uint64_t v = mx_counter; // a plain read-modify-write
		if (i % 64 == 0)
			thread_yield(); // hold it across a switch now and then
		mx_counter = v + 1;
		__atomic_fetch_sub(&mx_inside, 1, __ATOMIC_RELAXED);
		mutex_unlock(&mx);
	}
}

KTEST(sync, mutex_torture)
{
	struct thread *th[SYNC_THREADS_MAX];
	unsigned n = sync_nthreads();

	mx_counter = mx_overlap = 0;
	spawn_all(th, n, mutex_fn, NULL, t);
	join_all(th, n);
	KT_EXPECT_EQ_U(mx_counter, (uint64_t)n * MUTEX_ROUNDS);
	KT_EXPECT_EQ_U(mx_overlap, 0);
	KT_EXPECT(mutex_trylock(&mx));
	KT_EXPECT(mutex_held(&mx));
	mutex_unlock(&mx);
}

static void mutex_holder(void *arg)
{
	mutex_lock(&mx);
	sleep_ns(50000000); // 50 ms
	mutex_unlock(&mx);
}

KTEST(sync, mutex_timeout)
{
	struct thread *th;
	uint64_t t0;

	KT_ASSERT(!thread_create(&th, "holder", mutex_holder, NULL, NULL));
	while (!__atomic_load_n(&mx.owner, __ATOMIC_ACQUIRE))
		thread_yield();
	KT_EXPECT(!mutex_trylock(&mx));
	t0 = hal_time_ns();
	KT_EXPECT(!mutex_lock_timeout(&mx, 5000000)); // 5 ms: too short
	KT_EXPECT(hal_time_ns() - t0 >= 5000000);
	KT_EXPECT(mutex_lock_timeout(&mx, SCHED_TEST_TIMEOUT_NS));
	mutex_unlock(&mx);
	(void)thread_join(th);
}

// ---- Semaphore ------------------------------------------------------------

#define SEM_ROUNDS 1000
#define SEM_UNITS 3

static struct semaphore sm;
static uint64_t sm_inside, sm_max, sm_total;

static void sem_fn(void *arg)
{
	for (unsigned i = 0; i < SEM_ROUNDS; i++) {
		uint64_t in;

		sem_down(&sm);
		in = __atomic_add_fetch(&sm_inside, 1, __ATOMIC_RELAXED);
		for (uint64_t m = __atomic_load_n(&sm_max, __ATOMIC_RELAXED);
		     in > m && !__atomic_compare_exchange_n(
				   &sm_max, &m, in, false, __ATOMIC_RELAXED,
				   __ATOMIC_RELAXED);)
			;
		if (i % 32 == 0)
			sleep_ns(20000); // others come in meanwhile
		__atomic_fetch_add(&sm_total, 1, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&sm_inside, 1, __ATOMIC_RELAXED);
		sem_up(&sm);
	}
}

KTEST(sync, semaphore_torture)
{
	struct thread *th[SYNC_THREADS_MAX];
	unsigned n = sync_nthreads();

	sem_init(&sm, SEM_UNITS);
	sm_max = sm_total = 0;
	spawn_all(th, n, sem_fn, NULL, t);
	join_all(th, n);
	ktest_log(t, "%u threads, at most %lu inside at once", n,
	          (unsigned long)sm_max);
	KT_EXPECT_EQ_U(sm_total, (uint64_t)n * SEM_ROUNDS);
	KT_EXPECT(sm_max <= SEM_UNITS);
	KT_EXPECT_EQ_U(sm.count, SEM_UNITS);
}

// ---- Condition variable: a bounded buffer ----------------------------------

#define CV_ITEMS 3000
#define CV_SLOTS 4

static struct mutex cv_m = MUTEX_INIT;
static struct condvar cv_not_full, cv_not_empty;
static uint64_t cv_buf[CV_SLOTS];
static unsigned cv_head, cv_count, cv_producers_left;
static uint64_t cv_sum, cv_got;

static void cv_producer(void *arg)
{
	for (uint64_t i = 1; i <= CV_ITEMS; i++) {
		mutex_lock(&cv_m);
		while (cv_count == CV_SLOTS)
			cond_wait(&cv_not_full, &cv_m);
		cv_buf[(cv_head + cv_count++) % CV_SLOTS] = i;
		cond_signal(&cv_not_empty);
		mutex_unlock(&cv_m);
	}
	mutex_lock(&cv_m);
	cv_producers_left--;
	cond_broadcast(&cv_not_empty);
	mutex_unlock(&cv_m);
}

static void cv_consumer(void *arg)
{
	mutex_lock(&cv_m);
	for (;;) {
		while (!cv_count && cv_producers_left)
			cond_wait(&cv_not_empty, &cv_m);
		if (!cv_count)
			break;
		cv_sum += cv_buf[cv_head];
		cv_got++;
		cv_head = (cv_head + 1) % CV_SLOTS;
		cv_count--;
		cond_signal(&cv_not_full);
	}
	mutex_unlock(&cv_m);
}

KTEST(sync, condvar_bounded_buffer)
{
	struct thread *th[SYNC_THREADS_MAX];
	unsigned n = sync_nthreads(), np = n / 2;

	cond_init(&cv_not_full);
	cond_init(&cv_not_empty);
	cv_head = cv_count = 0;
	cv_sum = cv_got = 0;
	cv_producers_left = np;
	for (unsigned i = 0; i < n; i++)
		if (thread_create(&th[i], i < np ? "prod" : "cons",
		                  i < np ? cv_producer : cv_consumer, NULL,
		                  NULL))
			th[i] = NULL;
	join_all(th, n);
	KT_EXPECT_EQ_U(cv_got, (uint64_t)np * CV_ITEMS);
	KT_EXPECT_EQ_U(cv_sum, (uint64_t)np * CV_ITEMS * (CV_ITEMS + 1) / 2);
}

// ---- Completion -------------------------------------------------------------

static struct completion cp_start, cp_done;
static uint64_t cp_ran;

static void cp_fn(void *arg)
{
	wait_for_completion(&cp_start);
	__atomic_fetch_add(&cp_ran, 1, __ATOMIC_RELAXED);
	complete(&cp_done);
}

KTEST(sync, completion_all_and_one)
{
	struct thread *th[SYNC_THREADS_MAX];
	unsigned n = sync_nthreads();

	completion_init(&cp_start);
	completion_init(&cp_done);
	cp_ran = 0;
	spawn_all(th, n, cp_fn, NULL, t);
	sleep_ns(2000000);
	KT_EXPECT_EQ_U(cp_ran, 0); // all still waiting
	KT_EXPECT(!wait_for_completion_timeout(&cp_done, 1000000));
	complete_all(&cp_start);
	for (unsigned i = 0; i < n; i++)
		KT_EXPECT(wait_for_completion_timeout(&cp_done,
		                                      SCHED_TEST_TIMEOUT_NS));
	join_all(th, n);
	KT_EXPECT_EQ_U(cp_ran, n);
	KT_EXPECT_EQ_U(cp_done.done, 0);
}
