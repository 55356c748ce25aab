// SPDX-License-Identifier: MIT
// Kernel threads (kernel/thread.h): creation, exit, join, detach and the
// threads of boot contexts and idle loops. Scheduling is kernel/sched/.
//
// Locking: join_lock (irqsave) guards every thread's joiner, detached and
// reaped fields, so an exiting thread and its joiner agree who frees it.
// It is taken before any wake_lock or run-queue lock. cache_lock guards
// the set-up of the per-node thread caches (a leaf lock).
//
// Memory: a thread's control block comes from a slab cache of its home
// node (one per node, made on first use; mm/slab.h), its stack from pages
// of that node (kstack_alloc_node); both fall back by distance when the
// node is out of memory. Up to STACK_CACHE freed stacks per node stay
// mapped for the next thread of that node (cache_lock): mapping and
// unmapping a stack (with its TLB shoot-down to every CPU) was most of a
// thread create + join.
#include <string.h>
#include <hal/context.h>
#include <hal/cpu.h>
#include <lib/err.h>
#include <lib/panic.h>
#include <kernel/lockdebug.h>
#include <kernel/percpu.h>
#include <lib/printk.h>
#include <kernel/sched/sched.h>
#include <kernel/smp.h>
#include <kernel/thread.h>
#include <mm/heap.h>
#include <mm/kstack.h>
#include <mm/mm.h>
#include <mm/slab.h>

static spinlock_t join_lock = SPINLOCK_INIT_CLASS(LOCK_CLASS_JOIN);
static spinlock_t cache_lock = SPINLOCK_INIT;
static struct kmem_cache thread_cache[BUDDY_MAX_NODES];
static bool thread_cache_ready[BUDDY_MAX_NODES]; // cache_lock

#define STACK_CACHE 4
static void *stack_cache[BUDDY_MAX_NODES][STACK_CACHE]; // cache_lock
static unsigned stack_cached[BUDDY_MAX_NODES];          // cache_lock

// A stack of node: a cached one, else new pages of that node.
static void *thread_stack_alloc(unsigned node)
{
	unsigned n = node < BUDDY_MAX_NODES ? node : 0;
	irqflags_t f = spin_lock_irqsave(&cache_lock);
	void *top = stack_cached[n] ? stack_cache[n][--stack_cached[n]] : NULL;

	spin_unlock_irqrestore(&cache_lock, f);
	return top ? top : kstack_alloc_node(node);
}

static void thread_stack_free(void *top, unsigned node)
{
	unsigned n = node < BUDDY_MAX_NODES ? node : 0;
	irqflags_t f = spin_lock_irqsave(&cache_lock);
	bool kept = stack_cached[n] < STACK_CACHE;

	if (kept)
		stack_cache[n][stack_cached[n]++] = top;
	spin_unlock_irqrestore(&cache_lock, f);
	if (!kept)
		kstack_free(top);
}
static uint64_t next_id = 1;
static uint64_t live;

uint64_t thread_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

struct thread *thread_current(void)
{
	irqflags_t f = hal_irq_save();
	struct thread *t = this_cpu()->thread;

	hal_irq_restore(f);
	return t;
}

void thread_params_default(struct thread_params *p)
{
	memset(p, 0, sizeof(*p));
	p->node = ~0u;
}

// The thread cache of node (node 0's for a node the page allocator does
// not know); NULL if it cannot be set up.
static struct kmem_cache *thread_cache_of(unsigned node)
{
	irqflags_t f;
	struct kmem_cache *c;

	if (node >= BUDDY_MAX_NODES)
		node = 0;
	c = &thread_cache[node];
	if (__atomic_load_n(&thread_cache_ready[node], __ATOMIC_ACQUIRE))
		return c;
	f = spin_lock_irqsave(&cache_lock);
	if (!thread_cache_ready[node] &&
	    !kmem_cache_init(c, mm_pages(), "thread", sizeof(struct thread),
	                     64)) {
		c->node = node;
		__atomic_store_n(&thread_cache_ready[node], true,
		                 __ATOMIC_RELEASE);
	}
	spin_unlock_irqrestore(&cache_lock, f);
	return thread_cache_ready[node] ? c : NULL;
}

// A zeroed thread with an ID, a name and the defaults, its control block
// from node's memory; NULL without memory.
static struct thread *thread_new(const char *name, unsigned node)
{
	struct kmem_cache *c = thread_cache_of(node);
	struct thread *t = c ? kmem_cache_alloc(c) : NULL;

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
	t->se.id = t->id;
	strncpy(t->name, name, THREAD_NAME_MAX - 1);
	spin_lock_init(&t->wake_lock);
	spin_lock_set_class(&t->wake_lock, LOCK_CLASS_WAKE, 0);
	t->state = THREAD_RUNNING;
	t->last_cpu = ~0u;
	t->se.weight = SCHED_WEIGHT_NICE0;
	t->se.cpu = hal_cpu_id();
	t->se.node = node;
	cpumask_fill(&t->se.affinity, cpu_count);
	thread_note_affinity(t);
	sched_list_init(&t->se.link);
	__atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
	return t;
}

static void thread_free(struct thread *t)
{
	if (t->own_stack)
		thread_stack_free(t->stack_top, t->se.node);
	kmem_cache_free(kmem_cache_of(mm_pages(), t), t);
	__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
}

// Checks p and fills the entity's parameters from it.
static err_t params_check(const struct thread_params *p, struct cpumask *aff)
{
	bool any = false;

	if (p->nice < -20 || p->nice > 19 || p->rt_prio > 99 ||
	    p->weight > 100000)
		return E_INVAL;
	if (cpumask_empty(&p->affinity))
		cpumask_fill(aff, cpu_count);
	else
		*aff = p->affinity;
	for (unsigned c = 0; c < cpu_count && !any; c++)
		any = cpumask_test(aff, c) && cpus[c] && cpus[c]->rq;
	return any ? 0 : E_INVAL;
}

err_t thread_create(struct thread **out, const char *name,
                    void (*entry)(void *), void *arg,
                    const struct thread_params *p)
{
	struct thread_params defaults;
	struct cpumask aff;
	struct thread *t;
	err_t e;

	if (!p) {
		thread_params_default(&defaults);
		p = &defaults;
	}
	if (!sched_started())
		return E_INVAL;
	if ((e = params_check(p, &aff)))
		return e;
	if (!(t = thread_new(name, p->node != ~0u ? p->node
	                                          : mm_cpu_node(hal_cpu_id()))))
		return E_NOMEM;
	if (!(t->stack_top = thread_stack_alloc(t->se.node))) {
		thread_free(t);
		return E_NOMEM;
	}
	t->own_stack = true;
	t->se.nice = p->nice;
	t->se.weight = p->weight ? p->weight : sched_nice_to_weight(p->nice);
	t->se.rt_prio = p->rt_prio;
	t->se.rt_rr = p->rt_rr;
	t->se.affinity = aff;
	thread_note_affinity(t);
	hal_context_init(&t->ctx, t->stack_top, KSTACK_SIZE, entry, arg);
	*out = t;
	sched_start_thread(t);
	return 0;
}

err_t thread_set_params(struct thread *t, const struct thread_params *p)
{
	struct thread_params q = *p;
	err_t e;

	if ((e = params_check(p, &q.affinity)))
		return e;
	sched_set_params(t, &q);
	return 0;
}

__noreturn void thread_exit(int code)
{
	struct thread *me;

	hal_irq_disable();
	me = this_cpu()->thread;
	spin_lock(&join_lock);
	me->exit_code = code;
	me->state = THREAD_DEAD;
	spin_unlock(&join_lock); // interrupts stay off: no switch before
	schedule();
	panic("thread %s ran after it exited", me->name);
}

void thread_reap(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&join_lock);
	bool free_it = t->detached;

	t->reaped = true;
	if (t->joiner)
		(void)sched_wake(t->joiner);
	spin_unlock_irqrestore(&join_lock, f);
	if (free_it)
		thread_free(t);
}

int thread_join(struct thread *t)
{
	irqflags_t f;
	struct thread *me;
	int code;

	lockdebug_might_sleep("thread_join");
	f = spin_lock_irqsave(&join_lock);
	me = this_cpu()->thread;

	while (!t->reaped) {
		t->joiner = me;
		me->state = THREAD_BLOCKED;
		spin_unlock(&join_lock); // interrupts still off
		schedule();
		spin_lock(&join_lock);
	}
	spin_unlock_irqrestore(&join_lock, f);
	code = t->exit_code;
	thread_free(t);
	return code;
}

void thread_detach(struct thread *t)
{
	irqflags_t f = spin_lock_irqsave(&join_lock);
	bool free_it = t->reaped;

	t->detached = true;
	spin_unlock_irqrestore(&join_lock, f);
	if (free_it)
		thread_free(t);
}

struct thread *thread_adopt_boot(const char *name)
{
	struct thread *t = thread_new(name, mm_cpu_node(hal_cpu_id()));

	if (!t)
		return NULL;
	// kernel_main's context: the boot stack, on the boot CPU, where the
	// code after sched_init (tests included) has always run.
	cpumask_clear_all(&t->se.affinity);
	cpumask_set(&t->se.affinity, hal_cpu_id());
	thread_note_affinity(t);
	t->stack_top = this_cpu()->stack_top;
	return t;
}

struct thread *thread_alloc_idle(unsigned cpu, bool adopt_boot_stack)
{
	struct thread *t = thread_new("idle", mm_cpu_node(cpu));

	if (!t)
		return NULL;
	t->idle = true;
	ksnprintf(t->name, sizeof(t->name), "idle/%u", cpu);
	cpumask_clear_all(&t->se.affinity);
	cpumask_set(&t->se.affinity, cpu);
	thread_note_affinity(t);
	t->se.cpu = cpu;
	if (adopt_boot_stack) {
		t->stack_top = cpus[cpu]->stack_top;
		return t;
	}
	if (!(t->stack_top = kstack_alloc_node(t->se.node))) {
		thread_free(t);
		return NULL;
	}
	t->own_stack = true;
	return t;
}

void thread_start_idle(struct thread *t, void (*entry)(void *))
{
	hal_context_init(&t->ctx, t->stack_top, KSTACK_SIZE, entry, NULL);
}
