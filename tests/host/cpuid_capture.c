// SPDX-License-Identifier: MIT
// Host test: a real `cpuid -r` capture (Debian's cpuid 20230120, run on
// this project's build machine, a KVM guest on an AMD host: see
// tests/fixtures/cpuid/README) read by the host CPUID stand-in that
// build/host/topo uses. Expectations come from the capture's text itself,
// scanned here by other means than the parser, and from what `cpuid -1`
// decoded on that machine (vendor, brand string, highest leaves).
#include <stdlib.h>
#include <string.h>
#include <hal/cpuid.h>
#include <tests/host/hal/host_util.h>
#include <tests/ktest.h>

#define CAPTURE "tests/fixtures/cpuid/amd-epyc-kvm-cpuid-r.txt"

// Leaf lines of the first CPU's block: "   0x" lines before "CPU 1:".
static unsigned count_cpu0_lines(const char *text)
{
	const char *end = strstr(text, "\nCPU 1:");
	unsigned n = 0;

	for (const char *p = text;
	     (p = strstr(p, "\n   0x")) && (!end || p < end); p++)
		n++;
	return n;
}

static void regs_text(const struct hal_cpuid_regs *r, bool vendor_order,
                      char *out)
{
	uint32_t w[4] = {r->eax, r->ebx, r->ecx, r->edx};

	if (vendor_order) { // leaf 0: EBX, EDX, ECX
		memcpy(out, &r->ebx, 4);
		memcpy(out + 4, &r->edx, 4);
		memcpy(out + 8, &r->ecx, 4);
		out[12] = '\0';
		return;
	}
	memcpy(out, w, 16);
	out[16] = '\0';
}

KTEST(cpuid_capture, cpuid_r_file)
{
	static struct host_cpuid_leaf l[256];
	struct hal_cpuid_regs r;
	char vendor[13], brand[49] = "";
	size_t len;
	char *text = host_read_file(CAPTURE, &len);
	unsigned n;

	KT_ASSERT(text != NULL);
	n = host_cpuid_parse(text, l, ARRAY_SIZE(l));
	KT_EXPECT_EQ_U(n, count_cpu0_lines(text));
	KT_EXPECT(n > 40);
	host_cpuid_load(l, n);
	KT_ASSERT(hal_cpuid(0, 0, &r));
	regs_text(&r, true, vendor);
	KT_EXPECT_STR(vendor, "AuthenticAMD");
	KT_EXPECT_EQ_U(r.eax, 0xd); // highest basic leaf
	KT_ASSERT(hal_cpuid(0x80000000, 0, &r));
	KT_EXPECT_EQ_U(r.eax, 0x80000021);
	for (uint32_t i = 0; i < 3; i++) {
		KT_ASSERT(hal_cpuid(0x80000002 + i, 0, &r));
		regs_text(&r, false, brand + 16 * i);
	}
	KT_EXPECT(strncmp(brand, "Oxide Virtual Turin-like Processor", 34) ==
	          0);
	KT_EXPECT(hal_cpuid(0xd, 1, &r)); // a sub-leaf the capture has
	KT_EXPECT_EQ_U(r.eax, 7);
	KT_EXPECT(!hal_cpuid(0xe, 0, &r)); // past the highest basic leaf
	host_cpuid_load(NULL, 0);
	free(text);
}
