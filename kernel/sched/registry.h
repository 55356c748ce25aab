// SPDX-License-Identifier: MIT
// The one list of fair-class policies that `sched=` (kernel) and
// `--policy` (tools/cairn-sim) choose from, and the nice-to-weight table:
// shared by the kernel's core and the simulator's so both pick and weigh
// the same way (docs/research.md, "Writing a policy"). Neutral, no locks:
// the list is constant.
#pragma once

#include <kernel/sched/policy.h>
#include <lib/types.h>

// The policy named name, or NULL when none is. Index 0 is the default.
const struct sched_ops *sched_policy_find(const char *name);
// The i-th policy, NULL past the last (to list them).
const struct sched_ops *sched_policy_at(size_t i);
