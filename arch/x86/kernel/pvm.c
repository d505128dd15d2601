// SPDX-License-Identifier: GPL-2.0
/*
 * PVM guest support (Documentation/virt/kvm/x86/pvm-spec.rst): a kernel
 * that runs at hardware CPL 3 under a PVM hypervisor.
 *
 * The decompressor found the hypervisor and moved the kernel into the
 * range it allows.  Events are delivered through the PVCS and
 * MSR_PVM_EVENT_ENTRY, so those are set up before anything can fault;
 * privileged operations become paravirt ops, mostly hypercalls.
 */
#define pr_fmt(fmt) "pvm: " fmt

#include <linux/export.h>
#include <linux/cpufeature.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/instrumentation.h>
#include <linux/kdebug.h>
#include <linux/linkage.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/signal.h>
#include <asm/desc.h>
#include <asm/fred.h>
#include <asm/idtentry.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/paravirt.h>
#include <asm/pgtable.h>
#include <asm/pvm_guest.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <asm/text-patching.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

/*
 * The boot CPU's PVCS until trap_init().  In .bss, which
 * x86_64_start_kernel() clears afterwards: all zero is a valid PVCS
 * (virtual IF off, nothing pending).
 */
static struct pvm_vcpu_struct pvm_boot_pvcs __page_aligned_bss;

/*
 * Each CPU's PVCS from trap_init() on, for the entry code's %gs-relative
 * accesses.  The paravirt ops use it from the start: before trap_init()
 * no interrupt is delivered, so which copy holds IF does not matter then.
 */
DEFINE_PER_CPU_PAGE_ALIGNED(struct pvm_vcpu_struct, pvm_pvcs);

/* Set before .bss is cleared, so not in .bss. */
bool pvm_guest __ro_after_init;
/* Inline helpers read it (native_cpuid(), native_set_ldt()). */
EXPORT_SYMBOL_GPL(pvm_guest);

/* ---------------------------------------------------------------------
 * Paravirt ops
 */

/*
 * The virtual interrupt flag is PVCS::event_flags.IF, bit 9 like
 * RFLAGS.IF.  The hypervisor changes event_flags only while this vCPU is
 * out of the guest, so single-instruction updates need no atomics.
 */
__visible noinstr unsigned long pvm_save_fl(void)
{
	return this_cpu_read(pvm_pvcs.event_flags) & X86_EFLAGS_IF;
}

__PV_CALLEE_SAVE_REGS_THUNK(pvm_save_fl, ".noinstr.text");

__visible noinstr void pvm_irq_disable(void)
{
	this_cpu_and(pvm_pvcs.event_flags, ~PVM_EVENT_FLAGS_IF);
}

__PV_CALLEE_SAVE_REGS_THUNK(pvm_irq_disable, ".noinstr.text");

/*
 * An interrupt that arrived while IF was clear waits in the hypervisor,
 * which set PVCS::event_flags.IP: ask for it now.
 */
__visible noinstr void pvm_irq_enable(void)
{
	this_cpu_or(pvm_pvcs.event_flags, PVM_EVENT_FLAGS_IF);
	if (unlikely(this_cpu_read(pvm_pvcs.event_flags) & PVM_EVENT_FLAGS_IP))
		pvm_hypercall(PVM_HC_IRQ_WIN, 0, 0, 0);
}

__PV_CALLEE_SAVE_REGS_THUNK(pvm_irq_enable, ".noinstr.text");

/* STI; HLT: the hypervisor sets IF and halts until an interrupt. */
static noinstr void pvm_safe_halt(void)
{
	pvm_hypercall(PVM_HC_IRQ_HLT, 0, 0, 0);
}

/* Written by the hypervisor for every #PF it delivers. */
__visible noinstr unsigned long pvm_read_cr2(void)
{
	return this_cpu_read(pvm_pvcs.cr2);
}

__PV_CALLEE_SAVE_REGS_THUNK(pvm_read_cr2, ".noinstr.text");

/*
 * User mode runs on the user half of the PTI pair (forced on for a PVM
 * guest, see pti_check_boottime_disable()), which the hypervisor loads on
 * every switch to user mode.  Its PCID is the one the native PTI exit path
 * would use.  The user PCID's deferred flushes (invalidate_user_asid())
 * need nothing here: every flush hypercall covers both page tables.
 */
static void pvm_write_cr3(unsigned long cr3)
{
	unsigned long flags = PVM_LOAD_PGTBL_FLUSH;
	unsigned long user_cr3;

	if (cr3 & X86_CR3_PCID_NOFLUSH) {
		flags = 0;
		cr3 &= ~X86_CR3_PCID_NOFLUSH;
	}
	user_cr3 = cr3 | BIT(PTI_PGTABLE_SWITCH_BIT);
	if (static_cpu_has(X86_FEATURE_PCID))
		user_cr3 |= BIT(X86_CR3_PTI_PCID_USER_BIT);
	if (pvm_hypercall(PVM_HC_LOAD_PGTBL, flags, cr3, user_cr3))
		panic("PVM: the hypervisor refused CR3 %lx\n", cr3);
}

static void pvm_flush_tlb_user(void)
{
	pvm_hypercall(PVM_HC_TLB_FLUSH_CURRENT, 0, 0, 0);
}

static void pvm_flush_tlb_kernel(void)
{
	pvm_hypercall(PVM_HC_TLB_FLUSH, 0, 0, 0);
}

static void pvm_flush_tlb_one_user(unsigned long addr)
{
	pvm_hypercall(PVM_HC_TLB_INVLPG, addr, 0, 0);
}

/*
 * The user GS base lives in PVCS::user_gsbase while the kernel runs; the
 * hypervisor switches it with the kernel's at every mode change.  That
 * is what MSR_KERNEL_GS_BASE holds natively between SWAPGSs.
 *
 * Other MSRs go through PVM_HC_RDMSR and PVM_HC_WRMSR, which spare the
 * hypervisor decoding a trapped instruction.  PVM_HC_RDMSR answers 0 for
 * an MSR it refuses, so a 0 is asked again with RDMSR itself, whose #GP
 * the exception table turns into the usual error; a refused write is
 * retried the same way.
 */
static u64 pvm_read_msr(unsigned int msr)
{
	u64 val;

	if (msr == MSR_KERNEL_GS_BASE)
		return this_cpu_read(pvm_pvcs.user_gsbase);
	val = pvm_hypercall(PVM_HC_RDMSR, msr, 0, 0);
	return val ? val : native_read_msr(msr);
}

static u64 pvm_read_msr_safe(unsigned int msr, int *err)
{
	u64 val;

	if (msr == MSR_KERNEL_GS_BASE) {
		*err = 0;
		return this_cpu_read(pvm_pvcs.user_gsbase);
	}
	val = pvm_hypercall(PVM_HC_RDMSR, msr, 0, 0);
	if (val) {
		*err = 0;
		return val;
	}
	return native_read_msr_safe(msr, err);
}

static void pvm_write_msr(unsigned int msr, unsigned int low,
			  unsigned int high)
{
	if (msr == MSR_KERNEL_GS_BASE)
		this_cpu_write(pvm_pvcs.user_gsbase, (u64)high << 32 | low);
	else if (pvm_hypercall(PVM_HC_WRMSR, msr, (u64)high << 32 | low, 0))
		native_write_msr(msr, low, high);
}

static int pvm_write_msr_safe(unsigned int msr, unsigned int low,
			      unsigned int high)
{
	if (msr == MSR_KERNEL_GS_BASE) {
		this_cpu_write(pvm_pvcs.user_gsbase, (u64)high << 32 | low);
		return 0;
	}
	if (pvm_hypercall(PVM_HC_WRMSR, msr, (u64)high << 32 | low, 0))
		return -EIO;
	return 0;
}

/*
 * SWAPGS faults at CPL 3.  The hypervisor loads the selector, which only
 * user mode sees, and returns the base that goes with it.
 */
static noinstr void pvm_load_gs_index(unsigned int sel)
{
	this_cpu_write(pvm_pvcs.user_gsbase,
		       pvm_hypercall(PVM_HC_LOAD_GS, sel, 0, 0));
}

/*
 * The TLS descriptors go into the hypervisor's GDT, at the same index, and
 * into the kernel's own, which is where get_desc() reads them.
 */
static void pvm_load_tls(struct thread_struct *t, unsigned int cpu)
{
	u64 d[GDT_ENTRY_TLS_ENTRIES];
	unsigned long idx;

	BUILD_BUG_ON(GDT_ENTRY_TLS_ENTRIES != 3);
	native_load_tls(t, cpu);
	memcpy(d, t->tls_array, sizeof(d));
	idx = pvm_hypercall(PVM_HC_LOAD_TLS, d[0], d[1], d[2]);
	WARN_ONCE(idx != GDT_ENTRY_TLS_MIN,
		  "PVM: TLS descriptors at GDT index %lu, not %d\n",
		  idx, GDT_ENTRY_TLS_MIN);
}

static void __init pvm_init_pv_ops(void)
{
	pv_info.name = "PVM";
	pv_ops.irq.save_fl = PV_CALLEE_SAVE(pvm_save_fl);
	pv_ops.irq.irq_disable = PV_CALLEE_SAVE(pvm_irq_disable);
	pv_ops.irq.irq_enable = PV_CALLEE_SAVE(pvm_irq_enable);
	pv_ops.irq.safe_halt = pvm_safe_halt;
	pv_ops.mmu.read_cr2 = PV_CALLEE_SAVE(pvm_read_cr2);
	pv_ops.mmu.write_cr3 = pvm_write_cr3;
	pv_ops.mmu.flush_tlb_user = pvm_flush_tlb_user;
	pv_ops.mmu.flush_tlb_kernel = pvm_flush_tlb_kernel;
	pv_ops.mmu.flush_tlb_one_user = pvm_flush_tlb_one_user;
	pv_ops.cpu.read_msr = pvm_read_msr;
	pv_ops.cpu.read_msr_safe = pvm_read_msr_safe;
	pv_ops.cpu.write_msr = pvm_write_msr;
	pv_ops.cpu.write_msr_safe = pvm_write_msr_safe;
	pv_ops.cpu.load_gs_index = pvm_load_gs_index;
	pv_ops.cpu.load_tls = pvm_load_tls;
}

/*
 * Called from common_startup_64 at CPL 3, on the kernel's page tables and
 * stack, before the first access that may fault.  The hypervisor
 * emulates WRMSR for the guest kernel.  __ref, not __init:
 * common_startup_64 is shared with CPU bring-up, while the early entry it
 * installs is init code (only the boot CPU runs as a PVM guest yet).
 */
void __ref pvm_early_setup(void)
{
	pvm_guest = true;
	pvm_init_pv_ops();
	native_wrmsrl(MSR_PVM_VCPU_STRUCT, __pa_symbol(&pvm_boot_pvcs));
	native_wrmsrl(MSR_PVM_RETS_RIP, (unsigned long)pvm_early_rets);
	native_wrmsrl(MSR_PVM_EVENT_ENTRY, (unsigned long)pvm_early_event_entry);
}

/*
 * The early event entry's C half.  Besides what do_early_exception()
 * handles natively, INT3s arrive here that natively go to exc_int3() by
 * then: those text_poke_bp() plants while it patches alternatives and
 * static calls, and the alternatives self-test's, which a die notifier
 * handles.
 */
void __init pvm_early_exception(struct pt_regs *regs, int vector)
{
	if (vector == X86_TRAP_BP &&
	    (poke_int3_handler(regs) ||
	     notify_die(DIE_INT3, "int3", regs, 0, X86_TRAP_BP, SIGTRAP) == NOTIFY_STOP))
		return;
	do_early_exception(regs, vector);
}

/*
 * Stop the VM from early boot, where an ordinary kernel would halt with
 * interrupts off forever.  Without an event entry the next event cannot
 * be delivered, and the hypervisor ends the VM and logs why.
 */
void pvm_early_die(void)
{
	native_wrmsrl(MSR_PVM_EVENT_ENTRY, 0);
	for (;;)
		asm volatile("ud2");
}

/* From x86_64_start_kernel(), once .bss is clear. */
void __init pvm_guest_init(void)
{
	setup_force_cpu_cap(X86_FEATURE_PV_GUEST);
	setup_force_cpu_cap(X86_FEATURE_KVM_PVM_GUEST);
	/*
	 * The spec fixes the underlying CR4.FSGSBASE to 1: user mode can
	 * WRGSBASE whatever CPUID says, so context switches must save and
	 * restore the bases as with FSGSBASE, not guess them from selectors.
	 */
	setup_force_cpu_cap(X86_FEATURE_FSGSBASE);
	/*
	 * Compatibility mode enters the kernel only through INT 0x80 under
	 * PVM (SYSCALL there is #UD, SYSENTER #GP): without these the
	 * 32-bit vDSO uses INT 0x80 too.
	 */
	setup_clear_cpu_cap(X86_FEATURE_SYSCALL32);
	setup_clear_cpu_cap(X86_FEATURE_SYSENTER32);
}

/*
 * Per CPU, from cpu_init_exception_handling(): the real event entry and
 * this CPU's PVCS.  The early PVCS had IF clear, as has this one.
 */
void pvm_setup_event_handling(void)
{
	struct pvm_vcpu_struct *pvcs = this_cpu_ptr(&pvm_pvcs);

	pvcs->event_flags &= ~PVM_EVENT_FLAGS_IF;
	wrmsrl(MSR_PVM_VCPU_STRUCT, per_cpu_ptr_to_phys(pvcs));
	wrmsrl(MSR_PVM_SUPERVISOR_REDZONE, 0);	/* -mno-red-zone */
	wrmsrl(MSR_PVM_RETS_RIP, (unsigned long)pvm_rets_rip);
	wrmsrl(MSR_PVM_RETU_RIP, (unsigned long)pvm_retu_rip);
	wrmsrl(MSR_PVM_EVENT_ENTRY, (unsigned long)pvm_event_entry);
}

/* From syscall_init(), after MSR_STAR. */
void pvm_syscall_init(void)
{
	wrmsrl(MSR_LSTAR, (unsigned long)pvm_entry_syscall_64);
}

/*
 * The event type FRED would report for @vector.  The hypervisor delivers
 * INT3, INTO and INT 0x80 (user mode) as events with their vector.
 */
static __always_inline unsigned int pvm_event_type(unsigned int vector,
						   bool user)
{
	switch (vector) {
	case X86_TRAP_NMI:
		return EVENT_TYPE_NMI;
	case X86_TRAP_BP:
	case X86_TRAP_OF:
		return EVENT_TYPE_SWEXC;
	case IA32_SYSCALL_VECTOR:
		if (user)
			return EVENT_TYPE_SWINT;
		break;
	}
	return vector < FIRST_EXTERNAL_VECTOR ? EVENT_TYPE_HWEXC : EVENT_TYPE_EXTINT;
}

/*
 * Every event from entry_64_pvm.S: orig_ax holds the error code and, in
 * its upper half, the vector.  The FRED dispatch code already maps
 * vectors to the kernel's handlers; it gets the event in the form a
 * FRED CPU would have given it.
 */
__visible noinstr void pvm_event(struct pt_regs *regs)
{
	unsigned int vector = regs->orig_ax >> 32;
	bool user = user_mode(regs);

	regs->orig_ax = (u32)regs->orig_ax;
	regs->csx = regs->cs;
	regs->ssx = regs->ss;

	/*
	 * ERETU refused the user state (a selector or RIP that sigreturn
	 * or ptrace let through): the hypervisor made it fault at the
	 * instruction.  The state is in the PVCS already, so re-enter as
	 * an event from user mode, which it is to blame for, like IRET
	 * faults natively (fixup_bad_iret()) and ERETU faults with FRED.
	 * RSP is back at the top of the stack when ERETS gets there.  Any
	 * other event there (an NMI) is the kernel's, and ERETU is retried.
	 */
	if (unlikely(vector == X86_TRAP_GP &&
		     regs->ip == (unsigned long)pvm_retu_rip) && !user) {
		this_cpu_write(pvm_pvcs.event_errcode, regs->orig_ax);
		this_cpu_write(pvm_pvcs.event_vector, vector);
		regs->ip = (unsigned long)pvm_event_entry + PVM_ENTRY_USER;
		return;
	}

	/*
	 * FRED's #DB handler takes DR6 from the FRED stack frame, which
	 * PVM does not have; the IDT handlers read it themselves.
	 */
	if (vector == X86_TRAP_DB) {
		regs->orig_ax = -1;
		if (user)
			noist_exc_debug(regs);
		else
			exc_debug(regs);
		return;
	}

	regs->fred_ss.vector = vector;
	regs->fred_ss.type = pvm_event_type(vector, user);
	regs->fred_ss.nmi = vector == X86_TRAP_NMI;
	regs->fred_ss.lm = regs->cs != __USER32_CS;
	if (user)
		fred_entry_from_user(regs);
	else
		fred_entry_from_kernel(regs);
}

/* SYSCALL from 64-bit user mode, the FRED way. */
__visible noinstr void pvm_syscall_event(struct pt_regs *regs)
{
	regs->csx = regs->cs;
	regs->ssx = regs->ss;
	regs->fred_ss.vector = FRED_SYSCALL;
	regs->fred_ss.type = EVENT_TYPE_OTHER;
	regs->fred_ss.swevent = 1;
	regs->fred_ss.lm = 1;
	fred_entry_from_user(regs);
}

static int __init pvm_report(void)
{
	if (pvm_guest) {
		pr_info("running as a PVM guest\n");
		pr_info("no SYSENTER, LDT, TSS or IST under PVM: 32-bit user mode enters through INT 0x80\n");
	}
	return 0;
}
early_initcall(pvm_report);
