// SPDX-License-Identifier: MIT
// The policy registry and sched_nice_to_weight (kernel/sched/registry.h).
// To add a policy: define its struct sched_ops in kernel/sched/NAME.c and
// list it here; the kernel and the simulator then both know it.
#include <string.h>
#include <kernel/sched/registry.h>

extern const struct sched_ops sched_eevdf_ops, sched_minimal_ops;

static const struct sched_ops *const policies[] = {&sched_eevdf_ops,
                                                   &sched_minimal_ops};

const struct sched_ops *sched_policy_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(policies); i++)
		if (strcmp(name, policies[i]->name) == 0)
			return policies[i];
	return NULL;
}

const struct sched_ops *sched_policy_at(size_t i)
{
	return i < ARRAY_SIZE(policies) ? policies[i] : NULL;
}

unsigned sched_nice_to_weight(int nice)
{
	// 1024 / 1.25^nice, as 1024 * 4^k / 5^k kept exact in steps.
	uint64_t w = SCHED_WEIGHT_NICE0;

	if (nice < -20)
		nice = -20;
	if (nice > 19)
		nice = 19;
	for (int i = 0; i < nice; i++)
		w = w * 4 / 5;
	for (int i = 0; i > nice; i--)
		w = w * 5 / 4;
	return w ? (unsigned)w : 1;
}
