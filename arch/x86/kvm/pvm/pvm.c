// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-pvm: KVM for PVM guests.
 *
 * A PVM guest kernel runs at hardware CPL3 on the host's GDT, on KVM's
 * shadow page tables; the PVM switcher (arch/x86/entry/switcher_64.c)
 * moves the CPU between host and guest.  "Supervisor mode" and "user
 * mode" below are the guest's virtual privilege levels: both run at CPL3.
 * The ABI is described in Documentation/virt/kvm/x86/pvm-spec.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kvm_host.h>
#include <linux/module.h>
#include <asm/desc.h>
#include <asm/fsgsbase.h>
#include <asm/gsseg.h>
#include <asm/io_bitmap.h>
#include <asm/pkru.h>
#include <asm/pvm_switcher.h>
#include <asm/traps.h>
#include <trace/events/ipi.h>

#include "cpuid.h"
#include "kvm_cache_regs.h"
#include "lapic.h"
#include "mmu.h"
#include "pmu.h"
#include "x86.h"

#include "pvm.h"

MODULE_DESCRIPTION("KVM for PVM guests (paravirtualized, CPL3, no VT-x/AMD-V)");
MODULE_LICENSE("GPL");

static struct pvm_switcher_range pvm_range;

/* User-return MSR slots: the SYSCALL/SYSENTER targets of the switcher. */
static int pvm_uret_lstar = -1, pvm_uret_cstar = -1, pvm_uret_sysenter_cs = -1;
/* RDTSCP and RDPID run natively in the guest and read MSR_TSC_AUX. */
static int pvm_uret_tsc_aux = -1;

/*
 * The flags a guest may hold: all but IOPL, VM, VIF and VIP (the spec's
 * list) and IF, which is always set underneath.  NT is harmless at CPL3
 * in 64-bit mode (an IRET with it faults in the guest) and Linux lets
 * user mode keep it across system calls.
 */
#define PVM_RFLAGS_GUEST	(X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
				 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | \
				 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_NT | \
				 X86_EFLAGS_AC | X86_EFLAGS_RF | X86_EFLAGS_ID)

/* Vectors for which x86 pushes an error code. */
#define PVM_ERRCODE_VECTORS	(BIT(DF_VECTOR) | BIT(TS_VECTOR) | BIT(NP_VECTOR) | \
				 BIT(SS_VECTOR) | BIT(GP_VECTOR) | BIT(PF_VECTOR) | \
				 BIT(AC_VECTOR) | BIT(X86_TRAP_CP) | BIT(29) | BIT(30))

static bool pvm_is_user(struct kvm_vcpu *vcpu)
{
	return to_pvm(vcpu)->segments[VCPU_SREG_CS].dpl == 3;
}

/* A 4-level linear address: the host refuses to load with 5-level paging. */
static bool pvm_canonical(u64 la)
{
	return __is_canonical_address(la, 48);
}

/*
 * PVM mode runs natively at CPL3.  Legacy mode (real mode, protected mode,
 * and the compatibility-mode kernel code of a long-mode switch) is the
 * bootstrap: kvm-pvm runs it through KVM's instruction emulator until the
 * guest reaches 64-bit supervisor mode.  Anything else cannot run.
 */
enum pvm_mode { PVM_MODE_PVM, PVM_MODE_LEGACY, PVM_MODE_INVALID };

static enum pvm_mode pvm_mode(struct kvm_vcpu *vcpu)
{
	struct kvm_segment *cs = &to_pvm(vcpu)->segments[VCPU_SREG_CS];

	if (!is_long_mode(vcpu))
		return PVM_MODE_LEGACY;
	if (!is_paging(vcpu) || !is_pae(vcpu) ||
	    kvm_read_cr4_bits(vcpu, X86_CR4_LA57))
		return PVM_MODE_INVALID;
	if (cs->dpl == 0)
		return cs->l ? PVM_MODE_PVM : PVM_MODE_LEGACY;
	if (cs->dpl == 3 && (cs->selector == __USER_CS ||
			     cs->selector == __USER32_CS))
		return PVM_MODE_PVM;
	return PVM_MODE_INVALID;
}

static bool pvm_in_pvm_mode(struct kvm_vcpu *vcpu)
{
	return pvm_mode(vcpu) == PVM_MODE_PVM;
}

/* ---------------------------------------------------------------------
 * The PVCS (struct pvm_vcpu_struct) in guest memory
 */

/*
 * Map the PVCS for reading and writing; on success the gpc read lock is
 * held and must be dropped with pvm_pvcs_unmap().  Only @may_sleep
 * callers can bring an invalidated mapping back.
 */
static struct pvm_vcpu_struct *pvm_pvcs_map(struct vcpu_pvm *pvm,
					    unsigned long *flags, bool may_sleep)
{
	struct gfn_to_pfn_cache *gpc = &pvm->pvcs_gpc;

	if (!pvm->msr_vcpu_struct)
		return NULL;

	read_lock_irqsave(&gpc->lock, *flags);
	while (!kvm_gpc_check(gpc, PAGE_SIZE)) {
		read_unlock_irqrestore(&gpc->lock, *flags);
		if (!may_sleep || kvm_gpc_refresh(gpc, PAGE_SIZE))
			return NULL;
		read_lock_irqsave(&gpc->lock, *flags);
	}
	return gpc->khva;
}

static void pvm_pvcs_unmap(struct vcpu_pvm *pvm, unsigned long flags,
			   bool dirty)
{
	if (dirty)
		kvm_gpc_mark_dirty_in_slot(&pvm->pvcs_gpc);
	read_unlock_irqrestore(&pvm->pvcs_gpc.lock, flags);
}

/* PVCS::event_flags.IF; false when there is no PVCS. */
static bool pvm_pvcs_if(struct vcpu_pvm *pvm, bool may_sleep)
{
	struct pvm_vcpu_struct *pvcs;
	unsigned long flags;
	bool ret;

	pvcs = pvm_pvcs_map(pvm, &flags, may_sleep);
	if (!pvcs)
		return false;
	ret = READ_ONCE(pvcs->event_flags) & PVM_EVENT_FLAGS_IF;
	pvm_pvcs_unmap(pvm, flags, false);
	return ret;
}

static bool pvm_pvcs_update_flags(struct vcpu_pvm *pvm, u64 clear, u64 set)
{
	struct pvm_vcpu_struct *pvcs;
	unsigned long flags;
	u64 old;

	pvcs = pvm_pvcs_map(pvm, &flags, true);
	if (!pvcs)
		return false;
	old = READ_ONCE(pvcs->event_flags);
	WRITE_ONCE(pvcs->event_flags, (old & ~clear) | set);
	pvm_pvcs_unmap(pvm, flags, true);
	return true;
}

/* ---------------------------------------------------------------------
 * Segments and modes
 */

static void pvm_set_code_seg(struct kvm_segment *s, u16 sel, int dpl, bool l)
{
	*s = (struct kvm_segment) {
		.selector = sel, .limit = 0xffffffff, .type = 0xb, .s = 1,
		.dpl = dpl, .present = 1, .l = l, .db = !l, .g = 1,
	};
}

static void pvm_set_data_seg(struct kvm_segment *s, u16 sel, int dpl)
{
	*s = (struct kvm_segment) {
		.selector = sel, .limit = 0xffffffff, .type = 0x3, .s = 1,
		.dpl = dpl, .present = 1, .db = 1, .g = 1,
	};
}

/* CS/SS of the guest's supervisor mode, from the kernel half of MSR_STAR. */
static void pvm_enter_supervisor_segs(struct vcpu_pvm *pvm)
{
	u16 cs = (pvm->msr_star >> 32) & 0xfffc;

	pvm_set_code_seg(&pvm->segments[VCPU_SREG_CS], cs, 0, true);
	pvm_set_data_seg(&pvm->segments[VCPU_SREG_SS], cs + 8, 0);
}

static void pvm_enter_user_segs(struct vcpu_pvm *pvm, u16 cs)
{
	pvm_set_code_seg(&pvm->segments[VCPU_SREG_CS], cs, 3, cs == __USER_CS);
	pvm_set_data_seg(&pvm->segments[VCPU_SREG_SS], __USER_DS, 3);
}

/* Swap CR3 and MSR_PVM_SWITCH_CR3 without a TLB flush (spec: mode switch). */
static void pvm_switch_cr3(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	unsigned long new = pvm->msr_switch_cr3;

	pvm->msr_switch_cr3 = kvm_read_cr3(vcpu);
	if (new != pvm->msr_switch_cr3)
		kvm_mmu_new_pgd(vcpu, new);
	vcpu->arch.cr3 = new;
	kvm_register_mark_dirty(vcpu, VCPU_EXREG_CR3);
}

/* ---------------------------------------------------------------------
 * Event delivery (spec: "Events and Mode Changing")
 */

/* A fault while delivering an event: the spec's #DF, i.e. a triple fault. */
static void pvm_delivery_failed(struct kvm_vcpu *vcpu, const char *why)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	/* What a post-mortem needs: the guest itself may print nothing. */
	vcpu_unimpl(vcpu, "event delivery failed (%s), shutting down: %s, rsp %lx, cr3 %lx/%llx\n",
		    why, pvm_is_user(vcpu) ? "user" : "supervisor",
		    kvm_rsp_read(vcpu), kvm_read_cr3(vcpu),
		    pvm->msr_switch_cr3);
	kvm_make_request(KVM_REQ_TRIPLE_FAULT, vcpu);
}

static void pvm_load_supervisor_entry(struct kvm_vcpu *vcpu, u64 rip, u64 rsp)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	kvm_rsp_write(vcpu, rsp);
	kvm_rip_write(vcpu, rip);
	kvm_rcx_write(vcpu, rip);
	kvm_r11_write(vcpu, X86_EFLAGS_IF | X86_EFLAGS_FIXED);
	pvm->rflags = X86_EFLAGS_FIXED;
}

/* An event or SYSCALL in user mode: save user state in the PVCS, enter supervisor. */
static void pvm_deliver_user_event(struct kvm_vcpu *vcpu, int vector,
				   u32 errcode, bool syscall)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pvm_vcpu_struct *pvcs;
	unsigned long flags;
	u64 entry;

	entry = syscall ? pvm->msr_lstar : pvm->msr_event_entry;
	if (!entry) {
		pvm_delivery_failed(vcpu, "no entry point");
		return;
	}
	pvcs = pvm_pvcs_map(pvm, &flags, true);
	if (!pvcs) {
		pvm_delivery_failed(vcpu, "no PVCS");
		return;
	}
	pvcs->user_cs = pvm->segments[VCPU_SREG_CS].selector;
	pvcs->user_ss = __USER_DS;
	pvcs->user_gsbase = pvm->segments[VCPU_SREG_GS].base;
	pvcs->eflags = pvm->rflags | X86_EFLAGS_IF;
	pvcs->pkru = pvm->hw_pkru;
	pvcs->rip = kvm_rip_read(vcpu);
	pvcs->rsp = kvm_rsp_read(vcpu);
	pvcs->rcx = kvm_rcx_read(vcpu);
	pvcs->r11 = kvm_r11_read(vcpu);
	if (!syscall) {
		pvcs->event_vector = vector;
		pvcs->event_errcode = errcode;
		if (vector == PF_VECTOR)
			pvcs->cr2 = vcpu->arch.cr2;
	}
	pvm_pvcs_unmap(pvm, flags, true);

	pvm_enter_supervisor_segs(pvm);
	pvm_switch_cr3(vcpu);
	pvm->segments[VCPU_SREG_GS].base = pvm->msr_kernel_gs_base;
	/* The supervisor's underlying PKRU (the spec's PKRS) is not emulated: 0. */
	pvm->hw_pkru = 0;
	pvm_load_supervisor_entry(vcpu, entry, pvm->msr_supervisor_rsp);
}

/*
 * Does @ev look like the event frame of an interrupted supervisor?  The
 * guest builds +512 frames itself, with its own selectors, and may reuse
 * the first word and the upper bits of SS once it has read them (Linux
 * keeps the error code alone there, or -1, and FRED's event information
 * above SS), so only the shape of the rest is checked: selectors of one
 * privilege level, the always-set RFLAGS bit and a canonical upper-half
 * RIP.
 */
static bool pvm_frame_like(const struct pvm_supervisor_event *ev)
{
	return ev->cs <= 0xffff && (ev->cs & 3) == (ev->ss & 3) &&
	       (ev->rflags & X86_EFLAGS_FIXED) && !(ev->rflags >> 22) &&
	       (s64)ev->rip < 0 && pvm_canonical(ev->rip);
}

/*
 * The supervisor stack ran out, usually because events nested without end.
 * Name the event that did not fit, where the walk of the guest's page
 * table failed (@e, or NULL if the address is not guest memory), and the
 * newest event frames on the stack, which tell what nested: a post-mortem
 * has nothing else.
 */
static void pvm_report_stack(struct kvm_vcpu *vcpu, int vector, u32 errcode,
			     struct x86_exception *e)
{
	unsigned long rsp = kvm_rsp_read(vcpu), addr, len;
	const int max = 4 * PAGE_SIZE / sizeof(u64);
	struct pvm_supervisor_event *ev;
	int i, nr = 0, found = 0;
	struct x86_exception re;
	u64 *words;

	vcpu_unimpl(vcpu, "supervisor event %d (error %x) at %lx did not fit below rsp %lx\n",
		    vector, errcode, kvm_rip_read(vcpu), rsp);
	if (e)
		vcpu_unimpl(vcpu, "  its write page-faulted at %llx, error code %x\n",
			    e->address, e->error_code);
	else
		vcpu_unimpl(vcpu, "  its stack is not guest memory\n");
	words = kmalloc_array(max, sizeof(*words), GFP_KERNEL_ACCOUNT);
	if (!words)
		return;
	/* Up to 16 KiB above RSP, a page at a time up to the stack's top. */
	for (addr = rsp & ~7ul; nr < max; addr += len, nr += len / 8) {
		len = min_t(unsigned long, PAGE_SIZE - offset_in_page(addr),
			    (max - nr) * sizeof(*words));
		if (kvm_read_guest_virt(vcpu, addr, &words[nr], len, &re) != X86EMUL_CONTINUE)
			break;
	}
	for (i = 0; i + sizeof(*ev) / 8 <= nr && found < 6; i++) {
		ev = (struct pvm_supervisor_event *)&words[i];
		if (!pvm_frame_like(ev))
			continue;
		vcpu_unimpl(vcpu, "  frame at %lx: interrupted rip %llx, rsp %llx\n",
			    (rsp & ~7ul) + i * 8, ev->rip, ev->rsp);
		found++;
		i += sizeof(*ev) / 8 - 1;
	}
	kfree(words);
}

/* Vector < 32 in supervisor mode: a frame on the supervisor stack, entry +256. */
static void pvm_deliver_supervisor_exception(struct kvm_vcpu *vcpu, int vector,
					     u32 errcode)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pvm_supervisor_event frame;
	struct x86_exception e;
	unsigned long rsp, flags;
	struct pvm_vcpu_struct *pvcs;
	bool guest_if;
	int r;

	if (!pvm->msr_event_entry) {
		pvm_delivery_failed(vcpu, "no entry point");
		return;
	}
	pvcs = pvm_pvcs_map(pvm, &flags, true);
	if (!pvcs) {
		pvm_delivery_failed(vcpu, "no PVCS");
		return;
	}
	guest_if = READ_ONCE(pvcs->event_flags) & PVM_EVENT_FLAGS_IF;
	pvm_pvcs_unmap(pvm, flags, false);

	rsp = kvm_rsp_read(vcpu);
	frame.errcode = errcode;
	frame.vector = vector;
	frame.rip = kvm_rip_read(vcpu);
	frame.cs = pvm->segments[VCPU_SREG_CS].selector;
	frame.rflags = pvm->rflags | (guest_if ? X86_EFLAGS_IF : 0);
	frame.rsp = rsp;
	frame.ss = pvm->segments[VCPU_SREG_SS].selector;
	frame.rcx = kvm_rcx_read(vcpu);
	frame.r11 = kvm_r11_read(vcpu);
	rsp = ALIGN_DOWN(rsp - pvm->msr_supervisor_redzone, 16) - sizeof(frame);

	/* Writing guest memory may fault and sleep: not under the gpc lock. */
	r = kvm_write_guest_virt_system(vcpu, rsp, &frame, sizeof(frame), &e);
	if (r) {
		pvm_report_stack(vcpu, vector, errcode,
				 r == X86EMUL_PROPAGATE_FAULT ? &e : NULL);
		pvm_delivery_failed(vcpu, "supervisor stack not writable");
		return;
	}
	pvcs = pvm_pvcs_map(pvm, &flags, true);
	if (!pvcs) {
		pvm_delivery_failed(vcpu, "no PVCS");
		return;
	}
	if (vector == PF_VECTOR)
		pvcs->cr2 = vcpu->arch.cr2;
	WRITE_ONCE(pvcs->event_flags, pvcs->event_flags & ~PVM_EVENT_FLAGS_IF);
	pvm_pvcs_unmap(pvm, flags, true);

	pvm_load_supervisor_entry(vcpu, pvm->msr_event_entry + PVM_ENTRY_SUPERVISOR_EXC,
				  rsp);
}

/* Vector >= 32 in supervisor mode: state in the PVCS, entry +512. */
static void pvm_deliver_supervisor_irq(struct kvm_vcpu *vcpu, int vector)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pvm_vcpu_struct *pvcs;
	unsigned long rsp, flags;

	if (!pvm->msr_event_entry) {
		pvm_delivery_failed(vcpu, "no entry point");
		return;
	}
	pvcs = pvm_pvcs_map(pvm, &flags, true);
	if (!pvcs) {
		pvm_delivery_failed(vcpu, "no PVCS");
		return;
	}
	rsp = kvm_rsp_read(vcpu);
	pvcs->rip = kvm_rip_read(vcpu);
	pvcs->rsp = rsp;
	pvcs->eflags = pvm->rflags |
		       (READ_ONCE(pvcs->event_flags) & PVM_EVENT_FLAGS_IF);
	pvcs->rcx = kvm_rcx_read(vcpu);
	pvcs->r11 = kvm_r11_read(vcpu);
	pvcs->event_vector = vector;
	WRITE_ONCE(pvcs->event_flags, pvcs->event_flags & ~PVM_EVENT_FLAGS_IF);
	pvm_pvcs_unmap(pvm, flags, true);

	rsp = ALIGN_DOWN(rsp - pvm->msr_supervisor_redzone, 16);
	pvm_load_supervisor_entry(vcpu, pvm->msr_event_entry + PVM_ENTRY_SUPERVISOR_IRQ,
				  rsp);
}

static void pvm_deliver_legacy_event(struct kvm_vcpu *vcpu, int vector,
				     bool has_err, u32 errcode);

static void pvm_deliver_event(struct kvm_vcpu *vcpu, int vector, u32 errcode)
{
	if (!pvm_in_pvm_mode(vcpu))
		pvm_deliver_legacy_event(vcpu, vector, false, 0);
	else if (pvm_is_user(vcpu))
		pvm_deliver_user_event(vcpu, vector, errcode, false);
	else if (vector < 32)
		pvm_deliver_supervisor_exception(vcpu, vector, errcode);
	else
		pvm_deliver_supervisor_irq(vcpu, vector);
}

static void pvm_inject_exception(struct kvm_vcpu *vcpu)
{
	struct kvm_queued_exception *ex = &vcpu->arch.exception;

	kvm_deliver_exception_payload(vcpu, ex);
	if (!pvm_in_pvm_mode(vcpu))
		pvm_deliver_legacy_event(vcpu, ex->vector, ex->has_error_code,
					 ex->error_code);
	else
		pvm_deliver_event(vcpu, ex->vector,
				  ex->has_error_code ? ex->error_code : 0);
}

static void pvm_inject_irq(struct kvm_vcpu *vcpu, bool reinjected)
{
	int irq = vcpu->arch.interrupt.nr;

	++vcpu->stat.irq_injections;
	pvm_deliver_event(vcpu, irq, 0);
}

static void pvm_inject_nmi(struct kvm_vcpu *vcpu)
{
	++vcpu->stat.nmi_injections;
	to_pvm(vcpu)->nmi_masked = true;
	pvm_deliver_event(vcpu, NMI_VECTOR, 0);
}

/*
 * Delivery is done synchronously by the inject_* callbacks above, so
 * there is never anything left to re-inject.
 */
static void pvm_cancel_injection(struct kvm_vcpu *vcpu)
{
	kvm_clear_exception_queue(vcpu);
	kvm_clear_interrupt_queue(vcpu);
	vcpu->arch.nmi_injected = false;
}

static int pvm_interrupt_allowed(struct kvm_vcpu *vcpu, bool for_injection)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	if (!pvm_in_pvm_mode(vcpu))
		return (pvm->rflags & X86_EFLAGS_IF) && !pvm->interrupt_shadow;
	if (pvm_is_user(vcpu))
		return true;
	return pvm_pvcs_if(pvm, false);
}

static bool pvm_get_if_flag(struct kvm_vcpu *vcpu)
{
	return pvm_interrupt_allowed(vcpu, false);
}

static int pvm_nmi_allowed(struct kvm_vcpu *vcpu, bool for_injection)
{
	return !to_pvm(vcpu)->nmi_masked;
}

static bool pvm_get_nmi_mask(struct kvm_vcpu *vcpu)
{
	return to_pvm(vcpu)->nmi_masked;
}

static void pvm_set_nmi_mask(struct kvm_vcpu *vcpu, bool masked)
{
	to_pvm(vcpu)->nmi_masked = masked;
}

/* The NMI window opens at ERETU/ERETS, which always exit to the host. */
static void pvm_enable_nmi_window(struct kvm_vcpu *vcpu)
{
}

/* Ask the guest to call PVM_HC_IRQ_WIN when it sets PVCS::event_flags.IF. */
static void pvm_enable_irq_window(struct kvm_vcpu *vcpu)
{
	pvm_pvcs_update_flags(to_pvm(vcpu), 0, PVM_EVENT_FLAGS_IP);
}

static void pvm_deliver_interrupt(struct kvm_lapic *apic, int delivery_mode,
				  int trig_mode, int vector)
{
	struct kvm_vcpu *vcpu = apic->vcpu;

	kvm_lapic_set_irr(vector, apic);
	/* Order the IRR write before the kick's read of vcpu->mode. */
	smp_mb__after_atomic();
	kvm_make_request(KVM_REQ_EVENT, vcpu);
	kvm_vcpu_kick(vcpu);
}

/* ---------------------------------------------------------------------
 * ERETU and ERETS
 */

/*
 * ERETU/ERETS fault as the instruction they are: point RIP back at the
 * SYSCALL before the exception is delivered.
 */
static int pvm_synthetic_insn_gp(struct kvm_vcpu *vcpu)
{
	kvm_rip_write(vcpu, kvm_rip_read(vcpu) - 2);
	kvm_queue_exception_e(vcpu, GP_VECTOR, 0);
	return 1;
}

static int pvm_eretu(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pvm_vcpu_struct *pvcs;
	u64 rip, rsp, rcx, r11, gsbase;
	unsigned long flags;
	u32 eflags, pkru;
	u16 cs, ss;

	pvcs = pvm_pvcs_map(pvm, &flags, true);
	if (!pvcs)
		return pvm_synthetic_insn_gp(vcpu);
	cs = READ_ONCE(pvcs->user_cs) | 3;
	ss = READ_ONCE(pvcs->user_ss) | 3;
	rip = READ_ONCE(pvcs->rip);
	rsp = READ_ONCE(pvcs->rsp);
	rcx = READ_ONCE(pvcs->rcx);
	r11 = READ_ONCE(pvcs->r11);
	gsbase = READ_ONCE(pvcs->user_gsbase);
	eflags = READ_ONCE(pvcs->eflags);
	pkru = READ_ONCE(pvcs->pkru);
	pvm_pvcs_unmap(pvm, flags, false);

	if ((cs != __USER_CS && cs != __USER32_CS) || ss != __USER_DS ||
	    !pvm_canonical(rip) || (cs == __USER32_CS && rip > U32_MAX))
		return pvm_synthetic_insn_gp(vcpu);

	pvm->msr_supervisor_rsp = kvm_rsp_read(vcpu);
	pvm->msr_kernel_gs_base = pvm->segments[VCPU_SREG_GS].base;
	/* Semi-canonicalise: bits 63:48 follow bit 47 on a 4-level host. */
	pvm->segments[VCPU_SREG_GS].base = (u64)((s64)(gsbase << 16) >> 16);
	pvm_enter_user_segs(pvm, cs);
	pvm_switch_cr3(vcpu);

	kvm_rip_write(vcpu, rip);
	kvm_rsp_write(vcpu, rsp);
	kvm_rcx_write(vcpu, rcx);
	kvm_r11_write(vcpu, r11);
	pvm->rflags = (eflags & PVM_RFLAGS_GUEST) | X86_EFLAGS_FIXED;
	pvm->hw_pkru = pkru;
	pvm->nmi_masked = false;
	kvm_make_request(KVM_REQ_EVENT, vcpu);
	return 1;
}

static int pvm_erets(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pvm_supervisor_event frame;
	struct x86_exception e;
	int r;

	r = kvm_read_guest_virt(vcpu, kvm_rsp_read(vcpu), &frame, sizeof(frame), &e);
	if (r == X86EMUL_PROPAGATE_FAULT) {
		kvm_rip_write(vcpu, kvm_rip_read(vcpu) - 2);
		kvm_inject_emulated_page_fault(vcpu, &e);
		return 1;
	}
	if (r != X86EMUL_CONTINUE || !pvm_canonical(frame.rip))
		return pvm_synthetic_insn_gp(vcpu);
	if (!pvm_pvcs_update_flags(pvm, PVM_EVENT_FLAGS_IF,
				   frame.rflags & X86_EFLAGS_IF))
		return pvm_synthetic_insn_gp(vcpu);
	kvm_rip_write(vcpu, frame.rip);
	pvm->rflags = (frame.rflags & PVM_RFLAGS_GUEST) | X86_EFLAGS_FIXED;
	kvm_rsp_write(vcpu, frame.rsp);
	kvm_rcx_write(vcpu, frame.rcx);
	kvm_r11_write(vcpu, frame.r11);
	pvm->nmi_masked = false;
	kvm_make_request(KVM_REQ_EVENT, vcpu);
	return 1;
}

/* ---------------------------------------------------------------------
 * Hypercalls
 */

static unsigned long pvm_hc_load_pgtbl(struct kvm_vcpu *vcpu, unsigned long flags,
				       unsigned long pgd, unsigned long user_pgd)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	if ((flags & ~PVM_LOAD_PGTBL_VALID_FLAGS) || (flags & PVM_LOAD_PGTBL_LA57) ||
	    !kvm_vcpu_is_legal_cr3(vcpu, pgd) ||
	    !kvm_vcpu_is_legal_cr3(vcpu, user_pgd))
		return -KVM_EINVAL;

	if (pgd != kvm_read_cr3(vcpu))
		kvm_mmu_new_pgd(vcpu, pgd);
	vcpu->arch.cr3 = pgd;
	kvm_register_mark_dirty(vcpu, VCPU_EXREG_CR3);
	pvm->msr_switch_cr3 = user_pgd;
	if (flags & PVM_LOAD_PGTBL_FLUSH)
		kvm_make_request(KVM_REQ_TLB_FLUSH_GUEST, vcpu);
	return 0;
}

static bool pvm_gva_outside_walk_range(struct kvm_vcpu *vcpu, gva_t gva)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	if (gva < BIT_ULL(47))
		return false;
	return gva < pvm->range_start || gva >= pvm->range_end;
}

/*
 * PVM_HC_LOAD_GS: load the selector user mode will run with, the NULL
 * selector unless the host GDT has a present DPL3 data segment there.
 * Returns that segment's base: the guest keeps it as the user GS base
 * (PVCS::user_gsbase), which ERETU installs.  The supervisor's GS base,
 * the one active now, does not change.
 */
static unsigned long pvm_hc_load_gs(struct kvm_vcpu *vcpu, unsigned long sel)
{
	struct kvm_segment *gs = &to_pvm(vcpu)->segments[VCPU_SREG_GS];
	unsigned int idx = (sel & 0xffff) >> 3;
	unsigned long base = 0;
	struct desc_struct *d;

	gs->selector = 0;
	if (sel > 0xffff || (sel & SEGMENT_TI_MASK) || idx >= GDT_ENTRIES)
		idx = 0;
	preempt_disable();
	d = &get_current_gdt_ro()[idx];
	if (idx && d->p && d->s && d->dpl == 3 && !(d->type & 8)) {
		gs->selector = sel | 3;
		base = get_desc_base(d);
	}
	/*
	 * The hardware selector now; the guest's GS base goes back to
	 * MSR_KERNEL_GS_BASE before the next entry.
	 */
	if (to_pvm(vcpu)->guest_state_loaded)
		load_gs_index(gs->selector);
	preempt_enable();
	return base;
}

/* Write the guest's TLS descriptors into this CPU's GDT (preemption off). */
static void pvm_load_guest_tls(struct vcpu_pvm *pvm)
{
	struct desc_struct *gdt = get_cpu_gdt_rw(smp_processor_id());
	int i;

	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		write_gdt_entry(gdt, GDT_ENTRY_TLS_MIN + i, &pvm->tls[i],
				DESCTYPE_S);
}

/*
 * PVM_HC_LOAD_TLS: three descriptors for the host GDT's TLS slots, made
 * safe first.  Only present code or data descriptors are kept, always with
 * DPL 3, so the guest gains nothing it could not do at CPL3 anyway.
 * Returns the GDT index of the first one.
 */
static unsigned long pvm_hc_load_tls(struct kvm_vcpu *vcpu, u64 d0, u64 d1,
				     u64 d2)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	u64 d[GDT_ENTRY_TLS_ENTRIES] = { d0, d1, d2 };
	struct desc_struct desc;
	int i;

	for (i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++) {
		memcpy(&desc, &d[i], sizeof(desc));
		if (!desc.p || !desc.s)
			memset(&desc, 0, sizeof(desc));
		else
			desc.dpl = 3;
		pvm->tls[i] = desc;
	}
	preempt_disable();
	if (pvm->guest_state_loaded)
		pvm_load_guest_tls(pvm);
	preempt_enable();
	return GDT_ENTRY_TLS_MIN;
}

static int pvm_handle_hypercall(struct kvm_vcpu *vcpu)
{
	unsigned long nr = kvm_rax_read(vcpu);
	unsigned long a0 = kvm_rbx_read(vcpu);
	unsigned long a1 = kvm_r10_read(vcpu);	/* the spec's RCX */
	unsigned long a2 = kvm_rdx_read(vcpu);
	unsigned long a3 = kvm_rsi_read(vcpu);
	unsigned long ret = -KVM_ENOSYS;
	u64 data;

	switch (nr) {
	case PVM_HC_LOAD_PGTBL:
		ret = pvm_hc_load_pgtbl(vcpu, a0, a1, a2);
		break;
	case PVM_HC_IRQ_WIN:
		pvm_pvcs_update_flags(to_pvm(vcpu), PVM_EVENT_FLAGS_IP, 0);
		kvm_make_request(KVM_REQ_EVENT, vcpu);
		ret = 0;
		break;
	case PVM_HC_IRQ_HLT:
		pvm_pvcs_update_flags(to_pvm(vcpu), PVM_EVENT_FLAGS_IP,
				      PVM_EVENT_FLAGS_IF);
		/*
		 * IF is set: an interrupt that waited for the window must be
		 * injected now.  The halt does not block while it is pending.
		 */
		kvm_make_request(KVM_REQ_EVENT, vcpu);
		kvm_rax_write(vcpu, 0);
		kvm_rcx_write(vcpu, a1);
		++vcpu->stat.hypercalls;
		return kvm_emulate_halt_noskip(vcpu);
	case PVM_HC_TLB_FLUSH:
	case PVM_HC_TLB_FLUSH_CURRENT:
		kvm_make_request(KVM_REQ_TLB_FLUSH_GUEST, vcpu);
		ret = 0;
		break;
	case PVM_HC_TLB_INVLPG:
		if (!pvm_gva_outside_walk_range(vcpu, a0) && pvm_canonical(a0))
			kvm_mmu_invlpg(vcpu, a0);
		ret = 0;
		break;
	case PVM_HC_LOAD_GS:
		ret = pvm_hc_load_gs(vcpu, a0);
		break;
	case PVM_HC_RDMSR:
		/* An MSR index is 32 bits: a wider one names no MSR. */
		ret = a0 > U32_MAX || kvm_get_msr(vcpu, a0, &data) ? 0 : data;
		break;
	case PVM_HC_LOAD_TLS:
		ret = pvm_hc_load_tls(vcpu, a0, a1, a2);
		break;
	case PVM_HC_WRMSR:
		ret = a0 > U32_MAX || kvm_set_msr(vcpu, a0, a1) ? -KVM_EINVAL : 0;
		break;
	case KVM_HC_MAP_GPA_RANGE:
		/* Its exit to userspace assumes a VMCALL to skip. */
		break;
	default:
		if (nr >= PVM_HC_BASE && nr <= PVM_HC_LAST)
			break;
		ret = __kvm_emulate_hypercall(vcpu, nr, a0, a1, a2, a3, true, 0);
		break;
	}
	if (nr >= PVM_HC_BASE && nr <= PVM_HC_LAST)
		++vcpu->stat.hypercalls;

	kvm_rax_write(vcpu, ret);
	kvm_rcx_write(vcpu, a1);
	return 1;
}

static int pvm_handle_syscall(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	unsigned long insn = kvm_rip_read(vcpu) - 2;

	if (pvm_is_user(vcpu)) {
		pvm_deliver_user_event(vcpu, 0, 0, true);
		return 1;
	}
	if (insn == pvm->msr_retu_rip && pvm->msr_retu_rip)
		return pvm_eretu(vcpu);
	if (insn == pvm->msr_rets_rip && pvm->msr_rets_rip)
		return pvm_erets(vcpu);
	return pvm_handle_hypercall(vcpu);
}

/* ---------------------------------------------------------------------
 * #GP in supervisor mode: privileged instructions and synthetic CPUID
 */

static const u8 pvm_synthetic_cpuid[PVM_SYNTHETIC_CPUID_LEN] = {
	0x0f, 0x01, 0x3c, 0x25, 0x50, 0x56, 0x4d, 0xff, 0x0f, 0xa2,
};

static void pvm_emulate_cpuid(struct kvm_vcpu *vcpu)
{
	u32 eax = kvm_rax_read(vcpu), ebx, ecx = kvm_rcx_read(vcpu), edx;
	u32 leaf = eax, subleaf = ecx;

	kvm_cpuid(vcpu, &eax, &ebx, &ecx, &edx, false);
	/*
	 * Whatever the VMM put in these leaves (QEMU installs its own KVM
	 * leaves), a PVM guest must find the PVM signature there.
	 */
	if (leaf == PVM_CPUID_SIGNATURE) {
		eax = max_t(u32, eax, PVM_CPUID_VENDOR_FEATURES);
		ebx = 0x4b4d564b;	/* "KVMKVMKVM\0\0\0" */
		ecx = 0x564b4d56;
		edx = 0x4d;
	} else if (leaf == PVM_CPUID_VENDOR_FEATURES) {
		eax = PVM_FEATURES_ALL;
		ebx = PVM_CPUID_SIGNATURE_EBX;
		ecx = 0;
		edx = 0;
	} else if (leaf == 7 && subleaf == 0) {
		/*
		 * The underlying CR4.FSGSBASE is 1 (spec): user mode has
		 * RDGSBASE and WRGSBASE whatever the VMM's CPUID says, and the
		 * guest must context-switch the bases knowing that.
		 */
		ebx |= feature_bit(FSGSBASE);
	}
	kvm_rax_write(vcpu, eax);
	kvm_rbx_write(vcpu, ebx);
	kvm_rcx_write(vcpu, ecx);
	kvm_rdx_write(vcpu, edx);
	kvm_rip_write(vcpu, kvm_rip_read(vcpu) + PVM_SYNTHETIC_CPUID_LEN);
}

/*
 * Privileged instructions the supervisor may use and KVM emulates; the
 * opcode (after prefixes) decides.  Anything else keeps its #GP.
 */
static bool pvm_insn_is_emulated(const u8 *b, int len)
{
	int i = 0;

	while (i < len && (b[i] == 0x66 || b[i] == 0xf3 || b[i] == 0xf2 ||
			   (b[i] & 0xf0) == 0x40))
		i++;
	if (i >= len)
		return false;
	switch (b[i]) {
	case 0xf4:				/* HLT */
	case 0xfa: case 0xfb:			/* CLI, STI */
	case 0xe4 ... 0xe7:			/* IN, OUT imm8 */
	case 0xec ... 0xef:			/* IN, OUT dx */
	case 0x6c ... 0x6f:			/* INS, OUTS */
		return true;
	case 0x0f:
		if (i + 1 >= len)
			return false;
		switch (b[i + 1]) {
		case 0x06:			/* CLTS */
		case 0x08: case 0x09:		/* INVD, WBINVD */
		case 0x20 ... 0x23:		/* MOV CR/DR */
		case 0x30: case 0x32: case 0x33: /* WRMSR, RDMSR, RDPMC */
			return true;
		case 0x01:
			/* LGDT, LIDT, LMSW, INVLPG (memory forms), XSETBV */
			if (i + 2 >= len)
				return false;
			if (b[i + 2] == 0xd1)
				return true;
			if ((b[i + 2] >> 6) == 3)
				return false;
			switch ((b[i + 2] >> 3) & 7) {
			case 2: case 3: case 6: case 7:
				return true;
			}
			return false;
		}
		return false;
	}
	return false;
}

static int pvm_emulate_one(struct kvm_vcpu *vcpu);

static int pvm_handle_gp(struct kvm_vcpu *vcpu, u32 errcode)
{
	struct x86_exception e;
	u8 insn[15];
	int len;

	if (pvm_is_user(vcpu) || errcode)
		goto deliver;

	for (len = sizeof(insn); len > 0; len--)
		if (kvm_read_guest_virt(vcpu, kvm_rip_read(vcpu), insn, len, &e) ==
		    X86EMUL_CONTINUE)
			break;
	if (len >= PVM_SYNTHETIC_CPUID_LEN &&
	    !memcmp(insn, pvm_synthetic_cpuid, PVM_SYNTHETIC_CPUID_LEN)) {
		pvm_emulate_cpuid(vcpu);
		return 1;
	}
	if (len && pvm_insn_is_emulated(insn, len))
		return pvm_emulate_one(vcpu);

deliver:
	pvm_deliver_event(vcpu, GP_VECTOR, errcode);
	return 1;
}

/*
 * SYSENTER is #GP in PVM.  Where the CPU raises #UD for it instead (AMD in
 * long mode), make it the #GP the guest expects.
 */
static int pvm_handle_ud(struct kvm_vcpu *vcpu)
{
	struct x86_exception e;
	u8 insn[2];

	if (kvm_read_guest_virt(vcpu, kvm_rip_read(vcpu), insn, sizeof(insn), &e) ==
	    X86EMUL_CONTINUE && insn[0] == 0x0f && insn[1] == 0x34)
		pvm_deliver_event(vcpu, GP_VECTOR, 0);
	else
		pvm_deliver_event(vcpu, UD_VECTOR, 0);
	return 1;
}

/* ---------------------------------------------------------------------
 * Page faults
 */

static int pvm_handle_pf(struct kvm_vcpu *vcpu, u64 cr2, u32 errcode)
{
	struct x86_exception fault = {
		.vector = PF_VECTOR,
		.error_code_valid = true,
		.address = cr2,
	};

	if (!pvm_is_user(vcpu))
		errcode &= ~PFERR_USER_MASK;
	/* Outside the guest's ranges: never mapped, whatever the page tables say. */
	if (pvm_gva_outside_walk_range(vcpu, cr2)) {
		fault.error_code = errcode & ~PFERR_PRESENT_MASK;
		kvm_inject_emulated_page_fault(vcpu, &fault);
		return 1;
	}
	/*
	 * WRPKRU is not privileged: a guest that denied itself key 0 (every
	 * shadow page has key 0) gets the protection-key fault the hardware
	 * raised.  KVM's walker knows nothing of keys without guest PKU.
	 */
	if (errcode & PFERR_PK_MASK) {
		fault.error_code = errcode;
		kvm_inject_emulated_page_fault(vcpu, &fault);
		return 1;
	}
	return kvm_mmu_page_fault(vcpu, cr2, errcode, NULL, 0);
}

/* ---------------------------------------------------------------------
 * The bootstrap: legacy modes through KVM's emulator
 */

static int pvm_pm_iret(struct kvm_vcpu *vcpu);
static void pvm_set_rflags(struct kvm_vcpu *vcpu, unsigned long rflags);

/*
 * Run one instruction in the emulator.  A HLT only sets halt_request
 * there; the halt itself is KVM's usual one.
 */
static int pvm_emulate_one(struct kvm_vcpu *vcpu)
{
	int r;

	if (!pvm_in_pvm_mode(vcpu)) {
		r = pvm_pm_iret(vcpu);
		if (r < 0)
			kvm_queue_exception_e(vcpu, GP_VECTOR, 0);
		if (r)
			return 1;
	}

	r = kvm_emulate_instruction(vcpu, 0);

	if (r > 0 && vcpu->arch.halt_request) {
		vcpu->arch.halt_request = 0;
		r = kvm_emulate_halt_noskip(vcpu);
	}
	return r;
}

/*
 * The guest reached 64-bit supervisor mode: make CR0, CR4, EFER and
 * MSR_STAR what PVM mode requires (spec: "PVM modes and states") and keep
 * running natively from the next instruction.
 */
static void pvm_enter_pvm_mode(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	u16 cs = pvm->segments[VCPU_SREG_CS].selector & 0xfffc;

	vcpu->arch.cr0 = (vcpu->arch.cr0 | X86_CR0_PE | X86_CR0_PG | X86_CR0_WP |
			  X86_CR0_ET | X86_CR0_NE | X86_CR0_AM | X86_CR0_MP) &
			 ~(X86_CR0_CD | X86_CR0_NW | X86_CR0_EM | X86_CR0_TS);
	vcpu->arch.cr4 = (vcpu->arch.cr4 | X86_CR4_PAE | X86_CR4_FSGSBASE) &
			 ~(X86_CR4_VME | X86_CR4_PVI);
	vcpu->arch.efer |= EFER_SCE;
	pvm->msr_star = (pvm->msr_star & ~(0xffffULL << 32)) | ((u64)cs << 32);
	pvm_enter_supervisor_segs(pvm);
	/* From now on the interrupt flag is PVCS::event_flags.IF. */
	pvm->rflags = (pvm->rflags & PVM_RFLAGS_GUEST) | X86_EFLAGS_FIXED;
	pvm->interrupt_shadow = 0;
	kvm_mmu_reset_context(vcpu);
	kvm_make_request(KVM_REQ_EVENT, vcpu);
	pr_info_ratelimited("vcpu%d: PVM mode at %lx after %llu emulated instructions\n",
			    vcpu->vcpu_id, kvm_rip_read(vcpu), pvm->emulated_insns);
}

static const char *pvm_legacy_mode_name(struct kvm_vcpu *vcpu)
{
	struct kvm_segment *cs = &to_pvm(vcpu)->segments[VCPU_SREG_CS];

	if (!is_protmode(vcpu))
		return "real";
	if (is_long_mode(vcpu))
		return "compatibility";
	return cs->db ? "32-bit protected" : "16-bit protected";
}

/* Say which instruction stopped the bootstrap, for whoever reads the log. */
static void pvm_report_emulation_failure(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	unsigned long ip = pvm->segments[VCPU_SREG_CS].base + kvm_rip_read(vcpu);
	struct x86_exception e;
	u8 insn[15] = {};

	kvm_read_guest_virt(vcpu, ip, insn, sizeof(insn), &e);
	pr_info_ratelimited("vcpu%d: cannot emulate %*ph at %lx in %s mode\n",
			    vcpu->vcpu_id, (int)sizeof(insn), insn, ip,
			    pvm_legacy_mode_name(vcpu));
}

/*
 * Emulate legacy-mode code until PVM mode, an exit to userspace, or
 * something KVM must handle first (a request, an event, a signal).
 */
static int pvm_run_legacy(struct kvm_vcpu *vcpu)
{
	int i, r = 1;

	for (i = 0; i < 1024; i++) {
		r = pvm_emulate_one(vcpu);
		to_pvm(vcpu)->emulated_insns++;
		if (r <= 0) {
			if (vcpu->run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
				pvm_report_emulation_failure(vcpu);
			break;
		}
		if (pvm_mode(vcpu) != PVM_MODE_LEGACY) {
			if (pvm_mode(vcpu) == PVM_MODE_PVM)
				pvm_enter_pvm_mode(vcpu);
			break;
		}
		if (kvm_request_pending(vcpu) || signal_pending(current) ||
		    need_resched() ||
		    vcpu->arch.mp_state != KVM_MP_STATE_RUNNABLE)
			break;
	}
	return r;
}

/*
 * Read a GDT descriptor for @sel into @seg, as a segment load would; only
 * present GDT code or data descriptors, never the LDT.
 */
static bool pvm_read_gdt_segment(struct kvm_vcpu *vcpu, u16 sel,
				 struct kvm_segment *seg)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	unsigned int idx = sel >> 3;
	struct x86_exception e;
	struct desc_struct d;

	if ((sel & SEGMENT_TI_MASK) || !idx || idx * 8 + 7 > pvm->gdt.size ||
	    kvm_read_guest_virt(vcpu, pvm->gdt.address + idx * 8, &d, sizeof(d),
				&e) != X86EMUL_CONTINUE ||
	    !d.p || !d.s)
		return false;
	*seg = (struct kvm_segment) {
		.base = get_desc_base(&d),
		.limit = d.g ? (get_desc_limit(&d) << 12) | 0xfff : get_desc_limit(&d),
		.selector = sel, .type = d.type, .s = 1, .dpl = d.dpl,
		.present = 1, .avl = d.avl, .l = d.l, .db = d.d, .g = d.g,
	};
	return true;
}

/*
 * Protected-mode event delivery for the bootstrap: an interrupt or trap
 * gate to a ring-0 code segment, taken from ring 0 (firmware and boot
 * code run there); task gates, ring changes and 64-bit IDTs are not
 * implemented.  Returns false if the event could not be delivered.
 */
static bool pvm_deliver_pm_event(struct kvm_vcpu *vcpu, int vector,
				 bool has_err, u32 errcode)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct kvm_segment *ss = &pvm->segments[VCPU_SREG_SS];
	struct kvm_segment cs;
	struct x86_exception e;
	unsigned long sp, mask;
	u32 gate[2], frame[4];
	int type, size, n = 0;
	u32 ip;

	if (is_long_mode(vcpu) || pvm->segments[VCPU_SREG_CS].dpl ||
	    vector * 8 + 7 > pvm->idt.size ||
	    kvm_read_guest_virt(vcpu, pvm->idt.address + vector * 8, gate,
				sizeof(gate), &e) != X86EMUL_CONTINUE)
		return false;
	type = (gate[1] >> 8) & 0x1f;
	if (!(gate[1] & BIT(15)) ||
	    (type != 0x6 && type != 0x7 && type != 0xe && type != 0xf))
		return false;
	if (!pvm_read_gdt_segment(vcpu, gate[0] >> 16, &cs) ||
	    !(cs.type & 8) || cs.dpl)
		return false;

	size = (type & 8) ? 4 : 2;
	ip = (gate[0] & 0xffff) | (size == 4 ? (gate[1] & 0xffff0000) : 0);
	if (has_err)
		frame[n++] = errcode;
	frame[n++] = kvm_rip_read(vcpu);
	frame[n++] = pvm->segments[VCPU_SREG_CS].selector;
	frame[n++] = pvm->rflags;

	mask = ss->db ? U32_MAX : U16_MAX;
	sp = kvm_rsp_read(vcpu);
	while (n--) {
		sp = (sp & ~mask) | ((sp - size) & mask);
		if (kvm_write_guest_virt_system(vcpu, ss->base + (sp & mask),
						&frame[n], size, &e))
			return false;
	}
	kvm_rsp_write(vcpu, sp);
	pvm->segments[VCPU_SREG_CS] = cs;
	kvm_rip_write(vcpu, ip);
	pvm->rflags &= ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF);
	if (!(type & 1))
		pvm->rflags &= ~X86_EFLAGS_IF;
	return true;
}

/*
 * IRET in protected mode, which KVM's emulator leaves unimplemented: the
 * return from pvm_deliver_pm_event(), to ring 0.  Returns 1 if it was
 * done, 0 if the instruction is not such an IRET, -1 if it faults.
 */
static int pvm_pm_iret(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct kvm_segment *ss = &pvm->segments[VCPU_SREG_SS];
	struct kvm_segment cs = pvm->segments[VCPU_SREG_CS];
	unsigned long sp, mask, ip = kvm_rip_read(vcpu);
	struct x86_exception e;
	u32 frame[3] = {};
	int i, size;
	u8 insn[2];

	if (!is_protmode(vcpu) || is_long_mode(vcpu) ||
	    kvm_read_guest_virt(vcpu, cs.base + ip, insn, sizeof(insn), &e) !=
	    X86EMUL_CONTINUE)
		return 0;
	size = cs.db ? 4 : 2;
	if (insn[0] == 0x66) {
		size ^= 6;
		ip++;
		insn[0] = insn[1];
	}
	if (insn[0] != 0xcf)
		return 0;

	mask = ss->db ? U32_MAX : U16_MAX;
	sp = kvm_rsp_read(vcpu);
	for (i = 0; i < 3; i++) {
		if (kvm_read_guest_virt(vcpu, ss->base + ((sp + i * size) & mask),
					&frame[i], size, &e) != X86EMUL_CONTINUE)
			return -1;
	}
	if ((frame[1] & 3) || !pvm_read_gdt_segment(vcpu, frame[1] & 0xffff, &cs) ||
	    !(cs.type & 8) || cs.dpl || (size == 4 && (frame[2] & X86_EFLAGS_VM)))
		return -1;
	kvm_rsp_write(vcpu, (sp & ~mask) | ((sp + 3 * size) & mask));
	pvm->segments[VCPU_SREG_CS] = cs;
	kvm_rip_write(vcpu, frame[0]);
	if (size == 2)
		frame[2] = (pvm->rflags & ~0xffffUL) | (frame[2] & 0xffff);
	pvm_set_rflags(vcpu, frame[2]);
	pvm->nmi_masked = false;
	kvm_make_request(KVM_REQ_EVENT, vcpu);
	return 1;
}

/*
 * Events before PVM mode are delivered as x86 does it: through the IVT in
 * real mode, through the IDT in protected mode.  What cannot be delivered
 * is the spec's #DF: the VM ends.
 */
static void pvm_deliver_legacy_event(struct kvm_vcpu *vcpu, int vector,
				     bool has_err, u32 errcode)
{
	if (!is_protmode(vcpu)) {
		kvm_inject_realmode_interrupt(vcpu, vector, 0);
		return;
	}
	if (!pvm_deliver_pm_event(vcpu, vector, has_err, errcode))
		pvm_delivery_failed(vcpu, "event in protected mode during the bootstrap");
}

/* ---------------------------------------------------------------------
 * Entering and leaving the guest
 */

static int pvm_vcpu_pre_run(struct kvm_vcpu *vcpu)
{
	if (pvm_mode(vcpu) != PVM_MODE_INVALID)
		return 1;
	vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
	vcpu->run->fail_entry.hardware_entry_failure_reason =
		PVM_FAIL_ENTRY_NOT_PVM_MODE;
	vcpu->run->fail_entry.cpu = vcpu->cpu;
	return 0;
}

static void pvm_load_regs(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pt_regs *r = &pvm->regs;
	unsigned long *g = vcpu->arch.regs;

	r->ax = g[VCPU_REGS_RAX];
	r->cx = g[VCPU_REGS_RCX];
	r->dx = g[VCPU_REGS_RDX];
	r->bx = g[VCPU_REGS_RBX];
	r->sp = g[VCPU_REGS_RSP];
	r->bp = g[VCPU_REGS_RBP];
	r->si = g[VCPU_REGS_RSI];
	r->di = g[VCPU_REGS_RDI];
	r->r8 = g[VCPU_REGS_R8];
	r->r9 = g[VCPU_REGS_R9];
	r->r10 = g[VCPU_REGS_R10];
	r->r11 = g[VCPU_REGS_R11];
	r->r12 = g[VCPU_REGS_R12];
	r->r13 = g[VCPU_REGS_R13];
	r->r14 = g[VCPU_REGS_R14];
	r->r15 = g[VCPU_REGS_R15];
	r->ip = g[VCPU_REGS_RIP];
	r->flags = (pvm->rflags & PVM_RFLAGS_GUEST) | X86_EFLAGS_IF |
		   X86_EFLAGS_FIXED;
	/* Only the host's two 64-bit/32-bit user code segments are used. */
	if (pvm_is_user(vcpu) &&
	    pvm->segments[VCPU_SREG_CS].selector == __USER32_CS)
		r->cs = __USER32_CS;
	else
		r->cs = __USER_CS;
	r->ss = __USER_DS;
}

static void pvm_save_regs(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct pt_regs *r = &pvm->regs;
	unsigned long *g = vcpu->arch.regs;

	g[VCPU_REGS_RAX] = r->ax;
	g[VCPU_REGS_RCX] = r->cx;
	g[VCPU_REGS_RDX] = r->dx;
	g[VCPU_REGS_RBX] = r->bx;
	g[VCPU_REGS_RSP] = r->sp;
	g[VCPU_REGS_RBP] = r->bp;
	g[VCPU_REGS_RSI] = r->si;
	g[VCPU_REGS_RDI] = r->di;
	g[VCPU_REGS_R8] = r->r8;
	g[VCPU_REGS_R9] = r->r9;
	g[VCPU_REGS_R10] = r->r10;
	g[VCPU_REGS_R11] = r->r11;
	g[VCPU_REGS_R12] = r->r12;
	g[VCPU_REGS_R13] = r->r13;
	g[VCPU_REGS_R14] = r->r14;
	g[VCPU_REGS_R15] = r->r15;
	g[VCPU_REGS_RIP] = r->ip;
	pvm->rflags = (r->flags & PVM_RFLAGS_GUEST) | X86_EFLAGS_FIXED;
	/* User code may have switched between 64-bit and compat CS itself. */
	if (pvm_is_user(vcpu))
		pvm_enter_user_segs(pvm, r->cs == __USER32_CS ? __USER32_CS :
							      __USER_CS);
}

static noinstr void pvm_vcpu_enter_exit(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	guest_state_enter_irqoff();
	pvm->exit_code = pvm_switcher_run(&pvm->regs, pvm->hw_cr3);
	if (pvm->exit_code == PF_VECTOR)
		pvm->exit_cr2 = native_read_cr2();
	/* DR6 is sticky: take the guest's bits and leave the host a clean one. */
	if (pvm->exit_code == DB_VECTOR) {
		pvm->exit_dr6 = native_get_debugreg(6);
		native_set_debugreg(6, DR6_RESERVED);
	}
	if (pvm->exit_code == NMI_VECTOR) {
		kvm_before_interrupt(vcpu, KVM_HANDLING_NMI);
		pvm_switcher_do_nmi();
		kvm_after_interrupt(vcpu);
	}
	guest_state_exit_irqoff();
}

static fastpath_t pvm_vcpu_run(struct kvm_vcpu *vcpu, u64 run_flags)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	/* Events were delivered by the inject_* callbacks already. */
	pvm_cancel_injection(vcpu);

	switch (pvm_mode(vcpu)) {
	case PVM_MODE_LEGACY:
		pvm->exit_code = PVM_EXIT_EMULATE;
		return EXIT_FASTPATH_NONE;
	case PVM_MODE_INVALID:
		pvm->exit_code = PVM_EXIT_BAD_STATE;
		return EXIT_FASTPATH_NONE;
	case PVM_MODE_PVM:
		break;
	}
	if (!pvm_canonical(kvm_rip_read(vcpu))) {
		pvm->exit_code = PVM_EXIT_BAD_STATE;
		return EXIT_FASTPATH_NONE;
	}
	if (!VALID_PAGE(pvm->hw_cr3)) {
		pvm->exit_code = PVM_EXIT_NO_ROOT;
		return EXIT_FASTPATH_NONE;
	}

	pvm_load_regs(vcpu);
	/*
	 * A VMM that used ioperm() or iopl() left its I/O bitmap in the TSS:
	 * guest port I/O must fault and reach the VMM as KVM_EXIT_IO instead.
	 * The bitmap comes back on the VMM's way to user mode.
	 */
	if (IS_ENABLED(CONFIG_X86_IOPL_IOPERM) && test_thread_flag(TIF_IO_BITMAP))
		tss_invalidate_io_bitmap();
	if (run_flags & KVM_RUN_FORCE_IMMEDIATE_EXIT)
		smp_send_reschedule(vcpu->cpu);

	wrmsrl(MSR_FS_BASE, pvm->segments[VCPU_SREG_FS].base);
	wrmsrl(MSR_KERNEL_GS_BASE, pvm->segments[VCPU_SREG_GS].base);
	kvm_load_guest_xsave_state(vcpu);
	/*
	 * RDPKRU/WRPKRU work at CPL3: the guest always runs with its own
	 * PKRU, and the VMM thread always gets its own back.
	 */
	if (cpu_feature_enabled(X86_FEATURE_OSPKE) && rdpkru() != pvm->hw_pkru)
		write_pkru(pvm->hw_pkru);

	pvm_vcpu_enter_exit(vcpu);

	if (cpu_feature_enabled(X86_FEATURE_OSPKE)) {
		pvm->hw_pkru = rdpkru();
		if (pvm->hw_pkru != vcpu->arch.host_pkru)
			write_pkru(vcpu->arch.host_pkru);
	}
	kvm_load_host_xsave_state(vcpu);
	rdmsrl(MSR_FS_BASE, pvm->segments[VCPU_SREG_FS].base);
	rdmsrl(MSR_KERNEL_GS_BASE, pvm->segments[VCPU_SREG_GS].base);
	pvm_save_regs(vcpu);
	return EXIT_FASTPATH_NONE;
}

static void pvm_handle_exit_irqoff(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	unsigned long vector = pvm->exit_code;

	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS ||
	    vector == IA32_SYSCALL_VECTOR)
		return;
	kvm_before_interrupt(vcpu, KVM_HANDLING_IRQ);
	pvm_switcher_do_interrupt(vector);
	kvm_after_interrupt(vcpu);
	++vcpu->stat.irq_exits;
}

static int pvm_handle_exit(struct kvm_vcpu *vcpu, fastpath_t fastpath)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	unsigned long code = pvm->exit_code;
	u32 errcode = (u32)pvm->regs.orig_ax;

	switch (code) {
	case PVM_EXIT_BAD_STATE:
		vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
		vcpu->run->fail_entry.hardware_entry_failure_reason =
			PVM_FAIL_ENTRY_NOT_PVM_MODE;
		vcpu->run->fail_entry.cpu = vcpu->cpu;
		return 0;
	case PVM_EXIT_NO_ROOT:
		kvm_make_request(KVM_REQ_TRIPLE_FAULT, vcpu);
		return 1;
	case PVM_EXIT_EMULATE:
		return pvm_run_legacy(vcpu);
	case PVM_EXIT_SYSCALL:
		return pvm_handle_syscall(vcpu);
	case PVM_EXIT_SYSCALL32:
		/* The spec gives compatibility-mode code INT 0x80 instead. */
		pvm_deliver_event(vcpu, UD_VECTOR, 0);
		return 1;
	case NMI_VECTOR:
		++vcpu->stat.nmi_window_exits;
		return 1;
	case PF_VECTOR:
		return pvm_handle_pf(vcpu, pvm->exit_cr2, errcode);
	case GP_VECTOR:
		return pvm_handle_gp(vcpu, errcode);
	case IA32_SYSCALL_VECTOR:
		pvm_deliver_event(vcpu, IA32_SYSCALL_VECTOR, 0);
		return 1;
	case UD_VECTOR:
		return pvm_handle_ud(vcpu);
	case DB_VECTOR:
		/* KVM's #DB payload has DR6's active-low bits flipped. */
		kvm_queue_exception_p(vcpu, DB_VECTOR,
				      pvm->exit_dr6 ^ DR6_ACTIVE_LOW);
		return 1;
	}
	if (code >= FIRST_EXTERNAL_VECTOR && code < NR_VECTORS)
		return 1;	/* a host interrupt, handled in handle_exit_irqoff */
	if (code < FIRST_EXTERNAL_VECTOR) {
		pvm_deliver_event(vcpu, code,
				  (PVM_ERRCODE_VECTORS & BIT(code)) ? errcode : 0);
		return 1;
	}

	vcpu->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	vcpu->run->internal.suberror = KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON;
	vcpu->run->internal.ndata = 2;
	vcpu->run->internal.data[0] = code;
	vcpu->run->internal.data[1] = vcpu->arch.last_vmentry_cpu;
	return 0;
}

static void pvm_get_exit_info(struct kvm_vcpu *vcpu, u32 *reason, u64 *info1,
			      u64 *info2, u32 *intr_info, u32 *error_code)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	*reason = pvm->exit_code;
	*info1 = pvm->exit_code == PF_VECTOR ? pvm->exit_cr2 : 0;
	*info2 = 0;
	*intr_info = 0;
	*error_code = (u32)pvm->regs.orig_ax;
}

/* ---------------------------------------------------------------------
 * Host state around guest runs
 */

static u16 pvm_user_sel(struct vcpu_pvm *pvm, int seg)
{
	u16 sel = pvm->segments[seg].selector;

	return (sel & 3) == 3 ? sel : 0;
}

/*
 * The GDT's CPUNODE entry is DPL3: user mode reads the CPU and node
 * number from its limit with LSL (the vDSO's getcpu() without RDPID).  A
 * guest must find its own numbers there, the ones it put in
 * MSR_TSC_AUX, not the host's: loaded with the guest state, and again
 * when the guest writes MSR_TSC_AUX.  Preemption off.
 */
static void pvm_load_guest_cpunode(struct vcpu_pvm *pvm)
{
	struct desc_struct d = pvm->host_cpunode;

	d.limit0 = pvm->msr_tsc_aux;
	d.limit1 = pvm->msr_tsc_aux >> 16;
	write_gdt_entry(get_cpu_gdt_rw(smp_processor_id()), GDT_ENTRY_CPUNODE,
			&d, DESCTYPE_S);
}

static void pvm_prepare_switch_to_guest(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	kvm_set_user_return_msr(pvm_uret_lstar,
				(unsigned long)pvm_switcher_syscall64, -1ull);
	if (pvm_uret_cstar >= 0)
		kvm_set_user_return_msr(pvm_uret_cstar,
					(unsigned long)pvm_switcher_syscall32, -1ull);
	if (pvm_uret_sysenter_cs >= 0)
		kvm_set_user_return_msr(pvm_uret_sysenter_cs, 0, -1ull);
	if (pvm_uret_tsc_aux >= 0)
		kvm_set_user_return_msr(pvm_uret_tsc_aux, pvm->msr_tsc_aux, -1ull);

	if (pvm->guest_state_loaded)
		return;

	pvm->host_cpunode = get_current_gdt_ro()[GDT_ENTRY_CPUNODE];
	pvm_load_guest_cpunode(pvm);

	/* The VMM thread's FS/GS come back in pvm_prepare_switch_to_host(). */
	current_save_fsgs();
	savesegment(ds, pvm->host_ds_sel);
	savesegment(es, pvm->host_es_sel);
	/* The guest may not use the VMM's LDT: PVM specifies a NULL LDTR. */
	pvm->host_ldt_sel = kvm_read_ldt();
	if (pvm->host_ldt_sel)
		kvm_load_ldt(0);

	pvm_load_guest_tls(pvm);
	/*
	 * Only selectors CPL3 can hold are worth loading: IRET to CPL3 would
	 * clear any other.
	 */
	loadsegment(ds, pvm_user_sel(pvm, VCPU_SREG_DS));
	loadsegment(es, pvm_user_sel(pvm, VCPU_SREG_ES));
	loadsegment(fs, pvm_user_sel(pvm, VCPU_SREG_FS));
	load_gs_index(pvm_user_sel(pvm, VCPU_SREG_GS));
	pvm->guest_state_loaded = true;
}

static void pvm_prepare_switch_to_host(struct vcpu_pvm *pvm)
{
	struct thread_struct *t = &current->thread;
	u16 sel;

	if (!pvm->guest_state_loaded)
		return;

	/*
	 * A guest in PVM mode loads data segments itself at CPL3: the
	 * hardware has its selectors.  The bootstrap's live in the emulator.
	 */
	if (pvm_in_pvm_mode(&pvm->vcpu)) {
		savesegment(ds, sel);
		pvm->segments[VCPU_SREG_DS].selector = sel;
		savesegment(es, sel);
		pvm->segments[VCPU_SREG_ES].selector = sel;
		savesegment(fs, sel);
		pvm->segments[VCPU_SREG_FS].selector = sel;
		savesegment(gs, sel);
		pvm->segments[VCPU_SREG_GS].selector = sel;
	}

	load_TLS(t, smp_processor_id());
	write_gdt_entry(get_cpu_gdt_rw(smp_processor_id()), GDT_ENTRY_CPUNODE,
			&pvm->host_cpunode, DESCTYPE_S);
	loadsegment(ds, pvm->host_ds_sel);
	loadsegment(es, pvm->host_es_sel);
	loadsegment(fs, t->fsindex);
	load_gs_index(t->gsindex);
	wrmsrl(MSR_FS_BASE, t->fsbase);
	wrmsrl(MSR_KERNEL_GS_BASE, t->gsbase);
	if (pvm->host_ldt_sel)
		kvm_load_ldt(pvm->host_ldt_sel);
	pvm->guest_state_loaded = false;
}

static void pvm_vcpu_load(struct kvm_vcpu *vcpu, int cpu)
{
}

static void pvm_vcpu_put(struct kvm_vcpu *vcpu)
{
	pvm_prepare_switch_to_host(to_pvm(vcpu));
}

/* ---------------------------------------------------------------------
 * Registers, segments, control registers
 */

static void pvm_cache_reg(struct kvm_vcpu *vcpu, enum kvm_reg reg)
{
	/* Every register is in vcpu->arch after each exit. */
}

static unsigned long pvm_get_rflags(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	if (!pvm_in_pvm_mode(vcpu))
		return pvm->rflags;
	return pvm->rflags | (pvm_get_if_flag(vcpu) ? X86_EFLAGS_IF : 0);
}

/*
 * In PVM mode the supervisor's IF lives in the PVCS, which the guest owns,
 * and IOPL, VM, VIF, VIP are always 0.  Legacy mode has the whole RFLAGS
 * (the emulator does not implement virtual-8086 mode: VM stays 0).
 */
static void pvm_set_rflags(struct kvm_vcpu *vcpu, unsigned long rflags)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	if (!pvm_in_pvm_mode(vcpu))
		pvm->rflags = (rflags & ~X86_EFLAGS_VM) | X86_EFLAGS_FIXED;
	else
		pvm->rflags = (rflags & PVM_RFLAGS_GUEST) | X86_EFLAGS_FIXED;
}

static void pvm_get_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var,
			    int seg)
{
	*var = to_pvm(vcpu)->segments[seg];
}

static u64 pvm_get_segment_base(struct kvm_vcpu *vcpu, int seg)
{
	return to_pvm(vcpu)->segments[seg].base;
}

static void pvm_set_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var,
			    int seg)
{
	to_pvm(vcpu)->segments[seg] = *var;
}

static int pvm_get_cpl(struct kvm_vcpu *vcpu)
{
	return pvm_is_user(vcpu) ? 3 : 0;
}

static void pvm_get_cs_db_l_bits(struct kvm_vcpu *vcpu, int *db, int *l)
{
	struct kvm_segment *cs = &to_pvm(vcpu)->segments[VCPU_SREG_CS];

	*db = cs->db;
	*l = cs->l;
}

static bool pvm_is_valid_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)
{
	return true;
}

static void pvm_set_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)
{
	if (vcpu->arch.efer & EFER_LME) {
		if (!is_paging(vcpu) && (cr0 & X86_CR0_PG))
			vcpu->arch.efer |= EFER_LMA;
		if (is_paging(vcpu) && !(cr0 & X86_CR0_PG))
			vcpu->arch.efer &= ~EFER_LMA;
	}
	vcpu->arch.cr0 = cr0;
}

/* The host pages 4-level and does not give guests SMEP/SMAP/PKE hardware. */
static bool pvm_is_valid_cr4(struct kvm_vcpu *vcpu, unsigned long cr4)
{
	return !(cr4 & (X86_CR4_LA57 | X86_CR4_VMXE | X86_CR4_SMXE));
}

static void pvm_set_cr4(struct kvm_vcpu *vcpu, unsigned long cr4)
{
	unsigned long old = vcpu->arch.cr4;

	vcpu->arch.cr4 = cr4;
	if ((cr4 ^ old) & (X86_CR4_OSXSAVE | X86_CR4_PKE))
		kvm_update_cpuid_runtime(vcpu);
}

static int pvm_set_efer(struct kvm_vcpu *vcpu, u64 efer)
{
	vcpu->arch.efer = efer;
	return 0;
}

static void pvm_get_idt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	*dt = to_pvm(vcpu)->idt;
}

static void pvm_set_idt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	to_pvm(vcpu)->idt = *dt;
}

static void pvm_get_gdt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	*dt = to_pvm(vcpu)->gdt;
}

static void pvm_set_gdt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	to_pvm(vcpu)->gdt = *dt;
}

static void pvm_set_dr7(struct kvm_vcpu *vcpu, unsigned long val)
{
}

static void pvm_sync_dirty_debug_regs(struct kvm_vcpu *vcpu)
{
}

/*
 * Only the emulated bootstrap has an interrupt shadow (STI; HLT in
 * firmware); PVM supervisors neither use STI nor MOV SS.
 */
static void pvm_set_interrupt_shadow(struct kvm_vcpu *vcpu, int mask)
{
	to_pvm(vcpu)->interrupt_shadow = mask;
}

static u32 pvm_get_interrupt_shadow(struct kvm_vcpu *vcpu)
{
	return to_pvm(vcpu)->interrupt_shadow;
}

/* Instruction lengths come from the emulator, as on SVM without NRIPS. */
static int pvm_skip_emulated_instruction(struct kvm_vcpu *vcpu)
{
	return kvm_emulate_instruction(vcpu, EMULTYPE_SKIP);
}

/* Emulated VMCALL/VMMCALL become the PVM hypercall instruction. */
static void pvm_patch_hypercall(struct kvm_vcpu *vcpu, unsigned char *hypercall)
{
	hypercall[0] = 0x0f;	/* SYSCALL */
	hypercall[1] = 0x05;
	hypercall[2] = 0x90;	/* NOP */
}

/* ---------------------------------------------------------------------
 * MSRs
 */

static bool pvm_has_emulated_msr(struct kvm *kvm, u32 index)
{
	/* The MSRs KVM leaves to its vendor modules, and SMM's. */
	switch (index) {
	case MSR_IA32_VMX_BASIC ... MSR_IA32_VMX_VMFUNC:
	case MSR_AMD64_VIRT_SPEC_CTRL:
	case MSR_AMD64_TSC_RATIO:
	case MSR_IA32_MCG_EXT_CTL:
	case MSR_IA32_SMBASE:
		return false;
	}
	return true;
}

static int pvm_get_msr(struct kvm_vcpu *vcpu, struct msr_data *msr)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	switch (msr->index) {
	case MSR_PVM_LINEAR_ADDRESS_RANGE:
		msr->data = pvm->msr_linear_address_range;
		break;
	case MSR_PVM_VCPU_STRUCT:
		msr->data = pvm->msr_vcpu_struct;
		break;
	case MSR_PVM_SUPERVISOR_RSP:
		msr->data = pvm->msr_supervisor_rsp;
		break;
	case MSR_PVM_SUPERVISOR_REDZONE:
		msr->data = pvm->msr_supervisor_redzone;
		break;
	case MSR_PVM_EVENT_ENTRY:
		msr->data = pvm->msr_event_entry;
		break;
	case MSR_PVM_RETU_RIP:
		msr->data = pvm->msr_retu_rip;
		break;
	case MSR_PVM_RETS_RIP:
		msr->data = pvm->msr_rets_rip;
		break;
	case MSR_PVM_SWITCH_CR3:
		msr->data = pvm->msr_switch_cr3;
		break;
	case MSR_STAR:
		msr->data = pvm->msr_star;
		break;
	case MSR_LSTAR:
		msr->data = pvm->msr_lstar;
		break;
	case MSR_CSTAR:
		msr->data = pvm->msr_cstar;
		break;
	case MSR_SYSCALL_MASK:
		msr->data = pvm->msr_syscall_mask;
		break;
	case MSR_FS_BASE:
		msr->data = pvm->segments[VCPU_SREG_FS].base;
		break;
	case MSR_GS_BASE:
		msr->data = pvm->segments[VCPU_SREG_GS].base;
		break;
	case MSR_KERNEL_GS_BASE:
		msr->data = pvm->msr_kernel_gs_base;
		break;
	case MSR_IA32_SYSENTER_CS:
		msr->data = pvm->msr_sysenter_cs;
		break;
	case MSR_IA32_SYSENTER_ESP:
		msr->data = pvm->msr_sysenter_esp;
		break;
	case MSR_IA32_SYSENTER_EIP:
		msr->data = pvm->msr_sysenter_eip;
		break;
	case MSR_TSC_AUX:
		msr->data = pvm->msr_tsc_aux;
		break;
	default:
		return kvm_get_msr_common(vcpu, msr);
	}
	return 0;
}

static void pvm_update_range(struct vcpu_pvm *pvm, u64 data)
{
	u16 start = pvm_la_range_index(data, PVM_LA_PML4_START_SHIFT);
	u16 end = pvm_la_range_index(data, PVM_LA_PML4_END_SHIFT);

	pvm->msr_linear_address_range = data;
	pvm->range_start = pvm_la_pml4_base(start);
	pvm->range_end = pvm_la_pml4_base(end);
}

/* A range inside the host's reservation, in the MSR's encoding. */
static bool pvm_range_ok(u64 data)
{
	unsigned long start, end;

	if (!pvm_la_range_valid(data, 0))
		return false;
	start = pvm_la_pml4_base(pvm_la_range_index(data, PVM_LA_PML4_START_SHIFT));
	end = pvm_la_pml4_base(pvm_la_range_index(data, PVM_LA_PML4_END_SHIFT));
	return start >= pvm_range.start && end <= pvm_range.end;
}

static int pvm_set_vcpu_struct(struct vcpu_pvm *pvm, u64 gpa)
{
	if (!gpa) {
		kvm_gpc_deactivate(&pvm->pvcs_gpc);
		pvm->msr_vcpu_struct = 0;
		return 0;
	}
	if (!PAGE_ALIGNED(gpa) || !kvm_vcpu_is_legal_gpa(&pvm->vcpu, gpa))
		return 1;
	/* A GPA outside guest memory is accepted; using it ends the VM. */
	kvm_gpc_activate(&pvm->pvcs_gpc, gpa, PAGE_SIZE);
	pvm->msr_vcpu_struct = gpa;
	return 0;
}

static int pvm_set_msr(struct kvm_vcpu *vcpu, struct msr_data *msr)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	u64 data = msr->data;

	switch (msr->index) {
	case MSR_PVM_LINEAR_ADDRESS_RANGE:
		if (!pvm_range_ok(data))
			return 1;
		pvm_update_range(pvm, data);
		kvm_mmu_reset_context(vcpu);
		break;
	case MSR_PVM_VCPU_STRUCT:
		return pvm_set_vcpu_struct(pvm, data);
	case MSR_PVM_SUPERVISOR_RSP:
		if (!pvm_canonical(data))
			return 1;
		pvm->msr_supervisor_rsp = data;
		break;
	case MSR_PVM_SUPERVISOR_REDZONE:
		pvm->msr_supervisor_redzone = data;
		break;
	case MSR_PVM_EVENT_ENTRY:
		if (!pvm_canonical(data) ||
		    !pvm_canonical(data + PVM_ENTRY_SUPERVISOR_IRQ))
			return 1;
		pvm->msr_event_entry = data;
		break;
	case MSR_PVM_RETU_RIP:
		if (!pvm_canonical(data))
			return 1;
		pvm->msr_retu_rip = data;
		break;
	case MSR_PVM_RETS_RIP:
		if (!pvm_canonical(data))
			return 1;
		pvm->msr_rets_rip = data;
		break;
	case MSR_PVM_SWITCH_CR3:
		if (!kvm_vcpu_is_legal_cr3(vcpu, data))
			return 1;
		pvm->msr_switch_cr3 = data;
		break;
	case MSR_STAR:
		pvm->msr_star = data;
		break;
	case MSR_LSTAR:
		if (!pvm_canonical(data))
			return 1;
		pvm->msr_lstar = data;
		break;
	case MSR_CSTAR:
		pvm->msr_cstar = data;
		break;
	case MSR_SYSCALL_MASK:
		pvm->msr_syscall_mask = data;
		break;
	case MSR_FS_BASE:
		if (!pvm_canonical(data))
			return 1;
		pvm->segments[VCPU_SREG_FS].base = data;
		break;
	case MSR_GS_BASE:
		if (!pvm_canonical(data))
			return 1;
		pvm->segments[VCPU_SREG_GS].base = data;
		break;
	case MSR_KERNEL_GS_BASE:
		if (!pvm_canonical(data))
			return 1;
		pvm->msr_kernel_gs_base = data;
		break;
	case MSR_IA32_SYSENTER_CS:
		pvm->msr_sysenter_cs = data;
		break;
	case MSR_IA32_SYSENTER_ESP:
		pvm->msr_sysenter_esp = data;
		break;
	case MSR_IA32_SYSENTER_EIP:
		pvm->msr_sysenter_eip = data;
		break;
	case MSR_TSC_AUX:
		if (data >> 32)
			return 1;
		pvm->msr_tsc_aux = data;
		preempt_disable();
		if (pvm->guest_state_loaded)
			pvm_load_guest_cpunode(pvm);
		preempt_enable();
		break;
	default:
		return kvm_set_msr_common(vcpu, msr);
	}
	return 0;
}

static int pvm_get_feature_msr(u32 msr, u64 *data)
{
	return KVM_MSR_RET_UNSUPPORTED;
}

/* ---------------------------------------------------------------------
 * MMU
 */

static void pvm_load_mmu_pgd(struct kvm_vcpu *vcpu, hpa_t root_hpa,
			     int root_level)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	/*
	 * The dummy root (the zero page, for a CR3 outside guest memory)
	 * must not get host entries, and only 4-level roots fit the host.
	 */
	if (!VALID_PAGE(root_hpa) || is_zero_pfn(root_hpa >> PAGE_SHIFT) ||
	    root_level != PT64_ROOT_4LEVEL) {
		pvm->hw_cr3 = INVALID_PAGE;
		return;
	}
	pvm_switcher_copy_host_pgd(__va(root_hpa), pvm_range.start, pvm_range.end);
	pvm->hw_cr3 = root_hpa;
}

/* Every entry reloads CR3 without NOFLUSH: nothing stale survives an exit. */
static void pvm_flush_tlb_all(struct kvm_vcpu *vcpu)
{
}

static void pvm_flush_tlb_current(struct kvm_vcpu *vcpu)
{
}

static void pvm_flush_tlb_gva(struct kvm_vcpu *vcpu, gva_t addr)
{
}

static void pvm_flush_tlb_guest(struct kvm_vcpu *vcpu)
{
}

/* ---------------------------------------------------------------------
 * vCPU and VM life cycle
 */

static int pvm_vcpu_create(struct kvm_vcpu *vcpu)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);

	kvm_gpc_init(&pvm->pvcs_gpc, vcpu->kvm);
	pvm->hw_cr3 = INVALID_PAGE;
	return 0;
}

static void pvm_vcpu_free(struct kvm_vcpu *vcpu)
{
	kvm_gpc_deactivate(&to_pvm(vcpu)->pvcs_gpc);
}

static void pvm_vcpu_reset(struct kvm_vcpu *vcpu, bool init_event)
{
	struct vcpu_pvm *pvm = to_pvm(vcpu);
	struct kvm_segment *s = pvm->segments;
	int i;

	/* Architectural reset state: the bootstrap starts here. */
	for (i = 0; i < PVM_NR_SEGS; i++)
		s[i] = (struct kvm_segment) {
			.limit = 0xffff, .type = 0x3, .s = 1, .present = 1,
		};
	s[VCPU_SREG_CS].selector = 0xf000;
	s[VCPU_SREG_CS].base = 0xffff0000;
	s[VCPU_SREG_CS].type = 0xb;
	s[VCPU_SREG_LDTR].type = DESC_LDT;
	s[VCPU_SREG_LDTR].s = 0;
	s[VCPU_SREG_TR].type = 0xb;
	s[VCPU_SREG_TR].s = 0;
	pvm->idt = (struct desc_ptr) { .size = 0xffff };
	pvm->gdt = (struct desc_ptr) { .size = 0xffff };
	pvm->rflags = X86_EFLAGS_FIXED;
	pvm->interrupt_shadow = 0;
	pvm->hw_pkru = 0;
	pvm->nmi_masked = false;

	pvm_set_vcpu_struct(pvm, 0);
	pvm_update_range(pvm, pvm_la_range_encode(pgd_index(pvm_range.start),
						  pgd_index(pvm_range.end - 1) + 1,
						  PVM_LA_INDEX_NONE,
						  PVM_LA_INDEX_NONE));
	pvm->msr_supervisor_rsp = 0;
	pvm->msr_supervisor_redzone = 0;
	pvm->msr_event_entry = 0;
	pvm->msr_retu_rip = 0;
	pvm->msr_rets_rip = 0;
	pvm->msr_switch_cr3 = 0;
	if (!init_event) {
		pvm->msr_star = 0;
		pvm->msr_lstar = 0;
		pvm->msr_cstar = 0;
		pvm->msr_syscall_mask = 0;
		pvm->msr_kernel_gs_base = 0;
		pvm->msr_sysenter_cs = 0;
		pvm->msr_sysenter_esp = 0;
		pvm->msr_sysenter_eip = 0;
		pvm->msr_tsc_aux = 0;
	}
}

static int pvm_vm_init(struct kvm *kvm)
{
	return 0;
}

static void pvm_vcpu_after_set_cpuid(struct kvm_vcpu *vcpu)
{
	/* Features kvm-pvm cannot give a CPL3 guest, even if the VMM asks. */
	vcpu->arch.cr4_guest_rsvd_bits |= X86_CR4_SMEP | X86_CR4_SMAP |
					  X86_CR4_PKE | X86_CR4_LA57 |
					  X86_CR4_VMXE;
	/* And one it always gives (see pvm_emulate_cpuid()). */
	vcpu->arch.cr4_guest_rsvd_bits &= ~X86_CR4_FSGSBASE;
}

/* ---------------------------------------------------------------------
 * Things a CPL3 guest does not have
 */

static int pvm_check_processor_compat(void)
{
	return boot_cpu_has(X86_FEATURE_FSGSBASE) ? 0 : -EIO;
}

static int pvm_enable_virtualization_cpu(void)
{
	return 0;
}

static void pvm_disable_virtualization_cpu(void)
{
}

static void pvm_update_exception_bitmap(struct kvm_vcpu *vcpu)
{
}

static void pvm_refresh_apicv_exec_ctrl(struct kvm_vcpu *vcpu)
{
}

static bool pvm_has_wbinvd_exit(void)
{
	return false;
}

static u64 pvm_get_l2_tsc_offset(struct kvm_vcpu *vcpu)
{
	return 0;
}

static u64 pvm_get_l2_tsc_multiplier(struct kvm_vcpu *vcpu)
{
	return kvm_caps.default_tsc_scaling_ratio;
}

/* The guest reads the host TSC with RDTSC at CPL3: no offset can apply. */
static void pvm_write_tsc_offset(struct kvm_vcpu *vcpu)
{
}

static void pvm_write_tsc_multiplier(struct kvm_vcpu *vcpu)
{
}

static int pvm_check_intercept(struct kvm_vcpu *vcpu,
			       struct x86_instruction_info *info,
			       enum x86_intercept_stage stage,
			       struct x86_exception *exception)
{
	return X86EMUL_CONTINUE;
}

static int pvm_check_emulate_instruction(struct kvm_vcpu *vcpu, int emul_type,
					 void *insn, int insn_len)
{
	return X86EMUL_CONTINUE;
}

static void pvm_setup_mce(struct kvm_vcpu *vcpu)
{
}

static bool pvm_apic_init_signal_blocked(struct kvm_vcpu *vcpu)
{
	return false;
}

static void pvm_msr_filter_changed(struct kvm_vcpu *vcpu)
{
}

#ifdef CONFIG_KVM_SMM
static int pvm_smi_allowed(struct kvm_vcpu *vcpu, bool for_injection)
{
	return false;
}

static int pvm_enter_smm(struct kvm_vcpu *vcpu, union kvm_smram *smram)
{
	return 1;
}

static int pvm_leave_smm(struct kvm_vcpu *vcpu, const union kvm_smram *smram)
{
	return 1;
}

static void pvm_enable_smi_window(struct kvm_vcpu *vcpu)
{
}
#endif

/* No virtual PMU: kvm-pvm sets enable_pmu = false, KVM needs the table. */
static struct kvm_pmc *pvm_pmc_none(struct kvm_vcpu *vcpu, unsigned int idx,
				    u64 *mask)
{
	return NULL;
}

static struct kvm_pmc *pvm_msr_idx_to_pmc(struct kvm_vcpu *vcpu, u32 msr)
{
	return NULL;
}

static bool pvm_pmu_is_valid_msr(struct kvm_vcpu *vcpu, u32 msr)
{
	return false;
}

static int pvm_pmu_msr(struct kvm_vcpu *vcpu, struct msr_data *msr_info)
{
	return 1;
}

static void pvm_pmu_nop(struct kvm_vcpu *vcpu)
{
}

static struct kvm_pmu_ops pvm_pmu_ops __initdata = {
	.rdpmc_ecx_to_pmc = pvm_pmc_none,
	.msr_idx_to_pmc = pvm_msr_idx_to_pmc,
	.is_valid_msr = pvm_pmu_is_valid_msr,
	.get_msr = pvm_pmu_msr,
	.set_msr = pvm_pmu_msr,
	.refresh = pvm_pmu_nop,
	.init = pvm_pmu_nop,
};

static struct kvm_x86_nested_ops pvm_nested_ops = {};

static void pvm_hardware_unsetup(void)
{
}

static struct kvm_x86_ops pvm_x86_ops __initdata = {
	.name = KBUILD_MODNAME,

	.check_processor_compatibility = pvm_check_processor_compat,
	.hardware_unsetup = pvm_hardware_unsetup,
	.enable_virtualization_cpu = pvm_enable_virtualization_cpu,
	.disable_virtualization_cpu = pvm_disable_virtualization_cpu,
	.has_emulated_msr = pvm_has_emulated_msr,

	.vcpu_create = pvm_vcpu_create,
	.vcpu_free = pvm_vcpu_free,
	.vcpu_reset = pvm_vcpu_reset,

	.vm_size = sizeof(struct kvm),
	.vm_init = pvm_vm_init,

	.prepare_switch_to_guest = pvm_prepare_switch_to_guest,
	.vcpu_load = pvm_vcpu_load,
	.vcpu_put = pvm_vcpu_put,

	.update_exception_bitmap = pvm_update_exception_bitmap,
	.get_feature_msr = pvm_get_feature_msr,
	.get_msr = pvm_get_msr,
	.set_msr = pvm_set_msr,
	.get_segment_base = pvm_get_segment_base,
	.get_segment = pvm_get_segment,
	.set_segment = pvm_set_segment,
	.get_cpl = pvm_get_cpl,
	.get_cs_db_l_bits = pvm_get_cs_db_l_bits,
	.is_valid_cr0 = pvm_is_valid_cr0,
	.set_cr0 = pvm_set_cr0,
	.is_valid_cr4 = pvm_is_valid_cr4,
	.set_cr4 = pvm_set_cr4,
	.set_efer = pvm_set_efer,
	.get_idt = pvm_get_idt,
	.set_idt = pvm_set_idt,
	.get_gdt = pvm_get_gdt,
	.set_gdt = pvm_set_gdt,
	.set_dr7 = pvm_set_dr7,
	.sync_dirty_debug_regs = pvm_sync_dirty_debug_regs,
	.cache_reg = pvm_cache_reg,
	.get_rflags = pvm_get_rflags,
	.set_rflags = pvm_set_rflags,
	.get_if_flag = pvm_get_if_flag,

	.flush_tlb_all = pvm_flush_tlb_all,
	.flush_tlb_current = pvm_flush_tlb_current,
	.flush_tlb_gva = pvm_flush_tlb_gva,
	.flush_tlb_guest = pvm_flush_tlb_guest,

	.vcpu_pre_run = pvm_vcpu_pre_run,
	.vcpu_run = pvm_vcpu_run,
	.handle_exit = pvm_handle_exit,
	.skip_emulated_instruction = pvm_skip_emulated_instruction,
	.set_interrupt_shadow = pvm_set_interrupt_shadow,
	.get_interrupt_shadow = pvm_get_interrupt_shadow,
	.patch_hypercall = pvm_patch_hypercall,
	.inject_irq = pvm_inject_irq,
	.inject_nmi = pvm_inject_nmi,
	.inject_exception = pvm_inject_exception,
	.cancel_injection = pvm_cancel_injection,
	.interrupt_allowed = pvm_interrupt_allowed,
	.nmi_allowed = pvm_nmi_allowed,
	.get_nmi_mask = pvm_get_nmi_mask,
	.set_nmi_mask = pvm_set_nmi_mask,
	.enable_nmi_window = pvm_enable_nmi_window,
	.enable_irq_window = pvm_enable_irq_window,
	.refresh_apicv_exec_ctrl = pvm_refresh_apicv_exec_ctrl,
	.deliver_interrupt = pvm_deliver_interrupt,

	.load_mmu_pgd = pvm_load_mmu_pgd,
	.shadow_leaves_user = true,
	.gva_outside_walk_range = pvm_gva_outside_walk_range,

	.has_wbinvd_exit = pvm_has_wbinvd_exit,
	.get_l2_tsc_offset = pvm_get_l2_tsc_offset,
	.get_l2_tsc_multiplier = pvm_get_l2_tsc_multiplier,
	.write_tsc_offset = pvm_write_tsc_offset,
	.write_tsc_multiplier = pvm_write_tsc_multiplier,

	.get_exit_info = pvm_get_exit_info,
	.vcpu_after_set_cpuid = pvm_vcpu_after_set_cpuid,
	.check_intercept = pvm_check_intercept,
	.handle_exit_irqoff = pvm_handle_exit_irqoff,

	.nested_ops = &pvm_nested_ops,
	.setup_mce = pvm_setup_mce,

#ifdef CONFIG_KVM_SMM
	.smi_allowed = pvm_smi_allowed,
	.enter_smm = pvm_enter_smm,
	.leave_smm = pvm_leave_smm,
	.enable_smi_window = pvm_enable_smi_window,
#endif

	.check_emulate_instruction = pvm_check_emulate_instruction,
	.apic_init_signal_blocked = pvm_apic_init_signal_blocked,
	.msr_filter_changed = pvm_msr_filter_changed,
	.complete_emulated_msr = kvm_complete_insn_gp,
	.vcpu_deliver_sipi_vector = kvm_vcpu_deliver_sipi_vector,
};

static __init int pvm_hardware_setup(void)
{
	int r;

	r = pvm_switcher_init(&pvm_range);
	if (r) {
		pr_err("cannot set up the PVM switcher (%d)\n", r);
		return r;
	}

	pvm_uret_lstar = kvm_add_user_return_msr(MSR_LSTAR);
	pvm_uret_cstar = kvm_add_user_return_msr(MSR_CSTAR);
	pvm_uret_sysenter_cs = kvm_add_user_return_msr(MSR_IA32_SYSENTER_CS);
	if (boot_cpu_has(X86_FEATURE_RDTSCP) || boot_cpu_has(X86_FEATURE_RDPID))
		pvm_uret_tsc_aux = kvm_add_user_return_msr(MSR_TSC_AUX);
	if (pvm_uret_lstar < 0)
		return -EIO;

	enable_apicv = false;
	kvm_configure_mmu(false, 0, 0, 0);
	if (boot_cpu_has(X86_FEATURE_NX))
		kvm_enable_efer_bits(EFER_NX);

	kvm_set_cpu_caps();
	kvm_cpu_cap_clear(X86_FEATURE_VMX);
	kvm_cpu_cap_clear(X86_FEATURE_SVM);
	kvm_cpu_cap_clear(X86_FEATURE_SMEP);
	kvm_cpu_cap_clear(X86_FEATURE_SMAP);
	kvm_cpu_cap_clear(X86_FEATURE_LA57);
	kvm_cpu_cap_clear(X86_FEATURE_PKU);
	kvm_cpu_cap_clear(X86_FEATURE_XSAVES);
	kvm_cpu_cap_clear(X86_FEATURE_MWAIT);
	/* The spec offers PCID whatever the host has: the TLB is KVM's to manage. */
	kvm_cpu_cap_set(X86_FEATURE_PCID);
	kvm_caps.supported_xss = 0;
	kvm_caps.supported_perf_cap = 0;

	pr_info("guest range %lx-%lx (PGD slots %lu-%lu)\n", pvm_range.start,
		pvm_range.end - 1, pgd_index(pvm_range.start),
		pgd_index(pvm_range.end - 1));
	return 0;
}

static struct kvm_x86_init_ops pvm_init_ops __initdata = {
	.hardware_setup = pvm_hardware_setup,
	.runtime_ops = &pvm_x86_ops,
	.pmu_ops = &pvm_pmu_ops,
};

/* Why this host cannot run the switcher, or NULL. */
static const char *pvm_host_unsupported(void)
{
	if (!boot_cpu_has(X86_FEATURE_FSGSBASE))
		return "the CPU has no FSGSBASE";
	if (cpu_feature_enabled(X86_FEATURE_FRED))
		return "FRED is enabled";
	if (boot_cpu_has(X86_FEATURE_PTI))
		return "page table isolation is on, boot with pti=off";
	if (pgtable_l5_enabled())
		return "5-level paging is not supported yet, boot with no5lvl";
	if (boot_cpu_has_bug(X86_BUG_CPU_MELTDOWN))
		return "the CPU is affected by Meltdown";
	if (IS_ENABLED(CONFIG_X86_VSYSCALL_EMULATION) &&
	    !IS_ENABLED(CONFIG_LEGACY_VSYSCALL_XONLY) &&
	    !IS_ENABLED(CONFIG_LEGACY_VSYSCALL_NONE))
		return "vsyscall=emulate maps user pages in the kernel half";
	return NULL;
}

static int __init pvm_init(void)
{
	const char *why = pvm_host_unsupported();
	int r;

	if (why) {
		pr_err("not loading: %s\n", why);
		return -EOPNOTSUPP;
	}

	enable_pmu = false;
	r = kvm_x86_vendor_init(&pvm_init_ops);
	if (r)
		return r;

	r = kvm_init(sizeof(struct vcpu_pvm), __alignof__(struct vcpu_pvm),
		     THIS_MODULE);
	if (r)
		kvm_x86_vendor_exit();
	return r;
}

static void __exit pvm_exit(void)
{
	kvm_exit();
	kvm_x86_vendor_exit();
}

module_init(pvm_init);
module_exit(pvm_exit);
