// SPDX-License-Identifier: MIT
// Kernel threads (docs/sched.md): create, exit, join, detach, parameters
// and statistics. Scheduling itself is kernel/sched/sched.h.
#pragma once

#include <hal/context.h>
#include <kernel/sched/policy.h>
#include <lib/spinlock.h>
#include <lib/types.h>
#include <lib/cpumask.h>

enum thread_state {
	THREAD_RUNNING, // runnable or running
	THREAD_BLOCKED, // asleep, waiting for sched_wake()
	THREAD_DEAD,    // exited, not yet joined or reaped
};

struct thread_stats {
	uint64_t run_ns;     // on a CPU
	uint64_t wait_ns;    // runnable, not on a CPU
	uint64_t switches;   // times switched in
	uint64_t migrations; // times it started on another CPU than before
	uint64_t wakeups;    // times sched_wake() made it runnable
};

struct thread_params {
	int nice;         // -20 .. 19 (fair class)
	unsigned weight;  // fair class: 1 .. 100000 instead of nice's; 0: nice
	unsigned rt_prio; // 1 .. 99: real-time class; 0: fair
	bool rt_rr;       // real-time round-robin, else FIFO
	struct cpumask affinity; // empty: every CPU
	unsigned node;           // home NUMA node; ~0u: the creating CPU's
};

#define THREAD_NAME_MAX 24

// Lock keys (docs/sched.md): k = wake_lock, r = the run queue lock of the
// CPU in se.cpu, s = the thread itself (its own fields, written by it).
struct thread {
	struct hal_context ctx; // r: saved while not running
	struct sched_entity se; // r
	uint64_t id;            // constant
	char name[THREAD_NAME_MAX];
	volatile enum thread_state state; // s sleeping, k+r waking
	bool on_rq;           // r: queued or running (core counts it)
	volatile bool on_cpu; // a CPU is on its stack
	bool idle;            // a CPU's idle thread
	bool detached;        // join lock
	spinlock_t wake_lock;
	void *stack_top; // NULL: the boot CPU's boot stack
	bool own_stack;  // stack_top is ours to free
	int exit_code;
	struct thread *joiner;     // join lock: sleeping in thread_join
	unsigned last_cpu;         // r: CPU it last ran on (~0u: never ran)
	uint64_t mark_ns;          // r: when it last started running / waiting
	struct thread_stats stats; // r
	bool reaped;               // join lock: off its CPU for good
	bool pending;              // r: `params` to apply when it stops running
	struct thread_params params; // r
	struct sched_list obs_link;  // kernel/sched/stats.c's thread registry
	unsigned only_cpu; // r: the one CPU se.affinity allows, else ~0u
};

// Notes in t->only_cpu whether its affinity allows a single CPU: its
// wake-ups then skip the policy's CPU choice (as Linux does for tasks with
// one allowed CPU). Call after every change of t->se.affinity.
static inline void thread_note_affinity(struct thread *t)
{
	t->only_cpu = cpumask_weight(&t->se.affinity) == 1
	                  ? cpumask_first(&t->se.affinity)
	                  : ~0u;
}

// Parameters: nice 0, every CPU, home node of the creating CPU.
void thread_params_default(struct thread_params *p);

// Creates a thread running entry(arg) and makes it runnable. p NULL: the
// defaults. The name is copied (truncated). E_NOMEM, E_INVAL (bad nice,
// priority, or an affinity naming no online CPU). Thread context or boot.
__must_check err_t thread_create(struct thread **out, const char *name,
                                 void (*entry)(void *), void *arg,
                                 const struct thread_params *p);

// Ends the running thread with code (returning from entry does the same).
__noreturn void thread_exit(int code);

// Waits for t to exit, frees it and returns its code. Once per thread;
// not for detached threads. Thread context.
int thread_join(struct thread *t);

// t is freed when it exits; no join. Once per thread.
void thread_detach(struct thread *t);

// The running thread.
struct thread *thread_current(void);

// Gives the CPU to another runnable thread of the same or a higher class.
void thread_yield(void);

// Changes a live thread's parameters (nice / RT priority / affinity).
__must_check err_t thread_set_params(struct thread *t,
                                     const struct thread_params *p);

// Threads created and freed since boot (tests check for leaks).
uint64_t thread_live_count(void);
