// SPDX-License-Identifier: MIT
// Kernel page faults: what the HAL decoded, and fault probes that let a
// test provoke a fault on purpose and check it instead of dying.
#pragma once

#include <lib/types.h>

enum fault_access { FAULT_READ, FAULT_WRITE, FAULT_EXEC };

struct fault_info {
	uintptr_t addr; // faulting data address (or instruction address)
	uintptr_t pc;   // the instruction that faulted
	enum fault_access access;
	bool present; // a translation existed: a permission fault
};

// Runs fn(arg); if it takes a kernel page fault, abandons fn at once,
// fills *fi and returns true. False if fn returned normally. fn must not
// hold locks or have side effects a jump out of it would leave half done.
// Interrupts are restored to their state at entry either way.
bool fault_probe(void (*fn)(void *), void *arg, struct fault_info *fi);

// Called by the HAL's exception handler for every kernel page fault before
// it reports it: if a probe is armed on this CPU, does not return.
void fault_probe_catch(const struct fault_info *fi);

const char *fault_access_name(enum fault_access a);
