// SPDX-License-Identifier: MIT
// SMP bring-up and cross-CPU calls.
//
// smp_init() lists the CPUs through the HAL, gives each a struct cpu and a
// stack, asks the HAL to start all of them at once, then waits (with a
// timeout) until each has reported online in smp_secondary_main().
//
// Cross-CPU calls: every CPU has a ring of requests (struct call_ring,
// guarded by its own lock `r`); a caller appends to the target's ring and
// sends IPI_CALL; the target pops and runs requests in its IPI handler.
// A request carries an optional completion counter the caller spins on.
// Lock order: a ring lock is a leaf (nothing else is taken under it).
#include <string.h>
#include <hal/cpu.h>
#include <hal/smp.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <lib/lock.h>
#include <lib/panic.h>
#include <kernel/percpu.h>
#include <kernel/sched/sched.h>
#include <lib/printk.h>
#include <kernel/smp.h>
#include <mm/kstack.h>
#include <topology/build.h>

#define CALL_RING 16                         // requests queued per CPU
#define SMP_START_TIMEOUT_NS (5000000000ull) // plus per CPU:
#define SMP_START_TIMEOUT_PER_CPU_NS (50000000ull)

struct call_req {
	void (*fn)(void *);
	void *arg;
	volatile uint32_t *pending; // decremented once fn returned, or NULL
};

struct call_ring {
	spinlock_t lock; // r: head, tail, req
	unsigned head;   // r: next request to run
	unsigned tail;   // r: next free slot
	struct call_req req[CALL_RING];
	uint64_t ipis[IPI_NR]; // written by the owning CPU only
} __attribute__((aligned(64)));

static struct call_ring rings[MAX_CPUS];
static struct hal_cpu_desc descs[MAX_CPUS];
uint64_t smp_entry_ticks, smp_all_online_ticks;
static bool smp_init_done;

bool smp_started(void)
{
	return smp_init_done;
}

unsigned smp_online_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < cpu_count; i++)
		if (cpus[i] && cpus[i]->online)
			n++;
	return n;
}

uint64_t smp_ipi_count(unsigned cpu, enum ipi_kind kind)
{
	if (cpu >= MAX_CPUS || kind >= IPI_NR)
		return 0;
	return __atomic_load_n(&rings[cpu].ipis[kind], __ATOMIC_RELAXED);
}

// Runs every request queued for this CPU. Interrupts off. Requests sent
// close together may share one IPI; if one of them waits with interrupts
// on (for a lock, say), those behind it must still run, as the holder may
// be waiting for them: so whenever more are queued behind the one being
// started, a self-IPI stays pending for them.
static void smp_run_calls(void)
{
	unsigned self = hal_cpu_id();
	struct call_ring *r = &rings[self];

	for (;;) {
		struct call_req q;
		bool more;

		spin_lock(&r->lock);
		if (r->head == r->tail) {
			spin_unlock(&r->lock);
			return;
		}
		q = r->req[r->head % CALL_RING];
		r->head++;
		more = r->head != r->tail;
		spin_unlock(&r->lock);
		if (more)
			hal_ipi_send(self, IPI_CALL);
		q.fn(q.arg);
		if (q.pending)
			__atomic_fetch_sub(q.pending, 1, __ATOMIC_RELEASE);
	}
}

void smp_handle_ipi(enum ipi_kind kind)
{
	struct cpu *c = this_cpu();

	if (kind < IPI_NR)
		rings[c->id].ipis[kind]++;
	switch (kind) {
	case IPI_CALL: smp_run_calls(); break;
	case IPI_STOP: c->online = false; hal_cpu_halt();
	default: break;
	}
}

void smp_poll_calls(void)
{
	irqflags_t f = hal_irq_save();

	smp_run_calls();
	hal_irq_restore(f);
}

// One step of a wait: serve calls queued for us (a CPU waiting on us with
// interrupts off would otherwise never finish), then pause.
static void smp_poll(void)
{
	smp_poll_calls();
	hal_cpu_relax();
}

// Appends a request to cpu's ring; while the ring is full, serves our own
// (the target may be waiting on us).
static void smp_enqueue(unsigned cpu, const struct call_req *q)
{
	struct call_ring *r = &rings[cpu];

	for (;;) {
		irqflags_t f = spin_lock_irqsave(&r->lock);

		if (r->tail - r->head < CALL_RING) {
			r->req[r->tail % CALL_RING] = *q;
			r->tail++;
			spin_unlock_irqrestore(&r->lock, f);
			return;
		}
		spin_unlock_irqrestore(&r->lock, f);
		smp_poll();
	}
}

static void smp_wait(volatile uint32_t *pending)
{
	while (__atomic_load_n(pending, __ATOMIC_ACQUIRE))
		smp_poll();
}

void smp_call(unsigned cpu, void (*fn)(void *), void *arg, bool wait)
{
	volatile uint32_t pending = 1;
	struct call_req q = {fn, arg, wait ? &pending : NULL};

	ASSERT(cpu < cpu_count && cpus[cpu] && cpus[cpu]->online);
	if (cpu == hal_cpu_id()) {
		irqflags_t f = hal_irq_save();

		fn(arg);
		hal_irq_restore(f);
		return;
	}
	smp_enqueue(cpu, &q);
	hal_ipi_send(cpu, IPI_CALL);
	if (wait)
		smp_wait(&pending);
}

void smp_call_others(void (*fn)(void *), void *arg, bool wait)
{
	volatile uint32_t pending = 0;
	struct call_req q = {fn, arg, wait ? &pending : NULL};
	unsigned self = hal_cpu_id(), n = 0;

	// Count first: a fast target must not drive pending to 0 early.
	for (unsigned i = 0; i < cpu_count; i++)
		if (i != self && cpus[i] && cpus[i]->online)
			n++;
	if (n == 0)
		return;
	pending = n;
	for (unsigned i = 0; i < cpu_count; i++)
		if (i != self && cpus[i] && cpus[i]->online)
			smp_enqueue(i, &q);
	hal_ipi_send_others(IPI_CALL);
	if (wait)
		smp_wait(&pending);
}

struct flush_range {
	vaddr_t va;
	size_t len;
};

static void smp_flush_one(void *arg)
{
	const struct flush_range *r = arg;

	hal_tlb_flush_local(r->va, r->len);
}

void smp_tlb_flush_others(vaddr_t va, size_t len)
{
	struct flush_range r = {va, len};

	smp_call_others(smp_flush_one, &r, true);
}

void smp_tlb_shootdown(vaddr_t va, size_t len)
{
	hal_tlb_flush_local(va, len);
	smp_tlb_flush_others(va, len);
}

// ---- Bring-up ------------------------------------------------------------

__noreturn void smp_secondary_main(struct cpu *c)
{
	err_t err;

	if ((err = hal_irq_init_cpu()) != 0)
		pr_err("smp: cpu %u: interrupt controller: %s\n", c->id,
		       err_name(err));
	if ((err = hal_timer_init_cpu()) != 0)
		pr_err("smp: cpu %u: timer: %s\n", c->id, err_name(err));
	topology_cacheid_record(c->hwid); // its own caches (topology/cacheid.c)
	c->online_ns = hal_time_ns();
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	for (;;) {
		sched_cpu_enter(); // becomes this CPU's idle thread once it can
		hal_cpu_idle();
	}
}

// Gives every enabled, non-boot CPU an index, a struct cpu and a stack and
// asks the HAL to start it. Returns how many were started.
static unsigned smp_start_all(unsigned n)
{
	unsigned next = 1, started = 0;

	for (unsigned i = 0; i < n && next < MAX_CPUS; i++) {
		struct cpu *c;
		err_t err;

		if (descs[i].boot) {
			cpus[0]->hwid = descs[i].hwid;
			continue;
		}
		if (!descs[i].enabled)
			continue;
		c = percpu_alloc(next++, descs[i].hwid);
		if (!c || !(c->stack_top = kstack_alloc())) {
			pr_err("smp: no memory for cpu %u (hwid %#lx)\n",
			       next - 1, descs[i].hwid);
			cpu_count = next - 1;
			break;
		}
		err = hal_cpu_start(c, c->stack_top);
		if (err)
			pr_err("smp: cpu %u (hwid %#lx): start failed: %s\n",
			       c->id, c->hwid, err_name(err));
		else
			started++;
	}
	return started;
}

// Waits until every listed CPU is online or the timeout passed.
static void smp_wait_online(void)
{
	uint64_t deadline = hal_time_ns() + SMP_START_TIMEOUT_NS +
	                    SMP_START_TIMEOUT_PER_CPU_NS * cpu_count;

	while (smp_online_count() < cpu_count && hal_time_ns() < deadline)
		hal_cpu_relax();
	smp_all_online_ticks = hal_ticks();
	for (unsigned i = 1; i < cpu_count; i++)
		if (cpus[i] && !cpus[i]->online)
			pr_err("smp: cpu %u (hwid %#lx) did not come up\n", i,
			       cpus[i]->hwid);
}

static unsigned long smp_ticks_to_us(uint64_t ticks, uint64_t hz)
{
	return hz ? (unsigned long)(ticks * 1000000 / hz) : 0;
}

unsigned smp_init(void)
{
	unsigned n = hal_smp_enumerate(descs, MAX_CPUS), online;
	uint64_t hz = hal_ticks_hz(), t0 = hal_ticks();

	if (n > MAX_CPUS) {
		pr_warn("smp: firmware lists %u CPUs, using the first %u\n", n,
		        MAX_CPUS);
		n = MAX_CPUS;
	}
	cpus[0]->online_ns = hal_time_ns();
	smp_start_all(n);
	smp_wait_online();
	online = smp_online_count();
	smp_init_done = true;
	pr_info("smp: %u of %u CPUs online, %lu us after kernel entry (%lu us "
	        "in smp_init)\n",
	        online, cpu_count,
	        smp_ticks_to_us(smp_all_online_ticks - smp_entry_ticks, hz),
	        smp_ticks_to_us(smp_all_online_ticks - t0, hz));
	return online;
}
