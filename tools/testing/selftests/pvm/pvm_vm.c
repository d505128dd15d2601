// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal PVM VM for host selftests; see pvm_vm.h for the layout.
 */
#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pvm_vm.h"

#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL
#define PTE_U		0x4ULL
#define PTE_PS		0x80ULL

static void vm_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg) < 0)
		err(1, "%s", what);
}

static void set_cpuid(struct pvm_vm *v)
{
	struct kvm_cpuid2 *cpuid;
	size_t sz = sizeof(*cpuid) + 256 * sizeof(struct kvm_cpuid_entry2);

	cpuid = calloc(1, sz);
	if (!cpuid)
		err(1, "calloc");
	cpuid->nent = 256;
	vm_ioctl(v->kvm, KVM_GET_SUPPORTED_CPUID, cpuid, "KVM_GET_SUPPORTED_CPUID");
	vm_ioctl(v->vcpu, KVM_SET_CPUID2, cpuid, "KVM_SET_CPUID2");
	free(cpuid);
}

void pvm_vm_create(struct pvm_vm *v)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = GUEST_MEM_SIZE,
	};
	int run_size;

	memset(v, 0, sizeof(*v));
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		err(1, "/dev/kvm");
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		err(1, "KVM_CREATE_VM");

	v->mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v->mem == MAP_FAILED)
		err(1, "mmap guest memory");
	region.userspace_addr = (uint64_t)v->mem;
	vm_ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region,
		 "KVM_SET_USER_MEMORY_REGION");

	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		err(1, "KVM_CREATE_VCPU");
	run_size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(*v->run))
		err(1, "KVM_GET_VCPU_MMAP_SIZE");
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->vcpu, 0);
	if (v->run == MAP_FAILED)
		err(1, "mmap kvm_run");
	set_cpuid(v);

	v->range_msr = pvm_get_msr(v, MSR_PVM_LINEAR_ADDRESS_RANGE);
	v->hi = pvm_la_pml4_base(pvm_la_range_index(v->range_msr,
						    PVM_LA_PML4_START_SHIFT));
}

void pvm_vm_destroy(struct pvm_vm *v)
{
	close(v->vcpu);
	close(v->vm);
	close(v->kvm);
	munmap(v->mem, GUEST_MEM_SIZE);
}

static void build_page_tables(struct pvm_vm *v)
{
	uint64_t *pml4 = gpa_ptr(v, GPA_PML4);
	uint64_t *upml4 = gpa_ptr(v, GPA_USER_PML4);
	uint64_t *pdpt_low = gpa_ptr(v, GPA_PDPT_LOW);
	uint64_t *pdpt_hi = gpa_ptr(v, GPA_PDPT_HI);
	uint64_t *pd = gpa_ptr(v, GPA_PD);
	unsigned int slot = (v->hi >> 39) & 511;
	uint64_t a;

	for (a = 0; a < GUEST_MEM_SIZE; a += 2UL << 20)
		pd[a >> 21] = a | PTE_P | PTE_RW | PTE_U | PTE_PS;
	pdpt_low[0] = GPA_PD | PTE_P | PTE_RW | PTE_U;
	pdpt_hi[0] = GPA_PD | PTE_P | PTE_RW | PTE_U;
	pml4[0] = GPA_PDPT_LOW | PTE_P | PTE_RW | PTE_U;
	/* The upper range is supervisor-only: no U at the top. */
	pml4[slot] = GPA_PDPT_HI | PTE_P | PTE_RW;
	upml4[0] = GPA_PDPT_LOW | PTE_P | PTE_RW | PTE_U;
}

void pvm_vm_setup(struct pvm_vm *v, uint64_t code)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_segment cs = {
		.selector = KERNEL_CS, .limit = 0xffffffff, .type = 11,
		.present = 1, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment ds = {
		.selector = 0, .limit = 0xffffffff, .type = 3,
		.present = 1, .s = 1, .db = 1, .g = 1,
	};

	memcpy(gpa_ptr(v, GPA_CODE), guest_code_start,
	       guest_code_end - guest_code_start);
	build_page_tables(v);

	pvm_get_sregs(v, &sregs);
	sregs.cr0 = 0x80050033;		/* PG AM WP NE ET MP PE */
	sregs.cr4 = 0x10620;		/* FSGSBASE OSXMMEXCPT OSFXSR PAE */
	sregs.efer = 0xd01;		/* NX LMA LME SCE */
	sregs.cr3 = GPA_PML4;
	sregs.cs = cs;
	sregs.ds = ds;
	sregs.es = ds;
	sregs.fs = ds;
	sregs.gs = ds;
	sregs.ss = ds;
	sregs.ss.selector = KERNEL_DS;
	pvm_set_sregs(v, &sregs);

	if (pvm_set_msr(v, MSR_STAR, (uint64_t)USER32_CS << 48 |
				     (uint64_t)KERNEL_CS << 32) != 1 ||
	    pvm_set_msr(v, MSR_LSTAR, hi_addr(v, GPA_CODE + GUEST_SYM(lstar_entry))) != 1 ||
	    pvm_set_msr(v, MSR_PVM_VCPU_STRUCT, GPA_PVCS) != 1 ||
	    pvm_set_msr(v, MSR_PVM_SUPERVISOR_RSP, hi_addr(v, GPA_STACK_TOP)) != 1 ||
	    pvm_set_msr(v, MSR_PVM_SUPERVISOR_REDZONE, REDZONE) != 1 ||
	    pvm_set_msr(v, MSR_PVM_EVENT_ENTRY,
			hi_addr(v, GPA_CODE + GUEST_SYM(ev_entry))) != 1 ||
	    pvm_set_msr(v, MSR_PVM_RETU_RIP,
			hi_addr(v, GPA_CODE + GUEST_SYM(retu_insn))) != 1 ||
	    pvm_set_msr(v, MSR_PVM_RETS_RIP,
			hi_addr(v, GPA_CODE + GUEST_SYM(rets_insn))) != 1 ||
	    pvm_set_msr(v, MSR_PVM_SWITCH_CR3, GPA_USER_PML4) != 1)
		errx(1, "setting the PVM MSRs failed");

	memset(&regs, 0, sizeof(regs));
	regs.rip = hi_addr(v, GPA_CODE + code);
	regs.rsp = hi_addr(v, GPA_STACK_TOP);
	regs.rflags = 0x2;
	pvm_set_regs(v, &regs);
}

int pvm_set_msr(struct pvm_vm *v, uint32_t index, uint64_t value)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entry;
	} m = { .hdr.nmsrs = 1, .entry = { .index = index, .data = value } };

	return ioctl(v->vcpu, KVM_SET_MSRS, &m);
}

uint64_t pvm_get_msr(struct pvm_vm *v, uint32_t index)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entry;
	} m = { .hdr.nmsrs = 1, .entry = { .index = index } };

	if (ioctl(v->vcpu, KVM_GET_MSRS, &m) != 1)
		errx(1, "KVM_GET_MSRS %#x failed", index);
	return m.entry.data;
}

void pvm_get_regs(struct pvm_vm *v, struct kvm_regs *regs)
{
	vm_ioctl(v->vcpu, KVM_GET_REGS, regs, "KVM_GET_REGS");
}

void pvm_set_regs(struct pvm_vm *v, struct kvm_regs *regs)
{
	vm_ioctl(v->vcpu, KVM_SET_REGS, regs, "KVM_SET_REGS");
}

void pvm_get_sregs(struct pvm_vm *v, struct kvm_sregs *sregs)
{
	vm_ioctl(v->vcpu, KVM_GET_SREGS, sregs, "KVM_GET_SREGS");
}

void pvm_set_sregs(struct pvm_vm *v, struct kvm_sregs *sregs)
{
	vm_ioctl(v->vcpu, KVM_SET_SREGS, sregs, "KVM_SET_SREGS");
}

int pvm_run(struct pvm_vm *v)
{
	if (ioctl(v->vcpu, KVM_RUN, 0) < 0)
		err(1, "KVM_RUN");
	return v->run->exit_reason;
}

int pvm_run_io(struct pvm_vm *v)
{
	int r = pvm_run(v);

	if (r != KVM_EXIT_IO)
		return -r;
	return v->run->io.port;
}

struct sev_frame *sev_frame_at(struct pvm_vm *v, uint64_t rsp)
{
	return gpa_ptr(v, rsp - v->hi);
}

void pvm_vm_setup_real(struct pvm_vm *v, uint64_t ip)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	memcpy(gpa_ptr(v, GPA_BOOT), boot_code_start,
	       boot_code_end - boot_code_start);
	build_page_tables(v);

	/* The reset state, except for where the code starts. */
	pvm_get_sregs(v, &sregs);
	sregs.cs.selector = GPA_BOOT >> 4;
	sregs.cs.base = GPA_BOOT;
	pvm_set_sregs(v, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rip = ip;
	regs.rflags = 0x2;
	pvm_set_regs(v, &regs);
}
