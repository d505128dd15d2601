/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal PVM VM for host selftests: raw KVM ioctls, long-mode state set
 * directly, guest code from guest_code.S.
 *
 * Guest-physical layout (8 MiB of memory at GPA 0):
 *   0x1000 supervisor PML4, 0x2000 PDPT (low half), 0x3000 PD (2 MiB pages
 *   over all 8 MiB, user), 0x4000 PDPT (upper range), 0x5000 user PML4,
 *   0x7000 PVCS, 0x80000 top of the supervisor stack, 0x90000 top of the
 *   user stack, 0x100000 guest code, 0x200000 data.
 * Linear: the low 8 MiB are mapped 1:1 (user pages, in both page tables);
 * the supervisor page table maps the same memory again at the start of the
 * allowed upper range ("hi"), as supervisor pages.
 */
#ifndef PVM_VM_H
#define PVM_VM_H

#include <stdint.h>
#include <linux/kvm.h>
#include <asm/pvm_para.h>

#define GUEST_MEM_SIZE		(8UL << 20)
#define GPA_PML4		0x1000UL
#define GPA_PDPT_LOW		0x2000UL
#define GPA_PD			0x3000UL
#define GPA_PDPT_HI		0x4000UL
#define GPA_USER_PML4		0x5000UL
#define GPA_PVCS		0x7000UL
#define GPA_STACK_TOP		0x80000UL
#define GPA_USER_STACK_TOP	0x90000UL
#define GPA_CODE		0x100000UL
#define GPA_DATA		0x200000UL
#define GPA_BOOT		0x8000UL	/* bootstrap code, CS = 0x800 */

#define REDZONE			128

/* Ports the guest code writes to (OUT %al, $port) to report to the test. */
#define PORT_EV_USER		0xe0	/* event entry +0 */
#define PORT_EV_EXC		0xe1	/* event entry +256 */
#define PORT_EV_IRQ		0xe2	/* event entry +512 */
#define PORT_EV_SYSCALL		0xe3	/* MSR_LSTAR */
#define PORT_DONE		0xf0

#define MSR_IA32_TSC		0x00000010
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102

#define KERNEL_CS		0x10
#define KERNEL_DS		0x18
#define USER32_CS		0x23
#define USER_DS			0x2b
#define USER_CS			0x33

struct pvm_vm {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	uint8_t *mem;
	uint64_t hi;		/* first linear address of the allowed upper range */
	uint64_t range_msr;	/* MSR_PVM_LINEAR_ADDRESS_RANGE at reset */
};

/* Guest code (guest_code.S), addressed by offsets from guest_code_start. */
extern const char guest_code_start[], guest_code_end[];
extern const char ev_entry[], retu_insn[], rets_insn[], lstar_entry[],
	ev2_entry[], t_syscall[], t_syscall_loop[], t_ud_loop[], t_ud[],
	t_ud_insn[], t_bp[], t_bp_next[], t_de[], t_de_insn[], t_int41[],
	t_int41_insn[], t_int4[], t_int4_insn[], t_load[], t_load_insn[],
	t_store[], t_eretu[], t_cpuid[], t_native_cpuid[], t_spin[], u_syscall[], u_syscall_next[],
	u_ud[], u_int80[], u_int80_next[], u_load[], u_rdgsbase[], u_pushf[],
	u_ud_loop[], u_sysenter[], u_pkru[], u_out80[], u_pkey0_denied[],
	u_spin[];

/* Bootstrap code (guest_code.S), offsets from boot_code_start. */
extern const char boot_code_start[], boot_code_end[];
extern const char b_real[], b_pm[], b_long[], b_irq[], b_irq_spin[], b_bad[],
	b_bad_insn[], b_pmirq[], b_pmirq_gp[], b_pmirq_spin[];

#define BOOT_SYM(name)	((uint64_t)((name) - boot_code_start))

static inline uint64_t guest_off(const char *sym)
{
	return sym - guest_code_start;
}

#define GUEST_SYM(name)	guest_off(name)

void pvm_vm_create(struct pvm_vm *v);
void pvm_vm_destroy(struct pvm_vm *v);
/* Supervisor mode at @code (a GUEST_SYM offset), page tables, PVM MSRs. */
void pvm_vm_setup(struct pvm_vm *v, uint64_t code);
/* Real mode at BOOT_SYM offset @ip with CS = 0x800; page tables built. */
void pvm_vm_setup_real(struct pvm_vm *v, uint64_t ip);

int pvm_set_msr(struct pvm_vm *v, uint32_t index, uint64_t value);
uint64_t pvm_get_msr(struct pvm_vm *v, uint32_t index);
void pvm_get_regs(struct pvm_vm *v, struct kvm_regs *regs);
void pvm_set_regs(struct pvm_vm *v, struct kvm_regs *regs);
void pvm_get_sregs(struct pvm_vm *v, struct kvm_sregs *sregs);
void pvm_set_sregs(struct pvm_vm *v, struct kvm_sregs *sregs);

/* KVM_RUN once; returns the exit reason. */
int pvm_run(struct pvm_vm *v);
/* KVM_RUN; returns the port of a KVM_EXIT_IO exit, -exit_reason otherwise. */
int pvm_run_io(struct pvm_vm *v);

/* Linear addresses of guest code and data. */
static inline uint64_t hi_addr(struct pvm_vm *v, uint64_t gpa)
{
	return v->hi + gpa;
}

static inline void *gpa_ptr(struct pvm_vm *v, uint64_t gpa)
{
	return v->mem + gpa;
}

static inline struct pvm_vcpu_struct *pvcs(struct pvm_vm *v)
{
	return gpa_ptr(v, GPA_PVCS);
}

/* The 64-byte frame of a supervisor event below 32, at guest @rsp. */
struct sev_frame {
	uint32_t errcode;
	uint32_t vector;
	uint64_t rip, cs, rflags, rsp, ss, rcx, r11;
};

struct sev_frame *sev_frame_at(struct pvm_vm *v, uint64_t rsp);

#endif /* PVM_VM_H */
