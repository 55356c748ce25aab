// SPDX-License-Identifier: MIT
// Scheduling event trace: a per-CPU ring of fixed-size records (docs/trace.md
// "Trace format"). `trace=sched` on the command line enables it; at the end
// of the run (kernel_exit / shutdown / reboot) the rings are printed between
//   -----BEGIN CAIRN TRACE----- and -----END CAIRN TRACE-----
// and tools/trace2perfetto.py turns that into a Chrome trace-event JSON file
// that ui.perfetto.dev opens.
//
// Hot path: trace_sched() is inline; with tracing off it costs one load and
// one predictable branch (trace_enabled is written only by trace_init() and
// trace_stop(), before/after any recording, so it needs no barrier). With
// tracing on, a record takes the CPU's ring slot by an atomic add on that
// CPU's head (safe against an interrupt on the same CPU), stamps it with
// hal_time_ns() and writes 32 bytes. Each ring is written only by its own
// CPU; when full, the oldest records are overwritten (counted as dropped).
// Readers (trace_read, the dump) run after trace_stop().
#pragma once

#include <lib/types.h>

enum trace_type {
	TRACE_NONE = 0,
	TRACE_SWITCH = 1,  // tid = previous thread, a = next thread,
	                   // b = previous thread's state (0 = runnable)
	TRACE_WAKEUP = 2,  // tid = woken thread, a = target CPU, b = waker
	TRACE_MIGRATE = 3, // tid = thread, a = from CPU, b = to CPU
	TRACE_CREATE = 4,  // tid = new thread, a = parent, c = name (8 bytes)
	TRACE_EXIT = 5,    // tid = thread, a = exit code
	TRACE_IDLE_ENTER = 6, // tid = idle thread of the CPU
	TRACE_IDLE_EXIT = 7,  // tid = idle thread of the CPU
	TRACE_MARK = 8,       // tid, a, b, c: free (tests, annotations)
	TRACE_NTYPES
};

// One record: 32 bytes, little-endian fields as laid out here.
struct trace_rec {
	uint64_t ts_ns; // hal_time_ns() when recorded
	uint8_t type;   // enum trace_type
	uint8_t flags;  // 0 (reserved)
	uint16_t cpu;   // CPU that recorded it (hal_cpu_id())
	uint32_t tid;   // thread the event is about
	uint32_t a, b;  // arguments, per type (above)
	uint64_t c;     // argument, per type (TRACE_CREATE: name bytes)
};
_Static_assert(sizeof(struct trace_rec) == 32, "record size is the ABI");

extern bool trace_enabled;

void trace_record(enum trace_type type, uint32_t tid, uint32_t a, uint32_t b,
                  uint64_t c);

static inline void trace_sched(enum trace_type type, uint32_t tid, uint32_t a,
                               uint32_t b, uint64_t c)
{
	if (unlikely(trace_enabled))
		trace_record(type, tid, a, b, c);
}

// Up to 8 bytes of a name as TRACE_CREATE's c (byte 0 = first character).
uint64_t trace_name_word(const char *name);

// Allocates a ring of per_cpu records (rounded up to a power of two, at
// least 16) for CPUs 0..ncpus-1 and turns recording on. E_NOMEM (tracing
// stays off), E_INVAL for 0 CPUs; E_BUSY if already set up.
__must_check err_t trace_init(unsigned ncpus, unsigned per_cpu);
// Turns recording off (the rings stay readable) / on again (if set up).
void trace_stop(void);
void trace_start(void);
// Empties every ring (recording state unchanged; tests).
void trace_reset(void);

// Ring state of a CPU: records ever written and the ring's size; the ring
// holds the last MIN(written, size).
struct trace_cpu_stats {
	uint64_t written;
	uint64_t dropped; // overwritten: written - size when positive
	unsigned size;
};
bool trace_cpu_stats(unsigned cpu, struct trace_cpu_stats *st);
// The idx-th oldest record still held for cpu; false past the end.
bool trace_read(unsigned cpu, uint64_t idx, struct trace_rec *out);

// Prints the rings between the markers (see docs/trace.md) if tracing was
// set up, after trace_stop(); once (later calls print nothing).
void trace_dump(void);

// Kernel boot: `trace=VALUE` (only "sched" is known; anything else gets a
// warning) and `trace.size=N` records per CPU.
void trace_boot(const char *value, uint64_t per_cpu, unsigned ncpus);
