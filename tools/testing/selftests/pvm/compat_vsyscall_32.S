/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 32-bit user mode enters the kernel through the vDSO's __kernel_vsyscall
 * (AT_SYSINFO), which picks SYSENTER, SYSCALL or INT 0x80 for the CPU.
 * Under PVM only INT 0x80 exists in compatibility mode (SYSCALL is #UD,
 * SYSENTER #GP), so the kernel must hand out the INT 0x80 one there.
 * getpid through the vDSO must match getpid through INT 0x80; a wrong
 * entry instruction kills the process (SIGILL or SIGSEGV) instead.
 * No libc: built with -m32 -nostdlib, it needs no 32-bit libraries.
 */
#define NR_exit		1
#define NR_write	4
#define NR_getpid	20
#define AT_SYSINFO	32

	.text
	.globl	_start
_start:
	movl	(%esp), %ecx			/* argc */
	leal	8(%esp,%ecx,4), %esi		/* envp */
1:	lodsl					/* skip the environment */
	testl	%eax, %eax
	jnz	1b
2:	lodsl					/* auxv: type ... */
	movl	%eax, %edx
	lodsl					/* ... and value */
	testl	%edx, %edx
	jz	no_sysinfo
	cmpl	$AT_SYSINFO, %edx
	jne	2b
	movl	%eax, %edi

	movl	$NR_getpid, %eax
	int	$0x80
	movl	%eax, %ebx
	movl	$NR_getpid, %eax
	call	*%edi
	cmpl	%eax, %ebx
	jne	mismatch
	leal	ok_msg, %ecx
	movl	$ok_len, %edx
	xorl	%ebp, %ebp
	jmp	out
mismatch:
	leal	bad_msg, %ecx
	movl	$bad_len, %edx
	movl	$1, %ebp
	jmp	out
no_sysinfo:
	leal	none_msg, %ecx
	movl	$none_len, %edx
	movl	$1, %ebp
out:
	movl	$NR_write, %eax
	movl	$1, %ebx
	int	$0x80
	movl	$NR_exit, %eax
	movl	%ebp, %ebx
	int	$0x80

	.section .rodata
ok_msg:	.ascii	"__kernel_vsyscall and INT 0x80 agree on getpid\n"
	ok_len = . - ok_msg
bad_msg: .ascii	"__kernel_vsyscall and INT 0x80 disagree on getpid\n"
	bad_len = . - bad_msg
none_msg: .ascii "no AT_SYSINFO in the auxiliary vector\n"
	none_len = . - none_msg

	.section .note.GNU-stack, "", @progbits
