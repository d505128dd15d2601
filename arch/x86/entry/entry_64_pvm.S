/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event entry of a PVM guest kernel (Documentation/virt/kvm/x86/pvm-spec.rst).
 *
 * The hypervisor enters the guest at MSR_PVM_EVENT_ENTRY plus an offset
 * that says where the event came from: +0 user mode, +256 supervisor mode
 * with a vector below 32, +512 supervisor mode with a vector of 32 and
 * up.  A supervisor-mode event with a vector below 32 leaves a
 * struct pvm_supervisor_event on the stack: the combined error code and
 * vector, an IRET frame, then the interrupted RCX and R11, which the
 * delivery overwrote.  ERETS, a SYSCALL at MSR_PVM_RETS_RIP, returns
 * through the same frame.
 *
 * pvm_early_event_entry is the table used during early boot, from
 * common_startup_64 until the kernel's own handlers exist.  Only supervisor exceptions can happen
 * then (no user mode yet, virtual IF off); they go to pvm_early_exception()
 * with a struct pt_regs built over the frame, like the early IDT
 * handlers' in head_64.S.
 */
#include <linux/init.h>
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/frame.h>
#include <asm/percpu.h>
#include <asm/pvm_para.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "calling.h"

	__INIT
	.balign 256
SYM_CODE_START(pvm_early_event_entry)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	/* +0, user mode: impossible this early. */
	jmp	pvm_early_event_dead

	.org pvm_early_event_entry + PVM_ENTRY_SUPERVISOR_EXC, 0xcc
	UNWIND_HINT_END_OF_STACK
	/*
	 * RCX and R11 hold the entry address and flags; their values are
	 * in the frame.  The frame's first word becomes pt_regs::orig_ax,
	 * so it must hold the error code alone.
	 */
	movl	PVM_SEV_OFF_VECTOR(%rsp), %r11d
	movl	PVM_SEV_OFF_ERRCODE(%rsp), %ecx
	movq	%rcx, PVM_SEV_OFF_ERRCODE(%rsp)

	/* The rest of struct pt_regs, in its order (see PUSH_REGS). */
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	3*8+PVM_SEV_OFF_RCX(%rsp)
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	8*8+PVM_SEV_OFF_R11(%rsp)
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	UNWIND_HINT_REGS

	movq	%rsp, %rdi
	movl	%r11d, %esi
	call	pvm_early_exception

	/* Back the same way; RCX and R11 return through the frame. */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	movq	%r11, 8*8+PVM_SEV_OFF_R11(%rsp)
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	movq	%rcx, 3*8+PVM_SEV_OFF_RCX(%rsp)
	popq	%rdx
	popq	%rsi
	popq	%rdi
	UNWIND_HINT_IRET_REGS offset=8
SYM_INNER_LABEL(pvm_early_rets, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	syscall					/* ERETS */

	.org pvm_early_event_entry + PVM_ENTRY_SUPERVISOR_IRQ, 0xcc
	UNWIND_HINT_END_OF_STACK
	/* +512: interrupts stay off until the real entry code is in. */
SYM_INNER_LABEL(pvm_early_event_dead, SYM_L_LOCAL)
	hlt
	jmp	pvm_early_event_dead
SYM_CODE_END(pvm_early_event_entry)

/*
 * The event entry proper, from trap_init() on: every event becomes a
 * struct pt_regs on the kernel stack and goes to pvm_event(), which hands
 * it to the kernel's handlers.  User state arrives in and leaves through
 * the per-CPU PVCS (pvm_pvcs).
 */
#define PVCS(field)	PER_CPU_VAR(pvm_pvcs + PVCS_OFF_##field)

/*
 * struct pt_regs of an entry from user mode (+0 or SYSCALL).  RSP is
 * MSR_PVM_SUPERVISOR_RSP, where the last ERETU left it (the top of this
 * task's stack), and the GS base is the kernel's.  The frame the hardware
 * would have pushed comes from the user state in the PVCS; below it the
 * error code and vector as one word, as in a supervisor frame, or 0 for
 * SYSCALL, which has neither.
 */
.macro PVM_USER_PT_REGS syscall=0
	movzwl	PVCS(USER_SS), %ecx
	pushq	%rcx
	pushq	PVCS(RSP)
	movl	PVCS(EFLAGS), %ecx
	pushq	%rcx
	movzwl	PVCS(USER_CS), %ecx
	pushq	%rcx
	pushq	PVCS(RIP)
	.if \syscall
	pushq	$0
	.else
	pushq	PVCS(EVENT_ERRCODE)		/* and EVENT_VECTOR above it */
	.endif
	UNWIND_HINT_IRET_REGS offset=8
	movq	PVCS(RCX), %rcx
	movq	PVCS(R11), %r11
	PUSH_AND_CLEAR_REGS
	ENCODE_FRAME_POINTER
.endm

	.pushsection .entry.text, "ax"
	.balign 256
SYM_CODE_START(pvm_event_entry)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	/* +0, from user mode */
	PVM_USER_PT_REGS
	movq	%rsp, %rdi
	call	pvm_event
	jmp	pvm_restore_regs_and_return_to_usermode

	.org pvm_event_entry + PVM_ENTRY_SUPERVISOR_EXC, 0xcc
	/*
	 * +256, vector < 32 in supervisor mode: the hypervisor left a
	 * struct pvm_supervisor_event, whose first six words are the
	 * orig_ax and IRET frame of struct pt_regs.
	 */
	UNWIND_HINT_IRET_REGS offset=8
	movq	PVM_SEV_OFF_RCX(%rsp), %rcx
	movq	PVM_SEV_OFF_R11(%rsp), %r11
	jmp	pvm_supervisor_event

	.org pvm_event_entry + PVM_ENTRY_SUPERVISOR_IRQ, 0xcc
	/*
	 * +512, vector >= 32 in supervisor mode: the interrupted state is
	 * in the PVCS.  Move it to the stack in the +256 layout, so that
	 * both return through ERETS, before the next event can reuse it.
	 */
	UNWIND_HINT_END_OF_STACK
	pushq	PVCS(R11)
	pushq	PVCS(RCX)
	pushq	$__KERNEL_DS
	pushq	PVCS(RSP)
	movl	PVCS(EFLAGS), %ecx
	pushq	%rcx
	pushq	$__KERNEL_CS
	pushq	PVCS(RIP)
	movl	PVCS(EVENT_VECTOR), %ecx
	shlq	$32, %rcx
	pushq	%rcx
	UNWIND_HINT_IRET_REGS offset=8
	movq	PVCS(RCX), %rcx
	movq	PVCS(R11), %r11
	jmp	pvm_supervisor_event
SYM_CODE_END(pvm_event_entry)

SYM_CODE_START_LOCAL(pvm_supervisor_event)
	UNWIND_HINT_IRET_REGS offset=8
	PUSH_AND_CLEAR_REGS
	ENCODE_FRAME_POINTER
	movq	%rsp, %rdi
	call	pvm_event
	POP_REGS
	/* RCX and R11 go back through the frame; ERETS reloads them. */
	movq	%rcx, PVM_SEV_OFF_RCX(%rsp)
	movq	%r11, PVM_SEV_OFF_R11(%rsp)
	UNWIND_HINT_IRET_REGS offset=8
SYM_INNER_LABEL(pvm_rets_rip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	syscall					/* ERETS */
SYM_CODE_END(pvm_supervisor_event)

/*
 * SYSCALL from user mode arrives at MSR_LSTAR like an event at +0, with
 * no vector: RCX and R11 in the PVCS hold the return address and flags.
 */
SYM_CODE_START(pvm_entry_syscall_64)
	UNWIND_HINT_END_OF_STACK
	ANNOTATE_NOENDBR
	PVM_USER_PT_REGS syscall=1
	movq	%rsp, %rdi
	call	pvm_syscall_event
	jmp	pvm_restore_regs_and_return_to_usermode
SYM_CODE_END(pvm_entry_syscall_64)

/*
 * Back to user mode through ERETU: the user state goes to the PVCS, and
 * RSP is left at the top of the frame, where the hypervisor takes
 * MSR_PVM_SUPERVISOR_RSP from for the next entry.  Also the exit of
 * ret_from_fork (common_interrupt_return, patched for PVM).  Interrupts
 * are off (PVCS::event_flags.IF clear), as the spec asks before ERETU.
 */
SYM_CODE_START(pvm_restore_regs_and_return_to_usermode)
	UNWIND_HINT_REGS
	ANNOTATE_NOENDBR
	POP_REGS
	UNWIND_HINT_IRET_REGS offset=8
	movq	%rcx, PVCS(RCX)
	movq	%r11, PVCS(R11)
	movq	1*8(%rsp), %rcx
	movq	%rcx, PVCS(RIP)
	movq	2*8(%rsp), %rcx
	movw	%cx, PVCS(USER_CS)
	movq	3*8(%rsp), %rcx
	movl	%ecx, PVCS(EFLAGS)
	movq	4*8(%rsp), %rcx
	movq	%rcx, PVCS(RSP)
	movq	5*8(%rsp), %rcx
	movw	%cx, PVCS(USER_SS)
	addq	$6*8, %rsp
	UNWIND_HINT_END_OF_STACK
SYM_INNER_LABEL(pvm_retu_rip, SYM_L_GLOBAL)
	ANNOTATE_NOENDBR
	syscall					/* ERETU */
SYM_CODE_END(pvm_restore_regs_and_return_to_usermode)
	.popsection

/*
 * unsigned long pvm_hypercall(nr, a0, a1, a2): SYSCALL in supervisor
 * mode with the number in RAX and the arguments in RBX, R10 and RDX.
 * RBX is callee-saved; it waits in R9, which the hypervisor preserves.
 * RCX and R11 are clobbered.  Callable from noinstr code.
 */
	.pushsection .noinstr.text, "ax"
SYM_FUNC_START(pvm_hypercall)
	movq	%rdi, %rax
	movq	%rbx, %r9
	movq	%rsi, %rbx
	movq	%rdx, %r10
	movq	%rcx, %rdx
	syscall
	UNWIND_HINT_FUNC
	movq	%r9, %rbx
	RET
SYM_FUNC_END(pvm_hypercall)
	.popsection
