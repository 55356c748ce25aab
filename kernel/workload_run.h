// SPDX-License-Identifier: MIT
// Runs an rt-app JSON workload (workload/rtapp.h) as kernel threads, with
// the phase semantics of the simulator (sim/run.c), and prints the
// simulator's metrics report (docs/research.md, "The same workload in
// QEMU"). Boot: `workload=PATH` names the file the loader passed in
// boot_info (loader config `file=PATH`, tools/cairn-run --workload).
#pragma once

#include <lib/types.h>

// Parses and runs the workload in text[0..len) (name: for messages), then
// prints the report. A malformed file is one error line naming the file,
// line and column; the kernel carries on. Thread context (main).
void workload_run(const char *name, const char *text, size_t len);

// The boot path: finds the file workload=PATH names in boot_info and runs
// it; an error line (and nothing else) when it is missing.
void workload_boot(const char *path);
