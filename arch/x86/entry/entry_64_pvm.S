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
 * This is the table used during early boot, from common_startup_64 until
 * the kernel's own handlers exist.  Only supervisor exceptions can happen
 * then (no user mode yet, virtual IF off); they go to pvm_early_exception()
 * with a struct pt_regs built over the frame, like the early IDT
 * handlers' in head_64.S.
 */
#include <linux/init.h>
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/pvm_para.h>
#include <asm/unwind_hints.h>

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
