// SPDX-License-Identifier: MIT
// Lock debugging (lib/spinlock.h, docs/locking.md): owners, the lock order,
// held-lock assertions and sleeping in atomic context.
//
// Each CPU keeps a short stack of the classed spinlocks it holds (a lock is
// taken and released on the same CPU: spinlocks are never held across a
// sleep, and the run-queue lock a switch carries over is released by the
// next thread on that CPU). Only the CPU itself touches its stack, with
// interrupts off or from inside its own lock operations; an interrupt that
// takes a lock pushes above and pops before returning. Reports print with
// pr_err and a backtrace, count in lockdebug_reports and never stop the
// machine; after LOCKDEBUG_PRINT_MAX only the count grows.
#include <hal/cpu.h>
#include <kernel/lockdebug.h>
#include <kernel/percpu.h>
#include <kernel/thread.h>
#include <lib/panic.h>
#include <lib/preempt.h>
#include <lib/printk.h>
#include <lib/spinlock.h>

#define LOCKDEBUG_DEPTH 8
#define LOCKDEBUG_PRINT_MAX 20

bool lockdebug_on;
static uint64_t reports;

struct held {
	spinlock_t *locks[LOCKDEBUG_DEPTH];
	unsigned n;
};
static struct held held[MAX_CPUS];

uint64_t lockdebug_reports(void)
{
	return __atomic_load_n(&reports, __ATOMIC_RELAXED);
}

void lockdebug_enable(void)
{
	__atomic_store_n(&lockdebug_on, true, __ATOMIC_RELEASE);
}

static bool report_begin(void)
{
	return __atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED) <
	       LOCKDEBUG_PRINT_MAX;
}

static uint32_t current_tid(void)
{
	struct thread *t = this_cpu()->thread;

	return t ? (uint32_t)t->id : 0;
}

// b may be taken while a is held.
static bool order_ok(const spinlock_t *a, const spinlock_t *b)
{
	if (a->lclass != b->lclass)
		return a->lclass < b->lclass;
	return a->lclass == LOCK_CLASS_RQ && a->sub < b->sub;
}

void lockdebug_acquired(spinlock_t *l)
{
	unsigned cpu = hal_cpu_id();
	struct held *h = &held[cpu];

	l->owner_cpu = cpu + 1;
	l->owner_tid = current_tid();
	if (!l->lclass)
		return;
	for (unsigned i = 0; i < h->n && i < LOCKDEBUG_DEPTH; i++) {
		spinlock_t *o = h->locks[i];

		if (o == l || order_ok(o, l) || !report_begin())
			continue;
		pr_err("lockdebug: lock order: cpu %u takes %p (class %u.%u) "
		       "while holding %p (class %u.%u)\n",
		       cpu, (void *)l, l->lclass, l->sub, (void *)o, o->lclass,
		       o->sub);
		backtrace_print();
	}
	if (h->n < LOCKDEBUG_DEPTH)
		h->locks[h->n] = l;
	h->n++;
}

void lockdebug_releasing(spinlock_t *l)
{
	struct held *h = &held[hal_cpu_id()];

	l->owner_cpu = l->owner_tid = 0;
	if (!l->lclass)
		return;
	// Usually the top; a lock taken before lockdebug was on is not there.
	for (unsigned i = MIN(h->n, LOCKDEBUG_DEPTH); i-- > 0;) {
		if (h->locks[i] != l)
			continue;
		for (unsigned j = i; j + 1 < MIN(h->n, LOCKDEBUG_DEPTH); j++)
			h->locks[j] = h->locks[j + 1];
		h->n--;
		return;
	}
	if (h->n > LOCKDEBUG_DEPTH) // it was beyond the recorded part
		h->n--;
}

void lockdebug_assert_held(spinlock_t *l, const char *fn)
{
	unsigned me = hal_cpu_id() + 1, owner = l->owner_cpu;

	if (l->locked && (!owner || owner == me))
		return; // held here (or taken before lockdebug was on)
	if (!report_begin())
		return;
	if (!l->locked)
		pr_err("lockdebug: %s expects lock %p held; it is free\n", fn,
		       (void *)l);
	else
		pr_err("lockdebug: %s expects lock %p held by cpu %u; cpu %u "
		       "(thread %u) holds it\n",
		       fn, (void *)l, me - 1, owner - 1, l->owner_tid);
	backtrace_print();
}

void lockdebug_might_sleep_slow(const char *fn)
{
	struct cpu *c;
	unsigned count;
	bool irq_on;

	if (!lockdebug_on)
		return;
	irq_on = hal_irq_enabled();
	c = this_cpu();
	if (!c->thread)
		return; // before the scheduler: sleeping functions spin
	count = c->preempt;
	if ((irq_on && !count) || !report_begin())
		return;
	pr_err("lockdebug: %s may sleep, called by %s (thread %lu) with %s\n",
	       fn, c->thread->name, (unsigned long)c->thread->id,
	       count ? "a spinlock held (preemption count > 0)"
	             : "interrupts off");
	backtrace_print();
}
