// SPDX-License-Identifier: GPL-2.0
/*
 * Host selftests for kvm-pvm: PVM VMs created through the KVM API run
 * small guest programs (guest_code.S), and each test checks what the
 * specification says the hypervisor does (Documentation/virt/kvm/x86/
 * pvm-spec.rst).  Needs /dev/kvm served by kvm-pvm.
 */
#include <cpuid.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <stdint.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "pvm_vm.h"

#define CODE(v, sym)	hi_addr(v, GPA_CODE + GUEST_SYM(sym))
#define UCODE(sym)	(GPA_CODE + GUEST_SYM(sym))
#define STACK(v)	hi_addr(v, GPA_STACK_TOP)
#define FRAME_RSP(rsp)	((((rsp) - REDZONE) & ~15ULL) - 64)
#define UNMAPPED(v)	((v)->hi + (1ULL << 30))	/* PDPT_HI[1] is empty */
#define HOST_TEXT	0xffffffff81000000ULL
#define NONCANONICAL	0x8000000000000000ULL
#define ENOSYS_RET	((uint64_t)-1000)	/* -KVM_ENOSYS */
#define EINVAL_RET	((uint64_t)-22)		/* -KVM_EINVAL */

#define PF_PRESENT	1
#define PF_WRITE	2
#define PF_USER		4

FIXTURE(pvm) {
	struct pvm_vm v;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
};

FIXTURE_SETUP(pvm)
{
	pvm_vm_create(&self->v);
}

FIXTURE_TEARDOWN(pvm)
{
	pvm_vm_destroy(&self->v);
}

static void sigalrm(int sig)
{
}

/* KVM_RUN for at most a second: a guest that spins is interrupted. */
static int run_briefly(struct pvm_vm *v)
{
	struct sigaction sa = { .sa_handler = sigalrm };
	int r;

	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	r = ioctl(v->vcpu, KVM_RUN, 0);
	alarm(0);
	return r < 0 ? -errno : (int)v->run->exit_reason;
}

/* Set up supervisor mode at @code, with some registers preset. */
static void start(struct pvm_vm *v, uint64_t code, struct kvm_regs *regs)
{
	pvm_vm_setup(v, code);
	pvm_get_regs(v, regs);
}

/* Enter user mode at @code through ERETU with the given PVCS state. */
static void start_user(struct pvm_vm *v, uint64_t ucode, struct kvm_regs *regs)
{
	struct pvm_vcpu_struct *p = pvcs(v);

	start(v, GUEST_SYM(t_eretu), regs);
	p->user_cs = USER_CS;
	p->user_ss = USER_DS;
	p->rip = ucode;
	p->rsp = GPA_USER_STACK_TOP;
	p->eflags = 0x202;
	p->rcx = 0x5;
	p->r11 = 0x6;
}

/*
 * A TSC rate that the host cannot give without scaling (kvm-pvm has none)
 * is refused, and the vCPU must run at the host's rate instead.  A VM's
 * default rate applies when its vCPUs are created; with one refused
 * there, KVM used to leave the vCPU's TSC multiplier at 0, so every TSC
 * value it computed (the TSC MSR, RDTSC in the emulated bootstrap) was a
 * constant, and firmware that waits on the TSC hung.
 */
TEST_F(pvm, refused_tsc_rate_keeps_the_host_rate)
{
	struct pvm_vm w = {};
	uint64_t first;
	int khz;

	khz = ioctl(self->v.vcpu, KVM_GET_TSC_KHZ, 0);
	ASSERT_GT(khz, 0);
	w.vm = ioctl(self->v.kvm, KVM_CREATE_VM, 0);
	ASSERT_GE(w.vm, 0);
	ASSERT_EQ(ioctl(w.vm, KVM_SET_TSC_KHZ, khz / 2), 0);
	w.vcpu = ioctl(w.vm, KVM_CREATE_VCPU, 0);
	ASSERT_GE(w.vcpu, 0);
	first = pvm_get_msr(&w, MSR_IA32_TSC);
	usleep(10000);
	EXPECT_GT(pvm_get_msr(&w, MSR_IA32_TSC), first);
	close(w.vcpu);
	close(w.vm);
}

TEST_F(pvm, msr_reset_values)
{
	uint64_t r = self->v.range_msr;
	unsigned int s = pvm_la_range_index(r, PVM_LA_PML4_START_SHIFT);
	unsigned int e = pvm_la_range_index(r, PVM_LA_PML4_END_SHIFT);
	uint32_t idx;

	ASSERT_TRUE(pvm_la_range_valid(r, 0));
	EXPECT_GE(s, 256);
	EXPECT_EQ(e - s, 32);	/* 16 TiB */
	for (idx = MSR_PVM_VCPU_STRUCT; idx <= MSR_PVM_SWITCH_CR3; idx++)
		EXPECT_EQ(pvm_get_msr(&self->v, idx), 0) TH_LOG("MSR %#x", idx);
}

TEST_F(pvm, msr_roundtrip_host)
{
	struct pvm_vm *v = &self->v;
	unsigned int s = pvm_la_range_index(v->range_msr, PVM_LA_PML4_START_SHIFT);
	const struct { uint32_t idx; uint64_t val; } m[] = {
		{ MSR_PVM_VCPU_STRUCT, 0x8000 },
		{ MSR_PVM_SUPERVISOR_RSP, v->hi + 0x1234 },
		{ MSR_PVM_SUPERVISOR_REDZONE, 0x80 },
		{ MSR_PVM_EVENT_ENTRY, v->hi + 0x100000 },
		{ MSR_PVM_RETU_RIP, v->hi + 0x10 },
		{ MSR_PVM_RETS_RIP, v->hi + 0x20 },
		{ MSR_PVM_SWITCH_CR3, 0x6000 },
		{ MSR_PVM_LINEAR_ADDRESS_RANGE,
		  pvm_la_range_encode(s + 1, s + 2, 0x1ff, 0x1ff) },
		{ MSR_LSTAR, v->hi + 0x30 },
		{ MSR_KERNEL_GS_BASE, 0x12345000 },
		{ MSR_GS_BASE, 0x23456000 },
		{ MSR_FS_BASE, 0x34567000 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(m); i++) {
		ASSERT_EQ(pvm_set_msr(v, m[i].idx, m[i].val), 1)
			TH_LOG("MSR %#x", m[i].idx);
		EXPECT_EQ(pvm_get_msr(v, m[i].idx), m[i].val)
			TH_LOG("MSR %#x", m[i].idx);
	}
}

TEST_F(pvm, msr_bad_values_host)
{
	struct pvm_vm *v = &self->v;
	unsigned int s = pvm_la_range_index(v->range_msr, PVM_LA_PML4_START_SHIFT);
	unsigned int e = pvm_la_range_index(v->range_msr, PVM_LA_PML4_END_SHIFT);
	const struct { uint32_t idx; uint64_t val; } m[] = {
		{ MSR_PVM_VCPU_STRUCT, 0x7001 },
		{ MSR_PVM_VCPU_STRUCT, 1ULL << 62 },
		{ MSR_PVM_SUPERVISOR_RSP, NONCANONICAL },
		{ MSR_PVM_EVENT_ENTRY, NONCANONICAL },
		{ MSR_PVM_EVENT_ENTRY, 0x00007fffffffff00ULL },	/* +512 wraps */
		{ MSR_PVM_RETU_RIP, NONCANONICAL },
		{ MSR_PVM_RETS_RIP, 0x0000800000000000ULL },
		{ MSR_PVM_SWITCH_CR3, 1ULL << 62 },
		{ MSR_PVM_LINEAR_ADDRESS_RANGE, pvm_la_range_encode(s + 1, s, 0x1ff, 0x1ff) },
		{ MSR_PVM_LINEAR_ADDRESS_RANGE, pvm_la_range_encode(s, e + 1, 0x1ff, 0x1ff) },
		{ MSR_PVM_LINEAR_ADDRESS_RANGE, pvm_la_range_encode(s - 1, s + 1, 0x1ff, 0x1ff) },
		{ MSR_PVM_LINEAR_ADDRESS_RANGE, v->range_msr & ~0x8000ULL },
		{ MSR_PVM_LINEAR_ADDRESS_RANGE, pvm_la_range_encode(s, e, 0x100, 0x101) },
		{ MSR_LSTAR, NONCANONICAL },
		{ MSR_GS_BASE, NONCANONICAL },
		{ MSR_KERNEL_GS_BASE, NONCANONICAL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(m); i++) {
		uint64_t before = pvm_get_msr(v, m[i].idx);

		EXPECT_EQ(pvm_set_msr(v, m[i].idx, m[i].val), 0)
			TH_LOG("MSR %#x accepted %#llx", m[i].idx,
			       (unsigned long long)m[i].val);
		EXPECT_EQ(pvm_get_msr(v, m[i].idx), before)
			TH_LOG("MSR %#x changed", m[i].idx);
	}
}

TEST_F(pvm, hypercall_kvm_unknown)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_syscall), &self->regs);
	self->regs.rax = 0x12345678;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rax, ENOSYS_RET);
	EXPECT_EQ(self->regs.rip, CODE(v, t_syscall) + 4);	/* SYSCALL, OUT */
}

TEST_F(pvm, hypercall_pvm_unknown)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_syscall), &self->regs);
	self->regs.rax = PVM_HC_BASE + 0x80;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rax, ENOSYS_RET);
}

TEST_F(pvm, hypercall_r10_is_rcx)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_syscall), &self->regs);
	self->regs.rax = PVM_HC_TLB_FLUSH;
	self->regs.r10 = 0xabc;
	self->regs.rcx = 0x999;
	self->regs.rbx = 0x1234;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rax, 0);
	EXPECT_EQ(self->regs.rcx, 0xabc);
	EXPECT_EQ(self->regs.r10, 0xabc);
	EXPECT_EQ(self->regs.rbx, 0x1234);
	EXPECT_EQ(self->regs.r11 & 0x200, 0x200);	/* SYSCALL's RFLAGS */
}

TEST_F(pvm, hypercall_rdmsr_wrmsr)
{
	struct pvm_vm *v = &self->v;
	const struct { uint64_t nr, msr, val, ret; } c[] = {
		{ PVM_HC_WRMSR, MSR_PVM_SUPERVISOR_REDZONE, 0x40, 0 },
		{ PVM_HC_RDMSR, MSR_PVM_SUPERVISOR_REDZONE, 0, 0x40 },
		{ PVM_HC_RDMSR, 0x12345, 0, 0 },		/* unknown: 0, no #GP */
		{ PVM_HC_WRMSR, MSR_PVM_VCPU_STRUCT, 0x7001, EINVAL_RET },
		{ PVM_HC_WRMSR, MSR_LSTAR, NONCANONICAL, EINVAL_RET },
		{ PVM_HC_RDMSR, MSR_PVM_VCPU_STRUCT, 0, GPA_PVCS },
		/* 64-bit indexes are not truncated into real ones. */
		{ PVM_HC_RDMSR, 1ULL << 32 | MSR_PVM_VCPU_STRUCT, 0, 0 },
		{ PVM_HC_WRMSR, 1ULL << 32 | MSR_PVM_SUPERVISOR_REDZONE, 0x80, EINVAL_RET },
	};
	unsigned int i;

	start(v, GUEST_SYM(t_syscall), &self->regs);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		self->regs.rip = CODE(v, t_syscall);
		self->regs.rax = c[i].nr;
		self->regs.rbx = c[i].msr;
		self->regs.r10 = c[i].val;
		pvm_set_regs(v, &self->regs);
		ASSERT_EQ(pvm_run_io(v), PORT_DONE);
		pvm_get_regs(v, &self->regs);
		EXPECT_EQ(self->regs.rax, c[i].ret) TH_LOG("case %u", i);
	}
	EXPECT_EQ(pvm_get_msr(v, MSR_PVM_SUPERVISOR_REDZONE), 0x40);
	EXPECT_EQ(pvm_get_msr(v, MSR_PVM_VCPU_STRUCT), GPA_PVCS);
}

TEST_F(pvm, hypercall_load_pgtbl)
{
	struct pvm_vm *v = &self->v;
	const struct { uint64_t flags, pgd, upgd, ret; } c[] = {
		{ 4, GPA_PML4, GPA_USER_PML4, EINVAL_RET },
		{ PVM_LOAD_PGTBL_LA57, GPA_PML4, GPA_USER_PML4, EINVAL_RET },
		{ 0, 1ULL << 62, GPA_USER_PML4, EINVAL_RET },
		{ PVM_LOAD_PGTBL_FLUSH, GPA_PML4, 0x6000, 0 },
	};
	unsigned int i;

	start(v, GUEST_SYM(t_syscall), &self->regs);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		self->regs.rip = CODE(v, t_syscall);
		self->regs.rax = PVM_HC_LOAD_PGTBL;
		self->regs.rbx = c[i].flags;
		self->regs.r10 = c[i].pgd;
		self->regs.rdx = c[i].upgd;
		pvm_set_regs(v, &self->regs);
		ASSERT_EQ(pvm_run_io(v), PORT_DONE);
		pvm_get_regs(v, &self->regs);
		EXPECT_EQ(self->regs.rax, c[i].ret) TH_LOG("case %u", i);
		if (c[i].ret)
			EXPECT_EQ(pvm_get_msr(v, MSR_PVM_SWITCH_CR3), GPA_USER_PML4);
	}
	EXPECT_EQ(pvm_get_msr(v, MSR_PVM_SWITCH_CR3), 0x6000);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->sregs.cr3, GPA_PML4);
}

TEST_F(pvm, hypercall_loop)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_syscall_loop), &self->regs);
	self->regs.r12 = 20000;
	self->regs.r13 = PVM_HC_TLB_FLUSH_CURRENT;
	self->regs.rbx = 0x5a5a;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.r12, 0);
	EXPECT_EQ(self->regs.rax, 0);
	EXPECT_EQ(self->regs.rbx, 0x5a5a);
}

/* An exception in supervisor mode: frame, registers and ERETS back. */
static void check_sup_event(struct __test_metadata *_metadata, struct pvm_vm *v,
			    uint32_t vector, uint32_t errcode, uint64_t rip)
{
	struct kvm_regs r;
	struct sev_frame *f;

	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	EXPECT_EQ(r.rsp, FRAME_RSP(STACK(v)));
	EXPECT_EQ(r.rcx, v->hi + GPA_CODE + GUEST_SYM(ev_entry) + 256);
	EXPECT_EQ(r.r11, 0x202);
	EXPECT_EQ(r.rflags & 0x200, 0);	/* virtual IF is in the PVCS */
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, vector);
	EXPECT_EQ(f->errcode, errcode);
	EXPECT_EQ(f->rip, rip);
	EXPECT_EQ(f->cs, KERNEL_CS);
	EXPECT_EQ(f->ss, KERNEL_DS);
	EXPECT_EQ(f->rsp, STACK(v));
	EXPECT_EQ(f->rcx, 0x1111);
	EXPECT_EQ(f->r11, 0x2222);
}

static void preset_rcx_r11(struct pvm_vm *v, struct kvm_regs *regs)
{
	regs->rcx = 0x1111;
	regs->r11 = 0x2222;
	pvm_set_regs(v, regs);
}

TEST_F(pvm, sup_ud_frame_and_erets)
{
	struct pvm_vm *v = &self->v;
	struct sev_frame *f;

	start(v, GUEST_SYM(t_ud), &self->regs);
	preset_rcx_r11(v, &self->regs);
	check_sup_event(_metadata, v, 6, 0, CODE(v, t_ud_insn));
	f = sev_frame_at(v, FRAME_RSP(STACK(v)));
	f->rip += 2;
	f->rcx = 0x3333;
	f->r11 = 0x4444;
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rsp, STACK(v));
	EXPECT_EQ(self->regs.rcx, 0x3333);
	EXPECT_EQ(self->regs.r11, 0x4444);
}

TEST_F(pvm, sup_bp)
{
	start(&self->v, GUEST_SYM(t_bp), &self->regs);
	preset_rcx_r11(&self->v, &self->regs);
	check_sup_event(_metadata, &self->v, 3, 0, CODE(&self->v, t_bp_next));
	ASSERT_EQ(pvm_run_io(&self->v), PORT_DONE);
}

TEST_F(pvm, sup_de)
{
	start(&self->v, GUEST_SYM(t_de), &self->regs);
	preset_rcx_r11(&self->v, &self->regs);
	check_sup_event(_metadata, &self->v, 0, 0, CODE(&self->v, t_de_insn));
}

TEST_F(pvm, sup_gp_noncanonical)
{
	start(&self->v, GUEST_SYM(t_load), &self->regs);
	self->regs.rbx = NONCANONICAL;
	preset_rcx_r11(&self->v, &self->regs);
	check_sup_event(_metadata, &self->v, 13, 0, CODE(&self->v, t_load_insn));
}

/*
 * INT n other than INT3 and INT 0x80 is #GP with the IDT error code.  x86
 * encodes the vector in bits 15:3; QEMU's TCG (L1 here) puts it in bits
 * 15:4.  The host passes the hardware's code through.
 */
static void check_int_n_gp(struct __test_metadata *_metadata, struct pvm_vm *v,
			   uint64_t code, uint64_t insn, unsigned int n)
{
	struct kvm_regs r;
	struct sev_frame *f;

	start(v, code, &r);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	f = sev_frame_at(v, FRAME_RSP(STACK(v)));
	EXPECT_EQ(f->vector, 13);
	EXPECT_EQ(f->rip, insn);
	EXPECT_TRUE(f->errcode == (n << 3 | 2) || f->errcode == (n << 4 | 2))
		TH_LOG("error code %#x", f->errcode);
}

TEST_F(pvm, sup_int_n_is_gp)
{
	check_int_n_gp(_metadata, &self->v, GUEST_SYM(t_int41),
		       CODE(&self->v, t_int41_insn), 0x41);
}

TEST_F(pvm, sup_int4_is_gp)
{
	check_int_n_gp(_metadata, &self->v, GUEST_SYM(t_int4),
		       CODE(&self->v, t_int4_insn), 4);
}

TEST_F(pvm, sup_pf_unmapped_read)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_load), &self->regs);
	self->regs.rbx = UNMAPPED(v);
	preset_rcx_r11(v, &self->regs);
	check_sup_event(_metadata, v, 14, 0, CODE(v, t_load_insn));
	EXPECT_EQ(pvcs(v)->cr2, UNMAPPED(v));
}

TEST_F(pvm, sup_pf_unmapped_write)
{
	struct pvm_vm *v = &self->v;
	struct kvm_regs r;
	struct sev_frame *f;

	start(v, GUEST_SYM(t_store), &self->regs);
	self->regs.rbx = UNMAPPED(v) + 8;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 14);
	EXPECT_EQ(f->errcode, PF_WRITE);
	EXPECT_EQ(pvcs(v)->cr2, UNMAPPED(v) + 8);
}

TEST_F(pvm, sup_store_then_load)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_store), &self->regs);
	self->regs.rbx = hi_addr(v, GPA_DATA + 0x18);
	self->regs.rax = 0xfeedfacecafebeefULL;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	EXPECT_EQ(*(uint64_t *)gpa_ptr(v, GPA_DATA + 0x18), 0xfeedfacecafebeefULL);

	*(uint64_t *)gpa_ptr(v, GPA_DATA + 0x20) = 0x0123456789abcdefULL;
	self->regs.rip = CODE(v, t_load);
	self->regs.rbx = GPA_DATA + 0x20;	/* the low mapping of the same page */
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rax, 0x0123456789abcdefULL);
}

/* Host memory stays out of reach, whatever the guest's page tables say. */
static void expect_pf_at(struct __test_metadata *_metadata, struct pvm_vm *v,
			 uint64_t addr)
{
	struct kvm_regs r;
	struct sev_frame *f;

	pvm_vm_setup(v, GUEST_SYM(t_load));
	pvm_get_regs(v, &r);
	r.rbx = addr;
	pvm_set_regs(v, &r);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC) TH_LOG("%#llx", (unsigned long long)addr);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 14) TH_LOG("%#llx", (unsigned long long)addr);
	EXPECT_EQ(f->errcode & PF_PRESENT, 0);
	EXPECT_EQ(pvcs(v)->cr2, addr);
}

TEST_F(pvm, host_text_unreachable)
{
	expect_pf_at(_metadata, &self->v, HOST_TEXT);
}

TEST_F(pvm, host_direct_map_unreachable)
{
	expect_pf_at(_metadata, &self->v, pvm_la_pml4_base(0x111));
}

TEST_F(pvm, guest_pgd_in_host_slot_ignored)
{
	struct pvm_vm *v = &self->v;
	uint64_t *pml4 = gpa_ptr(v, GPA_PML4);

	/* The guest maps its memory at PGD slots 511 and 0x111 as well. */
	pml4[511] = GPA_PDPT_LOW | 3;
	pml4[0x111] = GPA_PDPT_LOW | 3;
	expect_pf_at(_metadata, v, 0xffffff8000000000ULL + GPA_DATA);
	expect_pf_at(_metadata, v, pvm_la_pml4_base(0x111) + GPA_DATA);
}

TEST_F(pvm, narrowed_range_faults_outside)
{
	struct pvm_vm *v = &self->v;
	unsigned int s = pvm_la_range_index(v->range_msr, PVM_LA_PML4_START_SHIFT);
	uint64_t *pml4 = gpa_ptr(v, GPA_PML4);

	/* Map slot s+1 too, then give the guest only slot s. */
	pml4[s + 1] = GPA_PDPT_HI | 3;
	pvm_vm_setup(v, GUEST_SYM(t_load));
	ASSERT_EQ(pvm_set_msr(v, MSR_PVM_LINEAR_ADDRESS_RANGE,
			      pvm_la_range_encode(s, s + 1, 0x1ff, 0x1ff)), 1);
	expect_pf_at(_metadata, v, pvm_la_pml4_base(s + 1) + GPA_DATA);
}

TEST_F(pvm, eretu_and_user_syscall)
{
	struct pvm_vm *v = &self->v;
	struct pvm_vcpu_struct *p = pvcs(v);

	start_user(v, UCODE(u_syscall), &self->regs);
	self->regs.rbx = 0x77;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_SYSCALL);
	pvm_get_regs(v, &self->regs);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->regs.rbx, 0x77);
	EXPECT_EQ(self->regs.rsp, STACK(v));		/* MSR_PVM_SUPERVISOR_RSP */
	EXPECT_EQ(self->regs.rcx, CODE(v, lstar_entry));
	EXPECT_EQ(self->regs.r11, 0x202);
	EXPECT_EQ(self->sregs.cr3, GPA_PML4);
	EXPECT_EQ(self->sregs.cs.selector, KERNEL_CS);
	EXPECT_EQ(pvm_get_msr(v, MSR_PVM_SWITCH_CR3), GPA_USER_PML4);
	EXPECT_EQ(p->rip, UCODE(u_syscall_next));
	EXPECT_EQ(p->rcx, UCODE(u_syscall_next));
	EXPECT_EQ(p->r11 & 0x200, 0x200);
	EXPECT_EQ(p->rsp, GPA_USER_STACK_TOP);
	EXPECT_EQ(p->user_cs, USER_CS);
	EXPECT_EQ(p->user_ss, USER_DS);

	/* lstar_entry returns with ERETU; the next user instruction is UD2. */
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(p->event_vector, 6);
	EXPECT_EQ(p->rip, UCODE(u_syscall_next));
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rcx, CODE(v, ev_entry));
}

TEST_F(pvm, user_ud_cr3_pair)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_ud), &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(pvcs(v)->event_vector, 6);
	EXPECT_EQ(pvcs(v)->rip, UCODE(u_ud));
	EXPECT_EQ(self->sregs.cr3, GPA_PML4);
	EXPECT_EQ(pvm_get_msr(v, MSR_PVM_SWITCH_CR3), GPA_USER_PML4);
}

TEST_F(pvm, user_int80)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_int80), &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 0x80);
	EXPECT_EQ(pvcs(v)->rip, UCODE(u_int80_next));
}

TEST_F(pvm, user_pf_on_supervisor_range)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_load), &self->regs);
	self->regs.rbx = hi_addr(v, GPA_PVCS);
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 14);
	EXPECT_EQ(pvcs(v)->cr2, hi_addr(v, GPA_PVCS));
	EXPECT_EQ(pvcs(v)->event_errcode & PF_USER, PF_USER);
}

TEST_F(pvm, user_cannot_read_host)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_load), &self->regs);
	self->regs.rbx = HOST_TEXT;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 14);
	EXPECT_EQ(pvcs(v)->cr2, HOST_TEXT);
}

static void expect_eretu_gp(struct __test_metadata *_metadata, struct pvm_vm *v)
{
	struct kvm_regs r;
	struct sev_frame *f;

	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 13);
	EXPECT_EQ(f->errcode, 0);
	EXPECT_EQ(f->rip, CODE(v, retu_insn));	/* the faulting ERETU */
}

TEST_F(pvm, eretu_bad_cs_is_gp)
{
	start_user(&self->v, UCODE(u_ud), &self->regs);
	pvcs(&self->v)->user_cs = KERNEL_CS;
	expect_eretu_gp(_metadata, &self->v);
}

TEST_F(pvm, eretu_bad_ss_is_gp)
{
	start_user(&self->v, UCODE(u_ud), &self->regs);
	pvcs(&self->v)->user_ss = KERNEL_DS;
	expect_eretu_gp(_metadata, &self->v);
}

TEST_F(pvm, eretu_noncanonical_rip_is_gp)
{
	start_user(&self->v, UCODE(u_ud), &self->regs);
	pvcs(&self->v)->rip = NONCANONICAL;
	expect_eretu_gp(_metadata, &self->v);
}

TEST_F(pvm, eretu_rflags_sanitised)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_pushf), &self->regs);
	pvcs(v)->eflags = 0x3000 | 0x4000 | 0x80000 | 0x202;	/* IOPL3 NT VIF */
	ASSERT_EQ(pvm_run_io(v), PORT_EV_SYSCALL);
	pvm_get_regs(v, &self->regs);
	/* IOPL and VIF go, NT stays (user mode may set it), IF is set. */
	EXPECT_EQ(self->regs.rax & (0x3000 | 0x80000), 0);
	EXPECT_EQ(self->regs.rax & 0x4000, 0x4000);
	EXPECT_EQ(self->regs.rax & 0x200, 0x200);
}

TEST_F(pvm, gsbase_switch_on_events)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_rdgsbase), &self->regs);
	ASSERT_EQ(pvm_set_msr(v, MSR_GS_BASE, 0x2222000), 1);
	ASSERT_EQ(pvm_set_msr(v, MSR_KERNEL_GS_BASE, 0x1111000), 1);
	pvcs(v)->user_gsbase = 0x3333000;
	ASSERT_EQ(pvm_run_io(v), PORT_EV_SYSCALL);
	pvm_get_regs(v, &self->regs);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->regs.rax, 0x3333000);		/* RDGSBASE in user mode */
	EXPECT_EQ(pvcs(v)->user_gsbase, 0x3333000);
	EXPECT_EQ(self->sregs.gs.base, 0x2222000);	/* back to the supervisor's */
}

TEST_F(pvm, erets_noncanonical_rip_is_gp)
{
	struct pvm_vm *v = &self->v;
	struct sev_frame *f;
	struct kvm_regs r;

	start(v, GUEST_SYM(t_ud), &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	f = sev_frame_at(v, FRAME_RSP(STACK(v)));
	f->rip = NONCANONICAL;
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 13);
	EXPECT_EQ(f->rip, CODE(v, rets_insn));
}

TEST_F(pvm, triple_fault_without_pvcs)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	ASSERT_EQ(pvm_set_msr(&self->v, MSR_PVM_VCPU_STRUCT, 0), 1);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_SHUTDOWN);
}

TEST_F(pvm, triple_fault_pvcs_outside_memory)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	ASSERT_EQ(pvm_set_msr(&self->v, MSR_PVM_VCPU_STRUCT, 0x10000000), 1);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_SHUTDOWN);
}

TEST_F(pvm, triple_fault_unmapped_stack)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	self->regs.rsp = UNMAPPED(&self->v);
	pvm_set_regs(&self->v, &self->regs);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_SHUTDOWN);
}

TEST_F(pvm, triple_fault_stack_in_host_memory)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	self->regs.rsp = HOST_TEXT + 0x1000;
	pvm_set_regs(&self->v, &self->regs);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_SHUTDOWN);
}

TEST_F(pvm, triple_fault_no_event_entry)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	ASSERT_EQ(pvm_set_msr(&self->v, MSR_PVM_EVENT_ENTRY, 0), 1);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_SHUTDOWN);
}

TEST_F(pvm, cr3_outside_memory_shuts_down)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	pvm_get_sregs(&self->v, &self->sregs);
	self->sregs.cr3 = 0x10000000;
	pvm_set_sregs(&self->v, &self->sregs);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_SHUTDOWN);
}

/* Long mode at CPL3 on a CS that is not a user CS is neither PVM nor legacy. */
TEST_F(pvm, fail_entry_invalid_state)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_ud), &self->regs);
	pvm_get_sregs(v, &self->sregs);
	self->sregs.cs.selector = KERNEL_CS | 3;
	self->sregs.cs.dpl = 3;
	pvm_set_sregs(v, &self->sregs);
	EXPECT_EQ(pvm_run(v), KVM_EXIT_FAIL_ENTRY);
}

TEST_F(pvm, fail_entry_noncanonical_rip)
{
	start(&self->v, GUEST_SYM(t_ud), &self->regs);
	self->regs.rip = NONCANONICAL;
	pvm_set_regs(&self->v, &self->regs);
	EXPECT_EQ(pvm_run(&self->v), KVM_EXIT_FAIL_ENTRY);
}

/* What an unmodified QEMU does: install its own KVM leaves. */
static void set_qemu_like_cpuid(struct pvm_vm *v)
{
	struct {
		struct kvm_cpuid2 hdr;
		struct kvm_cpuid_entry2 e[256];
	} c = { .hdr.nent = 256 };
	unsigned int i;

	if (ioctl(v->kvm, KVM_GET_SUPPORTED_CPUID, &c) < 0)
		return;
	for (i = 0; i < c.hdr.nent; i++) {
		if (c.e[i].function == 0x40000000)
			c.e[i].eax = 0x40000001;
		else if (c.e[i].function == 0x40000001)
			c.e[i].eax = 0x1234;
	}
	ioctl(v->vcpu, KVM_SET_CPUID2, &c);
}

static void synthetic_cpuid(struct __test_metadata *_metadata, struct pvm_vm *v,
			    uint32_t leaf, struct kvm_regs *r)
{
	pvm_vm_setup(v, GUEST_SYM(t_cpuid));
	pvm_get_regs(v, r);
	r->rax = leaf;
	r->rcx = 0;
	pvm_set_regs(v, r);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, r);
	EXPECT_EQ(r->rip, CODE(v, t_cpuid) + 12);
}

TEST_F(pvm, synthetic_cpuid_signature)
{
	struct kvm_regs r;

	set_qemu_like_cpuid(&self->v);
	synthetic_cpuid(_metadata, &self->v, PVM_CPUID_SIGNATURE, &r);
	EXPECT_GE((uint32_t)r.rax, PVM_CPUID_VENDOR_FEATURES);
	EXPECT_EQ((uint32_t)r.rbx, 0x4b4d564b);		/* "KVMK" */
	EXPECT_EQ((uint32_t)r.rcx, 0x564b4d56);		/* "VMKV" */
	EXPECT_EQ((uint32_t)r.rdx, 0x4d);		/* "M" */
}

TEST_F(pvm, synthetic_cpuid_pvm_leaf)
{
	struct kvm_regs r;

	set_qemu_like_cpuid(&self->v);
	synthetic_cpuid(_metadata, &self->v, PVM_CPUID_VENDOR_FEATURES, &r);
	EXPECT_EQ((uint32_t)r.rbx, PVM_CPUID_SIGNATURE_EBX);
	EXPECT_EQ((uint32_t)r.rax, PVM_FEATURES_ALL);
}

/*
 * User mode always has the FSGSBASE instructions (the underlying
 * CR4.FSGSBASE is 1), so the guest is told, whatever the VMM's CPUID.
 */
TEST_F(pvm, synthetic_cpuid_fsgsbase)
{
	struct {
		struct kvm_cpuid2 hdr;
		struct kvm_cpuid_entry2 e[256];
	} c = { .hdr.nent = 256 };
	struct kvm_regs r;
	unsigned int i;

	ASSERT_EQ(ioctl(self->v.kvm, KVM_GET_SUPPORTED_CPUID, &c), 0);
	for (i = 0; i < c.hdr.nent; i++)
		if (c.e[i].function == 7 && c.e[i].index == 0)
			c.e[i].ebx &= ~1u;
	ASSERT_EQ(ioctl(self->v.vcpu, KVM_SET_CPUID2, &c), 0);
	synthetic_cpuid(_metadata, &self->v, 7, &r);
	EXPECT_EQ(r.rbx & 1, 1);
}

TEST_F(pvm, synthetic_cpuid_plain_leaf)
{
	struct kvm_regs r;

	synthetic_cpuid(_metadata, &self->v, 0x80000000, &r);
	EXPECT_GE((uint32_t)r.rax, 0x80000001);
}

TEST_F(pvm, supervisor_irq_uses_pvcs)
{
	struct pvm_vm *v = &self->v;
	struct kvm_interrupt irq = { .irq = 0x41 };
	struct pvm_vcpu_struct *p = pvcs(v);

	start(v, GUEST_SYM(t_spin), &self->regs);
	p->event_flags = PVM_EVENT_FLAGS_IF;
	ASSERT_EQ(ioctl(v->vcpu, KVM_INTERRUPT, &irq), 0);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_IRQ);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(p->event_vector, 0x41);
	EXPECT_EQ(p->event_flags & PVM_EVENT_FLAGS_IF, 0);
	EXPECT_EQ(p->eflags & 0x200, 0x200);
	EXPECT_GE(p->rip, CODE(v, t_spin));
	EXPECT_LE(p->rip, CODE(v, t_spin) + 4);
	EXPECT_EQ(p->rsp, STACK(v));
	EXPECT_EQ(self->regs.rsp, (STACK(v) - REDZONE) & ~15ULL);
}

/* A VMM with its own interrupt controller waits for PVCS::event_flags.IF. */
TEST_F(pvm, irq_window_via_pvcs)
{
	struct pvm_vm *v = &self->v;
	struct kvm_interrupt irq = { .irq = 0x42 };
	struct pvm_vcpu_struct *p = pvcs(v);

	start(v, GUEST_SYM(t_spin), &self->regs);
	v->run->request_interrupt_window = 1;
	EXPECT_EQ(run_briefly(v), -EINTR);
	EXPECT_EQ(v->run->if_flag, 0);
	/* KVM asked the guest to report when it enables interrupts. */
	EXPECT_EQ(p->event_flags & PVM_EVENT_FLAGS_IP, PVM_EVENT_FLAGS_IP);

	p->event_flags |= PVM_EVENT_FLAGS_IF;
	ASSERT_EQ(pvm_run(v), KVM_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(v->run->if_flag, 1);
	EXPECT_EQ(v->run->ready_for_interrupt_injection, 1);

	v->run->request_interrupt_window = 0;
	ASSERT_EQ(ioctl(v->vcpu, KVM_INTERRUPT, &irq), 0);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_IRQ);
	EXPECT_EQ(p->event_vector, 0x42);
	EXPECT_EQ(p->event_flags & PVM_EVENT_FLAGS_IF, 0);
}

TEST_F(pvm, user_irq_ignores_pvcs_if)
{
	struct pvm_vm *v = &self->v;
	struct kvm_interrupt irq = { .irq = 0x43 };

	start_user(v, UCODE(u_spin), &self->regs);
	ASSERT_EQ(run_briefly(v), -EINTR);	/* now spinning in user mode */
	ASSERT_EQ(ioctl(v->vcpu, KVM_INTERRUPT, &irq), 0);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 0x43);
	EXPECT_GE(pvcs(v)->rip, UCODE(u_spin));
}

TEST_F(pvm, nmi_shadow_until_erets)
{
	struct pvm_vm *v = &self->v;
	struct kvm_vcpu_events ev;
	struct sev_frame *f;
	struct kvm_regs r;

	start(v, GUEST_SYM(t_spin), &self->regs);
	ASSERT_EQ(ioctl(v->vcpu, KVM_NMI), 0);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 2);
	ASSERT_EQ(ioctl(v->vcpu, KVM_GET_VCPU_EVENTS, &ev), 0);
	EXPECT_EQ(ev.nmi.masked, 1);

	/* A second NMI waits for ERETS, so it interrupts t_spin, not the handler. */
	ASSERT_EQ(ioctl(v->vcpu, KVM_NMI), 0);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 2);
	EXPECT_GE(f->rip, CODE(v, t_spin));
	EXPECT_LE(f->rip, CODE(v, t_spin) + 4);
}

TEST_F(pvm, ud_round_trips)
{
	struct pvm_vm *v = &self->v;

	start(v, GUEST_SYM(t_ud_loop), &self->regs);
	ASSERT_EQ(pvm_set_msr(v, MSR_PVM_EVENT_ENTRY, CODE(v, ev2_entry)), 1);
	self->regs.r12 = 2000;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.r12, 0);
	EXPECT_EQ(self->regs.rsp, STACK(v));
}

TEST_F(pvm, user_ud_round_trips)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_ud_loop), &self->regs);
	ASSERT_EQ(pvm_set_msr(v, MSR_PVM_EVENT_ENTRY, CODE(v, ev2_entry)), 1);
	self->regs.r12 = 2000;
	self->regs.r15 = hi_addr(v, GPA_PVCS);
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_SYSCALL);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.r12, 0);
}

TEST_F(pvm, user_sysenter_is_gp)
{
	struct pvm_vm *v = &self->v;

	start_user(v, UCODE(u_sysenter), &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 13);
	EXPECT_EQ(pvcs(v)->event_errcode, 0);
	EXPECT_EQ(pvcs(v)->rip, UCODE(u_sysenter));
}

static uint64_t hypercall(struct __test_metadata *_metadata, struct pvm_vm *v,
			  uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct kvm_regs r;

	pvm_get_regs(v, &r);
	r.rip = CODE(v, t_syscall);
	r.rax = nr;
	r.rbx = a0;
	r.r10 = a1;
	r.rdx = a2;
	pvm_set_regs(v, &r);
	EXPECT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &r);
	return r.rax;
}

TEST_F(pvm, hypercall_load_tls_and_gs)
{
	struct pvm_vm *v = &self->v;
	/* Data, base 0x12345000, 4 GiB, DPL 0 (the host makes it 3). */
	const uint64_t data = 0x12cf93345000ffffULL;
	const uint64_t tss = 0x0000890000000067ULL;	/* a system descriptor */

	start(v, GUEST_SYM(t_syscall), &self->regs);
	ASSERT_EQ(pvm_set_msr(v, MSR_GS_BASE, 0x2222000), 1);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_TLS, data, tss, 0), 12);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, 12 << 3, 0, 0), 0x12345000);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->sregs.gs.selector, 12 << 3 | 3);
	/* The base is for user mode; the supervisor keeps its own. */
	EXPECT_EQ(self->sregs.gs.base, 0x2222000);
	/* The system descriptor was dropped, the third slot is empty. */
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, 13 << 3 | 3, 0, 0), 0);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->sregs.gs.selector, 0);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, 14 << 3 | 3, 0, 0), 0);
	/* Kernel data and LDT selectors become NULL. */
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, KERNEL_DS, 0, 0), 0);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, 0x7, 0, 0), 0);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, 0x10000, 0, 0), 0);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->sregs.gs.selector, 0);
	/* __USER_DS is usable. */
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_LOAD_GS, USER_DS, 0, 0), 0);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->sregs.gs.selector, USER_DS);
}

TEST_F(pvm, hypercall_irq_win_and_hlt)
{
	struct pvm_vm *v = &self->v;
	struct pvm_vcpu_struct *p = pvcs(v);
	struct kvm_regs r;

	start(v, GUEST_SYM(t_syscall), &r);
	p->event_flags = PVM_EVENT_FLAGS_IP;
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_IRQ_WIN, 0, 0, 0), 0);
	EXPECT_EQ(p->event_flags, 0);

	/* STI; HLT: IF on, then a halt (userspace irqchip: KVM_EXIT_HLT). */
	p->event_flags = PVM_EVENT_FLAGS_IP;
	r.rip = CODE(v, t_syscall);
	r.rax = PVM_HC_IRQ_HLT;
	pvm_set_regs(v, &r);
	EXPECT_EQ(pvm_run(v), KVM_EXIT_HLT);
	EXPECT_EQ(p->event_flags, PVM_EVENT_FLAGS_IF);
	EXPECT_EQ(v->run->if_flag, 1);
	pvm_get_regs(v, &r);
	EXPECT_EQ(r.rip, CODE(v, t_syscall) + 2);
}

/* Load through the guest at @addr; returns the value. */
static uint64_t guest_load(struct __test_metadata *_metadata, struct pvm_vm *v,
			   uint64_t addr)
{
	struct kvm_regs r;

	pvm_get_regs(v, &r);
	r.rip = CODE(v, t_load);
	r.rbx = addr;
	pvm_set_regs(v, &r);
	EXPECT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &r);
	return r.rax;
}

/* Store through the guest, so that KVM sees the write as the guest's. */
static void guest_store(struct __test_metadata *_metadata, struct pvm_vm *v,
			uint64_t addr, uint64_t val)
{
	struct kvm_regs r;

	pvm_get_regs(v, &r);
	r.rip = CODE(v, t_store);
	r.rbx = addr;
	r.rax = val;
	pvm_set_regs(v, &r);
	EXPECT_EQ(pvm_run_io(v), PORT_DONE);
}

/*
 * The guest changes one of its 4 KiB PTEs; after the TLB hypercalls the
 * new translation is in use.
 */
TEST_F(pvm, hypercall_tlb)
{
	struct pvm_vm *v = &self->v;
	const uint64_t pt = 0x6000, va = v->hi + 0x600000;
	uint64_t *pd = gpa_ptr(v, GPA_PD);

	start(v, GUEST_SYM(t_load), &self->regs);
	pd[va >> 21 & 511] = pt | 7;
	*(uint64_t *)gpa_ptr(v, pt) = GPA_DATA | 3;
	*(uint64_t *)gpa_ptr(v, GPA_DATA) = 0x1111;
	*(uint64_t *)gpa_ptr(v, GPA_DATA + 0x1000) = 0x2222;
	EXPECT_EQ(guest_load(_metadata, v, va), 0x1111);

	guest_store(_metadata, v, hi_addr(v, pt), (GPA_DATA + 0x1000) | 3);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_TLB_INVLPG, va, 0, 0), 0);
	EXPECT_EQ(guest_load(_metadata, v, va), 0x2222);

	guest_store(_metadata, v, hi_addr(v, pt), GPA_DATA | 3);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_TLB_FLUSH, 0, 0, 0), 0);
	EXPECT_EQ(guest_load(_metadata, v, va), 0x1111);

	guest_store(_metadata, v, hi_addr(v, pt), (GPA_DATA + 0x1000) | 3);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_TLB_FLUSH_CURRENT, 0, 0, 0), 0);
	EXPECT_EQ(guest_load(_metadata, v, va), 0x2222);

	/* Addresses the guest does not own are ignored. */
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_TLB_INVLPG, HOST_TEXT, 0, 0), 0);
	EXPECT_EQ(hypercall(_metadata, v, PVM_HC_TLB_INVLPG, NONCANONICAL, 0, 0), 0);
}

TEST_F(pvm, mmio_exit)
{
	struct pvm_vm *v = &self->v;
	uint64_t *pd = gpa_ptr(v, GPA_PD);
	const uint64_t mmio = 0x10000000;	/* outside the memory slot */

	start(v, GUEST_SYM(t_load), &self->regs);
	pd[mmio >> 21] = mmio | 0x83;
	self->regs.rbx = hi_addr(v, mmio + 0x18);
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run(v), KVM_EXIT_MMIO);
	EXPECT_EQ(v->run->mmio.phys_addr, mmio + 0x18);
	EXPECT_EQ(v->run->mmio.len, 8);
	EXPECT_EQ(v->run->mmio.is_write, 0);
	memcpy(v->run->mmio.data, "\x88\x77\x66\x55\x44\x33\x22\x11", 8);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rax, 0x1122334455667788ULL);
}

/*
 * Hostile guests: random code, registers, PVCS and MSR values, in
 * supervisor and user mode.  The host must only ever answer with an exit
 * a VMM can handle; a host crash would end L1 and the whole run, and L1's
 * log is checked for warnings afterwards.
 */
static uint64_t interesting(struct pvm_vm *v)
{
	const uint64_t pool[] = {
		0, 1, NONCANONICAL, HOST_TEXT, 0x00007ffffffff000ULL,
		0xffffffffffffffffULL, PVM_HC_BASE, PVM_HC_LOAD_PGTBL,
		PVM_HC_LOAD_TLS, PVM_HC_WRMSR, PVM_HC_LOAD_GS, GPA_PML4,
		MSR_PVM_VCPU_STRUCT, MSR_PVM_LINEAR_ADDRESS_RANGE,
	};

	switch (random() % 4) {
	case 0:
		return pool[random() % ARRAY_SIZE(pool)];
	case 1:
		return v->hi + (random() % GUEST_MEM_SIZE);
	case 2:
		return random() % GUEST_MEM_SIZE;
	}
	return (uint64_t)random() << 33 ^ random();
}

static int run_with_timer(struct pvm_vm *v)
{
	struct sigaction sa = { .sa_handler = sigalrm };
	struct itimerval it = { .it_value.tv_usec = 20000 };
	struct itimerval off = {};
	int r;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	r = ioctl(v->vcpu, KVM_RUN, 0);
	setitimer(ITIMER_REAL, &off, NULL);
	return r < 0 ? -errno : (int)v->run->exit_reason;
}

TEST_F(pvm, hostile_random_guests)
{
	struct pvm_vm *v = &self->v;
	unsigned int seed = time(NULL), iter, n, i;
	unsigned int counts[64] = {};
	uint64_t *regs;
	uint8_t *code;

	TH_LOG("seed %u", seed);
	srandom(seed);
	for (iter = 0; iter < 400; iter++) {
		pvm_vm_setup(v, GUEST_SYM(t_spin));
		pvm_get_regs(v, &self->regs);
		code = gpa_ptr(v, 0x104000);
		for (i = 0; i < 4096; i++)
			code[i] = random();
		/* Sometimes start with a hypercall or a synthetic instruction. */
		if (iter % 3 == 0) {
			code[0] = 0x0f;
			code[1] = 0x05;
		}
		regs = (uint64_t *)&self->regs;
		for (i = 0; i < 16; i++)
			regs[i] = interesting(v);
		self->regs.rsp = random() % 2 ? STACK(v) : interesting(v);
		self->regs.rip = hi_addr(v, 0x104000);
		self->regs.rflags = random() & 0x3f7fd5;
		if (iter % 2) {
			/* User mode: through ERETU with a random PVCS. */
			uint64_t *p = (uint64_t *)pvcs(v);

			for (i = 0; i < sizeof(struct pvm_vcpu_struct) / 8; i++)
				p[i] = random() % 4 ? 0 : interesting(v);
			pvcs(v)->user_cs = random() % 4 ? USER_CS : random();
			pvcs(v)->user_ss = random() % 4 ? USER_DS : random();
			pvcs(v)->rip = 0x104000;
			pvcs(v)->rsp = random() % 2 ? GPA_USER_STACK_TOP : interesting(v);
			pvcs(v)->eflags = random();
			self->regs.rip = CODE(v, t_eretu);
		}
		pvm_set_regs(v, &self->regs);
		for (i = 0; i < 3; i++)
			pvm_set_msr(v, MSR_PVM_LINEAR_ADDRESS_RANGE + random() % 8,
				    interesting(v));
		if (iter % 5 == 4) {
			/* The bootstrap: random real-mode code in the emulator. */
			pvm_vm_setup_real(v, 0);
			code = gpa_ptr(v, GPA_BOOT);
			for (i = 0; i < 4096; i++)
				code[i] = random();
		}

		for (n = 0; n < 20; n++) {
			int r = run_with_timer(v);

			if (r == -EINTR) {
				counts[63]++;
				break;
			}
			ASSERT_GE(r, 0) TH_LOG("KVM_RUN failed: %d", r);
			ASSERT_LT(r, 63);
			counts[r]++;
			if (r == KVM_EXIT_IO || r == KVM_EXIT_MMIO || r == KVM_EXIT_HLT)
				continue;
			ASSERT_TRUE(r == KVM_EXIT_SHUTDOWN || r == KVM_EXIT_FAIL_ENTRY ||
				    r == KVM_EXIT_INTERNAL_ERROR)
				TH_LOG("unexpected exit reason %d", r);
			break;
		}
	}
	TH_LOG("exits: io %u mmio %u hlt %u shutdown %u fail_entry %u internal %u timer %u",
	       counts[KVM_EXIT_IO], counts[KVM_EXIT_MMIO], counts[KVM_EXIT_HLT],
	       counts[KVM_EXIT_SHUTDOWN], counts[KVM_EXIT_FAIL_ENTRY],
	       counts[KVM_EXIT_INTERNAL_ERROR], counts[63]);
}

static int host_has_ospke(void)
{
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1 << 4));
}

static unsigned int my_pkru(void)
{
	unsigned int eax, edx, ecx = 0;

	asm volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(ecx));
	return eax;
}

/* The user's PKRU travels through the PVCS; the VMM keeps its own. */
TEST_F(pvm, pkru_saved_in_pvcs)
{
	struct pvm_vm *v = &self->v;
	unsigned int mine;

	if (!host_has_ospke())
		SKIP(return, "the host CPU has no protection keys");
	mine = my_pkru();
	start_user(v, UCODE(u_pkru), &self->regs);
	pvcs(v)->pkru = 0xc;
	ASSERT_EQ(pvm_run_io(v), PORT_EV_SYSCALL);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rbx, 0xc);		/* ERETU loaded PVCS::pkru */
	EXPECT_EQ(pvcs(v)->pkru, 0x30);		/* the event saved the user's */
	EXPECT_EQ(my_pkru(), mine);
}

/* A guest that denies itself key 0 gets the hardware's PK fault. */
TEST_F(pvm, pkey_fault_delivered)
{
	struct pvm_vm *v = &self->v;

	if (!host_has_ospke())
		SKIP(return, "the host CPU has no protection keys");
	start_user(v, UCODE(u_pkey0_denied), &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 14);
	EXPECT_EQ(pvcs(v)->event_errcode & 0x27, 0x27);	/* PK U W P */
	EXPECT_EQ(pvcs(v)->cr2, GPA_USER_STACK_TOP - 8);
	EXPECT_EQ(pvcs(v)->pkru, 1);
}

/* TF in supervisor mode: #DB after one instruction, DR6.BS for the guest. */
TEST_F(pvm, sup_single_step)
{
	struct pvm_vm *v = &self->v;
	struct kvm_debugregs dbg;
	struct sev_frame *f;
	struct kvm_regs r;

	start(v, GUEST_SYM(t_load), &self->regs);
	self->regs.rbx = hi_addr(v, GPA_DATA);
	self->regs.rflags = 0x102;
	pvm_set_regs(v, &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_EXC);
	pvm_get_regs(v, &r);
	f = sev_frame_at(v, r.rsp);
	EXPECT_EQ(f->vector, 1);
	EXPECT_EQ(f->rip, CODE(v, t_load_insn) + 3);
	EXPECT_EQ(f->rflags & 0x100, 0x100);
	EXPECT_EQ(r.rflags & 0x100, 0);
	ASSERT_EQ(ioctl(v->vcpu, KVM_GET_DEBUGREGS, &dbg), 0);
	EXPECT_EQ(dbg.dr6 & 0x4000, 0x4000);
}

/* Port 0x80 is the VMM's through ioperm(), not the guest's. */
TEST_F(pvm, vmm_ioperm_not_inherited)
{
	struct pvm_vm *v = &self->v;

	if (ioperm(0x80, 1, 1))
		SKIP(return, "ioperm() failed: %s", strerror(errno));
	start_user(v, UCODE(u_out80), &self->regs);
	ASSERT_EQ(pvm_run_io(v), PORT_EV_USER);
	EXPECT_EQ(pvcs(v)->event_vector, 13);
	EXPECT_EQ(pvcs(v)->rip, UCODE(u_out80));
}

/*
 * The emulated bootstrap: legacy-mode code runs through KVM's emulator
 * until the guest reaches 64-bit supervisor mode.
 */
TEST_F(pvm, boot_real_mode_program)
{
	struct pvm_vm *v = &self->v;

	pvm_vm_setup_real(v, BOOT_SYM(b_real));
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(*(uint16_t *)gpa_ptr(v, 0x12350), 0x5678);
	EXPECT_EQ(self->regs.rbx, 0x42);
	EXPECT_EQ(self->sregs.ds.selector, 0x1234);
	EXPECT_EQ(self->sregs.ds.base, 0x12340);
	EXPECT_EQ(pvm_run(v), KVM_EXIT_HLT);
}

/* From the reset vector, as QEMU starts a guest. */
TEST_F(pvm, boot_from_reset_vector)
{
	struct pvm_vm *v = &self->v;
	struct kvm_userspace_memory_region rom = {
		.slot = 1, .guest_phys_addr = 0xffff0000, .memory_size = 0x10000,
	};
	uint8_t *p = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint16_t ip = BOOT_SYM(b_real);

	ASSERT_NE(p, MAP_FAILED);
	rom.userspace_addr = (uint64_t)p;
	p[0xfff0] = 0xea;			/* ljmp $0x800, $b_real */
	memcpy(p + 0xfff1, &ip, 2);
	p[0xfff3] = 0x00;
	p[0xfff4] = 0x08;
	ASSERT_EQ(ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &rom), 0);
	memcpy(gpa_ptr(v, GPA_BOOT), boot_code_start, boot_code_end - boot_code_start);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	EXPECT_EQ(*(uint16_t *)gpa_ptr(v, 0x12350), 0x5678);
}

static void expect_seg(struct __test_metadata *_metadata, struct kvm_segment *s,
		       uint16_t sel, uint64_t base, uint32_t limit, int db,
		       const char *what)
{
	EXPECT_EQ(s->selector, sel) TH_LOG("%s", what);
	EXPECT_EQ(s->base, base) TH_LOG("%s", what);
	EXPECT_EQ(s->limit, limit) TH_LOG("%s", what);
	EXPECT_EQ(s->db, db) TH_LOG("%s", what);
}

TEST_F(pvm, boot_protected_mode_entry_and_big_real_mode)
{
	struct pvm_vm *v = &self->v;
	struct kvm_sregs *sr = &self->sregs;

	pvm_vm_setup_real(v, BOOT_SYM(b_pm));
	/* [1] CR0.PE is set, the segments still hold their real-mode caches. */
	ASSERT_EQ(pvm_run_io(v), 0xe1);
	pvm_get_sregs(v, sr);
	EXPECT_EQ(sr->cr0 & 1, 1);
	expect_seg(_metadata, &sr->cs, 0x800, 0x8000, 0xffff, 0, "[1] cs");
	expect_seg(_metadata, &sr->ds, 0, 0, 0xffff, 0, "[1] ds");
	/* [2] the far jump loaded CS from the GDT. */
	ASSERT_EQ(pvm_run_io(v), 0xe2);
	pvm_get_sregs(v, sr);
	expect_seg(_metadata, &sr->cs, 8, 0, 0xffffffff, 1, "[2] cs");
	expect_seg(_metadata, &sr->ds, 0, 0, 0xffff, 0, "[2] ds");
	/* [3] the data segments are protected-mode ones. */
	ASSERT_EQ(pvm_run_io(v), 0xe3);
	pvm_get_sregs(v, sr);
	expect_seg(_metadata, &sr->ds, 16, 0, 0xffffffff, 1, "[3] ds");
	expect_seg(_metadata, &sr->ss, 16, 0, 0xffffffff, 1, "[3] ss");
	expect_seg(_metadata, &sr->gs, 16, 0, 0xffffffff, 1, "[3] gs");
	/* [4] real mode again: loading DS sets the base, the limit stays. */
	ASSERT_EQ(pvm_run_io(v), 0xe4);
	pvm_get_sregs(v, sr);
	EXPECT_EQ(sr->cr0 & 1, 0);
	expect_seg(_metadata, &sr->cs, 0x800, 0x8000, 0xffff, 0, "[4] cs");
	expect_seg(_metadata, &sr->ds, 0, 0, 0xffffffff, 1, "[4] ds");
	/* Big real mode reaches above 1 MiB. */
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	EXPECT_EQ(*(uint32_t *)gpa_ptr(v, 0x200000), 0xcafe);
}

TEST_F(pvm, boot_to_long_mode_enters_pvm_mode)
{
	struct pvm_vm *v = &self->v;
	struct kvm_sregs *sr = &self->sregs;

	pvm_vm_setup_real(v, BOOT_SYM(b_long));
	ASSERT_EQ(pvm_run_io(v), 0xe1);
	pvm_get_sregs(v, sr);
	EXPECT_EQ(sr->efer & 0x500, 0x500);	/* LMA LME: compatibility mode */
	EXPECT_EQ(sr->cs.l, 0);
	ASSERT_EQ(pvm_run_io(v), PORT_DONE);
	pvm_get_regs(v, &self->regs);
	pvm_get_sregs(v, sr);
	EXPECT_EQ(self->regs.rbx, 0x77);
	EXPECT_EQ(sr->cs.selector, 0x20);
	EXPECT_EQ(sr->cs.l, 1);
	EXPECT_EQ(sr->efer & 0x501, 0x501);	/* LMA LME SCE */
	EXPECT_EQ(sr->cr0 & 0x80050023, 0x80050023);	/* PG AM WP NE MP PE */
	EXPECT_EQ(sr->cr4 & 0x10020, 0x10020);		/* FSGSBASE PAE */
	EXPECT_EQ(pvm_get_msr(v, MSR_STAR) >> 32 & 0xffff, 0x20);
}

TEST_F(pvm, boot_real_mode_interrupts)
{
	struct pvm_vm *v = &self->v;
	struct kvm_interrupt irq = { .irq = 0x30 };
	uint16_t *stack;

	pvm_vm_setup_real(v, BOOT_SYM(b_irq));
	/* INT 0x31 through the IVT. */
	ASSERT_EQ(pvm_run_io(v), 0xe3);
	ASSERT_EQ(run_briefly(v), -EINTR);	/* spinning with IF set */
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rflags & 0x200, 0x200);
	EXPECT_EQ(v->run->if_flag, 1);

	/* An external interrupt: the IVT entry runs, IP/CS/FLAGS on the stack. */
	ASSERT_EQ(ioctl(v->vcpu, KVM_INTERRUPT, &irq), 0);
	ASSERT_EQ(pvm_run_io(v), 0xe2);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rsp, 0x7000 - 6);
	EXPECT_EQ(self->regs.rflags & 0x200, 0);
	stack = gpa_ptr(v, 0x7000 - 6);
	EXPECT_EQ(stack[0], BOOT_SYM(b_irq_spin));
	EXPECT_EQ(stack[1], 0x800);
	EXPECT_EQ(stack[2] & 0x200, 0x200);
	/* IRET goes back to the loop. */
	EXPECT_EQ(run_briefly(v), -EINTR);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rsp, 0x7000);
}

#define BOOT_LINEAR(sym)	(GPA_BOOT + BOOT_SYM(sym))

TEST_F(pvm, boot_protected_mode_interrupts)
{
	struct pvm_vm *v = &self->v;
	struct kvm_interrupt irq = { .irq = 0x30 };
	uint32_t *frame;

	pvm_vm_setup_real(v, BOOT_SYM(b_pmirq));
	/* #GP(0x38) from the emulator, through IDT gate 13, with its code. */
	ASSERT_EQ(pvm_run_io(v), 0xe3);
	pvm_get_regs(v, &self->regs);
	pvm_get_sregs(v, &self->sregs);
	EXPECT_EQ(self->regs.rsp, 0x7000 - 16);
	EXPECT_EQ(self->sregs.cs.selector, 8);
	frame = gpa_ptr(v, 0x7000 - 16);
	EXPECT_EQ(frame[0], 0x38);
	EXPECT_EQ(frame[1], BOOT_LINEAR(b_pmirq_gp));
	EXPECT_EQ(frame[2], 8);
	frame[1] += 2;				/* skip the MOV to DS */

	/* IRET returns; STI; then vector 0x30 from KVM_INTERRUPT. */
	ASSERT_EQ(run_briefly(v), -EINTR);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rsp, 0x7000);
	EXPECT_EQ(self->regs.rflags & 0x200, 0x200);
	ASSERT_EQ(ioctl(v->vcpu, KVM_INTERRUPT, &irq), 0);
	ASSERT_EQ(pvm_run_io(v), 0xe2);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rflags & 0x200, 0);	/* interrupt gate */
	frame = gpa_ptr(v, 0x7000 - 12);
	EXPECT_EQ(frame[0], BOOT_LINEAR(b_pmirq_spin));
	EXPECT_EQ(frame[2] & 0x200, 0x200);
	ASSERT_EQ(run_briefly(v), -EINTR);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rsp, 0x7000);
	EXPECT_EQ(self->regs.rip, BOOT_LINEAR(b_pmirq_spin));
}

TEST_F(pvm, boot_unsupported_instruction)
{
	struct pvm_vm *v = &self->v;

	pvm_vm_setup_real(v, BOOT_SYM(b_bad));
	ASSERT_EQ(pvm_run(v), KVM_EXIT_INTERNAL_ERROR);
	EXPECT_EQ(v->run->internal.suberror, KVM_INTERNAL_ERROR_EMULATION);
	pvm_get_regs(v, &self->regs);
	EXPECT_EQ(self->regs.rip, BOOT_SYM(b_bad_insn));
}

TEST_HARNESS_MAIN
