// SPDX-License-Identifier: MIT
// The scheduler core's interface to the rest of the kernel and the HAL
// (docs/sched.md). Policies use kernel/sched/policy.h instead.
#pragma once

#include <lib/spinlock.h>
#include <lib/types.h>

struct thread;
struct thread_params;

// Boot CPU, after smp_init(): picks the policy (cmdline "sched=NAME"),
// makes the running boot context the thread "main", gives every CPU a run
// queue and an idle thread, and starts scheduling on every online CPU.
void sched_init(const char *policy_name);

// True once sched_init() ran (and on CPU c, once it schedules).
bool sched_started(void);

// Secondary CPUs' idle loop calls this each time they wake; once the
// scheduler is up it turns the CPU's boot context into its idle thread and
// never returns.
void sched_cpu_enter(void);

// Picks the next thread on this CPU and switches to it if it is another
// one. Thread context, preemption count 0; interrupts on or off (restored).
void schedule(void);

// schedule() for a thread that goes to sleep holding one spinlock l (a
// wait queue's, taken with interrupts off; preemption count 1): l is
// released once this CPU's run-queue lock is held, so no count or
// interrupt state changes on the way. Returns with interrupts still off
// and the count 0 (after the thread was switched back in).
void sched_sleep_unlock(spinlock_t *l);

// Makes t runnable if it sleeps (THREAD_BLOCKED); true if it did. Any
// context, interrupts on or off, no run-queue lock held.
bool sched_wake(struct thread *t);
// The same, for a caller with interrupts off that holds a spinlock (a
// wait queue's): the wake-up needs no interrupt or preemption-count
// changes of its own.
bool sched_wake_irqoff(struct thread *t);

// Makes a new thread runnable (thread_create).
void sched_start_thread(struct thread *t);

// New parameters for t (thread_set_params, checked): written under the
// run-queue lock; a running thread takes them when it next stops.
void sched_set_params(struct thread *t, const struct thread_params *p);

// Called by the HAL on the way out of an interrupt (hal/context.h).
void sched_irq_exit(void);

// The last spin_unlock() / preempt_enable() with a reschedule pending and
// interrupts on (lib/preempt.h).
void sched_preempt(void);

// The HAL's start trampoline calls this as a new thread's first code
// (hal/context.h).
__noreturn void sched_thread_start(void (*entry)(void *), void *arg);

// thread.c's side of the core: the dead thread prev has left its CPU for
// good; threads for the boot contexts and the idle threads.
void thread_reap(struct thread *prev);
struct thread *thread_adopt_boot(const char *name);
struct thread *thread_alloc_idle(unsigned cpu, bool adopt_boot_stack);
void thread_start_idle(struct thread *t, void (*entry)(void *));

// Name of the policy in use, and every known one (for messages, tests).
const char *sched_policy_name(void);

// Per-CPU counters (sched.stats).
struct sched_cpu_stats {
	uint64_t switches, idle_ns, migrations_in, pulls, wakeups_remote;
};
void sched_cpu_stats(unsigned cpu, struct sched_cpu_stats *out);
