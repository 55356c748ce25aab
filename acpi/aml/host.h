// SPDX-License-Identifier: MIT
// The narrow interface between the AML interpreter and whatever runs it (the
// kernel, or a host tool with simulated address spaces). The interpreter
// never touches hardware, memory allocators, clocks or consoles itself: every
// such action goes through one of these function pointers, so the same
// neutral sources run unchanged in the kernel and on the host.
//
// Contract common to all callbacks: they are called from the thread that
// called into the interpreter (aml_load_table, aml_eval, ...), with the
// interpreter's lock held, never from interrupt context, and may sleep unless
// stated otherwise. `host->ctx` is passed back unchanged as the first
// argument. A callback left NULL behaves as documented next to it.
#pragma once

#include <lib/types.h>

// One access to a field of a buffer-access address space: SMBus (4),
// IPMI (7), GenericSerialBus (9), PCC (0x0A), PRM (0x0B). The whole
// protocol buffer goes to the handler in one call (ACPI 6.5 5.5.2.4, the
// SMBus, IPMI, GenericSerialBus, PCC and PRM sections):
//   SMBus: status, length, data[32] (34 bytes);
//   IPMI: status, length, data[64] (66 bytes);
//   GenericSerialBus: status, length, data[n]; n from the protocol
//     (attrib): Quick 0, SendReceive 1, Byte 1, Word 2, ProcessCall 2,
//     Block / BlockProcessCall 255, Bytes / RawBytes / RawProcessBytes
//     their AccessLength;
//   PCC, PRM: the field's own bytes.
// For a write, buf holds the value AML stored (converted to a buffer,
// zero-padded or truncated to len); the handler performs the transaction
// and leaves the response in buf (status, and data for reads). The
// response becomes the Store's result ("Store (Store (BUFF, FLD), BUFF)").
// For a read, buf starts zeroed and the response is the field's value.
struct aml_bufacc {
	uint8_t space;
	bool write;
	uint8_t attrib;      // AccessAttrib: the protocol (SMBByte, ...)
	uint8_t access_len;  // AccessLength (ExtendedAccessField), else 0
	uint64_t addr;       // region offset + the field's byte offset
	                     // (SMBus: slave address << 8 | command)
	uint32_t bit_len;    // the field's declared length
	const uint8_t *conn; // ConnectField resource descriptor(s), or NULL
	size_t conn_len;
	uint8_t *buf; // protocol buffer (in for writes, out for both)
	size_t len;
};

struct aml_host {
	void *ctx;

	// Memory for interpreter objects. alloc returns NULL when out of
	// memory (the interpreter reports E_NOMEM and carries on); free gets
	// the size that was passed to alloc. Both required.
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *p, size_t size);

	// One line of log text, without the trailing newline. level uses the
	// printk numbering (3 error, 4 warning, 6 info, 7 debug). NULL: the
	// line goes to printk.
	void (*log)(void *ctx, int level, const char *line);

	// Physical memory access for SystemMemory regions; width is 1, 2, 4
	// or 8 bytes and addr is naturally aligned for it. The host maps the
	// page itself (kernel: direct map or an uncached MMIO mapping) and
	// must tolerate addresses with nothing behind them (reads return all
	// ones, writes are dropped). NULL: reads return all ones.
	err_t (*mem_read)(void *ctx, paddr_t addr, unsigned width,
	                  uint64_t *val);
	err_t (*mem_write)(void *ctx, paddr_t addr, unsigned width,
	                   uint64_t val);

	// x86 port I/O for SystemIO regions; width 1, 2 or 4. NULL: reads
	// return all ones (AArch64 has no ports).
	err_t (*io_read)(void *ctx, uint32_t port, unsigned width,
	                 uint64_t *val);
	err_t (*io_write)(void *ctx, uint32_t port, unsigned width,
	                  uint64_t val);

	// PCI configuration space (ECAM from MCFG, or 0xCF8/0xCFC); width 1,
	// 2 or 4. Absent functions must read as all ones, never fault or
	// hang. NULL: reads return all ones.
	err_t (*pci_read)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
	                  uint8_t fn, uint16_t off, unsigned width,
	                  uint64_t *val);
	err_t (*pci_write)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
	                   uint8_t fn, uint16_t off, unsigned width,
	                   uint64_t val);

	// Sleep(ms) may reschedule; stall(us) busy-waits. NULL: no delay.
	void (*sleep_ms)(void *ctx, uint64_t ms);
	void (*stall_us)(void *ctx, uint64_t us);

	// Monotonic time in 100 ns units (the Timer opcode's unit); also
	// drives loop timeouts. Required.
	uint64_t (*timer_100ns)(void *ctx);

	// Interpreter lock, taken around every public entry point. The
	// interpreter is not re-entrant across threads; a kernel passes a
	// sleeping mutex here. NULL: no locking (single-threaded hosts).
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);

	// AML Mutex and Event objects on the host's sleeping primitives.
	// sync_new makes the primitive behind one object (a recursive mutex
	// owned by a thread, or a counting event), NULL when out of memory
	// (the operation fails as E_NOMEM); sync_free releases it when the
	// object goes. mutex_acquire / event_wait wait at most timeout_ms
	// (0xFFFF: no timeout, though a host may give up after a bound of
	// its own and say so) and return true when they got it;
	// mutex_release returns E_INVAL when the calling thread does not
	// hold the mutex. They run with the interpreter lock held, so while
	// one waits no other AML runs: what it waits for comes from kernel
	// code (aml_mutex_acquire / aml_mutex_release in aml.h). sync_new
	// NULL: the interpreter's own stand-in, which never waits (one
	// thread runs AML at a time, so a mutex is free or held by it, and
	// Wait on an unsignalled event times out at once).
	void *(*sync_new)(void *ctx, bool mutex);
	void (*sync_free)(void *ctx, void *h, bool mutex);
	bool (*mutex_acquire)(void *ctx, void *h, uint64_t timeout_ms);
	err_t (*mutex_release)(void *ctx, void *h);
	bool (*event_wait)(void *ctx, void *h, uint64_t timeout_ms);
	void (*event_signal)(void *ctx, void *h);
	void (*event_reset)(void *ctx, void *h);

	// The ACPI global lock (fields declared with Lock). NULL: nothing.
	void (*global_lock)(void *ctx, bool acquire);

	// Notify(obj, value) on a device, processor or thermal zone. `path`
	// is the object's absolute path. NULL: logged at debug level.
	void (*notify)(void *ctx, const char *path, uint64_t value);

	// The firmware's ACPI tables for LoadTable and DataTableRegion: the
	// index-th table (any signature, 0-based, in XSDT order) with its
	// full length. Returns E_NOENT past the last. The memory must stay
	// valid for the context's lifetime. NULL: no tables.
	err_t (*table_get)(void *ctx, unsigned index, const void **table,
	                   size_t *len);

	// Buffer-access fields (struct aml_bufacc above) of spaces that have
	// no handler of their own (aml_region_bufacc_add). NULL: such an
	// access is a reported error.
	err_t (*region_buffer)(void *ctx, struct aml_bufacc *a);

	// Fatal(type, code, arg): firmware asks to stop. The interpreter logs
	// it and carries on; the host decides whether to halt. NULL: logged.
	void (*fatal)(void *ctx, uint8_t type, uint32_t code, uint64_t arg);
};
