/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PVM_GUEST_H
#define _ASM_X86_PVM_GUEST_H

/*
 * Finding a PVM hypervisor at boot (Documentation/virt/kvm/x86/pvm-spec.rst,
 * "PVM booting sequence").  Everything here is inline and touches no
 * global data, so the decompressor and the kernel's earliest code, which
 * run before the image is at its final address, can use it.
 */

#include <linux/types.h>
#include <asm/processor-flags.h>
#include <uapi/asm/pvm_para.h>

/* "KVMKVMKVM\0\0\0" in EBX, ECX, EDX of leaf 0x40000000. */
#define PVM_KVM_SIGNATURE_EBX	0x4b4d564b
#define PVM_KVM_SIGNATURE_ECX	0x564b4d56
#define PVM_KVM_SIGNATURE_EDX	0x0000004d

/* The hardware CPL: 3 for a PVM guest kernel, 0 for a native one. */
static __always_inline bool pvm_hw_cpl3(void)
{
	u16 cs;

	asm volatile("mov %%cs, %0" : "=r" (cs));
	return (cs & 3) == 3;
}

/*
 * A native kernel enters its 64-bit entry points at CPL 0 with interrupts
 * off.  A PVM guest kernel runs at hardware CPL 3, where the hardware
 * RFLAGS.IF is always 1.  Both must hold before the synthetic CPUID is
 * even tried.
 */
static __always_inline bool pvm_underlying_cpl3_if1(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0" : "=rm" (flags));
	return (flags & X86_EFLAGS_IF) && pvm_hw_cpl3();
}

/* CPUID through the hypervisor: a plain CPUID at CPL 3 is not intercepted. */
static __always_inline void pvm_cpuid(u32 leaf, u32 *eax, u32 *ebx,
				      u32 *ecx, u32 *edx)
{
	asm volatile(PVM_SYNTHETIC_CPUID_ASM
		     : "=a" (*eax), "=b" (*ebx), "=c" (*ecx), "=d" (*edx)
		     : "0" (leaf), "2" (0)
		     : "memory");
}

/*
 * The spec's detection sequence.  Both signature values in EBX of the
 * vendor-features leaf are accepted: the specification's "pvm" and the
 * RFC host's "PVM".
 */
static __always_inline bool pvm_detect(void)
{
	u32 eax, ebx, ecx, edx;

	if (!pvm_underlying_cpl3_if1())
		return false;
	pvm_cpuid(PVM_CPUID_SIGNATURE, &eax, &ebx, &ecx, &edx);
	if (ebx != PVM_KVM_SIGNATURE_EBX || ecx != PVM_KVM_SIGNATURE_ECX ||
	    edx != PVM_KVM_SIGNATURE_EDX || eax < PVM_CPUID_VENDOR_FEATURES)
		return false;
	pvm_cpuid(PVM_CPUID_VENDOR_FEATURES, &eax, &ebx, &ecx, &edx);
	return ebx == PVM_CPUID_SIGNATURE_EBX || ebx == PVM_CPUID_SIGNATURE_EBX_RFC;
}

/*
 * RDMSR before any exception handling exists.  The hypervisor emulates it
 * for the guest kernel; it is only used on MSRs PVM defines.
 */
static __always_inline u64 pvm_early_rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return lo | (u64)hi << 32;
}

/*
 * The upper-half range MSR_PVM_LINEAR_ADDRESS_RANGE allows, for a guest
 * with 4-level paging.  Returns NULL, or why the value cannot be used.
 */
static __always_inline const char *pvm_linear_range(u64 msr, u64 *start, u64 *end)
{
	if (!pvm_la_range_valid(msr, 0))
		return "MSR_PVM_LINEAR_ADDRESS_RANGE is not a valid 4-level range";
	*start = pvm_la_pml4_base(pvm_la_range_index(msr, PVM_LA_PML4_START_SHIFT));
	*end = pvm_la_pml4_base(pvm_la_range_index(msr, PVM_LA_PML4_END_SHIFT));
	return NULL;
}

/* arch/x86/kernel/pvm.c; only referenced when CONFIG_PVM_GUEST is on. */
extern bool pvm_guest;
void pvm_early_setup(void);
void pvm_early_die(void);
struct pt_regs;
void pvm_early_exception(struct pt_regs *regs, int vector);
void pvm_guest_init(void);
void pvm_setup_event_handling(void);
void pvm_syscall_init(void);
void pvm_event(struct pt_regs *regs);
unsigned long pvm_save_fl(void);
void pvm_irq_disable(void);
void pvm_irq_enable(void);
unsigned long pvm_read_cr2(void);
void pvm_syscall_event(struct pt_regs *regs);

/* entry_64_pvm.S */
void pvm_early_event_entry(void);
void pvm_early_rets(void);
void pvm_event_entry(void);
void pvm_entry_syscall_64(void);
void pvm_rets_rip(void);
void pvm_retu_rip(void);
unsigned long pvm_hypercall(unsigned long nr, unsigned long a0,
			    unsigned long a1, unsigned long a2);

#endif /* _ASM_X86_PVM_GUEST_H */
