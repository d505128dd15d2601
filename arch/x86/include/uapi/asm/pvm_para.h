/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The PVM ABI: every number shared by the PVM hypervisor (kvm-pvm), the PVM
 * guest kernel, VMMs and the tests.  The behaviour behind the numbers is
 * described in Documentation/virt/kvm/x86/pvm-spec.rst.
 */
#ifndef _UAPI_ASM_X86_PVM_PARA_H
#define _UAPI_ASM_X86_PVM_PARA_H

#include <linux/const.h>
#ifndef __ASSEMBLY__
#include <linux/types.h>
#endif

/*
 * CPUID.  A PVM hypervisor answers KVM_CPUID_SIGNATURE (0x40000000) with the
 * "KVMKVMKVM\0\0\0" signature and EAX >= PVM_CPUID_VENDOR_FEATURES.  Leaf
 * PVM_CPUID_VENDOR_FEATURES returns the PVM feature bits in EAX and the PVM
 * signature in EBX; ECX and EDX are reserved (zero).
 *
 * The specification's signature is "pvm" (0x6d7670), which kvm-pvm returns.
 * The RFC implementation returned "PVM" (0x4d5650); guests accept both so
 * that they run on either host.
 */
#define PVM_CPUID_SIGNATURE		0x40000000
#define PVM_CPUID_VENDOR_FEATURES	0x40000002
#define PVM_CPUID_SIGNATURE_EBX		0x6d7670	/* "pvm" */
#define PVM_CPUID_SIGNATURE_EBX_RFC	0x4d5650	/* "PVM" */

/* No optional PVM features are defined yet: EAX of the leaf reads zero. */
#define PVM_FEATURES_ALL		0

/*
 * PVM_SYNTHETIC_CPUID: "invlpg 0xffffffffff4d5650; cpuid".  In an ordinary
 * kernel both halves execute normally (the INVLPG drops a TLB entry nobody
 * uses); at underlying CPL3 the INVLPG traps, so the hypervisor sees the
 * sequence and answers with the PVM CPUID leaves.  It is the only CPUID a
 * guest may trust to reach the PVM hypervisor.
 */
#define PVM_SYNTHETIC_CPUID_ADDRESS	0xffffffffff4d5650ULL
#define PVM_SYNTHETIC_CPUID_LEN		10
#define PVM_SYNTHETIC_CPUID_ASM		\
	".byte 0x0f,0x01,0x3c,0x25,0x50,0x56,0x4d,0xff,0x0f,0xa2"

/* MSRs.  0x4b564df0 - 0x4b564dff are reserved for PVM. */
#define PVM_MSR_BASE			0x4b564df0
#define PVM_MSR_LAST			0x4b564dff
#define MSR_PVM_LINEAR_ADDRESS_RANGE	0x4b564df0
#define MSR_PVM_VCPU_STRUCT		0x4b564df1
#define MSR_PVM_SUPERVISOR_RSP		0x4b564df2
#define MSR_PVM_SUPERVISOR_REDZONE	0x4b564df3
#define MSR_PVM_EVENT_ENTRY		0x4b564df4
#define MSR_PVM_RETU_RIP		0x4b564df5
#define MSR_PVM_RETS_RIP		0x4b564df6
#define MSR_PVM_SWITCH_CR3		0x4b564df7

/*
 * Hypercalls: SYSCALL in PVM supervisor mode, except at MSR_PVM_RETU_RIP and
 * MSR_PVM_RETS_RIP.  Number in RAX, arguments in RBX, R10 and RDX (R10 stands
 * for RCX, which SYSCALL clobbers), result in RAX.  Numbers inside
 * [PVM_HC_BASE, PVM_HC_LAST] are PVM hypercalls; any other number is handled
 * as a KVM hypercall.
 */
#define PVM_HC_BASE			0x17088200
#define PVM_HC_LAST			0x170882ff
#define PVM_HC_LOAD_PGTBL		(PVM_HC_BASE + 0)
#define PVM_HC_IRQ_WIN			(PVM_HC_BASE + 1)
#define PVM_HC_IRQ_HLT			(PVM_HC_BASE + 2)
#define PVM_HC_TLB_FLUSH		(PVM_HC_BASE + 3)
#define PVM_HC_TLB_FLUSH_CURRENT	(PVM_HC_BASE + 4)
#define PVM_HC_TLB_INVLPG		(PVM_HC_BASE + 5)
#define PVM_HC_LOAD_GS			(PVM_HC_BASE + 6)
#define PVM_HC_RDMSR			(PVM_HC_BASE + 7)
#define PVM_HC_WRMSR			(PVM_HC_BASE + 8)
#define PVM_HC_LOAD_TLS			(PVM_HC_BASE + 9)
#define PVM_HC_NR			10

/* PVM_HC_LOAD_PGTBL flags (first argument). */
#define PVM_LOAD_PGTBL_FLUSH		_BITUL(0)
#define PVM_LOAD_PGTBL_LA57		_BITUL(1)
#define PVM_LOAD_PGTBL_VALID_FLAGS	(PVM_LOAD_PGTBL_FLUSH | PVM_LOAD_PGTBL_LA57)

/*
 * Event entry points, as offsets from MSR_PVM_EVENT_ENTRY: events from user
 * mode; events with vector < 32 from supervisor mode (frame on the stack);
 * events with vector >= 32 from supervisor mode (state in the PVCS).
 */
#define PVM_ENTRY_USER			0
#define PVM_ENTRY_SUPERVISOR_EXC	256
#define PVM_ENTRY_SUPERVISOR_IRQ	512

/* PVCS::event_flags */
#define PVM_EVENT_FLAGS_IP_BIT		8	/* interrupt pending */
#define PVM_EVENT_FLAGS_IF_BIT		9	/* interrupt enable, as RFLAGS.IF */
#define PVM_EVENT_FLAGS_IP		_BITUL(PVM_EVENT_FLAGS_IP_BIT)
#define PVM_EVENT_FLAGS_IF		_BITUL(PVM_EVENT_FLAGS_IF_BIT)
#define PVM_EVENT_FLAGS_VALID		(PVM_EVENT_FLAGS_IP | PVM_EVENT_FLAGS_IF)

/*
 * struct pvm_vcpu_struct (PVCS): shared between one vCPU and the hypervisor
 * at the page-aligned guest-physical address in MSR_PVM_VCPU_STRUCT.  The
 * user-mode state is exchanged here on every user <-> supervisor switch and
 * on supervisor-mode events with vector >= 32.
 */
#ifndef __ASSEMBLY__
struct pvm_vcpu_struct {
	__u64 event_flags;
	__u32 event_errcode;
	__u32 event_vector;
	__u64 cr2;
	__u64 reserved0[5];

	__u16 user_cs;
	__u16 user_ss;
	__u32 reserved1;
	__u64 reserved2;
	__u64 user_gsbase;
	__u32 eflags;
	__u32 pkru;
	__u64 rip;
	__u64 rsp;
	__u64 rcx;
	__u64 r11;
};
#endif /* __ASSEMBLY__ */

#define PVCS_OFF_EVENT_FLAGS		0
#define PVCS_OFF_EVENT_ERRCODE		8
#define PVCS_OFF_EVENT_VECTOR		12
#define PVCS_OFF_CR2			16
#define PVCS_OFF_USER_CS		64
#define PVCS_OFF_USER_SS		66
#define PVCS_OFF_USER_GSBASE		80
#define PVCS_OFF_EFLAGS			88
#define PVCS_OFF_PKRU			92
#define PVCS_OFF_RIP			96
#define PVCS_OFF_RSP			104
#define PVCS_OFF_RCX			112
#define PVCS_OFF_R11			120
#define PVCS_SIZE			128

/*
 * The frame of a supervisor-mode event with vector < 32, and of
 * EVENT_RETURN_SUPERVISOR (ERETS), lowest address first.  The hypervisor
 * builds it below RSP - MSR_PVM_SUPERVISOR_REDZONE, aligned to 16 bytes.
 * ERETS ignores errcode, vector, cs and ss.
 */
#ifndef __ASSEMBLY__
struct pvm_supervisor_event {
	__u32 errcode;
	__u32 vector;
	__u64 rip;
	__u64 cs;
	__u64 rflags;
	__u64 rsp;
	__u64 ss;
	__u64 rcx;
	__u64 r11;
};
#endif /* __ASSEMBLY__ */

#define PVM_SEV_OFF_ERRCODE		0
#define PVM_SEV_OFF_VECTOR		4
#define PVM_SEV_OFF_RIP			8
#define PVM_SEV_OFF_CS			16
#define PVM_SEV_OFF_RFLAGS		24
#define PVM_SEV_OFF_RSP			32
#define PVM_SEV_OFF_SS			40
#define PVM_SEV_OFF_RCX			48
#define PVM_SEV_OFF_R11			56
#define PVM_SEV_SIZE			64

/*
 * Both layouts are ABI.  A field away from its documented offset makes an
 * array size negative, so the mistake cannot compile (in C90 too, which
 * the UAPI headers must support).
 */
#ifndef __ASSEMBLY__
#define __PVM_AT(type, field, off) \
	(__builtin_offsetof(struct type, field) == (off) ? 1 : -1)

struct __pvm_vcpu_struct_layout {
	char event_flags[__PVM_AT(pvm_vcpu_struct, event_flags, PVCS_OFF_EVENT_FLAGS)];
	char event_errcode[__PVM_AT(pvm_vcpu_struct, event_errcode, PVCS_OFF_EVENT_ERRCODE)];
	char event_vector[__PVM_AT(pvm_vcpu_struct, event_vector, PVCS_OFF_EVENT_VECTOR)];
	char cr2[__PVM_AT(pvm_vcpu_struct, cr2, PVCS_OFF_CR2)];
	char user_cs[__PVM_AT(pvm_vcpu_struct, user_cs, PVCS_OFF_USER_CS)];
	char user_ss[__PVM_AT(pvm_vcpu_struct, user_ss, PVCS_OFF_USER_SS)];
	char user_gsbase[__PVM_AT(pvm_vcpu_struct, user_gsbase, PVCS_OFF_USER_GSBASE)];
	char eflags[__PVM_AT(pvm_vcpu_struct, eflags, PVCS_OFF_EFLAGS)];
	char pkru[__PVM_AT(pvm_vcpu_struct, pkru, PVCS_OFF_PKRU)];
	char rip[__PVM_AT(pvm_vcpu_struct, rip, PVCS_OFF_RIP)];
	char rsp[__PVM_AT(pvm_vcpu_struct, rsp, PVCS_OFF_RSP)];
	char rcx[__PVM_AT(pvm_vcpu_struct, rcx, PVCS_OFF_RCX)];
	char r11[__PVM_AT(pvm_vcpu_struct, r11, PVCS_OFF_R11)];
	char size[sizeof(struct pvm_vcpu_struct) == PVCS_SIZE ? 1 : -1];
};

struct __pvm_supervisor_event_layout {
	char errcode[__PVM_AT(pvm_supervisor_event, errcode, PVM_SEV_OFF_ERRCODE)];
	char vector[__PVM_AT(pvm_supervisor_event, vector, PVM_SEV_OFF_VECTOR)];
	char rip[__PVM_AT(pvm_supervisor_event, rip, PVM_SEV_OFF_RIP)];
	char cs[__PVM_AT(pvm_supervisor_event, cs, PVM_SEV_OFF_CS)];
	char rflags[__PVM_AT(pvm_supervisor_event, rflags, PVM_SEV_OFF_RFLAGS)];
	char rsp[__PVM_AT(pvm_supervisor_event, rsp, PVM_SEV_OFF_RSP)];
	char ss[__PVM_AT(pvm_supervisor_event, ss, PVM_SEV_OFF_SS)];
	char rcx[__PVM_AT(pvm_supervisor_event, rcx, PVM_SEV_OFF_RCX)];
	char r11[__PVM_AT(pvm_supervisor_event, r11, PVM_SEV_OFF_R11)];
	char size[sizeof(struct pvm_supervisor_event) == PVM_SEV_SIZE ? 1 : -1];
};

#undef __PVM_AT
#endif /* __ASSEMBLY__ */

/*
 * MSR_PVM_LINEAR_ADDRESS_RANGE: the upper-half linear addresses the guest may
 * use besides the lower half.  Four 16-bit fields, each a 9-bit page-table
 * index ORed with 0xfe00 (so bits 9-15 of a field are all ones):
 *
 *   bits  0-15  PML4 start index    bits 32-47  PML5 start index
 *   bits 16-31  PML4 end index      bits 48-63  PML5 end index
 *
 * Valid encodings satisfy 256 <= start < end < 511 at both levels, except
 * that both PML5 indexes are 0x1ff when the host does not run with LA57.
 * The allowed ranges are then
 *
 *   [pvm_la_pml4_base(PML4 start), pvm_la_pml4_base(PML4 end))
 *   [pvm_la_pml5_base(PML5 start), pvm_la_pml5_base(PML5 end))  (LA57 only)
 *
 * Index 511 (the top 512 GiB with 4-level paging) is never allowed: the host
 * kernel lives there, which is why a PVM guest kernel must be relocatable.
 */
#define PVM_LA_FIELD_MARK		0xfe00
#define PVM_LA_INDEX_MASK		0x1ff
#define PVM_LA_INDEX_MIN		0x100
#define PVM_LA_INDEX_MAX		0x1fe	/* largest valid end index */
#define PVM_LA_INDEX_NONE		0x1ff	/* PML5 indexes without LA57 */
#define PVM_LA_PML4_START_SHIFT		0
#define PVM_LA_PML4_END_SHIFT		16
#define PVM_LA_PML5_START_SHIFT		32
#define PVM_LA_PML5_END_SHIFT		48

#ifndef __ASSEMBLY__
static __inline__ __u64 pvm_la_range_encode(__u16 pml4_start, __u16 pml4_end,
					    __u16 pml5_start, __u16 pml5_end)
{
	return ((__u64)(PVM_LA_FIELD_MARK | pml4_start) << PVM_LA_PML4_START_SHIFT) |
	       ((__u64)(PVM_LA_FIELD_MARK | pml4_end) << PVM_LA_PML4_END_SHIFT) |
	       ((__u64)(PVM_LA_FIELD_MARK | pml5_start) << PVM_LA_PML5_START_SHIFT) |
	       ((__u64)(PVM_LA_FIELD_MARK | pml5_end) << PVM_LA_PML5_END_SHIFT);
}

/* The 9-bit index stored in the field at @shift (one of PVM_LA_*_SHIFT). */
static __inline__ __u16 pvm_la_range_index(__u64 msr, unsigned int shift)
{
	return (msr >> shift) & PVM_LA_INDEX_MASK;
}

static __inline__ int __pvm_la_field_ok(__u64 msr, unsigned int shift)
{
	return ((msr >> shift) & 0xffff & ~PVM_LA_INDEX_MASK) == PVM_LA_FIELD_MARK &&
	       pvm_la_range_index(msr, shift) >= PVM_LA_INDEX_MIN;
}

/*
 * Whether @msr is an encoding a hypervisor whose underlying paging is 5-level
 * (@la57 != 0) or 4-level accepts.  A hypervisor also requires the ranges to
 * be inside the ones it reset the MSR to.
 */
static __inline__ int pvm_la_range_valid(__u64 msr, int la57)
{
	__u16 s4 = pvm_la_range_index(msr, PVM_LA_PML4_START_SHIFT);
	__u16 e4 = pvm_la_range_index(msr, PVM_LA_PML4_END_SHIFT);
	__u16 s5 = pvm_la_range_index(msr, PVM_LA_PML5_START_SHIFT);
	__u16 e5 = pvm_la_range_index(msr, PVM_LA_PML5_END_SHIFT);

	if (!__pvm_la_field_ok(msr, PVM_LA_PML4_START_SHIFT) ||
	    !__pvm_la_field_ok(msr, PVM_LA_PML4_END_SHIFT) ||
	    !__pvm_la_field_ok(msr, PVM_LA_PML5_START_SHIFT) ||
	    !__pvm_la_field_ok(msr, PVM_LA_PML5_END_SHIFT))
		return 0;
	if (s4 >= e4 || e4 > PVM_LA_INDEX_MAX)
		return 0;
	if (!la57)
		return s5 == PVM_LA_INDEX_NONE && e5 == PVM_LA_INDEX_NONE;
	return s5 < e5 && e5 <= PVM_LA_INDEX_MAX;
}

/* The canonical linear address at which PML4 (or PML5) slot @index starts. */
static __inline__ __u64 pvm_la_pml4_base(__u16 index)
{
	return ((__u64)0x1fffe00 | index) << 39;
}

static __inline__ __u64 pvm_la_pml5_base(__u16 index)
{
	return ((__u64)0xfe00 | index) << 48;
}
#endif /* __ASSEMBLY__ */

#endif /* _UAPI_ASM_X86_PVM_PARA_H */
