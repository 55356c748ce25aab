// SPDX-License-Identifier: MIT
// Deferred work (lib/work.h): order, queueing twice, re-queueing from
// the work function (host and kernel; the kernel's idle loop is not
// running during tests, so work_run here sees only these items).
#include <lib/work.h>
#include <tests/ktest.h>

static char work_t_log[16];
static unsigned work_t_n, work_t_again;

static void work_t_fn(struct work *w);
static struct work work_t_a = WORK_INIT(work_t_fn),
		   work_t_b = WORK_INIT(work_t_fn);

static void work_t_fn(struct work *w)
{
	if (work_t_n < sizeof(work_t_log) - 1)
		work_t_log[work_t_n++] = w == &work_t_a ? 'a' : 'b';
	if (w == &work_t_b && work_t_again && work_t_again--)
		work_queue(w);
}

KTEST(work, order_and_requeue)
{
	work_t_n = 0;
	work_t_again = 2;
	work_queue(&work_t_b);
	work_queue(&work_t_a);
	work_queue(&work_t_b);       // queued already: no-op
	KT_EXPECT_EQ(work_run(), 4); // b, a, then b twice more
	work_t_log[work_t_n] = 0;
	KT_EXPECT_STR(work_t_log, "babb");
	KT_EXPECT_EQ(work_run(), 0);
}
