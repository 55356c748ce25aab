// SPDX-License-Identifier: MIT
// rt-app JSON into struct workload (workload/rtapp.h). Two passes over the
// JSON tree: task names first (a "fork" may name a task defined later),
// then each task's keys and events. Every key is matched against a table;
// an unknown one stops the parse with its name and place. No locks.
#include <string.h>
#include <lib/err.h>
#include <lib/format.h>
#include <mm/heap.h>
#include <workload/json.h>
#include <workload/rtapp.h>

struct wp {
	struct workload *w;
	struct wl_error *e;
	const char *task; // for messages
	const char *phase;
};

static bool wp_fail(struct wp *p, const struct json *at, const char *fmt, ...)
    __printf_like(3, 4);
static bool wp_fail(struct wp *p, const struct json *at, const char *fmt, ...)
{
	char what[140];
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	p->e->line = at ? at->line : 0;
	p->e->col = at ? at->col : 0;
	if (p->task)
		n = ksnprintf(p->e->msg, sizeof(p->e->msg),
		              "task \"%s\"%s%s%s: ", p->task,
		              p->phase ? ", phase \"" : "",
		              p->phase ? p->phase : "", p->phase ? "\"" : "");
	if (n < 0 || (size_t)n >= sizeof(p->e->msg))
		n = 0;
	ksnprintf(p->e->msg + n, sizeof(p->e->msg) - (size_t)n, "%s", what);
	return false;
}

// The same, placed at m's member name (an unknown or refused key).
#define wp_fail_key(p, m, ...)                                                 \
	(wp_fail((p), (m), __VA_ARGS__), (p)->e->line = (m)->kline,            \
	 (p)->e->col = (m)->kcol, false)

static bool wp_want(struct wp *p, const struct json *j, enum json_type t,
                    const char *key)
{
	if (j->type == t)
		return true;
	return wp_fail(p, j, "\"%s\" must be %s, not %s", key,
	               json_type_name(t), json_type_name(j->type));
}

static bool wp_int(struct wp *p, const struct json *j, const char *key,
                   int64_t lo, int64_t hi, int64_t *out)
{
	if (!wp_want(p, j, JSON_NUMBER, key))
		return false;
	if (!j->integral)
		return wp_fail(p, j, "\"%s\" must be a whole number", key);
	if (j->num < lo || j->num > hi)
		return wp_fail(p, j, "\"%s\" is %lld, outside %lld..%lld", key,
		               (long long)j->num, (long long)lo, (long long)hi);
	*out = j->num;
	return true;
}

// Microseconds (rt-app's unit, fractions allowed) to ns; 0 .. ~2.5 hours.
static bool wp_usec(struct wp *p, const struct json *j, const char *key,
                    uint64_t *ns)
{
	if (!wp_want(p, j, JSON_NUMBER, key))
		return false;
	if (j->micro < 0 || j->num > 10000000000ll)
		return wp_fail(p, j, "\"%s\" must be 0 .. 1e10 microseconds",
		               key);
	*ns = (uint64_t)j->micro / 1000;
	return true;
}

static bool wp_name(struct wp *p, const struct json *at, const char *s,
                    char *out)
{
	size_t n = strlen(s);

	if (!n || n >= WL_NAME_MAX)
		return wp_fail(p, at,
		               "name \"%.40s\" is empty or longer than "
		               "%u characters",
		               s, WL_NAME_MAX - 1);
	memcpy(out, s, n + 1);
	return true;
}

static const char *const kind_names[] = {"mutex", "condition", "barrier",
                                         "timer", "suspend/resume event"};

// The resource named s of kind k (added on first use).
static bool wp_res(struct wp *p, const struct json *at, const char *s,
                   unsigned k, uint16_t *out)
{
	struct workload *w = p->w;
	unsigned i;

	for (i = 0; i < w->nres; i++)
		if (!strcmp(w->res[i].name, s))
			break;
	if (i < w->nres && w->res[i].kind != k)
		return wp_fail(p, at,
		               "resource \"%s\" used as a %s and as a %s", s,
		               kind_names[w->res[i].kind], kind_names[k]);
	if (i == w->nres) {
		if (w->nres == WL_MAX_RESOURCES)
			return wp_fail(p, at, "more than %u resources",
			               WL_MAX_RESOURCES);
		if (!wp_name(p, at, s, w->res[i].name))
			return false;
		w->res[i].kind = (uint8_t)k;
		w->nres++;
	}
	*out = (uint16_t)i;
	return true;
}

static bool wp_res_str(struct wp *p, const struct json *j, const char *key,
                       unsigned kind, uint16_t *out)
{
	return wp_want(p, j, JSON_STRING, key) &&
	       wp_res(p, j, j->str, kind, out);
}

// {"ref": cond, "mutex": m} of "wait" and "sync".
static bool wp_wait_obj(struct wp *p, const struct json *j, const char *key,
                        struct wl_event *ev)
{
	const struct json *ref = json_get(j, "ref"), *mx = json_get(j, "mutex");

	if (!wp_want(p, j, JSON_OBJECT, key))
		return false;
	for (const struct json *m = j->child; m; m = m->next)
		if (strcmp(m->key, "ref") && strcmp(m->key, "mutex"))
			return wp_fail_key(p, m, "unknown key \"%s\" in \"%s\"",
			                   m->key, key);
	if (!ref || !mx)
		return wp_fail(p, j, "\"%s\" needs \"ref\" and \"mutex\"", key);
	return wp_res_str(p, ref, "ref", WL_RES_COND, &ev->res) &&
	       wp_res_str(p, mx, "mutex", WL_RES_MUTEX, &ev->res2);
}

// {"ref": name, "period": us, "mode": "relative" | "absolute"}.
static bool wp_timer(struct wp *p, const struct json *j, struct wl_event *ev)
{
	const struct json *ref = json_get(j, "ref"),
			  *per = json_get(j, "period");
	const struct json *mode = json_get(j, "mode");

	if (!wp_want(p, j, JSON_OBJECT, "timer"))
		return false;
	for (const struct json *m = j->child; m; m = m->next)
		if (strcmp(m->key, "ref") && strcmp(m->key, "period") &&
		    strcmp(m->key, "mode"))
			return wp_fail_key(p, m,
			                   "unknown key \"%s\" in "
			                   "\"timer\"",
			                   m->key);
	if (!ref || !per)
		return wp_fail(p, j, "\"timer\" needs \"ref\" and \"period\"");
	if (mode &&
	    (!wp_want(p, mode, JSON_STRING, "mode") ||
	     (strcmp(mode->str, "relative") && strcmp(mode->str, "absolute"))))
		return wp_fail(p, mode,
		               "timer \"mode\" must be \"relative\" "
		               "or \"absolute\"");
	ev->absolute = mode && !strcmp(mode->str, "absolute");
	if (!wp_res_str(p, ref, "ref", WL_RES_TIMER, &ev->res) ||
	    !wp_usec(p, per, "period", &ev->ns))
		return false;
	if (!ev->ns)
		return wp_fail(p, per, "timer \"period\" must not be 0");
	return true;
}

static bool wp_fork(struct wp *p, const struct json *j, struct wl_event *ev)
{
	if (!wp_want(p, j, JSON_STRING, "fork"))
		return false;
	for (unsigned i = 0; i < p->w->ntasks; i++)
		if (!strcmp(p->w->task[i].name, j->str)) {
			ev->task = (uint16_t)i;
			return true;
		}
	return wp_fail(p, j, "\"fork\" names no task: \"%.60s\"", j->str);
}

static bool wp_cpus(struct wp *p, const struct json *j, struct cpumask *cpus,
                    bool *has);

// Event names, longest first where one is a prefix of another: a key
// names an event when it starts with the name ("run0", "sleep_2").
static const struct {
	const char *name;
	uint8_t type;
} event_keys[] = {
    {"runtime", WL_RUNTIME}, {"run", WL_RUN},         {"sleep", WL_SLEEP},
    {"timer", WL_TIMER},     {"barrier", WL_BARRIER}, {"unlock", WL_UNLOCK},
    {"lock", WL_LOCK},       {"wait", WL_WAIT},       {"signal", WL_SIGNAL},
    {"broad", WL_BROAD},     {"sync", WL_SYNC},       {"suspend", WL_SUSPEND},
    {"resume", WL_RESUME},   {"fork", WL_FORK},       {"yield", WL_YIELD},
};

const char *wl_event_name(unsigned type)
{
	for (unsigned i = 0; i < ARRAY_SIZE(event_keys); i++)
		if (event_keys[i].type == type)
			return event_keys[i].name;
	return "?";
}

static int event_type(const char *key)
{
	for (unsigned i = 0; i < ARRAY_SIZE(event_keys); i++)
		if (!strncmp(key, event_keys[i].name,
		             strlen(event_keys[i].name)))
			return event_keys[i].type;
	return -1;
}

// Keys rt-app knows whose meaning Cairn does not model: named as such.
static bool wp_unknown(struct wp *p, const struct json *m)
{
	static const char *const unsupported[] = {
	    "mem",         "iorun",     "dl-runtime", "dl-period",
	    "dl-deadline", "taskgroup", "util_min",   "util_max"};

	for (unsigned i = 0; i < ARRAY_SIZE(unsupported); i++)
		if (!strncmp(m->key, unsupported[i], strlen(unsupported[i])))
			return wp_fail_key(p, m,
			                   "rt-app key \"%s\" is not "
			                   "supported by Cairn "
			                   "(docs/research.md)",
			                   m->key);
	return wp_fail_key(p, m, "unknown key \"%s\"", m->key);
}

static bool wp_event(struct wp *p, const struct json *j, unsigned type,
                     struct wl_event *ev)
{
	ev->type = (uint8_t)type;
	ev->line = j->line;
	switch (type) {
	case WL_RUN:
	case WL_RUNTIME:
	case WL_SLEEP: return wp_usec(p, j, j->key, &ev->ns);
	case WL_TIMER: return wp_timer(p, j, ev);
	case WL_BARRIER:
		return wp_res_str(p, j, j->key, WL_RES_BARRIER, &ev->res);
	case WL_LOCK:
	case WL_UNLOCK: return wp_res_str(p, j, j->key, WL_RES_MUTEX, &ev->res);
	case WL_WAIT:
	case WL_SYNC: return wp_wait_obj(p, j, j->key, ev);
	case WL_SIGNAL:
	case WL_BROAD: return wp_res_str(p, j, j->key, WL_RES_COND, &ev->res);
	case WL_SUSPEND:
	case WL_RESUME: return wp_res_str(p, j, j->key, WL_RES_EVENT, &ev->res);
	case WL_FORK: return wp_fork(p, j, ev);
	default: // WL_YIELD: the value is not used
		return true;
	}
}

// A phase: its events in file order, plus "loop". other() names the keys
// the caller handles (a task without "phases" is one phase: then "loop"
// is the task's and other is task_key).
static bool wp_phase(struct wp *p, const struct json *o, struct wl_phase *ph,
                     bool (*other)(const char *key))
{
	int64_t loop = 1;

	ph->ev = kzalloc(WL_MAX_EVENTS * sizeof(*ph->ev));
	if (!ph->ev)
		return wp_fail(p, o, "out of memory");
	for (const struct json *m = o->child; m; m = m->next) {
		int t = event_type(m->key);

		if (!strcmp(m->key, "loop")) {
			if (other) // the task's own loop (wp_task)
				continue;
			if (!wp_int(p, m, "loop", 1, 1ll << 40, &loop))
				return false;
			continue;
		}
		if (other && other(m->key))
			continue;
		if (!other && !strcmp(m->key, "cpus")) {
			if (!wp_cpus(p, m, &ph->cpus, &ph->has_cpus))
				return false;
			continue;
		}
		if (t < 0)
			return wp_unknown(p, m);
		if (ph->nev == WL_MAX_EVENTS)
			return wp_fail(p, m, "more than %u events in a phase",
			               WL_MAX_EVENTS);
		if (!wp_event(p, m, (unsigned)t, &ph->ev[ph->nev++]))
			return false;
	}
	ph->loop = loop;
	if (!ph->nev)
		return wp_fail(p, o, "no events");
	return true;
}

static bool wp_policy(struct wp *p, const struct json *j, uint8_t *out)
{
	static const char *const names[] = {"SCHED_OTHER", "SCHED_FIFO",
	                                    "SCHED_RR"};

	if (!wp_want(p, j, JSON_STRING, "policy"))
		return false;
	for (unsigned i = 0; i < 3; i++)
		if (!strcmp(j->str, names[i])) {
			*out = (uint8_t)i;
			return true;
		}
	return wp_fail(p, j,
	               "policy \"%.40s\" is not supported (SCHED_OTHER, "
	               "SCHED_FIFO, SCHED_RR)",
	               j->str);
}

static bool wp_cpus(struct wp *p, const struct json *j, struct cpumask *cpus,
                    bool *has)
{
	if (!wp_want(p, j, JSON_ARRAY, "cpus"))
		return false;
	if (!j->count)
		return wp_fail(p, j, "\"cpus\" is empty");
	for (const struct json *c = j->child; c; c = c->next) {
		int64_t v;

		if (!wp_int(p, c, "cpus", 0, MAX_CPUS - 1, &v))
			return false;
		cpumask_set(cpus, (unsigned)v);
		if ((unsigned)v + 1 > p->w->max_cpu)
			p->w->max_cpu = (unsigned)v + 1;
	}
	*has = true;
	return true;
}

// Task keys besides events; the rest of rt-app's task keys are refused.
static bool task_key(const char *k)
{
	static const char *const keys[] = {"instance",     "policy", "priority",
	                                   "cpus",         "delay",  "phases",
	                                   "nodes_membind"};

	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

static bool wp_task_attr(struct wp *p, const struct json *m, struct wl_task *t,
                         int64_t *prio)
{
	int64_t v;

	if (!strcmp(m->key, "instance")) {
		if (!wp_int(p, m, "instance", 0, WL_MAX_THREADS, &v))
			return false;
		t->instances = (unsigned)v;
	} else if (!strcmp(m->key, "policy")) {
		return wp_policy(p, m, &t->policy);
	} else if (!strcmp(m->key, "priority")) {
		return wp_int(p, m, "priority", -20, 99, prio);
	} else if (!strcmp(m->key, "cpus")) {
		return wp_cpus(p, m, &t->cpus, &t->has_cpus);
	} else if (!strcmp(m->key, "delay")) {
		return wp_usec(p, m, "delay", &t->delay_ns);
	} else if (!strcmp(m->key, "nodes_membind")) {
		// One node: the task's memory (and remote-access cost) home.
		const struct json *n =
		    m->type == JSON_ARRAY && m->count == 1 ? m->child : m;

		if (!wp_int(p, n, "nodes_membind", 0, 63, &v))
			return false;
		t->mem_node = (int)v;
	}
	return true;
}

static bool wp_priority(struct wp *p, const struct json *at, struct wl_task *t,
                        int64_t prio, bool have)
{
	if (t->policy == WL_SCHED_OTHER) {
		if (prio < -20 || prio > 19)
			return wp_fail(p, at,
			               "SCHED_OTHER \"priority\" (nice) "
			               "must be -20..19");
		t->nice = (int)prio;
		return true;
	}
	if (!have)
		prio = 10; // rt-app's default real-time priority
	if (prio < 1 || prio > 99)
		return wp_fail(p, at, "real-time \"priority\" must be 1..99");
	t->rt_prio = (unsigned)prio;
	return true;
}

static bool wp_phases(struct wp *p, const struct json *ph, struct wl_task *t)
{
	if (!wp_want(p, ph, JSON_OBJECT, "phases"))
		return false;
	if (!ph->count || ph->count > WL_MAX_PHASES)
		return wp_fail(p, ph, "\"phases\" must hold 1..%u phases",
		               WL_MAX_PHASES);
	t->ph = kzalloc(ph->count * sizeof(*t->ph));
	if (!t->ph)
		return wp_fail(p, ph, "out of memory");
	for (const struct json *m = ph->child; m; m = m->next) {
		p->phase = m->key;
		if (!wp_want(p, m, JSON_OBJECT, m->key) ||
		    !wp_phase(p, m, &t->ph[t->nph++], NULL))
			return false;
	}
	p->phase = NULL;
	return true;
}

static bool wp_task(struct wp *p, const struct json *o, struct wl_task *t)
{
	const struct json *ph = json_get(o, "phases"), *pr = NULL;
	int64_t prio = 0, loop = WL_LOOP_FOREVER;

	p->task = t->name;
	t->instances = 1;
	t->policy = p->w->default_policy;
	t->mem_node = -1;
	if (!wp_want(p, o, JSON_OBJECT, o->key))
		return false;
	for (const struct json *m = o->child; m; m = m->next) {
		if (!strcmp(m->key, "priority"))
			pr = m;
		if (!strcmp(m->key, "loop") &&
		    !wp_int(p, m, "loop", -1, 1ll << 40, &loop))
			return false;
		if (task_key(m->key) && !wp_task_attr(p, m, t, &prio))
			return false;
	}
	if (!loop || loop < -1)
		return wp_fail(p, json_get(o, "loop"),
		               "\"loop\" must be -1 "
		               "(forever) or >= 1");
	t->loop = loop;
	if (!wp_priority(p, pr ? pr : o, t, prio, pr != NULL))
		return false;
	if (ph) {
		for (const struct json *m = o->child; m; m = m->next)
			if (!task_key(m->key) && strcmp(m->key, "loop"))
				return event_type(m->key) >= 0
				           ? wp_fail(p, m,
				                     "event \"%s\" outside "
				                     "\"phases\"",
				                     m->key)
				           : wp_unknown(p, m);
		return wp_phases(p, ph, t);
	}
	t->ph = kzalloc(sizeof(*t->ph));
	if (!t->ph)
		return wp_fail(p, o, "out of memory");
	t->nph = 1;
	// Without "phases" the task's "loop" is the phase list's loop.
	return wp_phase(p, o, &t->ph[0], task_key);
}

// "global": the keys rt-app documents. Those for rt-app's own logging,
// calibration and Linux memory or tracing set-up have no meaning here;
// they are accepted (docs/research.md lists them) but not used.
static bool wp_global(struct wp *p, const struct json *g)
{
	static const char *const ignored[] = {
	    "calibration",  "pi_enabled",      "lock_pages",       "logdir",
	    "log_basename", "log_size",        "ftrace",           "gnuplot",
	    "io_device",    "mem_buffer_size", "cumulative_slack", "frag"};

	if (!wp_want(p, g, JSON_OBJECT, "global"))
		return false;
	for (const struct json *m = g->child; m; m = m->next) {
		bool known = false;
		int64_t v;

		for (unsigned i = 0; i < ARRAY_SIZE(ignored); i++)
			known |= !strcmp(m->key, ignored[i]);
		if (known)
			continue;
		if (!strcmp(m->key, "duration")) {
			if (!wp_int(p, m, "duration", -1, 1000000, &v))
				return false;
			p->w->duration_ns = v < 0 ? -1 : v * 1000000000ll;
		} else if (!strcmp(m->key, "default_policy")) {
			if (!wp_policy(p, m, &p->w->default_policy))
				return false;
		} else {
			return wp_fail_key(p, m,
			                   "unknown key \"%s\" in "
			                   "\"global\"",
			                   m->key);
		}
	}
	return true;
}

static bool wp_tasks(struct wp *p, const struct json *ts)
{
	struct workload *w = p->w;
	unsigned threads = 0;

	if (!wp_want(p, ts, JSON_OBJECT, "tasks"))
		return false;
	if (!ts->count || ts->count > WL_MAX_TASKS)
		return wp_fail(p, ts, "\"tasks\" must hold 1..%u tasks",
		               WL_MAX_TASKS);
	w->task = kzalloc(ts->count * sizeof(*w->task));
	if (!w->task)
		return wp_fail(p, ts, "out of memory");
	for (const struct json *m = ts->child; m; m = m->next) {
		for (unsigned i = 0; i < w->ntasks; i++)
			if (!strcmp(w->task[i].name, m->key))
				return wp_fail(
				    p, m, "task \"%s\" defined twice", m->key);
		if (!wp_name(p, m, m->key, w->task[w->ntasks++].name))
			return false;
	}
	for (unsigned i = 0; i < w->ntasks; i++) {
		const struct json *m = json_get(ts, w->task[i].name);

		if (!wp_task(p, m, &w->task[i]))
			return false;
		threads += w->task[i].instances;
		if (threads > WL_MAX_THREADS)
			return wp_fail(p, m, "more than %u threads in all",
			               WL_MAX_THREADS);
	}
	p->task = NULL;
	return true;
}

// Barrier users: every initial thread of a task that names the barrier.
static void wp_count_users(struct workload *w)
{
	for (unsigned i = 0; i < w->ntasks; i++) {
		const struct wl_task *t = &w->task[i];

		for (unsigned r = 0; r < w->nres; r++) {
			bool uses = false;

			for (unsigned k = 0; k < t->nph; k++)
				for (unsigned e = 0; e < t->ph[k].nev; e++)
					uses |=
					    t->ph[k].ev[e].type == WL_BARRIER &&
					    t->ph[k].ev[e].res == r;
			if (uses)
				w->res[r].users += t->instances;
		}
	}
}

static bool wp_root(struct wp *p, const struct json *root)
{
	const struct json *tasks = json_get(root, "tasks");

	if (root->type != JSON_OBJECT)
		return wp_fail(p, root, "the file must hold one JSON object");
	for (const struct json *m = root->child; m; m = m->next)
		if (strcmp(m->key, "global") && strcmp(m->key, "tasks") &&
		    strcmp(m->key, "resources"))
			return wp_fail_key(p, m, "unknown top-level key \"%s\"",
			                   m->key);
	if (json_get(root, "global") && !wp_global(p, json_get(root, "global")))
		return false;
	if (json_get(root, "resources") &&
	    !wp_want(p, json_get(root, "resources"), JSON_OBJECT, "resources"))
		return false; // rt-app creates resources on first use
	if (!tasks)
		return wp_fail(p, root, "no \"tasks\" object");
	if (!wp_tasks(p, tasks))
		return false;
	wp_count_users(p->w);
	return true;
}

void wl_free(struct workload *w)
{
	if (!w)
		return;
	for (unsigned i = 0; w->task && i < w->ntasks; i++) {
		for (unsigned k = 0; w->task[i].ph && k < w->task[i].nph; k++)
			kfree(w->task[i].ph[k].ev);
		kfree(w->task[i].ph);
	}
	kfree(w->task);
	kfree(w->res);
	kfree(w);
}

err_t wl_parse(const char *text, size_t len, struct workload **out,
               struct wl_error *e)
{
	struct json_error je;
	struct json *root;
	struct wp p = {0};
	err_t err;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	err = json_parse(text, len, &root, &je);
	if (err) {
		e->line = je.line;
		e->col = je.col;
		ksnprintf(e->msg, sizeof(e->msg), "%s", je.msg);
		return err;
	}
	p.e = e;
	p.w = kzalloc(sizeof(*p.w));
	if (p.w)
		p.w->res = kzalloc(WL_MAX_RESOURCES * sizeof(*p.w->res));
	if (!p.w || !p.w->res) {
		json_free(root);
		wl_free(p.w);
		ksnprintf(e->msg, sizeof(e->msg), "out of memory");
		return E_NOMEM;
	}
	p.w->duration_ns = -1;
	if (!wp_root(&p, root)) {
		json_free(root);
		wl_free(p.w);
		return E_INVAL;
	}
	json_free(root);
	*out = p.w;
	return E_OK;
}

unsigned wl_initial_threads(const struct workload *w)
{
	unsigned n = 0;

	for (unsigned i = 0; i < w->ntasks; i++)
		n += w->task[i].instances;
	return n;
}
