// SPDX-License-Identifier: MIT
// Threads (kernel/thread.h): create/run/join without leaks, registers
// across every kind of switch, ping-pong between every pair of CPUs,
// sleep_ns never early. In-kernel only; the QEMU matrix runs them at
// -smp 1, 2, 4 and 8 on both arches.
#include <hal/timer.h>
#include <mm/mm.h>
#include "sched_util.h"

static uint64_t sched_t_ran;

static void count_fn(void *arg)
{
	__atomic_fetch_add(&sched_t_ran, (uint64_t)(uintptr_t)arg,
	                   __ATOMIC_RELAXED);
}

static uint64_t free_pages(void)
{
	struct buddy_stats s;

	(void)mm_total_stats(&s);
	return s.free_pages + s.pcp_pages;
}

// Creates n threads in batches of `batch`, joins each batch; returns how
// many were joined (every one adds 1 to sched_t_ran and exits with 7).
static unsigned create_join(unsigned n, unsigned batch, struct ktest *t)
{
	static struct thread *th[100];
	unsigned joined = 0, bad = 0;

	for (unsigned done = 0; done < n; done += batch) {
		unsigned k = n - done < batch ? n - done : batch, made = 0;

		for (unsigned i = 0; i < k; i++, made++)
			if (thread_create(&th[i], "cj", count_fn, (void *)1,
			                  NULL))
				break;
		for (unsigned i = 0; i < made; i++, joined++)
			bad += thread_join(th[i]) != 0;
	}
	if (bad)
		ktest_log(t, "%u threads exited with a wrong code", bad);
	return joined;
}

KTEST(sched, create_run_join_10000_no_leak)
{
	uint64_t live0, pages0, pages1;

	// Warm-up: kernel stack page tables and slab pages come to stay.
	KT_ASSERT_EQ(create_join(200, 100, t), 200u);
	live0 = thread_live_count();
	pages0 = free_pages();
	sched_t_ran = 0;
	KT_EXPECT_EQ(create_join(10000, 100, t), 10000u);
	KT_EXPECT_EQ_U(sched_t_ran, 10000);
	pages1 = free_pages();
	KT_EXPECT_EQ_U(thread_live_count(), live0);
	ktest_log(t, "free pages before %lu after %lu", (unsigned long)pages0,
	          (unsigned long)pages1);
	KT_EXPECT_EQ_U(pages1, pages0);
}

static int exit_code_fn_code;
static void exit_code_fn(void *arg)
{
	thread_exit(exit_code_fn_code);
}

KTEST(sched, exit_code_and_detach)
{
	struct thread *th;
	uint64_t live0 = thread_live_count();

	exit_code_fn_code = 42;
	KT_ASSERT(!thread_create(&th, "code", exit_code_fn, NULL, NULL));
	KT_EXPECT_EQ(thread_join(th), 42);
	sched_t_ran = 0;
	for (int i = 0; i < 50; i++) {
		KT_ASSERT(
		    !thread_create(&th, "det", count_fn, (void *)1, NULL));
		thread_detach(th);
	}
	KT_EXPECT(sched_test_wait_for(&sched_t_ran, 50));
	for (int i = 0; i < 1000 && thread_live_count() != live0; i++)
		sleep_ns(1000000); // the last detached ones are reaped
	KT_EXPECT_EQ_U(thread_live_count(), live0);
}

// ---- Registers across switches ----------------------------------------------

// Keeps 12 values live across the switch points (the compiler keeps them
// in callee-saved registers across calls and in any register across the
// spin, which interrupts preempt) and a stack canary, and checks them.
struct reg_arg {
	unsigned seed, rounds, mode; // mode 0: yield, 1: sleep, 2: preempted
	uint64_t bad, switches;
};

static __attribute__((noinline)) void reg_switch_point(unsigned mode)
{
	if (mode == 0)
		thread_yield();
	else if (mode == 1)
		sleep_ns(20000);
	else // spin 200 us of clock time, however fast the host runs the guest
		for (uint64_t end = hal_time_ns() + 200000;
		     hal_time_ns() < end;)
			;
}

static void reg_fn(void *p)
{
	struct reg_arg *a = p;
	volatile uint64_t canary[4];
	uint64_t r0 = a->seed, r1 = r0 * 3 + 1, r2 = r1 ^ 0x5555, r3 = r2 + 7,
		 r4 = r3 * 5, r5 = r4 - 11, r6 = r5 ^ r0, r7 = r6 + r1,
		 r8 = r7 * 13, r9 = r8 ^ r2, r10 = r9 + r3, r11 = r10 * 17;

	for (int i = 0; i < 4; i++)
		canary[i] = r11 + (uint64_t)i;
	for (unsigned i = 0; i < a->rounds; i++) {
		uint64_t e0 = a->seed + i, e1 = e0 * 3 + 1, e2 = e1 ^ 0x5555,
			 e3 = e2 + 7, e4 = e3 * 5, e5 = e4 - 11, e6 = e5 ^ e0,
			 e7 = e6 + e1, e8 = e7 * 13, e9 = e8 ^ e2,
			 e10 = e9 + e3, e11 = e10 * 17;

		reg_switch_point(a->mode);
		a->bad += (r0 != e0) + (r1 != e1) + (r2 != e2) + (r3 != e3) +
		          (r4 != e4) + (r5 != e5) + (r6 != e6) + (r7 != e7) +
		          (r8 != e8) + (r9 != e9) + (r10 != e10) + (r11 != e11);
		r0++;
		r1 = r0 * 3 + 1, r2 = r1 ^ 0x5555, r3 = r2 + 7, r4 = r3 * 5;
		r5 = r4 - 11, r6 = r5 ^ r0, r7 = r6 + r1, r8 = r7 * 13;
		r9 = r8 ^ r2, r10 = r9 + r3, r11 = r10 * 17;
	}
	for (int i = 0; i < 4; i++)
		a->bad += canary[i] != canary[0] + (uint64_t)i;
	a->switches = thread_current()->stats.switches;
}

KTEST(sched, registers_survive_every_switch)
{
	static struct reg_arg args[3][4];
	struct thread *th[3][4];
	unsigned cpu = sched_test_cpus() - 1;

	// Four threads share one CPU, so each switch point really switches.
	for (unsigned m = 0; m < 3; m++)
		for (unsigned i = 0; i < 4; i++) {
			args[m][i] = (struct reg_arg){
			    1000 * m + 77 * i + 1, m == 2 ? 100 : 200, m, 0, 0};
			KT_ASSERT(!sched_test_spawn(&th[m][i], "regs", reg_fn,
			                            &args[m][i], cpu, 0, 0));
		}
	uint64_t sw[3] = {0, 0, 0};

	for (unsigned m = 0; m < 3; m++)
		for (unsigned i = 0; i < 4; i++) {
			(void)thread_join(th[m][i]);
			KT_EXPECT_EQ_U(args[m][i].bad, 0);
			sw[m] += args[m][i].switches;
		}
	ktest_log(t,
	          "switched in: %lu times (yield), %lu (sleep), %lu "
	          "(preempted by the slice timer)",
	          (unsigned long)sw[0], (unsigned long)sw[1],
	          (unsigned long)sw[2]);
	// Each thread is switched in once to start; more means the slice
	// timer preempted it: 4 threads each spin 100 x 200 us of clock time
	// on one CPU, many 3 ms slices whatever the host's speed.
	KT_EXPECT(sw[2] > 8);
}

// ---- Ping-pong on every pair of CPUs ----------------------------------------

struct pp {
	struct semaphore go[2];
	unsigned cpu[2];
	unsigned rounds;
	uint64_t wrong_cpu, done;
};

static void pp_side(struct pp *p, unsigned side)
{
	for (unsigned i = 0; i < p->rounds; i++) {
		if (side == 0)
			sem_up(&p->go[1]);
		sem_down(&p->go[side]);
		if (side == 1)
			sem_up(&p->go[0]);
		if (hal_cpu_id() != p->cpu[side])
			__atomic_fetch_add(&p->wrong_cpu, 1, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&p->done, 1, __ATOMIC_RELAXED);
}

static void pp_a(void *p)
{
	pp_side(p, 0);
}
static void pp_b(void *p)
{
	pp_side(p, 1);
}

// Up to 16 CPUs every ordered pair; beyond (ninja scale: 255, 512 CPUs,
// where n * (n - 1) pairs would take hours under TCG) each CPU with its
// neighbours, the CPU half-way round and CPU 0, both ways: O(n) pairs that
// still cross every package, die and node boundary of the machine.
static bool pp_chosen(unsigned a, unsigned b, unsigned n)
{
	if (a == b)
		return false;
	if (n <= 16 || a == 0 || b == 0)
		return true;
	return b == (a + 1) % n || a == (b + 1) % n || b == (a + n / 2) % n ||
	       a == (b + n / 2) % n;
}

KTEST(sched, ping_pong_every_cpu_pair)
{
	unsigned n = sched_test_cpus(), pairs = 0;
	uint64_t wrong = 0, done = 0;

	if (n < 2)
		KT_SKIP("one CPU");
	for (unsigned a = 0; a < n; a++)
		for (unsigned b = 0; b < n; b++) {
			struct pp p = {.cpu = {a, b}, .rounds = 10};
			struct thread *ta, *tb;

			if (!pp_chosen(a, b, n))
				continue;
			sem_init(&p.go[0], 0);
			sem_init(&p.go[1], 0);
			KT_ASSERT(
			    !sched_test_spawn(&ta, "ping", pp_a, &p, a, 0, 0));
			KT_ASSERT(
			    !sched_test_spawn(&tb, "pong", pp_b, &p, b, 0, 0));
			(void)thread_join(ta);
			(void)thread_join(tb);
			wrong += p.wrong_cpu;
			done += p.done;
			pairs++;
		}
	ktest_log(t, "%u pairs, 10 round trips each", pairs);
	KT_EXPECT_EQ_U(done, 2 * pairs);
	KT_EXPECT_EQ_U(wrong, 0);
}

// ---- sleep_ns ---------------------------------------------------------------

struct sleep_arg {
	uint64_t early, woke, worst_late;
	unsigned seed;
};

static void sleep_fn(void *p)
{
	struct sleep_arg *a = p;

	for (unsigned i = 0; i < 20; i++) {
		uint64_t ns =
		    10000 +
		    (uint64_t)((a->seed * 7919u + i * 104729u) % 2000) * 1000;
		uint64_t due = hal_time_ns() + ns, now;

		sleep_ns(ns);
		now = hal_time_ns();
		if (now < due)
			a->early++;
		else if (now - due > a->worst_late)
			a->worst_late = now - due;
		a->woke++;
	}
}

KTEST(sched, sleep_never_wakes_early)
{
	static struct sleep_arg args[16];
	struct thread *th[16];
	unsigned n = 2 * sched_test_cpus();
	uint64_t early = 0, woke = 0, late = 0;

	if (n > 16)
		n = 16;
	for (unsigned i = 0; i < n; i++) {
		args[i] = (struct sleep_arg){.seed = i};
		KT_ASSERT(
		    !thread_create(&th[i], "sleep", sleep_fn, &args[i], NULL));
	}
	for (unsigned i = 0; i < n; i++) {
		(void)thread_join(th[i]);
		early += args[i].early;
		woke += args[i].woke;
		if (args[i].worst_late > late)
			late = args[i].worst_late;
	}
	ktest_log(t, "%lu sleeps by %u threads, latest wake-up %lu us late",
	          (unsigned long)woke, n, (unsigned long)(late / 1000));
	KT_EXPECT_EQ_U(woke, 20 * n);
	KT_EXPECT_EQ_U(early, 0);
}
