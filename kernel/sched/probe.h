// SPDX-License-Identifier: MIT
// Probes into the scheduler core for the benchmarks (tests/kernel/
// bench_sched*.c): the policy decisions of a wake-up and of an idle balance
// pass, made exactly as the core makes them, so their cost can be timed
// on their own. Thread context, preemption count 0.
#pragma once

struct thread;

// The CPU the policy would pick if t woke now (t's wake_lock taken, as on
// the wake-up path); t is not moved.
unsigned sched_probe_select(struct thread *t);

// One balance pass of every class for the running CPU, as the core makes
// it before idling (interrupts off, preemption held); it may pull a
// thread like the real one.
void sched_probe_balance(void);
