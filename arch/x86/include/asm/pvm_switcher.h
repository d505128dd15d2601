/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVM switcher: runs a PVM guest at hardware CPL3 on the host's own
 * GDT and brings the CPU back on the guest's SYSCALLs, exceptions,
 * interrupts and NMIs.
 *
 * While a guest runs, the CPU uses a private IDT (guest-mode IDT) and
 * private SYSCALL targets, so no event taken from the guest ever goes
 * through the host's user-mode entry code (which would build its frame on
 * the task stack of the VMM thread).  The user-return MSR mechanism of KVM
 * restores the host's SYSCALL targets before any task returns to user mode.
 */
#ifndef _ASM_X86_PVM_SWITCHER_H
#define _ASM_X86_PVM_SWITCHER_H

/* Exit codes returned by pvm_switcher_run(); 0..255 are vectors. */
#define PVM_EXIT_SYSCALL	256	/* SYSCALL from 64-bit code */
#define PVM_EXIT_SYSCALL32	257	/* SYSCALL from compatibility mode */

/* Offsets into struct pvm_switcher_state, used by the assembly. */
#define PVM_SW_HOST_RSP		0
#define PVM_SW_HOST_CR3		8
#define PVM_SW_SCRATCH_RSP	16
#define PVM_SW_EXIT_CODE	24

#ifndef __ASSEMBLER__

#include <linux/types.h>
#include <linux/percpu-defs.h>
#include <asm/desc_defs.h>
#include <asm/pgtable_types.h>
#include <asm/ptrace.h>

struct pvm_switcher_state {
	unsigned long host_rsp;
	unsigned long host_cr3;
	unsigned long scratch_rsp;
	unsigned long exit_code;
};

DECLARE_PER_CPU_ALIGNED(struct pvm_switcher_state, pvm_switcher_state);

/*
 * Linear addresses reserved for PVM guests in the host's vmalloc area:
 * whole top-level page-table slots that no host mapping will ever use.
 */
struct pvm_switcher_range {
	unsigned long start;	/* inclusive, PGD aligned */
	unsigned long end;	/* exclusive, PGD aligned */
};

int pvm_switcher_init(struct pvm_switcher_range *range);
void pvm_switcher_copy_host_pgd(pgd_t *root, unsigned long guest_start,
				unsigned long guest_end);
unsigned long pvm_switcher_run(struct pt_regs *regs, unsigned long cr3);
void pvm_switcher_do_interrupt(unsigned int vector);
void pvm_switcher_do_nmi(void);

/* MSR_LSTAR and MSR_CSTAR while a guest runs */
extern const char pvm_switcher_syscall64[];
extern const char pvm_switcher_syscall32[];

/* Internals of the switcher, shared between its C and assembly parts */
extern const u8 pvm_idt_stubs[];
extern struct desc_ptr pvm_guest_idt_descr;
extern struct desc_ptr pvm_host_idt_descr;
extern unsigned long pvm_host_idt_target[];
unsigned long __pvm_switcher_enter(struct pt_regs *regs, unsigned long cr3);
void pvm_switcher_call_irq(unsigned long entry);

#endif /* !__ASSEMBLER__ */
#endif /* _ASM_X86_PVM_SWITCHER_H */
