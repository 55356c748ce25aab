// SPDX-License-Identifier: MIT
// Per-CPU rings of scheduling event records (see kernel/trace.h).
//
// Locks: none. A ring's head is advanced by its own CPU only, with an atomic
// add so that an interrupt recording on the same CPU takes another slot;
// the set-up (trace_init) happens before recording starts and the readers
// (trace_read, trace_dump) after trace_stop().
#include <string.h>
#include <hal/cpu.h>
#include <hal/timer.h>
#include <lib/err.h>
#include <lib/printk.h>
#include <kernel/sched/observe.h>
#include <kernel/trace.h>
#include <mm/heap.h>

#define TRACE_DEFAULT_PER_CPU 4096
#define TRACE_DEFAULT_TOTAL (16u << 20) // bytes over all CPUs by default

struct trace_ring {
	uint64_t head; // records ever written; slot = head & mask
	uint64_t mask;
	struct trace_rec *recs;
};

bool trace_enabled;
static struct trace_ring *trace_rings; // [trace_ncpus]
static unsigned trace_ncpus;
static bool trace_dumped;

static const char *const trace_type_names[TRACE_NTYPES] = {
    "none", "switch",     "wakeup",    "migrate", "create",
    "exit", "idle_enter", "idle_exit", "mark"};

void trace_record(enum trace_type type, uint32_t tid, uint32_t a, uint32_t b,
                  uint64_t c)
{
	unsigned cpu = hal_cpu_id();
	struct trace_ring *r;
	struct trace_rec *rec;
	uint64_t slot;

	if (cpu >= trace_ncpus)
		return;
	r = &trace_rings[cpu];
	slot = __atomic_fetch_add(&r->head, 1, __ATOMIC_RELAXED) & r->mask;
	rec = &r->recs[slot];
	rec->ts_ns = hal_time_ns();
	rec->type = (uint8_t)type;
	rec->flags = 0;
	rec->cpu = (uint16_t)cpu;
	rec->tid = tid;
	rec->a = a;
	rec->b = b;
	rec->c = c;
}

uint64_t trace_name_word(const char *name)
{
	uint64_t w = 0;

	for (unsigned i = 0; i < 8 && name && name[i]; i++)
		w |= (uint64_t)(uint8_t)name[i] << (8 * i);
	return w;
}

static void trace_free(void)
{
	for (unsigned i = 0; trace_rings && i < trace_ncpus; i++)
		kfree(trace_rings[i].recs);
	kfree(trace_rings);
	trace_rings = NULL;
	trace_ncpus = 0;
}

err_t trace_init(unsigned ncpus, unsigned per_cpu)
{
	uint64_t size = 16;

	if (!ncpus || ncpus > MAX_CPUS)
		return E_INVAL;
	if (trace_rings)
		return E_BUSY;
	while (size < per_cpu && size < (1u << 24))
		size <<= 1;
	trace_rings = kzalloc(ncpus * sizeof(*trace_rings));
	if (!trace_rings)
		return E_NOMEM;
	trace_ncpus = ncpus;
	for (unsigned i = 0; i < ncpus; i++) {
		trace_rings[i].mask = size - 1;
		trace_rings[i].recs = kzalloc(size * sizeof(struct trace_rec));
		if (!trace_rings[i].recs) {
			trace_free();
			return E_NOMEM;
		}
	}
	trace_dumped = false;
	__atomic_store_n(&trace_enabled, true, __ATOMIC_RELEASE);
	__atomic_fetch_or(&sched_obs_on, SCHED_OBS_TRACE, __ATOMIC_RELEASE);
	return E_OK;
}

void trace_stop(void)
{
	__atomic_store_n(&trace_enabled, false, __ATOMIC_RELEASE);
	__atomic_fetch_and(&sched_obs_on, ~SCHED_OBS_TRACE, __ATOMIC_RELEASE);
}

void trace_start(void)
{
	if (trace_rings && !trace_dumped) {
		__atomic_store_n(&trace_enabled, true, __ATOMIC_RELEASE);
		__atomic_fetch_or(&sched_obs_on, SCHED_OBS_TRACE,
		                  __ATOMIC_RELEASE);
	}
}

void trace_reset(void)
{
	for (unsigned i = 0; trace_rings && i < trace_ncpus; i++)
		__atomic_store_n(&trace_rings[i].head, 0, __ATOMIC_RELEASE);
}

bool trace_cpu_stats(unsigned cpu, struct trace_cpu_stats *st)
{
	uint64_t head;

	if (!trace_rings || cpu >= trace_ncpus)
		return false;
	head = __atomic_load_n(&trace_rings[cpu].head, __ATOMIC_ACQUIRE);
	st->written = head;
	st->size = (unsigned)(trace_rings[cpu].mask + 1);
	st->dropped = head > st->size ? head - st->size : 0;
	return true;
}

bool trace_read(unsigned cpu, uint64_t idx, struct trace_rec *out)
{
	struct trace_cpu_stats st;

	if (!trace_cpu_stats(cpu, &st) || idx >= st.written - st.dropped)
		return false;
	*out =
	    trace_rings[cpu].recs[(st.dropped + idx) & trace_rings[cpu].mask];
	return true;
}

// One line per record: CPU TS TYPE TID A B C (C in hex).
static void trace_dump_cpu(unsigned cpu)
{
	struct trace_cpu_stats st;
	struct trace_rec r;

	(void)trace_cpu_stats(cpu, &st);
	printk("cpu %u written %lu dropped %lu size %u\n", cpu,
	       (unsigned long)st.written, (unsigned long)st.dropped, st.size);
	for (uint64_t i = 0; trace_read(cpu, i, &r); i++)
		printk("%u %lu %s %u %u %u %lx\n", r.cpu,
		       (unsigned long)r.ts_ns,
		       r.type < TRACE_NTYPES ? trace_type_names[r.type] : "?",
		       r.tid, r.a, r.b, (unsigned long)r.c);
}

void trace_dump(void)
{
	if (!trace_rings || trace_dumped)
		return;
	trace_stop();
	trace_dumped = true;
	printk("-----BEGIN CAIRN TRACE-----\n");
	printk("cairn-trace 1 cpus %u record-bytes %zu clock ns\n", trace_ncpus,
	       sizeof(struct trace_rec));
	for (unsigned cpu = 0; cpu < trace_ncpus; cpu++)
		trace_dump_cpu(cpu);
	printk("-----END CAIRN TRACE-----\n");
}

void trace_boot(const char *value, uint64_t per_cpu, unsigned ncpus)
{
	err_t err;

	if (!value)
		return;
	if (strcmp(value, "sched") != 0) {
		pr_warn("trace: trace=%s: only trace=sched is known\n", value);
		return;
	}
	if (!per_cpu)
		per_cpu = MIN(TRACE_DEFAULT_PER_CPU,
		              TRACE_DEFAULT_TOTAL /
		                  (ncpus * sizeof(struct trace_rec)));
	if ((err = trace_init(ncpus, (unsigned)MIN(per_cpu, 1u << 24))))
		pr_err("trace: not enabled: %s\n", err_name(err));
	else
		pr_info("trace: sched events on %u CPUs, %u records each\n",
		        ncpus, (unsigned)(trace_rings[0].mask + 1));
}
