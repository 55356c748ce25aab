// SPDX-License-Identifier: MIT
// Cairn's AML interpreter: public interface. An aml_ctx holds one ACPI
// namespace and everything the interpreter needs to run AML against it. All
// entry points take the host lock (struct aml_host) for their duration.
//
// Typical use:
//   aml_create(&host, NULL, &ctx);
//   aml_load_table(ctx, dsdt, dsdt_len);      // then each SSDT
//   aml_init_namespace(ctx);                  // _REG, \_SB._INI, _STA/_INI
//   aml_eval(ctx, "\\_S5_", NULL, 0, &v);  ...  aml_value_put(ctx, &v);
//   aml_destroy(ctx);
#pragma once

#include <acpi/aml/host.h>
#include <lib/types.h>

struct aml_ctx;
struct aml_obj;
struct aml_node;

// Object types; the values are those ObjectType() returns.
enum aml_type {
	AML_UNINIT = 0,
	AML_INTEGER = 1,
	AML_STRING = 2,
	AML_BUFFER = 3,
	AML_PACKAGE = 4,
	AML_FIELD_UNIT = 5,
	AML_DEVICE = 6,
	AML_EVENT = 7,
	AML_METHOD = 8,
	AML_MUTEX = 9,
	AML_REGION = 10,
	AML_POWER_RES = 11,
	AML_PROCESSOR = 12,
	AML_THERMAL = 13,
	AML_BUFFER_FIELD = 14,
	AML_DDB_HANDLE = 15,
	AML_DEBUG = 16,
	// Internal kinds, never returned by ObjectType.
	AML_REFERENCE = 20, // o: struct aml_obj of kind reference
	AML_NODE = 21,      // n: an unevaluated name (operand or package elt)
	AML_LOCALREF = 22,  // aux: 0-7 LocalX, 8-14 ArgX (a store target)
	AML_ALIAS = 23,     // n: alias target
	AML_SCOPE = 24,     // a plain scope (\_SB_, \_GPE, ...)
	AML_NONE = 25,      // no value / null target
};

// A value: integers inline, everything else a counted object. A value owns
// one reference on `o`; release it with aml_value_put().
struct aml_value {
	uint32_t type; // enum aml_type
	uint32_t aux;
	union {
		uint64_t i;
		struct aml_obj *o;
		struct aml_node *n;
	};
};

// Coverage counters (amlrun --opcode-stats), kept when aml_options.opstats
// is set: op[] counts each opcode as it is decoded for execution (one-byte
// opcodes and name prefixes by their byte, AML_OPSTAT_EXT + the byte after
// 0x5B, AML_OPSTAT_LNOT2 + the byte after 0x92 for LNotEqual, LLessEqual
// and LGreaterEqual); type[] counts ObjectType results.
#define AML_OPSTAT_EXT 0x100
#define AML_OPSTAT_LNOT2 0x200
struct aml_opstats {
	uint32_t op[0x300];
	uint32_t type[17];
};

// Steps a top-level evaluation may take by default (aml_options.max_steps):
// a method that calls itself twice per level runs 2^depth statements, so
// the nesting limit alone lets one evaluation run for ever. The largest
// evaluation of the 53 corpus machines takes far fewer (docs/aml.md,
// "Limits"); 2^24 steps are about a second of CPU at -O2.
#define AML_EVAL_STEPS (1ull << 24)

struct aml_options {
	uint64_t loop_timeout_ms; // While loop budget; 0: default 10 s
	unsigned max_frames;      // nested method calls; 0: 256
	unsigned max_ops;         // pending operators, all frames; 0: 4096
	unsigned max_blocks;      // open Scope/If/While; 0: 2048
	// Steps one top-level evaluation may take (a method the host
	// evaluates, with all it calls; one top-level statement of a table):
	// one per statement run, one per unit of work (AML_STMT_WORK).
	// 0: AML_EVAL_STEPS (docs/aml.md, "Limits").
	uint64_t max_steps;
	struct aml_opstats *opstats; // NULL: not counted
};

struct aml_stats {
	uint64_t ops;        // AML terms executed (load + methods)
	uint32_t tables;     // definition blocks loaded
	uint32_t errors;     // firmware errors reported
	uint32_t warnings;   // oddities tolerated silently by others
	uint32_t nodes;      // namespace nodes
	uint32_t devices;    // Device objects
	uint32_t thermal;    // ThermalZone objects
	uint32_t timeouts;   // methods aborted by the loop timeout
	uint32_t overruns;   // evaluations aborted by max_steps
	uint64_t steps_max;  // most steps one top-level evaluation took
	uint64_t load_100ns; // time spent in aml_load_table
	uint64_t init_100ns; // time spent in aml_init_namespace
	uint64_t heap_bytes; // live interpreter allocations
};

__must_check err_t aml_create(const struct aml_host *host,
                              const struct aml_options *opt,
                              struct aml_ctx **out);
void aml_destroy(struct aml_ctx *ctx);

// An AML Mutex for kernel code that shares a resource with the firmware's
// AML (as ACPICA's AcpiAcquireMutex). aml_mutex_get finds the Mutex at
// path and returns the host's primitive behind it: E_NOENT (no Mutex
// there), E_NOTSUP (the host has no sync hooks), E_NOMEM. The handle is
// valid until the table that declared the Mutex is unloaded.
// aml_mutex_acquire (timeout_ms, 0xFFFF: none; true when acquired) and
// aml_mutex_release (E_INVAL if the caller does not hold it) run without
// the interpreter lock: AML goes on running while kernel code waits for or
// holds the mutex, and a method waiting in Acquire is handed the mutex when
// the kernel releases it. Thread context.
__must_check err_t aml_mutex_get(struct aml_ctx *ctx, const char *path,
                                 void **handle);
bool aml_mutex_acquire(struct aml_ctx *ctx, void *handle, uint64_t timeout_ms);
__must_check err_t aml_mutex_release(struct aml_ctx *ctx, void *handle);

// Loads one definition block (DSDT or SSDT, with its 36-byte header). Errors
// in the AML are reported and tolerated (the rest of the table still loads):
// the return value is 0 unless the header itself is unusable or memory ran
// out. stats.errors counts what went wrong.
__must_check err_t aml_load_table(struct aml_ctx *ctx, const void *table,
                                  size_t len);

// Runs _REG for the handled address spaces, \_SB._INI, then the _STA/_INI
// walk over every device. Errors in firmware methods are reported and
// counted; the walk carries on.
__must_check err_t aml_init_namespace(struct aml_ctx *ctx);

// Evaluates the object at an absolute path ("\\_SB.PCI0._CRS"). Methods
// are run with args (copied); other objects yield their value. The result
// (AML_NONE when there is none) must be released with aml_value_put().
__must_check err_t aml_eval(struct aml_ctx *ctx, const char *path,
                            const struct aml_value *args, unsigned nargs,
                            struct aml_value *result);

void aml_value_put(struct aml_ctx *ctx, struct aml_value *v);

// Read access to strings and buffers held in a value; NULL/0 otherwise.
const char *aml_value_str(const struct aml_value *v);
const uint8_t *aml_value_buf(const struct aml_value *v, size_t *len);
// Element i of a package value; NULL if v is not a package or i is out of
// range. Valid while v is held.
const struct aml_value *aml_value_pkg(const struct aml_value *v, uint32_t i);

// A caller-supplied address space handler (EmbeddedControl, SMBus, ...):
// accesses of `width` bytes at `addr` (the offset within the region plus
// the region base).
typedef err_t (*aml_region_fn)(void *arg, bool write, uint64_t addr,
                               unsigned width, uint64_t *val);
__must_check err_t aml_region_handler_add(struct aml_ctx *ctx, uint8_t space,
                                          aml_region_fn fn, void *arg);

// A handler for the fields of a buffer-access space (SMBus, IPMI,
// GenericSerialBus, PCC, PRM; see struct aml_bufacc in host.h). Like
// aml_region_handler_add it runs the pending _REG(space, 1) calls.
typedef err_t (*aml_bufacc_fn)(void *arg, struct aml_bufacc *a);
__must_check err_t aml_region_bufacc_add(struct aml_ctx *ctx, uint8_t space,
                                         aml_bufacc_fn fn, void *arg);
#define AML_SPACE_SMBUS 4
#define AML_SPACE_IPMI 7
#define AML_SPACE_GSBUS 9
#define AML_SPACE_PCC 0x0a
#define AML_SPACE_PRM 0x0b

// Calls fn for every namespace node in depth-first creation order with its
// absolute path ("\\_SB_.PCI0") and depth. Stops early if fn returns false.
void aml_ns_walk(struct aml_ctx *ctx,
                 bool (*fn)(void *arg, const char *path, unsigned depth,
                            enum aml_type type),
                 void *arg);

// ---- device enumeration (device.c)

#define AML_ID_LEN 24
#define AML_MAX_CID 8
#define AML_STA_PRESENT 0x01
#define AML_STA_ENABLED 0x02
#define AML_STA_UI 0x04
#define AML_STA_FUNCTIONING 0x08

struct aml_device_info {
	char path[128];
	enum aml_type type; // AML_DEVICE, AML_PROCESSOR or AML_THERMAL
	uint32_t sta;       // _STA, 0x0F when absent
	bool has_hid, has_uid, has_adr;
	char hid[AML_ID_LEN]; // "PNP0A08" (EISA ID decoded) or the string
	char uid[AML_ID_LEN]; // integer _UID printed in decimal
	char cid[AML_MAX_CID][AML_ID_LEN];
	unsigned ncid;
	uint64_t adr;
};

// Identification of the device at path: E_NOENT, E_INVAL (not a device).
__must_check err_t aml_device_info(struct aml_ctx *ctx, const char *path,
                                   struct aml_device_info *out);
// Calls fn for every present device (_STA bit 0) in namespace order; the
// subtree of a device neither present nor functioning is skipped. Stops
// early if fn returns false. fn must not call back into the interpreter.
void aml_device_walk(struct aml_ctx *ctx,
                     bool (*fn)(void *arg, const struct aml_device_info *d),
                     void *arg);
// "PNP0A03" from a compressed EISA ID integer.
void aml_eisa_id_str(uint32_t id, char out[8]);

// ---- Embedded Controller (ec.c)

#define AML_SPACE_EC 3

struct aml_ec {
	struct aml_ctx *ctx; // set by aml_ec_attach
	uint32_t cmd_port;   // EC_SC: command (write) / status (read)
	uint32_t data_port;  // EC_DATA
	uint32_t uid;
	uint8_t gpe;      // the GPE raised for queries (ECDT GPE_BIT, or _GPE)
	bool has_gpe;     // false: the EC named no GPE (no queries)
	uint32_t queries; // queries answered (aml_ec_query)
	char path[64];    // the EC device, "\_SB.PCI0.LPCB.EC0"
};

// Decodes an ECDT (ports, GPE, EC_ID). E_NOTSUP when its registers are not
// in I/O space.
__must_check err_t aml_ecdt_parse(const void *ecdt, size_t len,
                                  struct aml_ec *out);
// Marks the device at path as the ECDT's EC: during aml_init_namespace its
// _REG(EmbeddedControl, 1) runs before anything else (\_SB._INI included).
// Call after loading the tables and before aml_init_namespace, with a
// handler for space 3 installed.
__must_check err_t aml_ec_set_ecdt(struct aml_ctx *ctx, const char *path);
// Installs the EC protocol handler (host io_read/io_write on the EC's
// ports) for EmbeddedControl space; with ecdt, also aml_ec_set_ecdt. ec
// must stay valid for the context's lifetime.
__must_check err_t aml_ec_attach(struct aml_ctx *ctx, struct aml_ec *ec,
                                 bool ecdt);
// Finds the first present PNP0C09 device and its ports from _CRS (data
// port first, then command/status). E_NOENT without one, E_INVAL if its
// _CRS does not give two I/O ports. Then aml_ec_attach(ctx, ec, false).
__must_check err_t aml_ec_find(struct aml_ctx *ctx, struct aml_ec *out);
// The handler itself (arg: struct aml_ec *), for hosts that wrap it.
err_t aml_ec_region(void *arg, bool write, uint64_t addr, unsigned width,
                    uint64_t *val);

struct aml_events;
// Makes the EC's GPE (ec->gpe) run aml_ec_query when it fires. E_NOENT if
// the EC has no GPE, else as aml_ev_gpe_handler.
__must_check err_t aml_ec_enable_queries(struct aml_ec *ec,
                                         struct aml_events *ev);
// The query loop (ACPI 6.5, 12.3.5): while the status register has
// SCI_EVT, send QR_EC (0x84), read the query number and run the EC's
// _Qxx (xx its two upper-case hex digits). A 0 query ends it early; at
// most 32 queries a call. Returns the number of queries answered.
unsigned aml_ec_query(struct aml_ec *ec);

// ---- events: fixed events, GPE blocks (event.c)
//
// The OS side of ACPI's event model for full-hardware platforms: the PM1
// event registers (fixed events: power button, sleep button, RTC, ...) and
// the general-purpose event blocks GPE0/GPE1 of the FADT, with the
// \_GPE._Lxx / _Exx methods (level / edge) or installed handlers behind
// them. The host owns the SCI: its interrupt handler only masks the SCI
// and schedules aml_ev_dispatch() in thread context, then unmasks it.
// Hardware-reduced platforms (GED, ACPI0013) need none of this: the host
// calls the GED's _EVT itself.
//
// Registers are reached through the host's mem/io callbacks. An aml_events
// is not locked: create it, add blocks and handlers, then call
// aml_ev_dispatch from one thread at a time; handlers run in that thread
// and may call aml_eval.

#define AML_EV_MAX_GPE 256 // GPE numbers 0x00-0xFF (_Lxx/_Exx names)

// A register block: space 0 SystemMemory, 1 SystemIO.
struct aml_ev_regs {
	uint8_t space;
	uint64_t addr;
};

// PM1 status/enable bits (ACPI 6.5, 4.8.3.1).
#define AML_FIXED_TIMER 0
#define AML_FIXED_GLOBAL 5
#define AML_FIXED_POWER_BUTTON 8
#define AML_FIXED_SLEEP_BUTTON 9
#define AML_FIXED_RTC 10

struct aml_ev_stats {
	uint32_t dispatches; // aml_ev_dispatch calls
	uint32_t fixed;      // fixed events handled
	uint32_t gpes;       // GPEs handled
	uint32_t spurious;   // GPEs that fired with nothing to run (disabled)
	uint32_t enabled;    // GPEs enabled now
	uint32_t wake;       // GPEs named by a _PRW (left disabled)
};

__must_check err_t aml_events_create(struct aml_ctx *ctx,
                                     struct aml_events **out);
void aml_events_destroy(struct aml_events *ev);

// Adds a PM1 event block (PM1a, then PM1b if the platform has one) of len
// bytes: status in the first half, enable in the second (len 4: two 16-bit
// registers). All fixed events are disabled and their status cleared.
__must_check err_t aml_ev_pm1_add(struct aml_events *ev,
                                  const struct aml_ev_regs *r, unsigned len);
// Adds a GPE block of len bytes (status half, then enable half) whose first
// GPE is base: GPE0 (base 0) and GPE1 (the FADT's GPE1_BASE). E_INVAL for
// an odd or zero length, E_RANGE if it overlaps a block or passes GPE 255.
// Its GPEs are disabled and their status cleared.
__must_check err_t aml_ev_gpe_block_add(struct aml_events *ev,
                                        const struct aml_ev_regs *r,
                                        unsigned len, unsigned base);

typedef void (*aml_fixed_fn)(void *arg, unsigned event);
// Enables fixed event `event` (AML_FIXED_*) with fn behind it. E_NOENT
// without a PM1 block.
__must_check err_t aml_ev_fixed_enable(struct aml_events *ev, unsigned event,
                                       aml_fixed_fn fn, void *arg);

typedef void (*aml_gpe_fn)(void *arg, unsigned gpe);
// Runs fn instead of any _Lxx/_Exx method when gpe fires, and enables it.
// Edge: its status is cleared before fn runs; level: after. E_RANGE if no
// block holds gpe, E_EXIST if it has a handler already.
__must_check err_t aml_ev_gpe_handler(struct aml_events *ev, unsigned gpe,
                                      bool level, aml_gpe_fn fn, void *arg);

// After aml_init_namespace: finds the \_GPE._Lxx/_Exx methods and every
// device's _PRW, and enables each GPE that has a method and is not a wake
// GPE (ACPI 6.5, 5.6.4.1). Methods for GPEs in no block are reported.
// Returns the number of GPEs enabled (handlers included).
unsigned aml_ev_gpe_scan(struct aml_events *ev);

// Handles what is pending: enabled fixed events (status cleared, then
// their handler), then enabled GPEs, each disabled while its handler or
// method runs. A GPE that fires with neither stays disabled and is
// reported. Returns the number of events handled; 0 means the SCI was not
// for us (or spurious).
unsigned aml_ev_dispatch(struct aml_events *ev);

void aml_ev_stats_get(struct aml_events *ev, struct aml_ev_stats *out);
// Whether gpe is enabled now (for tests and dumps).
bool aml_ev_gpe_enabled(struct aml_events *ev, unsigned gpe);

// ---- resources and PCI interrupt routing (resource.c)

enum aml_res_type {
	AML_RES_END,
	AML_RES_IRQ, // IRQ and Extended IRQ
	AML_RES_DMA, // DMA
	AML_RES_FIXED_DMA,
	AML_RES_IO,      // I/O and Fixed I/O
	AML_RES_MEMORY,  // 24-bit, 32-bit and fixed 32-bit memory ranges
	AML_RES_ADDRESS, // Word/DWord/QWord/Extended address spaces
	AML_RES_REGISTER,
	AML_RES_GPIO,
	AML_RES_SERIAL, // I2C, SPI, UART serial bus connections
	AML_RES_START_DEP,
	AML_RES_END_DEP,
	AML_RES_VENDOR,
	AML_RES_OTHER,
};

#define AML_RES_MAX_IRQ 16 // interrupts kept of an Extended IRQ list
#define AML_SERIAL_I2C 1
#define AML_SERIAL_SPI 2
#define AML_SERIAL_UART 3

struct aml_resource {
	enum aml_res_type type;
	uint8_t tag;          // small: type nibble; large: the tag byte
	uint8_t source_index; // ResourceSource, if any
	const char *source;   // NUL-terminated, points into the buffer
	union {
		struct {
			uint32_t count; // all listed (list keeps the first 16)
			uint32_t list[AML_RES_MAX_IRQ];
			bool extended, consumer, edge, active_low, shared, wake;
		} irq;
		struct {
			uint8_t mask, flags, width;
			uint16_t request, channel;
		} dma;
		struct {
			uint16_t min, max;
			uint8_t align, len;
			bool decode16, fixed;
		} io;
		struct {
			uint64_t min, max, align, len;
			bool fixed, writable;
		} mem;
		struct {
			uint8_t width; // 16, 32, 64; 0 for Extended
			uint8_t space; // 0 memory, 1 I/O, 2 bus numbers
			uint8_t type_flags;
			bool producer, subtractive, min_fixed, max_fixed;
			uint64_t gran, min, max, translation, len, attrib;
		} addr;
		struct {
			uint8_t space, bit_width, bit_offset, access;
			uint64_t addr;
		} reg;
		struct {
			bool io, consumer;
			uint8_t pull;
			uint16_t flags, drive, debounce, npins;
			const uint8_t *pins; // npins little-endian u16
			const uint8_t *vendor;
			uint16_t vendor_len;
		} gpio;
		struct {
			uint8_t bus, data_bits;
			bool consumer, slave_mode;
			uint16_t type_flags, address;
			uint32_t speed;
		} serial;
		struct {
			const uint8_t *data;
			uint32_t len;
		} vendor;
	};
};

// Decodes the descriptor at *off of a resource template and advances *off.
// Returns E_NOENT at the End Tag (or the buffer's end), E_CORRUPT for a
// descriptor that does not fit or is too short for its type.
__must_check err_t aml_res_next(const uint8_t *buf, size_t len, size_t *off,
                                struct aml_resource *r);
uint32_t aml_res_gpio_pin(const struct aml_resource *r, unsigned i);
// One line of text ("IO 0x3f8-0x3f8 len 0x8 fixed"); returns its length.
size_t aml_res_format(const struct aml_resource *r, char *buf, size_t size);

#define AML_PRT_PATH 128
struct aml_prt_entry {
	uint32_t dev; // PCI device number
	uint8_t pin;  // 0 INTA .. 3 INTD
	uint32_t gsi; // UINT32_MAX: link device without a current IRQ
	bool edge, active_low;
	char link[AML_PRT_PATH]; // link device path, "" for a fixed GSI
};

// Evaluates bridge._PRT and calls fn for each entry, link devices resolved
// to their current IRQ (_CRS). E_NOENT without a _PRT.
__must_check err_t aml_prt_walk(struct aml_ctx *ctx, const char *bridge,
                                bool (*fn)(void *arg,
                                           const struct aml_prt_entry *e),
                                void *arg);

void aml_stats_get(struct aml_ctx *ctx, struct aml_stats *out);

const char *aml_type_name(enum aml_type t);
