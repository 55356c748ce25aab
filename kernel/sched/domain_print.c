// SPDX-License-Identifier: MIT
// Text of the scheduling domains, in the shape of Linux's sched_verbose
// output (so the two diff), with Cairn's extra fields:
//
//   sched domains: 8 CPUs, depth 3, 20 domains, 48 groups (22 stored in 10
//   circles), 9 KiB, built in 85 us Note: ... CPU0 attaching sched-domain(s):
//    domain-0: span=0-1 level=SMT distance=10 flags=SHARE_CPU|SHARE_LLC
//    interval=2ms imbalance=110
//     groups: 0:{ span=0 }, 1:{ span=1 }
//     domain-1: span=0-3 level=LLC ...
//
// Group labels are the group's first CPU, as in Linux. tests/topology/
// matrix.py parses this text; keep the two in step.
// Locks: none (reads the current domains; see domain.c).
#include <string.h>
#include <lib/printk.h>
#include <kernel/sched/domain_impl.h>

size_t sched_cpulist_format(char *buf, size_t size, const struct cpumask *m)
{
	size_t len = 0;
	unsigned cpu = cpumask_first(m);

	if (size)
		buf[0] = 0;
	while (cpu < MAX_CPUS) {
		unsigned end = cpu;
		char tmp[16];
		int n;

		while (end + 1 < MAX_CPUS && cpumask_test(m, end + 1))
			end++;
		n = end == cpu ? ksnprintf(tmp, sizeof(tmp), "%s%u",
		                           len ? "," : "", cpu)
		               : ksnprintf(tmp, sizeof(tmp), "%s%u-%u",
		                           len ? "," : "", cpu, end);
		if (len + (size_t)n < size)
			memcpy(buf + len, tmp, (size_t)n + 1);
		else if (size)
			buf[MIN(len, size - 1)] = 0;
		len += (size_t)n;
		cpu = cpumask_next(m, end + 1);
	}
	return len;
}

static void sd_out(const struct topo_out *o, const char *fmt, ...)
    __printf_like(2, 3);

static void sd_out(const struct topo_out *o, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	o->write(o->ctx, buf, MIN((size_t)n, sizeof(buf) - 1));
}

// A CPU list may be 2 KiB long (512 CPUs, every other one): written in
// pieces through a heap-free 4 KiB static buffer (printing is single-
// threaded: boot and host tools).
static void sd_out_list(const struct topo_out *o, const struct cpumask *m)
{
	static char buf[4096];
	size_t n = sched_cpulist_format(buf, sizeof(buf), m);

	o->write(o->ctx, buf, MIN(n, sizeof(buf) - 1));
}

static void sd_out_flags(const struct topo_out *o, unsigned f)
{
	static const char *const names[] = {"SHARE_CPU", "SHARE_LLC", "NUMA",
	                                    "LLC_ASSUMED"};
	bool any = false;

	sd_out(o, " flags=");
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (f & (1u << i)) {
			sd_out(o, "%s%s", any ? "|" : "", names[i]);
			any = true;
		}
	if (!any)
		sd_out(o, "0");
}

static void sd_print_domain(const struct topo_out *o,
                            const struct sched_domain *d)
{
	const struct sched_group *g = d->groups;
	unsigned ind = d->level + 1;

	sd_out(o, "%*sdomain-%u: span=", ind, "", d->level);
	sd_out_list(o, &d->span);
	sd_out(o, " level=%s distance=%u", d->name, d->distance);
	sd_out_flags(o, d->flags);
	sd_out(o, " interval=%lums imbalance=%u\n",
	       (unsigned long)(d->balance_interval_ns / 1000000),
	       d->imbalance_pct);
	sd_out(o, "%*sgroups:", ind + 1, "");
	do {
		sd_out(o, "%s %u:{ span=", g == d->groups ? "" : ",", g->first);
		sd_out_list(o, &g->cpus);
		sd_out(o, " }");
		g = g->next;
	} while (g != d->groups);
	sd_out(o, "\n");
}

static void sd_print_notes(const struct topo_out *o, const struct sd_set *s)
{
	if (s->notes & SD_NOTE_LLC_PACKAGE)
		sd_out(o, "Note: no cache data: the package stands in for "
		          "the last-level cache (LLC_ASSUMED)\n");
	if (s->notes & SD_NOTE_NO_LLC)
		sd_out(o, "Note: no cache data and no packages: no LLC "
		          "level\n");
	if (s->notes & SD_NOTE_DIST_CAPPED)
		sd_out(o,
		       "Note: more than %u distinct NUMA distances: the "
		       "largest ones share the top level\n",
		       (unsigned)SD_MAX_DIST);
	if (s->st.fixups)
		sd_out(o,
		       "Note: %u spans widened to contain the level "
		       "below (topology levels do not nest)\n",
		       s->st.fixups);
}

void sched_domains_print(const struct topo_out *o)
{
	const struct sd_set *s = sd_current();
	const struct sched_domains_stats *st;
	unsigned cpu;

	if (!s) {
		sd_out(o, "sched domains: none built\n");
		return;
	}
	st = &s->st;
	sd_out(o,
	       "sched domains: %u CPUs, depth %u, %u domains, %u groups (%u "
	       "stored in %u circles), %lu KiB, built in %lu us\n",
	       st->cpus, st->depth, st->domains, st->groups, st->stored_groups,
	       st->circles, (unsigned long)((st->bytes + 1023) / 1024),
	       (unsigned long)(st->build_ns / 1000));
	sd_print_notes(o, s);
	CPUMASK_FOR_EACH(cpu, &s->cpus)
	{
		const struct sched_domain *d = sched_domain_lowest(cpu);

		if (!d) {
			sd_out(o, "CPU%u attaching NULL sched-domain.\n", cpu);
			continue;
		}
		sd_out(o, "CPU%u attaching sched-domain(s):\n", cpu);
		for (; d; d = d->parent)
			sd_print_domain(o, d);
	}
}
