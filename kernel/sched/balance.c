// SPDX-License-Identifier: MIT
// Placement and load balancing through the scheduling domains, for fair
// policies (kernel/sched/balance.h, docs/sched.md "Placement and load
// balancing"). Policy-side code: no HAL, no lock, no heap; it reads the
// domains (read-only after boot) and racy per-CPU hints through the policy
// API, and moves threads only through sched_pull(), which takes the locks.
//
// Wake-up: the previous CPU if idle; else an idle CPU of the previous
// CPU's last-level cache, then of the waker's (at most SCHED_WAKE_SCAN CPUs
// each); else the first idle CPU of the tickless-idle mask in the previous
// CPU's domains, nearest level first (word operations on masks, not a walk
// over CPUs); else the least loaded CPU looked at (load averages), the
// previous one unless that is lighter by more than 17 %.
//
// Balancing, for CPU c at one domain level: the groups of c's domain are
// compared by their *minimum* CPU load (the Group Imbalance fix of "The
// Linux Scheduler: a Decade of Wasted Cores"): a group whose least loaded
// CPU carries more than imbalance_pct % of c's load has a CPU with work
// to spare, however light or heavy the rest of it is; c pulls one thread
// from that group's most loaded CPU with two or more runnable threads. Only
// a least loaded CPU of its own group pulls (the others' turn comes through
// it). An idle CPU also pulls from any CPU with waiting threads in the
// domain, so it never stays idle while one of its domains has such a CPU.
// A pass pulls up to half the load difference (at most
// SCHED_BALANCE_MAX_MOVES threads; the policy's steal rule stops it
// earlier). A level whose span has no CPU with waiting threads (the
// overload mask, kept by the classes) is skipped before any group is read:
// with nothing to move the pass costs mask words, not CPUs.
// Triggers: about to idle (every level within the LLC; levels above it at
// most once per interval), the slice tick of a busy CPU (each level when
// its interval is due: span weight in ms, doubled up to 2x while balanced),
// and nohz: a busy CPU with waiting threads kicks the nearest tickless idle
// CPU, which balances for itself and then for every idle CPU.
//
// Loads are the policy's; eevdf gives a decaying average of the runnable
// weight (struct sched_load, balance.h and below, after Linux's PELT).
#include <kernel/sched/balance.h>
#include <kernel/sched/domain.h>
#include <lib/format.h>
#include <lib/printk.h>
#include <string.h>

#define NOHZ_KICK_NS 1000000ull // at most one kick per ms, machine-wide

static uint64_t (*cpu_load)(unsigned cpu);
static unsigned (*cpu_nr)(unsigned cpu);
static unsigned bugs;
static struct cpumask idle_mask; // tickless idle CPUs (word-atomic updates)
static struct cpumask wait_mask; // CPUs with waiting threads (word-atomic)
uint8_t sched_waiting[MAX_CPUS]; // SCHED_WAIT_* bits, under the CPU's lock
static uint8_t kicked[MAX_CPUS];
static uint64_t nohz_next;
static struct sched_balance_stats bstats[MAX_CPUS][SCHED_BALANCE_LEVELS];
static struct sched_wake_stats wstats[MAX_CPUS];
static struct sched_sum_stats sum_stats;
static unsigned llc_waiting[MAX_CPUS]; // by LLC id: CPUs with waiting bits
static uint16_t wait_llc[MAX_CPUS];    // the LLC id a CPU's bit counts in
// By LLC id, for LLCs bigger than the bounded scan, and by domain level
// for the levels above the LLC: the last CPU the previous idle search
// there looked at (a hint: relaxed, racy). The next search starts after
// it, not after its own base CPU (remote_idle).
static unsigned llc_cursor[MAX_CPUS];
static unsigned level_cursor[SCHED_BALANCE_LEVELS];
static uint64_t next_due[MAX_CPUS][SCHED_BALANCE_LEVELS];
static uint64_t cur_interval[MAX_CPUS][SCHED_BALANCE_LEVELS];
// An idle CPU's last pass at a level failed (threads wait in its span but
// none may come: affinity, the steal rule): nohz passes skip it there
// until then.
static uint64_t fail_until[MAX_CPUS][SCHED_BALANCE_LEVELS];

enum trigger { BAL_NEWIDLE, BAL_PERIODIC, BAL_NOHZ };

static const char *const bug_names[] = {"group_avg", "numa_onepov",
                                        "wake_busy_node"};

#define COUNT(field) __atomic_fetch_add(&(field), 1, __ATOMIC_RELAXED)

// ---- Options -------------------------------------------------------------

static unsigned bug_by_name(const char *s, size_t len)
{
	for (unsigned i = 0; i < ARRAY_SIZE(bug_names); i++)
		if (strlen(bug_names[i]) == len &&
		    memcmp(s, bug_names[i], len) == 0)
			return 1u << i;
	return 0;
}

unsigned sched_fair_set_bugs(const char *list)
{
	unsigned set = 0;

	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		unsigned b = bug_by_name(list, len);

		if (!b && len)
			pr_warn("sched.fair.bugs: unknown bug '%.*s' ignored "
			        "(known: %s, %s, %s)\n",
			        (int)len, list, bug_names[0], bug_names[1],
			        bug_names[2]);
		set |= b;
		list = end ? end + 1 : NULL;
	}
	bugs = set;
	if (set) {
		char names[64];
		size_t n = 0;

		for (unsigned i = 0; i < ARRAY_SIZE(bug_names); i++)
			if (set & 1u << i)
				n += (size_t)ksnprintf(
				    names + n, sizeof(names) - n, "%s%s",
				    n ? "," : "", bug_names[i]);
		pr_info("sched.fair.bugs: %s (Wasted Cores variants)\n", names);
	}
	return set;
}

unsigned sched_fair_bugs(void)
{
	return bugs;
}

// Tests that need an imbalance to last (the work-conservation checker's)
// switch balancing off for a while; wake-up placement is unaffected.
static bool paused;

void sched_balance_pause(bool on)
{
	__atomic_store_n(&paused, on, __ATOMIC_RELEASE);
}

// Benchmarks time one CPU's passes alone: that CPU balances at every
// level each time (intervals ignored), the others not at all.
static unsigned probe_cpu = MAX_CPUS;

void sched_balance_probe_cpu(unsigned cpu)
{
	__atomic_store_n(&probe_cpu, cpu, __ATOMIC_RELEASE);
}

static bool probe_skips(unsigned cpu)
{
	unsigned p = __atomic_load_n(&probe_cpu, __ATOMIC_ACQUIRE);

	return p < MAX_CPUS && p != cpu;
}

void sched_balance_init(uint64_t (*load)(unsigned cpu),
                        unsigned (*nr)(unsigned cpu))
{
	cpu_load = load;
	cpu_nr = nr;
}

uint64_t sched_balance_cpu_load(unsigned cpu)
{
	return cpu_load && cpu < MAX_CPUS ? cpu_load(cpu) : 0;
}

// The per-level slot of a domain level: deeper levels share the last one.
static unsigned level_slot(unsigned level)
{
	return level < SCHED_BALANCE_LEVELS ? level : SCHED_BALANCE_LEVELS - 1;
}

static struct sched_balance_stats *bstat(unsigned cpu, unsigned level)
{
	return &bstats[cpu][level_slot(level)];
}

void sched_balance_get_stats(unsigned cpu, unsigned level,
                             struct sched_balance_stats *out)
{
	if (cpu < MAX_CPUS && level < SCHED_BALANCE_LEVELS)
		*out = bstats[cpu][level];
	else
		memset(out, 0, sizeof(*out));
}

void sched_wake_get_stats(unsigned cpu, struct sched_wake_stats *out)
{
	if (cpu < MAX_CPUS)
		*out = wstats[cpu];
	else
		memset(out, 0, sizeof(*out));
}

// ---- Decaying averages ----------------------------------------------------

// 2^(-k/32) in 32-bit fixed point (k = 0 .. 31; entry 0 is 1 - 2^-32).
static const uint32_t avg_y[SCHED_AVG_HALFLIFE] = {
    0xffffffffu, 4202935003u, 4112874773u, 4024744348u, 3938502376u,
    3854108391u, 3771522796u, 3690706840u, 3611622603u, 3534232978u,
    3458501653u, 3384393094u, 3311872529u, 3240905930u, 3171459999u,
    3103502151u, 3037000500u, 2971923842u, 2908241642u, 2845924021u,
    2784941738u, 2725266179u, 2666869345u, 2609723834u, 2553802834u,
    2499080105u, 2445529972u, 2393127307u, 2341847524u, 2291666561u,
    2242560872u, 2194507417u};

// v * m / 2^32 for m < 2^32, rounded to nearest (so that many small
// updates do not drift one way), without overflow: v is split when it has
// 32 bits or more (the low bits lost are below one unit of the result).
static uint64_t mul_q32(uint64_t v, uint64_t m)
{
	if (v >> 32)
		return ((v >> 16) * m + (1ull << 15)) >> 16;
	return (v * m + (1ull << 31)) >> 32;
}

uint64_t sched_avg_decay(uint64_t v, uint64_t periods)
{
	uint64_t halvings = periods / SCHED_AVG_HALFLIFE;

	if (halvings >= 64)
		return 0;
	v >>= halvings;
	if (!(periods % SCHED_AVG_HALFLIFE))
		return v;
	return mul_q32(v, avg_y[periods % SCHED_AVG_HALFLIFE]);
}

// 1 - 2^(-1/32) in 32-bit fixed point: y^f = 1 - f * (1 - y) for a part f
// of a period, to within 3e-4 (the second-order term).
#define AVG_ONE_MINUS_Y 92032293u

// a up to now, held (in 1/2^SCHED_AVG_FRAC weight units) having been held
// since a->stamp: whole periods from the table, the rest of one to first
// order.
static void avg_move(struct sched_avg *a, uint64_t now, uint64_t held)
{
	uint64_t dt, d, part;

	dt = now - a->stamp;
	a->stamp = now;
	d = a->load >= held ? a->load - held : held - a->load;
	if (!d)
		return;
	d = sched_avg_decay(d, dt >> SCHED_AVG_PERIOD_SHIFT);
	// The rest of a period, to first order: no time is lost or deferred.
	part =
	    (dt & ((1ull << SCHED_AVG_PERIOD_SHIFT) - 1)) * AVG_ONE_MINUS_Y >>
	    SCHED_AVG_PERIOD_SHIFT;
	d -= mul_q32(d, part);
	__atomic_store_n(&a->load, a->load >= held ? held + d : held - d,
	                 __ATOMIC_RELAXED); // read by other CPUs
}

// a less d (in 1/2^SCHED_AVG_FRAC weight units), not below 0.
static void avg_sub(struct sched_avg *a, uint64_t d)
{
	__atomic_store_n(&a->load, a->load > d ? a->load - d : 0,
	                 __ATOMIC_RELAXED);
}

void sched_load_fold_slow(struct sched_load *l, uint64_t held, uint64_t now)
{
	uint64_t dt, area, mean;

	l->fold_at = now + SCHED_LOAD_FOLD_NS;
	if (now <= l->avg.stamp) // a clock behind the last fold: wait
		return;
	dt = now - l->avg.stamp;
	if (__atomic_load_n(&l->removed, __ATOMIC_RELAXED))
		avg_sub(&l->avg,
		        __atomic_exchange_n(&l->removed, 0, __ATOMIC_RELAXED));
	area = l->area + held * now;
	// area / dt with SCHED_AVG_FRAC fraction bits; area << FRAC could
	// overflow over a long window, the remainder (< dt) cannot.
	mean = (area / dt << SCHED_AVG_FRAC) +
	       ((area % dt) << SCHED_AVG_FRAC) / dt;
	avg_move(&l->avg, now, mean);
	l->area = 0 - held * now; // the held weight joins the new window
}

void sched_load_add(struct sched_load *l, uint64_t w)
{
	__atomic_store_n(&l->avg.load, l->avg.load + (w << SCHED_AVG_FRAC),
	                 __ATOMIC_RELAXED);
}

void sched_load_sub_remote(struct sched_load *l, uint64_t w)
{
	__atomic_fetch_add(&l->removed, w << SCHED_AVG_FRAC, __ATOMIC_RELAXED);
}

void sched_load_sub(struct sched_load *l, uint64_t w)
{
	avg_sub(&l->avg, w << SCHED_AVG_FRAC);
}

// ---- The overload mask -----------------------------------------------------

// cpu's bits change from sched_waiting[cpu] to now (sched_balance_waiting
// calls this only on a change): the mask follows when any/none is set.
void sched_balance_waiting_set(unsigned cpu, unsigned now)
{
	unsigned was = sched_waiting[cpu];
	uint64_t bit = 1ull << (cpu % 64);

	sched_waiting[cpu] = (uint8_t)now;
	if (now && !was) {
		__atomic_fetch_or(&wait_mask.w[cpu / 64], bit,
		                  __ATOMIC_RELAXED);
		wait_llc[cpu] = (uint16_t)sched_llc_id(cpu);
		__atomic_fetch_add(&llc_waiting[wait_llc[cpu]], 1,
		                   __ATOMIC_RELAXED);
	} else if (!now && was) {
		__atomic_fetch_and(&wait_mask.w[cpu / 64], ~bit,
		                   __ATOMIC_RELAXED);
		__atomic_fetch_sub(&llc_waiting[wait_llc[cpu]], 1,
		                   __ATOMIC_RELAXED);
	}
}

// Has any CPU of span other than cpu threads waiting? Mask words only.
static bool span_waiting(const struct cpumask *span, unsigned cpu)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++) {
		uint64_t w =
		    __atomic_load_n(&wait_mask.w[i], __ATOMIC_RELAXED) &
		    span->w[i];

		if (i == cpu / 64)
			w &= ~(1ull << (cpu % 64));
		if (w)
			return true;
	}
	return false;
}

// ---- The tickless-idle mask ----------------------------------------------

void sched_balance_idle(unsigned cpu, bool idle)
{
	uint64_t bit = 1ull << (cpu % 64);

	if (cpu >= MAX_CPUS)
		return;
	if (idle)
		__atomic_fetch_or(&idle_mask.w[cpu / 64], bit,
		                  __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&idle_mask.w[cpu / 64], ~bit,
		                   __ATOMIC_RELAXED);
}

// First CPU of (idle ∧ span ∧ allowed) from `from` on, wrapping; MAX_CPUS
// if none. Mask words only: cost MAX_CPUS / 64 words, not one per CPU.
static unsigned idle_in(const struct cpumask *span,
                        const struct cpumask *allowed, unsigned from)
{
	struct cpumask m;
	unsigned cpu;

	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m.w[i] = __atomic_load_n(&idle_mask.w[i], __ATOMIC_RELAXED) &
		         span->w[i] & (allowed ? allowed->w[i] : ~0ull);
	cpu = cpumask_next(&m, from);
	return cpu < MAX_CPUS ? cpu : cpumask_first(&m);
}

// ---- Wake-up placement ---------------------------------------------------

// An idle allowed CPU of base's LLC other than base, looking at most at
// SCHED_WAKE_SCAN of them, starting after base; MAX_CPUS if none. The
// least loaded allowed CPU seen goes to *least (kept if none is lighter).
struct least {
	unsigned cpu;
	uint64_t load;
};

static void least_see(struct least *l, unsigned cpu)
{
	uint64_t load = cpu_load ? cpu_load(cpu) : 0;

	if (l->cpu >= MAX_CPUS || load < l->load) {
		l->cpu = cpu;
		l->load = load;
	}
}

static unsigned llc_scan(const struct sched_entity *se, unsigned base,
                         struct least *least)
{
	const struct cpumask *m = sched_llc_cpus(base);
	unsigned cpu = base;

	for (unsigned n = 0; n < SCHED_WAKE_SCAN; n++) {
		cpu = cpumask_next(m, cpu + 1);
		if (cpu >= MAX_CPUS)
			cpu = cpumask_first(m);
		if (cpu == base || cpu >= MAX_CPUS)
			break;
		if (!sched_allowed(se, cpu))
			continue;
		if (sched_cpu_is_idle(cpu))
			return cpu;
		least_see(least, cpu);
	}
	return MAX_CPUS;
}

// An idle allowed CPU of sd's span from the idle mask, after base: at most
// SCHED_WAKE_SCAN candidates (the mask lags a CPU that was just given a
// thread; sched_cpu_is_idle does not).
static unsigned idle_scan(const struct sched_domain *sd,
                          const struct sched_entity *se, unsigned base,
                          unsigned *last)
{
	unsigned cpu = base, first = MAX_CPUS;

	for (unsigned n = 0; n < SCHED_WAKE_SCAN; n++) {
		cpu = idle_in(&sd->span, &se->affinity, cpu + 1);
		if (cpu >= MAX_CPUS || cpu == first)
			break;
		if (first == MAX_CPUS)
			first = cpu;
		*last = cpu;
		if (sched_cpu_is_idle(cpu))
			return cpu;
	}
	return MAX_CPUS;
}

// An idle CPU outside the CPUs llc_scan looked at, nearest domain first.
static unsigned remote_idle(const struct sched_entity *se, unsigned base)
{
	for (const struct sched_domain *sd = sched_domain_lowest(base); sd;
	     sd = sd->parent) {
		unsigned cpu, last, *cursor;

		// Scanned already, unless the LLC has more CPUs than
		// llc_scan looks at (one LLC of 255 or 512 CPUs under QEMU:
		// each new thread found only the 16 CPUs after its creator's).
		// At every level a search starts after the last CPU the
		// previous one there looked at (a cursor): the idle mask lags
		// CPUs just given a thread (their bits clear when they
		// switch), so searches from one base saw the same 16 busy
		// CPUs, and a burst of new threads piled up on the creator's
		// CPU (494 of 510 at 255 CPUs in one LLC in the simulator;
		// 119 of 151 on the Dell R820 of the ACPI corpus, whose
		// domains are a node of 20 CPUs and two NUMA levels, with 46
		// CPUs idle for 40 ms), every other CPU idle.
		if (sd->flags & SD_SHARE_LLC) {
			if (sd->weight <= SCHED_WAKE_SCAN + 1)
				continue;
			cursor = &llc_cursor[sched_llc_id(base) % MAX_CPUS];
		} else if ((bugs & SCHED_BUG_WAKE_BUSY_NODE) &&
		           (sd->flags & SD_NUMA)) {
			break;
		} else {
			cursor = &level_cursor[level_slot(sd->level)];
		}
		last = __atomic_load_n(cursor, __ATOMIC_RELAXED);
		cpu = idle_scan(sd, se, last, &last);
		__atomic_store_n(cursor, last, __ATOMIC_RELAXED);
		if (cpu < MAX_CPUS)
			return cpu;
	}
	return MAX_CPUS;
}

static unsigned wake_found(unsigned cpu, uint64_t *counter)
{
	COUNT(*counter);
	return cpu;
}

unsigned sched_wake_cpu(const struct sched_entity *se, unsigned prev,
                        unsigned waker)
{
	struct least least = {.cpu = MAX_CPUS};
	uint64_t prev_load = 0;
	bool prev_seen = false;
	unsigned cpu;

	if (prev >= MAX_CPUS || !sched_cpu_online(prev))
		prev = waker;
	if (sched_allowed(se, prev)) {
		if (sched_cpu_is_idle(prev))
			return wake_found(prev, &wstats[prev].prev_idle);
		least_see(&least, prev);
		prev_seen = true;
		prev_load = least.load;
	}
	if ((cpu = llc_scan(se, prev, &least)) < MAX_CPUS)
		return wake_found(cpu, &wstats[cpu].llc_idle);
	if (sched_llc_id(waker) != sched_llc_id(prev) &&
	    (cpu = llc_scan(se, waker, &least)) < MAX_CPUS)
		return wake_found(cpu, &wstats[cpu].llc_idle);
	if ((cpu = remote_idle(se, prev)) < MAX_CPUS)
		return wake_found(cpu, &wstats[cpu].remote_idle);
	// No idle CPU: the least loaded CPU seen (by the load averages), but
	// prev unless that one is lighter by more than SCHED_WAKE_IMBALANCE_PCT
	// (its cache may still hold the thread; a smaller difference is noise
	// of the averages, left to the balancer). With wake_busy_node, the
	// waker's CPU, on its busy node.
	cpu = least.cpu;
	if (cpu < MAX_CPUS && cpu != prev && prev_seen &&
	    least.load * SCHED_WAKE_IMBALANCE_PCT >= prev_load * 100)
		cpu = prev;
	if (bugs & SCHED_BUG_WAKE_BUSY_NODE && sched_allowed(se, waker))
		cpu = waker;
	if (cpu >= MAX_CPUS)
		cpu = cpumask_first(&se->affinity);
	return wake_found(cpu, &wstats[cpu < MAX_CPUS ? cpu : 0].busy);
}

// ---- Balancing -------------------------------------------------------------

struct group_load {
	uint64_t sum, min; // over the group's online CPUs within the span
	unsigned cpus;
	unsigned src;    // most loaded CPU with >= 2 runnable, or MAX_CPUS
	unsigned src_nr; // its runnable threads
	uint64_t src_load;
};

static void group_scan(const struct cpumask *g, const struct cpumask *span,
                       struct group_load *s)
{
	unsigned cpu;

	*s = (struct group_load){.min = ~0ull, .src = MAX_CPUS};
	CPUMASK_FOR_EACH(cpu, g)
	{
		uint64_t l;
		unsigned nr;

		if (!cpumask_test(span, cpu))
			continue;
		l = cpu_load(cpu);
		s->sum += l;
		s->cpus++;
		if (l < s->min)
			s->min = l;
		nr = cpu_nr(cpu);
		if (nr >= 2 && (s->src == MAX_CPUS || l > s->src_load)) {
			s->src = cpu;
			s->src_nr = nr;
			s->src_load = l;
		}
	}
	if (!s->cpus)
		s->min = 0;
}

// The reads of a pass, counted for the CPU whose domain sd is.
static void count_reads(const struct sched_domain *sd, uint64_t cpus,
                        uint64_t sums)
{
	struct sched_balance_stats *st = bstat(sd->cpu, sd->level);

	if (cpus)
		__atomic_fetch_add(&st->cpu_reads, cpus, __ATOMIC_RELAXED);
	if (sums)
		__atomic_fetch_add(&st->sum_reads, sums, __ATOMIC_RELAXED);
}

// ---- Per-LLC summaries (the levels above the LLC) -------------------------
//
// A group of a level above the last-level cache is a union of whole LLCs.
// Such a level reads one summary per LLC of its groups (the group_load of
// the whole LLC: load sum and minimum, the most loaded CPU with waiting
// threads) instead of every CPU. A summary is rebuilt by any pass that
// reads all of its LLC anyway (a pass at the LLC level whose span is the
// LLC), or by a reader that finds it older than SCHED_LLC_SUM_NS, at the
// cost of one LLC. Writers are serialised by the odd/even seq (a writer
// that loses the race keeps its scan to itself); readers retry nothing:
// a summary changing under them is rebuilt by them, unstored. A summary
// whose source CPU has fewer than two runnable threads now is rebuilt as
// well (one read of that CPU's count). The waiting
// count per LLC (llc_waiting, exact, kept with the overload mask) drops a
// stale summary's source when nothing waits there any more.

struct llc_summary {
	unsigned seq;        // odd while a writer fills the rest
	uint64_t stamp;      // sched_now() of the scan (0: never)
	struct group_load g; // over the LLC's online CPUs
};

static struct llc_summary llc_sum[MAX_CPUS]; // by LLC id

static void load_merge(struct group_load *s, const struct group_load *p)
{
	if (!p->cpus)
		return;
	s->min = s->cpus && s->min < p->min ? s->min : p->min;
	s->sum += p->sum;
	s->cpus += p->cpus;
	if (p->src != MAX_CPUS &&
	    (s->src == MAX_CPUS || p->src_load > s->src_load)) {
		s->src = p->src;
		s->src_nr = p->src_nr;
		s->src_load = p->src_load;
	}
}

static void llc_store(unsigned id, const struct group_load *g, uint64_t now)
{
	struct llc_summary *ls = &llc_sum[id];
	unsigned seq = __atomic_load_n(&ls->seq, __ATOMIC_RELAXED);

	if ((seq & 1) ||
	    !__atomic_compare_exchange_n(&ls->seq, &seq, seq + 1, false,
	                                 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	ls->g = *g;
	ls->stamp = now ? now : 1;
	__atomic_store_n(&ls->seq, seq + 2, __ATOMIC_RELEASE);
}

// The summary of LLC `id` (its CPUs: llc), rebuilt when stale; returns
// the CPUs read (0 for a fresh summary).
static unsigned llc_read(unsigned id, const struct cpumask *llc, uint64_t now,
                         struct group_load *out)
{
	unsigned reads = 0;

	struct llc_summary *ls = &llc_sum[id];
	unsigned seq = __atomic_load_n(&ls->seq, __ATOMIC_ACQUIRE);

	if (!(seq & 1)) {
		uint64_t stamp = ls->stamp;

		*out = ls->g;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		// A source that has no thread to spare any more (drained
		// by a pull since the scan, or its threads blocked) makes
		// the summary stale however young: every reader would
		// pick it and fail while its LLC's other CPUs wait.
		if (stamp && now - stamp < SCHED_LLC_SUM_NS &&
		    __atomic_load_n(&ls->seq, __ATOMIC_RELAXED) == seq &&
		    (out->src == MAX_CPUS || cpu_nr(out->src) >= 2)) {
			COUNT(sum_stats.hits);
			goto fresh;
		}
	}
	COUNT(sum_stats.rebuilds);
	group_scan(llc, llc, out);
	reads = out->cpus;
	llc_store(id, out, now);
fresh:
	if (!__atomic_load_n(&llc_waiting[id], __ATOMIC_RELAXED))
		out->src = MAX_CPUS; // nothing waits there now
	return reads;
}

// group_scan for a level above the LLC: one summary per LLC of g ∧ span;
// an LLC only partly inside (an odd topology) is read CPU by CPU.
static void group_sum(const struct sched_domain *sd, const struct cpumask *g,
                      uint64_t now, struct group_load *s)
{
	struct cpumask rest;
	unsigned cpu, reads = 0, sums = 0;

	*s = (struct group_load){.min = 0, .src = MAX_CPUS};
	cpumask_and(&rest, g, &sd->span);
	while ((cpu = cpumask_first(&rest)) < MAX_CPUS) {
		const struct cpumask *llc = sched_llc_cpus(cpu);
		struct group_load p;

		if (cpumask_subset(llc, &rest)) {
			reads += llc_read(cpumask_first(llc), llc, now, &p);
			sums++;
			cpumask_andnot(&rest, &rest, llc);
		} else {
			struct cpumask part;

			cpumask_and(&part, llc, &rest);
			group_scan(&part, &part, &p);
			reads += p.cpus;
			cpumask_andnot(&rest, &rest, &part);
		}
		load_merge(s, &p);
	}
	count_reads(sd, reads, sums);
}

// A level at or below the LLC reads CPU by CPU; above it, summaries.
static void group_read(const struct sched_domain *sd, const struct cpumask *g,
                       uint64_t now, struct group_load *s)
{
	if (sd->flags & SD_SHARE_LLC) {
		group_scan(g, &sd->span, s);
		count_reads(sd, s->cpus, 0);
	} else {
		group_sum(sd, g, now, s);
	}
}

void sched_balance_forget_sums(void)
{
	for (unsigned i = 0; i < MAX_CPUS; i++)
		__atomic_store_n(&llc_sum[i].stamp, 0, __ATOMIC_RELAXED);
}

void sched_balance_get_sum_stats(struct sched_sum_stats *out)
{
	*out = sum_stats;
}

// The bug: the NUMA groups of the span's first CPU, whoever balances.
static const struct sched_domain *group_source(const struct sched_domain *sd)
{
	if (!(bugs & SCHED_BUG_NUMA_ONEPOV) || !(sd->flags & SD_NUMA))
		return sd;
	for (const struct sched_domain *o =
	         sched_domain_lowest(cpumask_first(&sd->span));
	     o; o = o->parent)
		if (o->kind == sd->kind && o->distance == sd->distance)
			return o;
	return sd;
}

static uint64_t group_key(const struct group_load *g)
{
	if (bugs & SCHED_BUG_GROUP_AVG)
		return g->cpus ? g->sum / g->cpus : 0;
	return g->min;
}

// An LLC-level pass over exactly the LLC read all of it: its summary.
static bool spans_llc(const struct sched_domain *sd, unsigned cpu)
{
	return (sd->flags & SD_SHARE_LLC) &&
	       (!sd->parent || !(sd->parent->flags & SD_SHARE_LLC)) &&
	       cpumask_equal(&sd->span, sched_llc_cpus(cpu));
}

// sched_balance_find_source, with the span's average load per CPU in *avg
// (what a pull may bring cpu up to).
static bool find_source(unsigned cpu, const struct sched_domain *sd,
                        unsigned *src, uint64_t *avg)
{
	const struct sched_domain *gd = group_source(sd);
	const struct sched_group *g = gd->groups, *local = NULL;
	struct group_load l, s, best = {.src = MAX_CPUS}, any = best, all;
	uint64_t my = cpu_load(cpu), now = sched_now();

	do {
		if (cpumask_test(&g->cpus, cpu))
			local = g;
	} while (!local && (g = g->next) != gd->groups);
	if (!local)
		return false;
	group_read(sd, &local->cpus, now, &l);
	if (my > l.min)
		return false; // a less loaded CPU of the group pulls
	all = l;
	for (g = local->next; g != local; g = g->next) {
		group_read(sd, &g->cpus, now, &s);
		load_merge(&all, &s);
		if (s.src == MAX_CPUS)
			continue;
		if (best.src == MAX_CPUS || group_key(&s) > group_key(&best))
			best = s;
		if (any.src == MAX_CPUS || s.src_load > any.src_load)
			any = s;
	}
	if (gd == sd && spans_llc(sd, cpu))
		llc_store(sched_llc_id(cpu), &all, now);
	*avg = all.cpus ? all.sum / all.cpus : 0;
	// Worth a pull only if the source's load exceeds ours by more than
	// one of its threads (on average): else nothing could move.
	if (best.src != MAX_CPUS &&
	    group_key(&best) * 100 > group_key(&l) * sd->imbalance_pct &&
	    best.src_load > my + best.src_load / best.src_nr) {
		*src = best.src;
		return true;
	}
	// The fix's other half: an idle CPU takes waiting work from any
	// group (under group_avg it waits, as Linux 4.1 did).
	if (!(bugs & SCHED_BUG_GROUP_AVG) && !my && !cpu_nr(cpu) &&
	    any.src != MAX_CPUS) {
		*src = any.src;
		return true;
	}
	return false;
}

bool sched_balance_find_source(unsigned cpu, const struct sched_domain *sd,
                               unsigned *src)
{
	uint64_t avg;

	return find_source(cpu, sd, src, &avg);
}

// Pulls from src to cpu until half their load difference has moved, or
// cpu's load has reached avg, the span's average (the imbalance, from the
// loads the decision saw; at least one thread moves), src has no thread
// waiting, the policy's steal refuses, or SCHED_BALANCE_MAX_MOVES moved.
// A pulled thread's share is the growth of cpu's load. Without the
// average, busy CPUs with one thread each pulled 8 apiece from a CPU
// holding 72 (half their difference) while the node's average was 4.5.
static unsigned pull_imbalance(unsigned cpu, unsigned src, uint64_t avg)
{
	uint64_t to = cpu_load(cpu), from = cpu_load(src);
	uint64_t imb =
	    MIN(from > to ? (from - to) / 2 : 0, avg > to ? avg - to : 0);
	uint64_t moved = 0;
	unsigned n = 0;

	while (n < SCHED_BALANCE_MAX_MOVES && sched_pull(cpu, src)) {
		uint64_t now = cpu_load(cpu);

		n++;
		moved += now > to ? now - to : 0;
		to = now;
		if (moved >= imb || cpu_nr(src) < 2)
			break;
	}
	return n;
}

enum outcome { BAL_BALANCED, BAL_MOVED, BAL_FAILED };

// One pass for cpu at sd.
static enum outcome balance_level(unsigned cpu, const struct sched_domain *sd,
                                  enum trigger why)
{
	struct sched_balance_stats *st = bstat(cpu, sd->level);
	unsigned src, n;
	uint64_t avg;

	COUNT(st->attempts);
	COUNT(*(why == BAL_NEWIDLE    ? &st->newidle
	        : why == BAL_PERIODIC ? &st->periodic
	                              : &st->nohz));
	if (!span_waiting(&sd->span, cpu) ||
	    !find_source(cpu, sd, &src, &avg)) {
		COUNT(st->balanced);
		return BAL_BALANCED;
	}
	COUNT(st->imbalanced);
	if ((n = pull_imbalance(cpu, src, avg))) {
		__atomic_fetch_add(&st->migrations, n, __ATOMIC_RELAXED);
		return BAL_MOVED;
	}
	COUNT(st->failed);
	return BAL_FAILED;
}

// Is sd's interval over for cpu? If so, the next one starts now.
static bool due(unsigned cpu, const struct sched_domain *sd, uint64_t now)
{
	unsigned lv = level_slot(sd->level);
	uint64_t *iv = &cur_interval[cpu][lv];

	if (now < next_due[cpu][lv] &&
	    __atomic_load_n(&probe_cpu, __ATOMIC_RELAXED) != cpu)
		return false;
	if (*iv < sd->balance_interval_ns)
		*iv = sd->balance_interval_ns;
	next_due[cpu][lv] = now + *iv;
	return true;
}

// Balanced: wait longer next time (up to max); moved: back to the minimum.
static void adapt(unsigned cpu, const struct sched_domain *sd, bool moved)
{
	unsigned lv = level_slot(sd->level);
	uint64_t *iv = &cur_interval[cpu][lv];

	*iv = moved ? sd->balance_interval_ns
	            : (*iv * 2 > sd->max_interval_ns ? sd->max_interval_ns
	                                             : *iv * 2);
}

// cpu is about to idle (or idle, for nohz): pull one thread, nearest
// level first. Levels beyond the LLC only when their interval is due, so
// an idle transition on a big machine does not scan it all. A level
// where cpu's last idle pass failed is skipped by nohz passes for the
// level's minimum interval (the current one, which `adapt` doubles while
// passes fail, slowed cross-node pulls: docs/sched.md, "Balancing"): with
// threads waiting that no idle CPU may take (pinned elsewhere), every
// kick made the kicked CPU read the whole span once per idle CPU, each
// pass failing (sched_place.affinity_kept_by_balancing at 255 CPUs under
// plain TCG: 569,207 nohz passes, 565,278 failed; 26,294 with this).
static bool balance_idle_cpu(unsigned cpu, enum trigger why)
{
	uint64_t now = sched_now();

	for (const struct sched_domain *sd = sched_domain_lowest(cpu); sd;
	     sd = sd->parent) {
		unsigned lv = level_slot(sd->level);
		enum outcome got;

		if (why == BAL_NOHZ &&
		    now <
		        __atomic_load_n(&fail_until[cpu][lv], __ATOMIC_RELAXED))
			continue;
		if (!(sd->flags & SD_SHARE_LLC) && !due(cpu, sd, now))
			continue;
		got = balance_level(cpu, sd, why);
		adapt(cpu, sd, got == BAL_MOVED);
		__atomic_store_n(
		    &fail_until[cpu][lv],
		    got == BAL_FAILED ? now + sd->balance_interval_ns : 0,
		    __ATOMIC_RELAXED);
		if (got == BAL_MOVED)
			return true;
	}
	return false;
}

// Kicked: the other tickless idle CPUs get a pass each (their own
// intervals apply above the LLC).
static void nohz_balance(unsigned self)
{
	struct cpumask m;
	unsigned cpu;

	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m.w[i] = __atomic_load_n(&idle_mask.w[i], __ATOMIC_RELAXED);
	CPUMASK_FOR_EACH(cpu, &m)
	{
		if (cpu != self && sched_cpu_is_idle(cpu))
			(void)balance_idle_cpu(cpu, BAL_NOHZ);
	}
}

void sched_balance_newidle(unsigned cpu)
{
	if (!cpu_load || cpu >= MAX_CPUS ||
	    __atomic_load_n(&paused, __ATOMIC_ACQUIRE) || probe_skips(cpu))
		return;
	(void)balance_idle_cpu(cpu, BAL_NEWIDLE);
	if (__atomic_exchange_n(&kicked[cpu], 0, __ATOMIC_ACQ_REL))
		nohz_balance(cpu);
}

// A busy CPU with waiting threads wakes the nearest tickless idle CPU to
// balance for the idle ones (they have no tick of their own).
static void nohz_kick(unsigned cpu, uint64_t now)
{
	uint64_t next = __atomic_load_n(&nohz_next, __ATOMIC_RELAXED);

	if (cpu_nr(cpu) < 2 || now < next ||
	    !__atomic_compare_exchange_n(&nohz_next, &next, now + NOHZ_KICK_NS,
	                                 false, __ATOMIC_RELAXED,
	                                 __ATOMIC_RELAXED))
		return;
	for (const struct sched_domain *sd = sched_domain_lowest(cpu); sd;
	     sd = sd->parent) {
		unsigned t = idle_in(&sd->span, NULL, cpu + 1);

		if (t < MAX_CPUS && t != cpu) {
			__atomic_store_n(&kicked[t], 1, __ATOMIC_RELEASE);
			sched_kick(t);
			return;
		}
	}
}

void sched_balance_tick(unsigned cpu)
{
	uint64_t now = sched_now();

	if (!cpu_load || cpu >= MAX_CPUS ||
	    __atomic_load_n(&paused, __ATOMIC_ACQUIRE) || probe_skips(cpu))
		return;
	for (const struct sched_domain *sd = sched_domain_lowest(cpu); sd;
	     sd = sd->parent) {
		bool moved;

		if (!due(cpu, sd, now))
			continue;
		moved = balance_level(cpu, sd, BAL_PERIODIC) == BAL_MOVED;
		adapt(cpu, sd, moved);
		if (moved)
			break;
	}
	nohz_kick(cpu, now);
}
