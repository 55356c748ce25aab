// SPDX-License-Identifier: MIT
// The clock and the per-CPU one-shot timer: the clock never goes backwards;
// on every CPU at once, a series of events at absolute deadlines (one every
// TIMER_PERIOD_NS) fires, never before its deadline, and the series takes
// about as long as programmed. TCG time is noisy: the upper bound is loose.
#include <hal/timer.h>
#include <kernel/percpu.h>
#include <kernel/sched/sched.h>
#include <kernel/sched/timer.h>
#include <tests/ktest.h>
#include <tests/unit/smp_util.h>

#define TIMER_EVENTS 20
#define TIMER_PERIOD_NS 2000000ull   // 2 ms
#define TIMER_SLACK_NS 1000000000ull // allowed lateness of the series

struct timer_run {
	uint64_t start, last, early;
	volatile uint32_t fired;
};

static struct timer_run runs[MAX_CPUS];

static void timer_tick(void)
{
	struct timer_run *r = &runs[hal_cpu_id()];
	uint64_t now = hal_time_ns();
	uint64_t due = r->start + (r->fired + 1) * TIMER_PERIOD_NS;

	if (now < due)
		r->early++;
	r->last = now;
	if (++r->fired < TIMER_EVENTS)
		hal_timer_oneshot(due + TIMER_PERIOD_NS);
}

// The scheduler's timer queue owns the HAL timer; these tests borrow it
// and hand it back on every CPU (its handler, its next deadline).
static void timer_give_back_here(void *arg)
{
	if (sched_started())
		ktimer_init_cpu();
}

static void timer_start_here(void *arg)
{
	struct timer_run *r = &runs[hal_cpu_id()];
	irqflags_t f = hal_irq_save();

	*r = (struct timer_run){.start = hal_time_ns()};
	hal_timer_set_handler(timer_tick);
	hal_timer_oneshot(r->start + TIMER_PERIOD_NS);
	hal_irq_restore(f);
}

KTEST(timer, clock_monotonic)
{
	uint64_t prev = hal_time_ns(), back = 0;

	for (int i = 0; i < 10000; i++) {
		uint64_t now = hal_time_ns();

		if (now < prev)
			back++;
		prev = now;
	}
	KT_EXPECT_EQ_U(back, 0);
}

KTEST(timer, oneshot_rate_every_cpu)
{
	unsigned n;

	if (!smp_test_kernel())
		KT_SKIP("no timer interrupts on the host");
	n = cpu_count;
	KT_ASSERT(smp_test_run_all(timer_start_here, NULL));
	for (unsigned i = 0; i < n; i++) {
		struct timer_run *r = &runs[i];
		uint64_t took, want = TIMER_EVENTS * TIMER_PERIOD_NS;

		if (!smp_test_wait_for(&r->fired, TIMER_EVENTS)) {
			ktest_log(t, "cpu %u: %u of %d events", i, r->fired,
			          TIMER_EVENTS);
			KT_EXPECT(false);
			continue;
		}
		took = r->last - r->start;
		KT_EXPECT_EQ_U(r->early, 0);
		KT_EXPECT(took >= want);
		KT_EXPECT(took <= want + TIMER_SLACK_NS);
		if (i < 4 || took > want + TIMER_SLACK_NS)
			ktest_log(t,
			          "cpu %u: %d events every %lu us took %lu us",
			          i, TIMER_EVENTS,
			          (unsigned long)(TIMER_PERIOD_NS / 1000),
			          (unsigned long)(took / 1000));
	}
	KT_EXPECT(smp_test_run_all(timer_give_back_here, NULL));
}

static void timer_cancel_here(void *arg)
{
	struct timer_run *r = &runs[hal_cpu_id()];
	irqflags_t f = hal_irq_save();

	*r = (struct timer_run){.start = hal_time_ns()};
	hal_timer_set_handler(timer_tick);
	hal_timer_oneshot(r->start + TIMER_PERIOD_NS);
	hal_timer_cancel();
	hal_irq_restore(f);
}

KTEST(timer, cancel_stops_event)
{
	uint64_t end;

	if (!smp_test_kernel())
		KT_SKIP("no timer interrupts on the host");
	timer_cancel_here(NULL);
	end = hal_time_ns() + 5 * TIMER_PERIOD_NS;
	while (hal_time_ns() < end)
		hal_cpu_relax();
	KT_EXPECT_EQ_U(runs[hal_cpu_id()].fired, 0);
	timer_give_back_here(NULL);
}
