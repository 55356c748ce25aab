// SPDX-License-Identifier: MIT
// Locks on one CPU (host and kernel): trylock against a held lock, ticket
// order, irqsave nesting, irq_push/irq_pop nesting, once_call. And the
// torture: every online CPU increments a shared counter under a lock a known
// number of times; the total must be exact.
#include <lib/lock.h>
#include <lib/once.h>
#include <kernel/percpu.h>
#include <tests/ktest.h>
#include <tests/unit/smp_util.h>

KTEST(lock, spin_trylock_and_state)
{
	spinlock_t l = SPINLOCK_INIT;

	KT_EXPECT(!spin_is_locked(&l));
	KT_EXPECT(spin_trylock(&l));
	KT_EXPECT(spin_is_locked(&l));
	KT_EXPECT(!spin_trylock(&l));
	spin_unlock(&l);
	KT_EXPECT(!spin_is_locked(&l));
	spin_lock(&l);
	KT_EXPECT(!spin_trylock(&l));
	spin_unlock(&l);
}

KTEST(lock, ticket_trylock_and_order)
{
	ticketlock_t l = TICKETLOCK_INIT;

	KT_EXPECT(ticket_trylock(&l));
	KT_EXPECT(ticket_is_locked(&l));
	KT_EXPECT(!ticket_trylock(&l));
	ticket_unlock(&l);
	KT_EXPECT(!ticket_is_locked(&l));
	for (int i = 0; i < 5; i++) {
		ticket_lock(&l);
		ticket_unlock(&l);
	}
	KT_EXPECT_EQ_U(l.next, 6);
	KT_EXPECT_EQ_U(l.serving, 6);
	// Counters wrap without harm.
	l.next = l.serving = 0xffffffffu;
	ticket_lock(&l);
	KT_EXPECT(ticket_is_locked(&l));
	ticket_unlock(&l);
	KT_EXPECT_EQ_U(l.serving, 0);
	KT_EXPECT(!ticket_is_locked(&l));
}

KTEST(lock, irqsave_nests)
{
	spinlock_t a = SPINLOCK_INIT, b = SPINLOCK_INIT;
	irqflags_t outer = hal_irq_save(), fa, fb;

	hal_irq_enable();
	fa = spin_lock_irqsave(&a);
	KT_EXPECT(!hal_irq_enabled());
	fb = spin_lock_irqsave(&b);
	spin_unlock_irqrestore(&b, fb);
	KT_EXPECT(!hal_irq_enabled()); // inner restore keeps them off
	spin_unlock_irqrestore(&a, fa);
	KT_EXPECT(hal_irq_enabled());
	hal_irq_restore(outer);
}

KTEST(lock, irq_push_pop_nests)
{
	irqflags_t outer = hal_irq_save();

	if (!this_cpu())
		percpu_init_boot(); // host: give this thread a struct cpu
	hal_irq_enable();
	irq_push();
	irq_push();
	KT_EXPECT_EQ_U(this_cpu()->irq_depth, 2);
	irq_pop();
	KT_EXPECT(!hal_irq_enabled());
	irq_pop();
	KT_EXPECT(hal_irq_enabled());
	KT_EXPECT_EQ_U(this_cpu()->irq_depth, 0);
	// Pushed with interrupts off: the last pop leaves them off.
	hal_irq_disable();
	irq_push();
	irq_pop();
	KT_EXPECT(!hal_irq_enabled());
	hal_irq_restore(outer);
}

static volatile uint32_t once_runs;

static void once_fn(void)
{
	once_runs++;
}

KTEST(lock, once_runs_once)
{
	static once_t o = ONCE_INIT;

	once_runs = 0;
	KT_EXPECT(!once_done(&o));
	once_call(&o, once_fn);
	once_call(&o, once_fn);
	KT_EXPECT(once_done(&o));
	KT_EXPECT_EQ_U(once_runs, 1);
}

// ---- Torture on every CPU ------------------------------------------------

// Per CPU at most this many rounds, and no new round after TORTURE_NS: the
// ticket lock hands over in strict order, so a descheduled vCPU (TCG on a
// busy host) stalls every waiter behind it, and 8 vCPUs on 2 loaded host
// cores once took 91 s for 1,600 hand-overs. What is checked does not
// depend on how many rounds ran: the shared counter must equal the sum of
// the rounds each CPU counted privately (a lost update shows) and nobody
// was ever inside with somebody else. Every CPU runs its first round
// whatever the time, so each one takes the lock at least once.
#define TORTURE_ITERS 500
#define TORTURE_ITERS_TICKET 200
#define TORTURE_NS (5ull * 1000000000ull)

struct torture {
	spinlock_t spin;
	ticketlock_t ticket;
	bool use_ticket;
	int iters;
	uint64_t stop_at;          // hal_time_ns() after which no round starts
	volatile uint64_t counter; // guarded by spin or ticket
	volatile uint32_t in_section;
	volatile uint32_t overlaps;
	volatile uint64_t rounds; // sum of each CPU's own count
};

static void torture_one(void *arg)
{
	struct torture *t = arg;
	uint32_t mine = 0;

	for (int i = 0; i < t->iters && (i == 0 || hal_time_ns() < t->stop_at);
	     i++) {
		if (t->use_ticket)
			ticket_lock(&t->ticket);
		else
			spin_lock(&t->spin);
		// A read-modify-write spread out: lost updates would show.
		if (__atomic_fetch_add(&t->in_section, 1, __ATOMIC_RELAXED))
			__atomic_fetch_add(&t->overlaps, 1, __ATOMIC_RELAXED);
		uint64_t v = t->counter;
		hal_cpu_relax();
		t->counter = v + 1;
		__atomic_fetch_sub(&t->in_section, 1, __ATOMIC_RELAXED);
		if (t->use_ticket)
			ticket_unlock(&t->ticket);
		else
			spin_unlock(&t->spin);
		mine++;
	}
	__atomic_fetch_add(&t->rounds, mine, __ATOMIC_RELAXED);
}

static void torture(struct ktest *t, bool ticket)
{
	static struct torture s;
	uint64_t t0 = hal_time_ns();

	s = (struct torture){.use_ticket = ticket,
	                     .iters =
	                         ticket ? TORTURE_ITERS_TICKET : TORTURE_ITERS,
	                     .stop_at = t0 + TORTURE_NS};
	KT_EXPECT(smp_test_run_all(torture_one, &s));
	KT_EXPECT_EQ_U(s.counter, s.rounds);
	KT_EXPECT(s.rounds >= smp_online_count());
	KT_EXPECT_EQ_U(s.overlaps, 0);
	ktest_log(t, "%u CPUs, %lu increments (at most %d each) in %lu ms",
	          smp_online_count(), (unsigned long)s.rounds, s.iters,
	          (unsigned long)((hal_time_ns() - t0) / 1000000));
}

KTEST(lock, spin_torture_all_cpus)
{
	if (!smp_test_kernel() || smp_online_count() < 2)
		KT_SKIP("needs at least 2 CPUs");
	torture(t, false);
}

KTEST(lock, ticket_torture_all_cpus)
{
	if (!smp_test_kernel() || smp_online_count() < 2)
		KT_SKIP("needs at least 2 CPUs");
	torture(t, true);
}
