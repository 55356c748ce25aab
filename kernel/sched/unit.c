// SPDX-License-Identifier: MIT
// The scheduler's translation unit: the default policy, the core and the
// sleeping primitives compiled as one C file, as Linux compiles its
// scheduler (kernel/sched/build_policy.c, build_utility.c), so that a
// wake-up and a sleep run as one function each, without the calls and
// frames between the layers (docs/sched.md, "Benchmarks"): a semaphore's
// sem_up inlines the core's sched_wake_irqoff, which inlines eevdf's
// enqueue; sem_down inlines sched_sleep_unlock, the switch and eevdf's
// put_pick. The files stay separate, each with its own interface: the
// simulator compiles eevdf.c alone against its own core, and nothing
// else includes a .c file. configure.py leaves these three out of the
// sources it compiles one by one.
#include "eevdf.c"
#include "core.c"
#include "../wait.c"
