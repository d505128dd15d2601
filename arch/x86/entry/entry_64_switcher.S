/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PVM switcher: world switch between the host kernel and a PVM guest
 * that runs at CPL3 on the host's GDT.  See asm/pvm_switcher.h.
 *
 * Entering: the C caller passes a pt_regs with the guest state and the
 * guest's shadow page-table root.  We save the callee-saved registers and
 * the host RSP/CR3 in per-CPU state, load the guest-mode IDT, move to the
 * per-CPU entry stack (TSS.sp0, where the CPU will also put the frame of
 * the next event from CPL3), switch CR3 and IRETQ to the guest.
 *
 * Leaving: every event from CPL3 arrives either on the entry stack or on
 * an IST stack, through a guest-mode IDT stub or the SYSCALL stubs.  The
 * stubs build a pt_regs there, switch CR3 and the IDT back and copy the
 * pt_regs into the caller's buffer before returning the exit code.
 *
 * Events taken at CPL0 while the guest-mode IDT is loaded (only NMI, #MC
 * and #DB can occur in the short windows around IRETQ and the exit stubs)
 * are forwarded unchanged to the host's own handlers.
 */
#include <linux/export.h>
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/asm.h>
#include <asm/asm-offsets.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/processor-flags.h>
#include <asm/ptrace-abi.h>
#include <asm/pvm_switcher.h>
#include <asm/segment.h>
#include <asm/trapnr.h>
#include "calling.h"

#define PVM_SW(field)	PER_CPU_VAR(pvm_switcher_state + PVM_SW_##field)

/* Vectors for which the CPU pushes an error code. */
#define PVM_ERRCODE_VECTORS	(EXCEPTION_ERRCODE_MASK | (1 << X86_TRAP_CP) | \
				 (1 << 30))

#define PVM_STUB_SIZE	32

	.section .noinstr.text, "ax"

/*
 * unsigned long __pvm_switcher_enter(struct pt_regs *regs, unsigned long cr3)
 *
 * Returns the exit code with interrupts disabled.
 */
SYM_CODE_START(__pvm_switcher_enter)
	UNWIND_HINT_FUNC
	ENDBR
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rdi

	movq	%rsp, PVM_SW(HOST_RSP)
	movq	%cr3, %rax
	movq	%rax, PVM_SW(HOST_CR3)

	lidt	pvm_guest_idt_descr(%rip)

	/*
	 * From here on the stack is the entry stack, which this CPU uses
	 * for events from CPL3 anyway; nothing of the host lives there.
	 */
	movq	PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp
	UNWIND_HINT_END_OF_STACK
	pushq	SS(%rdi)
	pushq	RSP(%rdi)
	pushq	EFLAGS(%rdi)
	pushq	CS(%rdi)
	pushq	RIP(%rdi)

	movq	%rsi, %cr3

	movq	R15(%rdi), %r15
	movq	R14(%rdi), %r14
	movq	R13(%rdi), %r13
	movq	R12(%rdi), %r12
	movq	RBP(%rdi), %rbp
	movq	RBX(%rdi), %rbx
	movq	R11(%rdi), %r11
	movq	R10(%rdi), %r10
	movq	R9(%rdi), %r9
	movq	R8(%rdi), %r8
	movq	RAX(%rdi), %rax
	movq	RCX(%rdi), %rcx
	movq	RDX(%rdi), %rdx
	movq	RSI(%rdi), %rsi
	movq	RDI(%rdi), %rdi

	/* The guest runs with its GS base; the host's waits in KERNEL_GS_BASE. */
	swapgs
	iretq
SYM_CODE_END(__pvm_switcher_enter)

/*
 * Common exit: a complete pt_regs of the guest is on the current stack,
 * the host GS base is active and the exit code is in PVM_SW(EXIT_CODE).
 */
SYM_CODE_START_LOCAL(pvm_switcher_exit_common)
	UNWIND_HINT_END_OF_STACK
	/* Clear the AC, DF and TF bits an IDT gate leaves as the guest had them. */
	pushq	$X86_EFLAGS_FIXED
	popfq

	movq	PVM_SW(HOST_CR3), %rax
	movq	%rax, %cr3
	lidt	pvm_host_idt_descr(%rip)

	movq	%rsp, %rsi
	movq	PVM_SW(HOST_RSP), %rsp
	popq	%rdi
	movl	$(SS / 8 + 1), %ecx	/* words in struct pt_regs */
	rep	movsq

	movq	PVM_SW(EXIT_CODE), %rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
SYM_CODE_END(pvm_switcher_exit_common)

/* Exit through the guest-mode IDT: vector and error code are on the stack. */
SYM_CODE_START_LOCAL(pvm_switcher_exit_idt)
	UNWIND_HINT_END_OF_STACK
	swapgs
	popq	PVM_SW(EXIT_CODE)
	PUSH_REGS unwind_hint=0
	jmp	pvm_switcher_exit_common
SYM_CODE_END(pvm_switcher_exit_idt)

/* SYSCALL from the guest's 64-bit code (MSR_LSTAR while the guest runs). */
SYM_CODE_START(pvm_switcher_syscall64)
	UNWIND_HINT_END_OF_STACK
	ENDBR
	swapgs
	movq	%rsp, PVM_SW(SCRATCH_RSP)
	movq	PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp
	pushq	$__USER_DS
	pushq	PVM_SW(SCRATCH_RSP)
	pushq	%r11
	pushq	$__USER_CS
	pushq	%rcx
	pushq	$-1
	movq	$PVM_EXIT_SYSCALL, PVM_SW(EXIT_CODE)
	PUSH_REGS unwind_hint=0
	jmp	pvm_switcher_exit_common
SYM_CODE_END(pvm_switcher_syscall64)
EXPORT_SYMBOL_GPL(pvm_switcher_syscall64)

/* SYSCALL from compatibility mode (MSR_CSTAR while the guest runs). */
SYM_CODE_START(pvm_switcher_syscall32)
	UNWIND_HINT_END_OF_STACK
	ENDBR
	swapgs
	movq	%rsp, PVM_SW(SCRATCH_RSP)
	movq	PER_CPU_VAR(cpu_tss_rw + TSS_sp0), %rsp
	pushq	$__USER_DS
	pushq	PVM_SW(SCRATCH_RSP)
	pushq	%r11
	pushq	$__USER32_CS
	pushq	%rcx
	pushq	$-1
	movq	$PVM_EXIT_SYSCALL32, PVM_SW(EXIT_CODE)
	PUSH_REGS unwind_hint=0
	jmp	pvm_switcher_exit_common
SYM_CODE_END(pvm_switcher_syscall32)
EXPORT_SYMBOL_GPL(pvm_switcher_syscall32)

/*
 * One stub per vector, PVM_STUB_SIZE bytes apart.  An event from CPL3
 * leaves the switcher; an event from CPL0 goes to the host's handler with
 * the stack untouched.
 */
	.balign	PVM_STUB_SIZE
SYM_CODE_START(pvm_idt_stubs)
	vector = 0
	.rept	256
	.if vector < 32
	errc = (PVM_ERRCODE_VECTORS >> vector) & 1
	.else
	errc = 0
	.endif
0:
	UNWIND_HINT_IRET_ENTRY offset=errc*8
	ENDBR
	testb	$3, CS-RIP+errc*8(%rsp)
	jz	1f
	.if !errc
	pushq	$-1
	.endif
	pushq	$vector
	jmp	pvm_switcher_exit_idt
1:
	ANNOTATE_RETPOLINE_SAFE
	jmp	*(pvm_host_idt_target + 8 * vector)(%rip)
	.org	0b + PVM_STUB_SIZE, 0xcc
	vector = vector + 1
	.endr
SYM_CODE_END(pvm_idt_stubs)

/*
 * Run a host handler from the host IDT with an interrupt frame, as if the
 * event had arrived now: used for the interrupts and NMIs that made the
 * guest exit.  Same frame as the CPU would build at CPL0.
 */
.macro PVM_DO_EVENT call_insn call_target
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	\call_insn \call_target
	mov	%rbp, %rsp
	pop	%rbp
	RET
.endm

/* void pvm_switcher_call_irq(unsigned long entry) */
SYM_FUNC_START(pvm_switcher_call_irq)
	PVM_DO_EVENT CALL_NOSPEC _ASM_ARG1
SYM_FUNC_END(pvm_switcher_call_irq)

/* void pvm_switcher_do_nmi(void) */
SYM_FUNC_START(pvm_switcher_do_nmi)
	PVM_DO_EVENT call asm_exc_nmi_kvm_vmx
SYM_FUNC_END(pvm_switcher_do_nmi)
EXPORT_SYMBOL_GPL(pvm_switcher_do_nmi)
