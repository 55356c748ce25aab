// SPDX-License-Identifier: MIT
// The scheduling trace rings in the kernel: synthetic events recorded on
// every online CPU (through smp_call) come back from that CPU's ring in
// order, with that CPU's number and non-decreasing timestamps; a ring that
// wraps keeps the newest records and counts the rest as dropped; with
// tracing stopped nothing is recorded. If `trace=sched` set the rings up,
// the events stay there for the dump at exit (tests/trace/trace_test.py
// converts it); otherwise the test sets up small rings itself.
// Filtering by a magic word keeps other recorders (a scheduler) out of the
// counts.
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/trace.h>
#include <tests/ktest.h>

#define TT_MAGIC 0x7472616365746573ull // "testrace"
#define TT_WRAP_MAGIC 0x7061727774736574ull
#define TT_PER_CPU 20

static void tt_record(void *arg)
{
	unsigned cpu = this_cpu()->id;

	(void)arg;
	trace_sched(TRACE_CREATE, 1000 + cpu, 0, 0, trace_name_word("ttest"));
	trace_sched(TRACE_SWITCH, 0, 1000 + cpu, 0, 0);
	for (uint32_t i = 0; i < TT_PER_CPU; i++)
		trace_sched(TRACE_MARK, 1000 + cpu, i, cpu, TT_MAGIC);
	trace_sched(TRACE_IDLE_ENTER, 0, 0, 0, 0);
	trace_sched(TRACE_IDLE_EXIT, 0, 0, 0, 0);
	trace_sched(TRACE_SWITCH, 1000 + cpu, 0, 1, 0);
	trace_sched(TRACE_EXIT, 1000 + cpu, 0, 0, 0);
}

static bool tt_ensure_rings(struct ktest *t)
{
	struct trace_cpu_stats st;

	if (trace_cpu_stats(0, &st)) {
		trace_start();
		return true;
	}
	return KT_EXPECT_EQ(trace_init(cpu_count, 64), 0);
}

// Checks cpu's ring: TT_PER_CPU marks of this test, in order.
static void tt_check_cpu(struct ktest *t, unsigned cpu)
{
	struct trace_rec r;
	uint64_t last_ts = 0;
	unsigned seen = 0;

	for (uint64_t i = 0; trace_read(cpu, i, &r); i++) {
		if (!KT_EXPECT(r.ts_ns >= last_ts) ||
		    !KT_EXPECT_EQ_U(r.cpu, cpu))
			return;
		last_ts = r.ts_ns;
		if (r.type != TRACE_MARK || r.c != TT_MAGIC)
			continue;
		if (!KT_EXPECT_EQ_U(r.a, seen) || !KT_EXPECT_EQ_U(r.b, cpu) ||
		    !KT_EXPECT_EQ_U(r.tid, 1000 + cpu))
			return;
		seen++;
	}
	if (!KT_EXPECT_EQ_U(seen, TT_PER_CPU))
		ktest_log(t, "cpu %u: %u marks", cpu, seen);
}

KTEST(trace, every_cpu_records)
{
	unsigned online = 0;

	if (!tt_ensure_rings(t))
		return;
	for (unsigned cpu = 0; cpu < cpu_count; cpu++) {
		if (!cpus[cpu] || !cpus[cpu]->online)
			continue;
		online++;
		if (cpu == this_cpu()->id)
			tt_record(NULL);
		else
			smp_call(cpu, tt_record, NULL, true);
	}
	KT_EXPECT_EQ_U(online, smp_online_count());
	for (unsigned cpu = 0; cpu < cpu_count; cpu++)
		if (cpus[cpu] && cpus[cpu]->online)
			tt_check_cpu(t, cpu);
}

// Run last of the suite (cases run in file order): it overwrites this
// CPU's older records.
KTEST(trace, wrap_and_stop)
{
	struct trace_cpu_stats before, after;
	unsigned cpu = this_cpu()->id, n, seen = 0;
	struct trace_rec r;
	uint32_t next = 0;

	if (!tt_ensure_rings(t) || !KT_EXPECT(trace_cpu_stats(cpu, &before)))
		return;
	n = before.size + 10;
	for (uint32_t i = 0; i < n; i++)
		trace_sched(TRACE_MARK, 0, i, 0, TT_WRAP_MAGIC);
	KT_ASSERT(trace_cpu_stats(cpu, &after));
	KT_EXPECT(after.written >= before.written + n);
	KT_EXPECT(after.dropped >= before.written + 10);
	// The ring holds the newest records: a run of marks ending at n - 1.
	for (uint64_t i = 0; trace_read(cpu, i, &r); i++) {
		if (r.type != TRACE_MARK || r.c != TT_WRAP_MAGIC)
			continue;
		if (!seen)
			next = r.a;
		if (!KT_EXPECT_EQ_U(r.a, next))
			return;
		next++, seen++;
	}
	KT_EXPECT_EQ_U(next, n);
	KT_EXPECT(seen <= before.size && next - seen >= 10);
	trace_stop();
	trace_sched(TRACE_MARK, 0, 0, 0, TT_WRAP_MAGIC);
	KT_ASSERT(trace_cpu_stats(cpu, &before));
	trace_start();
	KT_EXPECT_EQ_U(before.written, after.written);
	// Leave each online CPU's test marks visible for the dump.
	for (unsigned c = 0; c < cpu_count; c++)
		if (cpus[c] && cpus[c]->online)
			c == cpu ? tt_record(NULL)
				 : smp_call(c, tt_record, NULL, true);
}
