/* SPDX-License-Identifier: GPL-2.0 */
#ifndef __KVM_X86_PVM_H
#define __KVM_X86_PVM_H

#include <linux/kvm_host.h>
#include <asm/desc_defs.h>
#include <asm/pvm_para.h>

/*
 * Exit codes of kvm-pvm beyond those of the switcher (0..255 vectors,
 * PVM_EXIT_SYSCALL*): reasons not to enter the guest at all.
 */
#define PVM_EXIT_BAD_STATE	0x1000	/* state that is not PVM mode */
#define PVM_EXIT_NO_ROOT	0x1001	/* CR3 outside guest memory */
#define PVM_EXIT_EMULATE	0x1002	/* legacy mode: run the emulator */

/*
 * KVM_EXIT_FAIL_ENTRY reason (hardware_entry_failure_reason), distinct from
 * VMX/SVM codes: a long-mode state that is neither PVM mode nor something
 * the bootstrap can emulate (e.g. CPL3 on a CS that is not a user CS).
 */
#define PVM_FAIL_ENTRY_NOT_PVM_MODE	0x70766d01	/* "pvm" 1 */

/* ES, CS, SS, DS, FS, GS, TR, LDTR: the kvm_segment indexes VCPU_SREG_* */
#define PVM_NR_SEGS	(VCPU_SREG_LDTR + 1)

struct vcpu_pvm {
	struct kvm_vcpu vcpu;

	/* Guest registers exchanged with the switcher. */
	struct pt_regs regs;
	unsigned long exit_code;
	unsigned long exit_cr2;
	unsigned long exit_dr6;

	/* Hardware state */
	unsigned long hw_cr3;		/* shadow root, or INVALID_PAGE */
	unsigned long rflags;		/* guest RFLAGS without IF */
	u32 hw_pkru;			/* PKRU while the guest runs */
	int interrupt_shadow;		/* bootstrap only: KVM_X86_SHADOW_INT_* */
	u64 emulated_insns;		/* by the bootstrap, for the log */
	struct kvm_segment segments[PVM_NR_SEGS];
	struct desc_ptr idt;		/* stored only: PVM has no guest IDT */
	struct desc_ptr gdt;		/* stored only: the host GDT is used */

	/* Host state while the vCPU is loaded; see pvm_prepare_switch_to_guest() */
	bool guest_state_loaded;
	u16 host_ds_sel, host_es_sel, host_ldt_sel;
	struct desc_struct host_cpunode;	/* GDT_ENTRY_CPUNODE */

	/* PVM MSRs */
	u64 msr_linear_address_range;
	u64 msr_vcpu_struct;
	u64 msr_supervisor_rsp;
	u64 msr_supervisor_redzone;
	u64 msr_event_entry;
	u64 msr_retu_rip;
	u64 msr_rets_rip;
	u64 msr_switch_cr3;

	/* Virtual system-call MSRs: the hardware ones belong to the switcher. */
	u64 msr_star;
	u64 msr_lstar;
	u64 msr_cstar;
	u64 msr_syscall_mask;
	u64 msr_kernel_gs_base;
	u64 msr_sysenter_cs;
	u64 msr_sysenter_esp;
	u64 msr_sysenter_eip;
	u64 msr_tsc_aux;

	/* Upper-half linear range the guest may use: [start, end) */
	unsigned long range_start;
	unsigned long range_end;

	bool nmi_masked;

	/* PVM_HC_LOAD_TLS: the host GDT's TLS slots while the vCPU is loaded */
	struct desc_struct tls[GDT_ENTRY_TLS_ENTRIES];

	struct gfn_to_pfn_cache pvcs_gpc;
};

static __always_inline struct vcpu_pvm *to_pvm(struct kvm_vcpu *vcpu)
{
	return container_of(vcpu, struct vcpu_pvm, vcpu);
}

#endif /* __KVM_X86_PVM_H */
