// SPDX-License-Identifier: MIT
// \cairn\cairn.cfg: `key=value` lines, '#' comments, blank lines. Keys:
// cmdline= (kernel command line), kernel= (kernel path), file= (a data
// file handed to the kernel in boot_info.file), verbose=1,
// fault=1 (tests: a CPU exception on purpose, see arch_fault_guard),
// hide=acpi,dt (tests: ignore the firmware's ACPI tables / device tree). An
// unknown key or a malformed line is a warning; the config never stops the
// boot. Whitespace around keys and values is dropped.
#include <boot/loader.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

// Trims [*s, *e) in place.
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

static bool key_is(const char *k, const char *ke, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(ke - k) == n && memcmp(k, name, n) == 0;
}

static EFI_STATUS set_cmdline(struct loader_config *cfg, const char *v,
                              const char *ve)
{
	uint64_t n = (uint64_t)(ve - v);
	void *p;
	EFI_STATUS st = alloc_pool(n + 1, &p);

	if (EFI_ERROR(st))
		return st;
	if (cfg->cmdline)
		free_pool(cfg->cmdline);
	memcpy(p, v, n);
	((char *)p)[n] = 0;
	cfg->cmdline = p;
	cfg->cmdline_len = n;
	return EFI_SUCCESS;
}

// hide=acpi,dt (either or both): for tests, ignore what the firmware
// hands over, to see the loader's and kernel's answer to a firmware that
// lacks it.
static void parse_hide(struct loader_config *cfg, unsigned lineno,
                       const char *v, const char *ve)
{
	while (v < ve) {
		const char *e = v;
		while (e < ve && *e != ',')
			e++;
		if (key_is(v, e, "acpi"))
			cfg->hide |= HIDE_ACPI;
		else if (key_is(v, e, "dt"))
			cfg->hide |= HIDE_DT;
		else
			loader_warn("%s:%u: hide=: unknown item (acpi and dt "
			            "are known), ignored",
			            CONFIG_PATH, lineno);
		v = e + 1;
	}
}

static EFI_STATUS config_line(struct loader_config *cfg, unsigned lineno,
                              const char *s, const char *e)
{
	const char *eq = s;

	trim(&s, &e);
	if (s == e || *s == '#')
		return EFI_SUCCESS;
	while (eq < e && *eq != '=')
		eq++;
	if (eq == e) {
		loader_warn("%s:%u: no '=' in line, ignored", CONFIG_PATH,
		            lineno);
		return EFI_SUCCESS;
	}
	const char *k = s, *ke = eq, *v = eq + 1, *ve = e;
	trim(&k, &ke);
	trim(&v, &ve);
	if (key_is(k, ke, "cmdline"))
		return set_cmdline(cfg, v, ve);
	if (key_is(k, ke, "kernel")) {
		if (v == ve || (size_t)(ve - v) >= sizeof(cfg->kernel_path)) {
			loader_warn("%s:%u: bad kernel= path, ignored",
			            CONFIG_PATH, lineno);
			return EFI_SUCCESS;
		}
		memcpy(cfg->kernel_path, v, (size_t)(ve - v));
		cfg->kernel_path[ve - v] = 0;
	} else if (key_is(k, ke, "file")) {
		if (v == ve || (size_t)(ve - v) >= sizeof(cfg->file_path)) {
			loader_warn("%s:%u: bad file= path (empty or longer "
			            "than %u), ignored",
			            CONFIG_PATH, lineno,
			            (unsigned)sizeof(cfg->file_path) - 1);
			return EFI_SUCCESS;
		}
		memcpy(cfg->file_path, v, (size_t)(ve - v));
		cfg->file_path[ve - v] = 0;
	} else if (key_is(k, ke, "verbose")) {
		cfg->verbose = !(ve - v == 1 && *v == '0') && v != ve;
	} else if (key_is(k, ke, "fault")) {
		cfg->fault = !(ve - v == 1 && *v == '0') && v != ve;
	} else if (key_is(k, ke, "hide")) {
		parse_hide(cfg, lineno, v, ve);
	} else {
		char key[32];
		size_t n = MIN_SZ((size_t)(ke - k), sizeof(key) - 1);
		memcpy(key, k, n);
		key[n] = 0;
		loader_warn("%s:%u: unknown key '%s', ignored", CONFIG_PATH,
		            lineno, key);
	}
	return EFI_SUCCESS;
}

EFI_STATUS config_parse(struct loader_config *cfg, const char *text,
                        uint64_t len)
{
	const char *end = text + len, *s = text;
	unsigned lineno = 1;
	EFI_STATUS st;

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->kernel_path, DEFAULT_KERNEL_PATH,
	       sizeof(DEFAULT_KERNEL_PATH));
	st = set_cmdline(cfg, "", "");
	for (; text && s < end && !EFI_ERROR(st); lineno++) {
		const char *e = s;
		while (e < end && *e != '\n')
			e++;
		st = config_line(cfg, lineno, s, e);
		s = e + 1;
	}
	return st;
}
