// SPDX-License-Identifier: GPL-2.0
/*
 * PVM guest support (Documentation/virt/kvm/x86/pvm-spec.rst): a kernel
 * that runs at hardware CPL 3 under a PVM hypervisor.
 *
 * The decompressor found the hypervisor and moved the kernel into the
 * range it allows.  What is here so far is the earliest part of the
 * kernel proper's boot: events are delivered through the PVCS and
 * MSR_PVM_EVENT_ENTRY, so those are set up before anything can fault.
 */
#define pr_fmt(fmt) "pvm: " fmt

#include <linux/export.h>
#include <linux/init.h>
#include <linux/kdebug.h>
#include <linux/linkage.h>
#include <linux/printk.h>
#include <linux/signal.h>
#include <asm/msr.h>
#include <asm/page.h>
#include <asm/pvm_guest.h>
#include <asm/sections.h>
#include <asm/setup.h>
#include <asm/text-patching.h>
#include <asm/trapnr.h>

/*
 * The boot CPU's PVCS.  In .bss, which x86_64_start_kernel() clears
 * afterwards: all zero is a valid PVCS (virtual IF off, nothing pending).
 */
static struct pvm_vcpu_struct pvm_boot_pvcs __page_aligned_bss;

/* Set before .bss is cleared, so not in .bss. */
bool pvm_guest __ro_after_init;
/* Inline helpers read it (native_cpuid(), native_set_ldt()). */
EXPORT_SYMBOL_GPL(pvm_guest);

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

static int __init pvm_report(void)
{
	if (pvm_guest)
		pr_info("running as a PVM guest\n");
	return 0;
}
early_initcall(pvm_report);
