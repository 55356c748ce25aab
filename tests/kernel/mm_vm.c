// SPDX-License-Identifier: MIT
// In-kernel paging tests: the shared map/protect/unmap patterns with the
// real encodings, the kernel's own layout (W^X), and faults provoked on
// purpose through fault probes: each must fault with the expected address
// and access type, and the run carries on.
#include <string.h>
#include <kernel/boot.h>
#include <kernel/fault.h>
#include <mm/phys.h>
#include <mm/heap.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <mm/kstack.h>
#include <tests/unit/mm_vm_cases.h>

extern char __kernel_start[], __rodata_start[], __data_start[], __kernel_end[];
extern char boot_stack_guard[], boot_stack_bottom[];

static void empty_function(void)
{
	__asm__ volatile("" ::: "memory");
}

KTEST(mm_vm, mixed_sizes)
{
	vmt_mixed_sizes(t);
}

KTEST(mm_vm, churn)
{
	vmt_churn(t);
}

// Text RX, rodata R, data RW; the direct map never executable, its alias
// of text and rodata read-only; no identity map.
KTEST(mm_vm, kernel_layout)
{
	const struct boot_info *bi = kernel_boot_info();
	struct vm_space *k = vm_kernel();
	struct vm_mapping m;
	static int some_data;
	int on_stack;

	KT_ASSERT(vm_query(k, (vaddr_t)(uintptr_t)empty_function, &m));
	KT_EXPECT_EQ_U(m.prot, MMU_X);
	KT_ASSERT(vm_query(k, (vaddr_t)(uintptr_t)__rodata_start, &m));
	KT_EXPECT_EQ_U(m.prot, 0);
	KT_ASSERT(vm_query(k, (vaddr_t)(uintptr_t)&some_data, &m));
	KT_EXPECT_EQ_U(m.prot, MMU_W);
	KT_EXPECT_EQ_U(m.pa, bi->kernel_phys +
	                         ((uintptr_t)&some_data - bi->kernel_virt));
	KT_ASSERT(vm_query(k, (vaddr_t)(uintptr_t)&on_stack, &m));
	KT_EXPECT_EQ_U(m.prot & (MMU_X | MMU_W), MMU_W);
	KT_ASSERT(vm_query(k, phys_direct_map_base + bi->kernel_phys, &m));
	KT_EXPECT_EQ_U(m.prot & (MMU_X | MMU_W), 0);
	KT_ASSERT(vm_query(k, (vaddr_t)(uintptr_t)phys_to_virt(bi->mmap), &m));
	KT_EXPECT_EQ_U(m.prot & (MMU_X | MMU_W), MMU_W);
	KT_EXPECT(!vm_query(k, (vaddr_t)(uintptr_t)boot_stack_guard, &m));
	KT_EXPECT(vm_query(k, (vaddr_t)(uintptr_t)boot_stack_bottom, &m));
	KT_EXPECT(!vm_query(k, bi->kernel_phys, &m));
	KT_EXPECT(!vm_query(k, 0x1000, &m));
}

static bool expect_fault(struct ktest *t, void (*fn)(void *), void *arg,
                         uintptr_t addr, enum fault_access access, bool present)
{
	struct fault_info fi;

	if (!KT_EXPECT(fault_probe(fn, arg, &fi)))
		return false;
	return KT_EXPECT_EQ_U(fi.addr, addr) &&
	       KT_EXPECT_STR(fault_access_name(fi.access),
	                     fault_access_name(access)) &&
	       KT_EXPECT_EQ(fi.present, present);
}

static void write_byte(void *p)
{
	*(volatile char *)p = 0x5a;
}

static void read_byte(void *p)
{
	(void)*(volatile char *)p;
}

static void call_code(void *p)
{
	((void (*)(void))p)();
}

KTEST(mm_fault, probe_without_fault)
{
	struct fault_info fi;
	char byte = 0;

	KT_EXPECT(!fault_probe(write_byte, &byte, &fi));
	KT_EXPECT_EQ(byte, 0x5a);
}

KTEST(mm_fault, write_kernel_text)
{
	void *text = (void *)empty_function;

	expect_fault(t, write_byte, text, (uintptr_t)text, FAULT_WRITE, true);
}

KTEST(mm_fault, write_rodata)
{
	static const char constant[8] = "const";

	expect_fault(t, write_byte, (void *)constant, (uintptr_t)constant,
	             FAULT_WRITE, true);
	KT_EXPECT_STR(constant, "const");
}

KTEST(mm_fault, write_text_through_direct_map)
{
	const struct boot_info *bi = kernel_boot_info();
	char *alias = (char *)phys_to_virt(
	    bi->kernel_phys + ((uintptr_t)empty_function - bi->kernel_virt));

	expect_fault(t, write_byte, alias, (uintptr_t)alias, FAULT_WRITE, true);
}

KTEST(mm_fault, execute_from_heap)
{
	char *buf = kmalloc(256);

	KT_ASSERT(buf != NULL);
	// A copy of a function that only returns: if execution were allowed
	// the call would come back instead of faulting.
	memcpy(buf, (const void *)empty_function, 64);
	expect_fault(t, call_code, buf, (uintptr_t)buf, FAULT_EXEC, true);
	kfree(buf);
}

KTEST(mm_fault, execute_from_stack)
{
	char code[64];

	memcpy(code, (const void *)empty_function, sizeof(code));
	expect_fault(t, call_code, code, (uintptr_t)code, FAULT_EXEC, true);
}

KTEST(mm_fault, touch_stack_guard_page)
{
	void *top = kstack_alloc();
	char *guard;

	KT_ASSERT(top != NULL);
	guard = kstack_guard(top);
	// The stack itself is usable from its lowest to its highest byte.
	write_byte(guard + 4096);
	write_byte((char *)top - 1);
	expect_fault(t, read_byte, guard + 4095, (uintptr_t)guard + 4095,
	             FAULT_READ, false);
	expect_fault(t, write_byte, guard, (uintptr_t)guard, FAULT_WRITE,
	             false);
	kstack_free(top);
}

KTEST(mm_fault, boot_stack_guard_page)
{
	expect_fault(t, write_byte, boot_stack_guard + 8,
	             (uintptr_t)boot_stack_guard + 8, FAULT_WRITE, false);
}

KTEST(mm_fault, null_pointer)
{
	expect_fault(t, read_byte, (void *)16, 16, FAULT_READ, false);
}

struct prot_seen {
	unsigned bits[MAX_CPUS];
	bool seen[MAX_CPUS];
};

static void record_protections(void *arg)
{
	struct prot_seen *p = arg;

	p->bits[hal_cpu_id()] = hal_mmu_protections();
	p->seen[hal_cpu_id()] = true;
}

// Every CPU runs with the protections (and, on x86_64, the PAT) of CPU 0,
// and CPU 0 with what hal_mmu_protect_cpu() reported turning on.
KTEST(mm_vm, same_protections_on_every_cpu)
{
	static struct prot_seen p;
	unsigned boot = hal_mmu_protections();

	// Never empty (hal/mmu.h), so that a CPU missing everything, even on
	// a CPU without PAN such as cortex-a72, differs from CPU 0.
	KT_EXPECT(boot != 0);
	memset(&p, 0, sizeof(p));
	smp_call_others(record_protections, &p, true);
	for (unsigned i = 1; i < cpu_count; i++) {
		if (!cpus[i] || !cpus[i]->online)
			continue;
		KT_EXPECT(p.seen[i]);
		KT_EXPECT_EQ_U(p.bits[i], boot);
	}
	if (cpu_count < 2)
		KT_SKIP("one CPU");
}
