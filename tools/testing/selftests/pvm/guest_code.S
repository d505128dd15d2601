/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code for the PVM host selftests, copied to guest-physical 0x100000.
 * The supervisor runs it at the start of the allowed upper range plus
 * 0x100000, user mode at linear 0x100000: everything is position
 * independent.  Each snippet reports to the test with OUT %al, $port
 * (a #GP the host emulates into KVM_EXIT_IO) and the test checks the
 * registers, the PVCS and the stack.
 */
#define PORT_EV_USER	0xe0
#define PORT_EV_EXC	0xe1
#define PORT_EV_IRQ	0xe2
#define PORT_EV_SYSCALL	0xe3
#define PORT_DONE	0xf0

	.pushsection .rodata.pvm_guest, "a"
	.balign 4096
	.globl guest_code_start
guest_code_start:

/* MSR_PVM_EVENT_ENTRY = here; +0 user events, +256 and +512 supervisor. */
	.org guest_code_start + 0x800
	.globl ev_entry, retu_insn, rets_insn
ev_entry:
	out	%al, $PORT_EV_USER
retu_insn:				/* MSR_PVM_RETU_RIP */
	syscall
	ud2

	.org guest_code_start + 0x900
	out	%al, $PORT_EV_EXC
rets_insn:				/* MSR_PVM_RETS_RIP */
	syscall
	ud2

	.org guest_code_start + 0xa00
	out	%al, $PORT_EV_IRQ
	ud2

/* MSR_LSTAR: the user SYSCALL event; return to user mode right away. */
	.org guest_code_start + 0xb00
	.globl lstar_entry
lstar_entry:
	out	%al, $PORT_EV_SYSCALL
	jmp	retu_insn

/*
 * A second set of entries that handle #UD themselves, for the round-trip
 * loops: skip the UD2 and return, without the test's help.  %r15 holds
 * the supervisor's linear address of the PVCS.
 */
	.org guest_code_start + 0xc00
	.globl ev2_entry
ev2_entry:
	addq	$2, 96(%r15)		/* PVCS::rip */
	jmp	retu_insn

	.org guest_code_start + 0xd00
	addq	$2, 8(%rsp)		/* frame rip */
	jmp	rets_insn

	.org guest_code_start + 0xe00
	ud2

	.org guest_code_start + 0x1000

	/* A hypercall with the registers the test set. */
	.globl t_syscall
t_syscall:
	syscall
	out	%al, $PORT_DONE
	ud2

	/* %r12 hypercalls with number %r13. */
	.globl t_syscall_loop
t_syscall_loop:
	mov	%r13, %rax
	syscall
	dec	%r12
	jnz	t_syscall_loop
	out	%al, $PORT_DONE
	ud2

	/* %r12 round trips through #UD, the +256 entry and ERETS (ev2_entry). */
	.globl t_ud_loop
t_ud_loop:
	ud2
	dec	%r12
	jnz	t_ud_loop
	out	%al, $PORT_DONE
	ud2

	.globl t_ud, t_ud_insn
t_ud:
t_ud_insn:
	ud2
	out	%al, $PORT_DONE
	ud2

	.globl t_bp, t_bp_next
t_bp:
	int3
t_bp_next:
	out	%al, $PORT_DONE
	ud2

	.globl t_de, t_de_insn
t_de:
	mov	$1, %eax
	xor	%edx, %edx
	xor	%esi, %esi
t_de_insn:
	div	%rsi
	out	%al, $PORT_DONE
	ud2

	.globl t_int41, t_int41_insn
t_int41:
t_int41_insn:
	int	$0x41
	out	%al, $PORT_DONE
	ud2

	.globl t_int4, t_int4_insn
t_int4:
t_int4_insn:
	int	$4
	out	%al, $PORT_DONE
	ud2

	/* Load from (%rbx) into %rax. */
	.globl t_load, t_load_insn
t_load:
t_load_insn:
	mov	(%rbx), %rax
	out	%al, $PORT_DONE
	ud2

	/* Store %rax to (%rbx). */
	.globl t_store
t_store:
	mov	%rax, (%rbx)
	out	%al, $PORT_DONE
	ud2

	/* ERETU with the PVCS the test wrote. */
	.globl t_eretu
t_eretu:
	jmp	retu_insn

	/* PVM synthetic CPUID with %eax, %ecx from the test. */
	.globl t_cpuid
t_cpuid:
	.byte	0x0f, 0x01, 0x3c, 0x25, 0x50, 0x56, 0x4d, 0xff, 0x0f, 0xa2
	out	%al, $PORT_DONE
	ud2

	/* Native CPUID: executes at CPL3 without the host. */
	.globl t_native_cpuid
t_native_cpuid:
	cpuid
	out	%al, $PORT_DONE
	ud2

	/* Spin with the PVCS as the test set it, waiting for an event. */
	.globl t_spin
t_spin:
	pause
	jmp	t_spin

/* User-mode snippets, run at linear 0x100000 + offset. */
	.globl u_syscall, u_syscall_next
u_syscall:
	syscall
u_syscall_next:
	ud2

	.globl u_ud
u_ud:
	ud2

	.globl u_int80, u_int80_next
u_int80:
	int	$0x80
u_int80_next:
	ud2

	.globl u_load
u_load:
	mov	(%rbx), %rax
	ud2

	.globl u_rdgsbase
u_rdgsbase:
	rdgsbase %rax
	syscall
	ud2

	.globl u_pushf
u_pushf:
	pushf
	pop	%rax
	syscall
	ud2

	/* %r12 round trips through #UD, the +0 entry and ERETU (ev2_entry). */
	.globl u_ud_loop
u_ud_loop:
	ud2
	dec	%r12
	jnz	u_ud_loop
	syscall
	ud2

	/* Report PKRU in %rbx, set it to 0x30, then SYSCALL. */
	.globl u_pkru
u_pkru:
	xor	%ecx, %ecx
	rdpkru
	mov	%rax, %rbx
	mov	$0x30, %eax
	xor	%ecx, %ecx
	xor	%edx, %edx
	wrpkru
	syscall
	ud2

	/* Deny access to key 0 (every page), then touch the stack. */
	.globl u_pkey0_denied
u_pkey0_denied:
	mov	$1, %eax
	xor	%ecx, %ecx
	xor	%edx, %edx
	wrpkru
	push	%rax
	ud2

	.globl u_out80
u_out80:
	out	%al, $0x80
	ud2

	.globl u_sysenter
u_sysenter:
	sysenter
	ud2

	.globl u_spin
u_spin:
	pause
	jmp	u_spin

	.globl guest_code_end
guest_code_end:
	.popsection
	.section .note.GNU-stack, "", @progbits

/*
 * Bootstrap code for the legacy-mode tests, copied to guest-physical
 * 0x8000 and started in real mode with CS = 0x800.  It is not position
 * independent: BOOT(x) is the linear address of label x.
 */
#define BOOT(x)		(0x8000 + (x) - boot_code_start)

	.pushsection .rodata.pvm_boot, "a"
	.code16
	.globl boot_code_start
boot_code_start:

	/* A real-mode program: DS:0x10 with DS = 0x1234 is 0x12350. */
	.globl b_real
b_real:
	mov	$0x1234, %ax
	mov	%ax, %ds
	movw	$0x5678, 0x10
	mov	$0x42, %bx
	out	%al, $PORT_DONE
	hlt

	/*
	 * Protected mode and back (KVM's example of what goes wrong without
	 * unrestricted guest): [1] after CR0.PE, [2] after the far jump,
	 * [3] after the data segments, [4] back in real mode with 4 GiB limits
	 * (big real mode), then a store above 1 MiB.
	 */
	.globl b_pm
b_pm:
	cli
	lgdtl	%cs:(gdt_desc - boot_code_start)
	mov	%cr0, %eax
	or	$1, %al
	mov	%eax, %cr0
	out	%al, $0xe1			/* [1] */
	ljmpl	$8, $BOOT(1f)
	.code32
1:	out	%al, $0xe2			/* [2] */
	mov	$16, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ax, %ss
	out	%al, $0xe3			/* [3] */
	ljmp	$0x18, $BOOT(2f)
	.code16
2:	mov	%cr0, %eax
	and	$0xfe, %al
	mov	%eax, %cr0
	ljmp	$0x800, $(3f - boot_code_start)
3:	xor	%ax, %ax
	mov	%ax, %ds
	out	%al, $0xe4			/* [4] */
	mov	$0x200000, %esi
	addr32 movl $0xcafe, (%esi)
	out	%al, $PORT_DONE
	hlt

	/* Real mode to 32-bit protected mode to long mode, then PVM mode. */
	.globl b_long
b_long:
	cli
	lgdtl	%cs:(gdt_desc - boot_code_start)
	mov	%cr0, %eax
	or	$1, %al
	mov	%eax, %cr0
	ljmpl	$8, $BOOT(1f)
	.code32
1:	mov	$16, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$0x20, %eax			/* PAE */
	mov	%eax, %cr4
	mov	$0x1000, %eax			/* the test's page tables */
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	or	$0x100, %eax
	wrmsr
	mov	%cr0, %eax
	or	$0x80000000, %eax
	mov	%eax, %cr0
	out	%al, $0xe1			/* compatibility mode, emulated */
	ljmp	$0x20, $BOOT(2f)
	.code64
2:	mov	$0x77, %ebx			/* PVM mode: runs natively */
	out	%al, $PORT_DONE
	hlt
	.code16

	/*
	 * Interrupts in real mode: vector 0x30 from KVM_INTERRUPT, vector 0x31
	 * from INT; both handlers report and return with IRET.
	 */
	.globl b_irq, b_irq_spin
b_irq:
	xor	%ax, %ax
	mov	%ax, %ds
	movw	$(irq30 - boot_code_start), 0xc0
	movw	$0x800, 0xc2
	movw	$(irq31 - boot_code_start), 0xc4
	movw	$0x800, 0xc6
	mov	$0x7000, %sp
	mov	%ax, %ss
	int	$0x31
	sti
b_irq_spin:
	jmp	b_irq_spin
irq30:
	out	%al, $0xe2
	iret
irq31:
	out	%al, $0xe3
	iret

	/*
	 * Interrupts and exceptions in 32-bit protected mode: an IDT with
	 * interrupt gates for #GP (13) and vector 0x30, handlers that report
	 * and return with IRET.  The #GP comes from loading DS with a selector
	 * beyond the GDT; the test skips that MOV by editing the frame.
	 */
	.globl b_pmirq, b_pmirq_gp, b_pmirq_spin
b_pmirq:
	cli
	lgdtl	%cs:(gdt_desc - boot_code_start)
	lidtl	%cs:(idt_desc - boot_code_start)
	mov	%cr0, %eax
	or	$1, %al
	mov	%eax, %cr0
	ljmpl	$8, $BOOT(1f)
	.code32
1:	mov	$16, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$0x7000, %esp
	mov	$BOOT(pm_gp), %eax		/* gate 13 */
	mov	%ax, BOOT(idt) + 13 * 8
	shr	$16, %eax
	mov	%ax, BOOT(idt) + 13 * 8 + 6
	mov	$BOOT(pm_irq), %eax		/* gate 0x30 */
	mov	%ax, BOOT(idt) + 0x30 * 8
	shr	$16, %eax
	mov	%ax, BOOT(idt) + 0x30 * 8 + 6
	mov	$0x38, %ax
b_pmirq_gp:
	mov	%ax, %ds
	sti
b_pmirq_spin:
	jmp	b_pmirq_spin
pm_gp:
	out	%al, $0xe3
	add	$4, %esp			/* the error code */
	iret
pm_irq:
	out	%al, $0xe2
	iret
	.code16

	/* An instruction KVM's emulator does not know: AESENC. */
	.globl b_bad, b_bad_insn
b_bad:
	nop
b_bad_insn:
	aesenc	%xmm1, %xmm0
	hlt

	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code, flat */
	.quad	0x00cf93000000ffff	/* 0x10: data, flat 4 GiB */
	.quad	0x00009b000000ffff	/* 0x18: 16-bit code, base 0, 64 KiB */
	.quad	0x00af9b000000ffff	/* 0x20: 64-bit code */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	BOOT(gdt)

	/* 32-bit interrupt gates to 0x08:0, offsets filled in by b_pmirq. */
	.balign 8
idt:
	.rept	0x31
	.quad	0x00008e0000080000
	.endr
idt_end:
idt_desc:
	.word	idt_end - idt - 1
	.long	BOOT(idt)

	.globl boot_code_end
boot_code_end:
	.code64
	.popsection
