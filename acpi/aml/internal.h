// SPDX-License-Identifier: MIT
// Internal structures shared by the interpreter's files. Nothing here is
// part of the public interface (acpi/aml/aml.h).
//
// Ownership in one paragraph: a struct aml_value owns one reference on its
// object. Namespace nodes own their value. Nodes are counted too: the
// namespace holds one reference, references (RefOf/CondRefOf) and resolved
// names inside packages hold one each. Transient node pointers inside
// operator states hold none: a node can only disappear when the method that
// created it returns, and that frame's states are gone by then.
#pragma once

#include <acpi/aml/aml.h>
#include <lib/err.h>

#define AML_NAMESEG_ROOT 0x5f5f5f5c // "\___" for the root node

// ---- objects ----------------------------------------------------------

enum aml_ref_kind {
	AML_REF_NODE,  // RefOf(Name): node
	AML_REF_INDEX, // Index(): element `index` of obj (pkg/buffer/str)
	AML_REF_LOCAL, // RefOf(LocalX/ArgX): slot `index` (0-7 Local, 8-14
	               // Arg) of frame `frame`, valid while its gen matches
};

enum aml_field_kind { AML_FK_FIELD, AML_FK_INDEX, AML_FK_BANK };

struct aml_table;

struct aml_obj {
	// Every live object of the context, so aml_destroy frees those kept
	// alive only by a cycle of references (counts never free them).
	struct aml_obj *all_prev, *all_next;
	uint32_t refcnt;
	uint8_t type;  // enum aml_type (STRING .. BUFFER_FIELD, REFERENCE)
	uint32_t size; // bytes allocated for this object, header included
	union {
		struct {
			uint32_t len;  // strings: without the NUL
			uint8_t *data; // points into this allocation
		} buf;
		struct {
			uint32_t count;
			struct aml_value *elems; // into this allocation
		} pkg;
		struct {
			const uint8_t *code;
			uint32_t len;
			uint8_t flags;  // ArgCount 0-2, Serialized 3, Sync 4-7
			uint8_t native; // built-in (_OSI): AML_NATIVE_*
			bool int64;
			struct aml_node *node;
			uint32_t depth; // serialisation: nested acquisitions
			int32_t owner;  // frame index holding it, or -1
		} method;
		struct {
			uint8_t sync;
			uint32_t depth; // stand-in only
			int32_t owner;  // frame index, -1 free
			void *host;     // host.sync_new's, or NULL
		} mutex;
		struct {
			uint64_t count; // stand-in only
			void *host;     // host.sync_new's, or NULL
		} event;
		struct {
			uint8_t space;
			uint64_t base, len;
			// The name holding it; not counted: cleared when that
			// name lets go of it (aml_node_val_put), NULL then.
			struct aml_node *node;
			const uint8_t *tdata; // DataTableRegion: the table
			bool reg_done;        // _REG(space, 1) has run
			bool pci_valid;       // pci address below resolved
			uint16_t pci_seg;
			uint8_t pci_bus, pci_dev, pci_fn;
		} region;
		struct {
			uint8_t kind;   // enum aml_field_kind
			uint8_t flags;  // AccessType 0-3, Lock 4, Update 5-6
			uint8_t access; // bytes per access (1,2,4,8)
			uint8_t attrib;
			uint8_t access_len; // ExtendedAccessField AccessLength
			uint32_t bit_off, bit_len;
			// ConnectField: a resource template in the AML (conn,
			// conn_len) or a NameString naming a Buffer (conn_name)
			const uint8_t *conn, *conn_name;
			uint32_t conn_len;
			// Counted objects, not names: a CopyObject over the
			// region's or a register's name leaves the field on
			// the objects it was declared over (as uACPI does).
			struct aml_obj *region; // FIELD, BANK: the region
			struct aml_obj *index;  // INDEX: index register unit
			struct aml_obj *data;   // INDEX: data register unit
			struct aml_obj *bank;   // BANK: bank register unit
			uint64_t bank_val;
		} field;
		struct {
			struct aml_obj *buf; // counted
			uint32_t bit_off, bit_len;
		} bfield;
		struct {
			uint8_t kind;          // enum aml_ref_kind
			struct aml_node *node; // counted (REF_NODE)
			struct aml_obj *obj;   // counted (REF_INDEX)
			uint32_t index;
			uint32_t frame, gen; // REF_LOCAL: no count held
			// REF_LOCAL: on its frame's list (struct aml_frame
			// lrefs), so the frame's end can move the variable
			// into a heap cell the reference then designates.
			struct aml_obj *lnext, **lpprev;
		} ref;
		struct {
			uint8_t id, pblk_len;
			uint32_t pblk;
		} proc;
		struct {
			uint8_t level;
			uint16_t order;
		} power;
	};
};

// ---- namespace ---------------------------------------------------------

struct aml_node {
	uint32_t name;   // the 4 NameSeg bytes, little-endian as in AML
	uint32_t refcnt; // namespace link + references (see top)
	struct aml_node *parent;
	struct aml_node *child, *last_child; // creation order
	struct aml_node *prev, *next;        // siblings
	struct aml_node *hnext;              // hash chain
	struct aml_node *temp_next;          // frame's temporary names
	struct aml_value val;
	uint16_t owner; // table that created it (index + 1); 0: none
	bool dead;      // unlinked from the namespace, awaiting last put
};

struct aml_ns {
	struct aml_node *root;
	struct aml_node **hash;
	uint32_t hash_mask; // buckets - 1 (power of two)
	uint32_t count;
};

// ---- execution state ----------------------------------------------------

struct aml_opdesc;

// One pending operator: its operands so far and where its encoding ends.
struct aml_op {
	const struct aml_opdesc *desc;
	const char *spec;        // the next operand kind to collect
	const uint8_t *start;    // the opcode byte (for messages)
	const uint8_t *end;      // end of the PkgLength, if the op has one
	const uint8_t *mark;     // position just after the PkgLength
	const uint8_t *names[2]; // raw NameStrings ('N' operands)
	uint64_t imm[3];         // 'b' 'w' 'd' operands in order
	struct aml_value val[7];
	struct aml_node *call; // method being called (desc == call)
	// ... and its object (counted), taken when the call is decoded: the
	// arguments' evaluation may replace the name (CopyObject), and the
	// argument count already decoded belongs to this object.
	struct aml_obj *callee;
	struct aml_obj *pkg; // Package under construction
	uint32_t pkg_idx;
	uint8_t nval, nimm, nname;
	bool want_ref; // SuperName context: Index/DerefOf yield references
	bool waiting;  // call made, waiting for the callee to return
};

enum aml_blk_kind { AML_BLK_SCOPE, AML_BLK_IF, AML_BLK_ELSE, AML_BLK_WHILE };

struct aml_block {
	uint8_t kind;
	const uint8_t *end;
	const uint8_t *pred;         // WHILE: predicate position
	struct aml_node *prev_scope; // SCOPE: scope to restore at the end
	uint64_t deadline;           // WHILE: timer_100ns value
};

struct aml_frame {
	struct aml_node *method; // NULL for table-level code
	struct aml_obj *mobj;    // method object (counted), or NULL
	const uint8_t *start, *end, *pc;
	struct aml_node *scope; // current scope (innermost Scope block)
	struct aml_value args[7], locals[8];
	uint32_t op_base, blk_base;
	struct aml_node *temps; // names this invocation created
	uint64_t ones;          // all-ones for the integer width
	uint32_t gen;           // ctx->frame_gen at push: REF_LOCAL validity
	struct aml_obj *lrefs;  // live REF_LOCAL references to its variables
	uint8_t sync_level;
	bool is_load;
};

// A definition block known to the interpreter: loaded at start-up, by
// Load/LoadTable (then `owned`: a copy the context frees at destroy) or
// unloaded again. Table memory is kept until aml_destroy: method objects
// point into it and may outlive an Unload.
struct aml_table {
	const uint8_t *data;
	uint32_t len;
	bool owned;  // allocated by the interpreter (Load from region/buffer)
	bool loaded; // its names are in the namespace
	bool reload; // same bytes as an earlier table: duplicates are quiet
};

struct aml_region_handler {
	aml_region_fn fn;
	void *arg;
	aml_bufacc_fn bfn; // buffer-access fields (aml_region_bufacc_add)
	void *barg;
};

struct aml_ctx {
	struct aml_host host;
	struct aml_options opt;
	struct aml_ns ns;
	struct aml_frame *frames;
	struct aml_op *ops;
	struct aml_block *blocks;
	uint32_t nframes, nops, nblocks;
	uint32_t frame_gen;      // frames pushed so far (struct aml_frame.gen)
	struct aml_value result; // return value of the base frame
	// The response of the last buffer-access field write: a Store's
	// result when its target was such a field (aml_op_store).
	struct aml_value field_ret;
	struct aml_region_handler handlers[256];
	struct aml_stats stats;
	uint32_t pci_depth; // nesting of _ADR/_BBN evaluation for PCI regions
	uint32_t reg_depth; // nesting of _REG runs for method-made regions
	const uint8_t *cur_table; // start of the table being loaded
	uint16_t cur_owner;       // its index + 1 (new nodes' owner)
	uint8_t load_depth;       // Load/LoadTable nesting (C recursion)
	struct aml_table *tables;
	uint32_t ntables, cap_tables;
	struct aml_node *ecdt_dev; // EC described by the ECDT, or NULL
	bool inited;               // aml_init_namespace has run
	bool destroying;
	struct aml_obj *objs; // every live object (struct aml_obj.all_next)
	// Objects whose count reached zero, waiting to release what they hold
	// and be freed (linked by all_next): aml_obj_put frees iteratively, so
	// packages nested without bound (each holding the next) cannot
	// overflow the stack. `freeing`: an aml_obj_put is draining the list.
	struct aml_obj *dying;
	bool freeing;
	// Work units left to the statement being run (aml_work): reset when
	// a statement starts (aml_stmt_step) and when an evaluation does
	// (aml_eval_node). `work_out`: this statement's budget ran out (the
	// error is reported once).
	uint32_t work;
	bool work_out;
	// Steps left to the top-level evaluation being run (aml_steps_reset,
	// opt.max_steps); `steps_out`: they ran out (reported once, and the
	// errors that follow in the same evaluation are its consequences).
	uint64_t steps;
	bool steps_out;
};

// ---- helpers across files -------------------------------------------------

void *aml_alloc(struct aml_ctx *ctx, size_t size);
void aml_free(struct aml_ctx *ctx, void *p, size_t size);
void aml_log(struct aml_ctx *ctx, int level, const char *fmt, ...)
    __printf_like(3, 4);
// Reports a firmware error (counted in stats.errors) naming the position.
void aml_error(struct aml_ctx *ctx, const uint8_t *pc, const char *fmt, ...)
    __printf_like(3, 4);
uint64_t aml_now(struct aml_ctx *ctx);
// The host lock around public entry points (no-ops without one).
void aml_ctx_lock(struct aml_ctx *ctx);
void aml_ctx_unlock(struct aml_ctx *ctx);

// Work one statement may do: package elements deep-copied plus field
// access units. Each unit is bounded work, so a statement is bounded too:
// without it `PKG0 [0] = PKG0` repeated doubles a copy per store, and an
// IndexField whose index register is a wide field costs the product of
// the two widths per write (the fuzz targets found both running for
// seconds). Far above what firmware does in one statement.
#define AML_STMT_WORK 16384u
// Charges n units to the current statement. Past its budget: reports an
// error naming `what` (once per statement) and returns E_NOSPC; the
// statement then fails as any failing statement does.
__must_check err_t aml_work(struct aml_ctx *ctx, uint64_t n, const char *what);
static inline void aml_work_reset(struct aml_ctx *ctx)
{
	ctx->work = AML_STMT_WORK;
	ctx->work_out = false;
}

// A top-level evaluation starts: a method the host evaluates with no AML
// running (aml_eval_node), each top-level statement of a table being
// loaded (aml_stmt_step). Nested evaluations (_REG, _ADR for PCI_Config,
// Load) share the budget of the one they run inside.
void aml_steps_reset(struct aml_ctx *ctx);
// The budget ran out: reports it once per evaluation, returns E_ABORT.
err_t aml_steps_out(struct aml_ctx *ctx);

// object.c
int aml_hexval(uint8_t c); // a hex digit's value, -1 for anything else
struct aml_obj *aml_obj_new(struct aml_ctx *ctx, uint8_t type, size_t extra);
struct aml_obj *aml_str_new(struct aml_ctx *ctx, const char *s, size_t len);
struct aml_obj *aml_buf_new(struct aml_ctx *ctx, const void *d, size_t len);
struct aml_obj *aml_pkg_new(struct aml_ctx *ctx, uint32_t count);
void aml_obj_get(struct aml_obj *o);
void aml_obj_put(struct aml_ctx *ctx, struct aml_obj *o);
void aml_obj_sweep(struct aml_ctx *ctx);
void aml_val_get(struct aml_value *v);
void aml_val_put(struct aml_ctx *ctx, struct aml_value *v);
void aml_val_move(struct aml_value *dst, struct aml_value *src);
static inline struct aml_value aml_int(uint64_t i)
{
	struct aml_value v = {.type = AML_INTEGER};
	v.i = i;
	return v;
}
// Types whose value holds a counted struct aml_obj in `o`.
#define AML_OBJ_TYPES                                                          \
	((1u << AML_STRING) | (1u << AML_BUFFER) | (1u << AML_PACKAGE) |       \
	 (1u << AML_FIELD_UNIT) | (1u << AML_EVENT) | (1u << AML_METHOD) |     \
	 (1u << AML_MUTEX) | (1u << AML_REGION) | (1u << AML_POWER_RES) |      \
	 (1u << AML_PROCESSOR) | (1u << AML_BUFFER_FIELD) |                    \
	 (1u << AML_REFERENCE))
static inline bool aml_is_obj_type(uint32_t t)
{
	return t < 32 && (AML_OBJ_TYPES & (1u << t));
}
__must_check err_t aml_val_copy(struct aml_ctx *ctx, struct aml_value *dst,
                                const struct aml_value *src);
__must_check err_t aml_to_int(struct aml_ctx *ctx, const struct aml_value *v,
                              uint64_t ones, bool explicit, uint64_t *out);
__must_check err_t aml_to_buf(struct aml_ctx *ctx, const struct aml_value *v,
                              uint64_t ones, struct aml_value *out);
enum { AML_STR_IMPLICIT, AML_STR_HEX, AML_STR_DEC };
__must_check err_t aml_to_str(struct aml_ctx *ctx, const struct aml_value *v,
                              uint64_t ones, int mode, struct aml_value *out);
// Compares a and b (converted to a's type): -1, 0, 1; E_INVAL if unordered.
__must_check err_t aml_compare(struct aml_ctx *ctx, const struct aml_value *a,
                               const struct aml_value *b, uint64_t ones,
                               int *out);
void aml_node_get(struct aml_node *n);
void aml_node_put(struct aml_ctx *ctx, struct aml_node *n);
// Releases a node's value; a region it held forgets the node.
void aml_node_val_put(struct aml_ctx *ctx, struct aml_node *n);
// Links / unlinks a REF_LOCAL reference on its frame's list.
void aml_lref_link(struct aml_frame *f, struct aml_obj *r);
void aml_lref_unlink(struct aml_obj *r);

// ns.c
__must_check err_t aml_ns_init(struct aml_ctx *ctx);
void aml_ns_fini(struct aml_ctx *ctx);
struct aml_node *aml_ns_child(struct aml_ctx *ctx, struct aml_node *parent,
                              uint32_t seg);
__must_check err_t aml_ns_add(struct aml_ctx *ctx, struct aml_node *parent,
                              uint32_t seg, struct aml_node **out);
void aml_ns_remove(struct aml_ctx *ctx, struct aml_node *n);
// The depth-first walk of the namespace, without recursion (every walker
// uses these two): the node after n's subtree, NULL at the end; *up (when
// not NULL) counts the levels climbed to reach it. aml_ns_next: n's first
// child when descend and n has one, else the node after n's subtree.
struct aml_node *aml_ns_after_subtree(struct aml_ctx *ctx, struct aml_node *n,
                                      unsigned *up);
struct aml_node *aml_ns_next(struct aml_ctx *ctx, struct aml_node *n,
                             bool descend);
// Parses a NameString at *pc (bounded by end); on success *pc moves past it.
struct aml_name {
	const uint8_t *segs; // nseg * 4 bytes
	uint32_t nseg;
	uint32_t up; // number of '^'
	bool root;   // leading '\'
};
__must_check err_t aml_name_parse(const uint8_t **pc, const uint8_t *end,
                                  struct aml_name *out);
// Lookup with the ACPI search rules (single segment, no prefix: walk up).
struct aml_node *aml_ns_lookup(struct aml_ctx *ctx, struct aml_node *scope,
                               const struct aml_name *nm);
// Finds the parent for a new name; *seg receives the final NameSeg.
struct aml_node *aml_ns_parent_for(struct aml_ctx *ctx, struct aml_node *scope,
                                   const struct aml_name *nm, uint32_t *seg);
struct aml_node *aml_ns_lookup_path(struct aml_ctx *ctx, struct aml_node *scope,
                                    const char *path);
struct aml_node *aml_node_follow(struct aml_node *n); // through aliases
// The host primitive behind a Mutex / Event object (ops.c).
void *aml_sync_host(struct aml_ctx *ctx, struct aml_obj *o, err_t *e);
size_t aml_node_path(const struct aml_node *n, char *buf, size_t size);
void aml_name_str(const struct aml_name *nm, char *buf, size_t size);

// field.c
// Whether a space's fields go through the buffer protocol, and whether a
// handler (either kind) serves the space.
bool aml_space_bufacc(uint8_t space);
bool aml_space_handled(struct aml_ctx *ctx, uint8_t space);
bool aml_field_is_bufacc(const struct aml_obj *fu);
__must_check err_t aml_field_read(struct aml_ctx *ctx, struct aml_node *node,
                                  uint64_t ones, struct aml_value *out);
__must_check err_t aml_field_write(struct aml_ctx *ctx, struct aml_node *node,
                                   const struct aml_value *v, uint64_t ones);
__must_check err_t aml_bfield_read(struct aml_ctx *ctx, struct aml_obj *bf,
                                   uint64_t ones, struct aml_value *out);
__must_check err_t aml_bfield_write(struct aml_ctx *ctx, struct aml_obj *bf,
                                    const struct aml_value *v, uint64_t ones);
// Parses a FieldList (Field, IndexField, BankField) and creates the units.
__must_check err_t aml_field_list(struct aml_ctx *ctx, struct aml_frame *f,
                                  const uint8_t *p, const uint8_t *end,
                                  const struct aml_obj *tmpl);

// interp.c
__must_check err_t aml_run(struct aml_ctx *ctx, uint32_t base);
__must_check err_t aml_exec_table(struct aml_ctx *ctx, const uint8_t *code,
                                  size_t len, bool int64,
                                  struct aml_node *scope);
// Runs method object m under the name `method` (scope, messages).
__must_check err_t aml_frame_push(struct aml_ctx *ctx, struct aml_node *method,
                                  struct aml_obj *m, struct aml_value *args,
                                  unsigned nargs);
__must_check err_t aml_eval_node(struct aml_ctx *ctx, struct aml_node *n,
                                 struct aml_value *args, unsigned nargs,
                                 struct aml_value *out);
__must_check err_t aml_store(struct aml_ctx *ctx, struct aml_frame *f,
                             const struct aml_value *target,
                             struct aml_value *v);
__must_check err_t aml_target_read(struct aml_ctx *ctx, struct aml_frame *f,
                                   const struct aml_value *target,
                                   struct aml_value *out);
__must_check err_t aml_node_value(struct aml_ctx *ctx, struct aml_frame *f,
                                  struct aml_node *n, struct aml_value *out);
void aml_node_created(struct aml_ctx *ctx, struct aml_frame *f,
                      struct aml_node *n);
__must_check err_t aml_block_push(struct aml_ctx *ctx, struct aml_frame *f,
                                  uint8_t kind, const uint8_t *end);
__must_check err_t aml_method_return(struct aml_ctx *ctx,
                                     struct aml_value *ret);
void aml_block_pop(struct aml_ctx *ctx, struct aml_frame *f);

// control.c
err_t aml_op_call(struct aml_ctx *ctx, struct aml_frame *f, struct aml_op *op,
                  struct aml_value *res);
extern const struct aml_opdesc aml_while_pred_desc;

// ops.c / ops_ns.c
typedef err_t (*aml_op_fn)(struct aml_ctx *ctx, struct aml_frame *f,
                           struct aml_op *op, struct aml_value *res);
struct aml_opdesc {
	uint16_t code;
	const char *name;
	// Operand kinds, collected left to right:
	//   p PkgLength   N NameString   b/w/d byte/word/dword data
	//   T TermArg     S SuperName    R Target (may be NullName)
	//   O SuperName that may not exist and is not called (CondRefOf)
	//   E package elements up to the PkgLength end
	const char *spec;
	aml_op_fn fn;
};
const struct aml_opdesc *aml_opdesc_find(uint16_t code);
extern const struct aml_opdesc aml_call_desc[8];
__must_check err_t aml_do_create(struct aml_ctx *ctx, struct aml_frame *f,
                                 const uint8_t *name, uint8_t type,
                                 struct aml_obj *obj, struct aml_node **out);

// Decodes a PkgLength at *p; returns its value (0 and *p unchanged when it
// is truncated or malformed: *ok false).
uint32_t aml_pkglen(const uint8_t **p, const uint8_t *end, bool *ok);

// table.c
// Registers and runs one definition block (header checked by the caller)
// with names created under scope; *index receives its table index, or
// UINT32_MAX when it could not be registered (then nothing ran).
__must_check err_t aml_table_run(struct aml_ctx *ctx, const uint8_t *t,
                                 uint32_t len, bool owned,
                                 struct aml_node *scope, uint32_t *index);
void aml_tables_free(struct aml_ctx *ctx);
err_t aml_op_load(struct aml_ctx *ctx, struct aml_frame *f, struct aml_op *op,
                  struct aml_value *res);
err_t aml_op_loadtable(struct aml_ctx *ctx, struct aml_frame *f,
                       struct aml_op *op, struct aml_value *res);
err_t aml_op_unload(struct aml_ctx *ctx, struct aml_frame *f, struct aml_op *op,
                    struct aml_value *res);
// Finds a firmware table through host->table_get; NULL if none matches.
const uint8_t *aml_table_find(struct aml_ctx *ctx, const char *sig,
                              const char *oemid, const char *oemtab,
                              size_t *len);
// Reads len bytes of a region (1-byte accesses) into buf.
__must_check err_t aml_region_read_bytes(struct aml_ctx *ctx,
                                         struct aml_node *rn, uint64_t off,
                                         uint32_t len, uint8_t *buf);
// _REG(space, 1) for regions not yet connected: all of them (space < 0)
// or those of one space.
void aml_reg_connect(struct aml_ctx *ctx, int space, bool builtin);
// _REG(space, 1) (connect) or _REG(space, 0) for one region a method
// created, when its space needs _REG (not memory, I/O or a DataTable).
void aml_reg_region(struct aml_ctx *ctx, struct aml_node *rn, bool connect);
// Whether regions of a space get _REG calls at all.
bool aml_space_has_reg(uint8_t space);
// _REG(space, 1) for dev's regions of that space, if not done yet.
void aml_reg_connect_dev(struct aml_ctx *ctx, struct aml_node *dev,
                         uint8_t space);

// api.c: the _STA/_INI walk (see there).
void aml_dev_init_walk(struct aml_ctx *ctx, struct aml_node *skip,
                       uint16_t owner);

// osi.c
bool aml_osi_supported(const char *s, size_t len);

#define AML_NATIVE_OSI 1
#define AML_OP_DONE 1      // handler already disposed of its op state
#define AML_OP_EXT 0x100   // 0x5B-prefixed opcodes
#define AML_OP_LNOT2 0x200 // 0x92 0x93..0x95 combinations
