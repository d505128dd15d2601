// SPDX-License-Identifier: GPL-2.0
/*
 * Checks asm/pvm_para.h against the PVM specification.  The expected values
 * are written out as the specification states them, not taken from the
 * header's own macros, so a wrong constant in the header fails here.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <asm/pvm_para.h>

#include "../kselftest_harness.h"

TEST(msr_indices)
{
	EXPECT_EQ(0x4b564df0, MSR_PVM_LINEAR_ADDRESS_RANGE);
	EXPECT_EQ(0x4b564df1, MSR_PVM_VCPU_STRUCT);
	EXPECT_EQ(0x4b564df2, MSR_PVM_SUPERVISOR_RSP);
	EXPECT_EQ(0x4b564df3, MSR_PVM_SUPERVISOR_REDZONE);
	EXPECT_EQ(0x4b564df4, MSR_PVM_EVENT_ENTRY);
	EXPECT_EQ(0x4b564df5, MSR_PVM_RETU_RIP);
	EXPECT_EQ(0x4b564df6, MSR_PVM_RETS_RIP);
	EXPECT_EQ(0x4b564df7, MSR_PVM_SWITCH_CR3);
	EXPECT_EQ(0x4b564df0, PVM_MSR_BASE);
	EXPECT_EQ(0x4b564dff, PVM_MSR_LAST);
}

TEST(hypercall_numbers)
{
	EXPECT_EQ(0x17088200, PVM_HC_LOAD_PGTBL);
	EXPECT_EQ(0x17088201, PVM_HC_IRQ_WIN);
	EXPECT_EQ(0x17088202, PVM_HC_IRQ_HLT);
	EXPECT_EQ(0x17088203, PVM_HC_TLB_FLUSH);
	EXPECT_EQ(0x17088204, PVM_HC_TLB_FLUSH_CURRENT);
	EXPECT_EQ(0x17088205, PVM_HC_TLB_INVLPG);
	EXPECT_EQ(0x17088206, PVM_HC_LOAD_GS);
	EXPECT_EQ(0x17088207, PVM_HC_RDMSR);
	EXPECT_EQ(0x17088208, PVM_HC_WRMSR);
	EXPECT_EQ(0x17088209, PVM_HC_LOAD_TLS);
	EXPECT_EQ(0x170882ff, PVM_HC_LAST);
	EXPECT_EQ(PVM_HC_LOAD_TLS, PVM_HC_BASE + PVM_HC_NR - 1);
	EXPECT_EQ(1, PVM_LOAD_PGTBL_FLUSH);
	EXPECT_EQ(2, PVM_LOAD_PGTBL_LA57);
}

TEST(pvcs_layout)
{
	EXPECT_EQ(128, sizeof(struct pvm_vcpu_struct));
	EXPECT_EQ(0, offsetof(struct pvm_vcpu_struct, event_flags));
	EXPECT_EQ(8, offsetof(struct pvm_vcpu_struct, event_errcode));
	EXPECT_EQ(12, offsetof(struct pvm_vcpu_struct, event_vector));
	EXPECT_EQ(16, offsetof(struct pvm_vcpu_struct, cr2));
	EXPECT_EQ(24, offsetof(struct pvm_vcpu_struct, reserved0));
	EXPECT_EQ(64, offsetof(struct pvm_vcpu_struct, user_cs));
	EXPECT_EQ(66, offsetof(struct pvm_vcpu_struct, user_ss));
	EXPECT_EQ(68, offsetof(struct pvm_vcpu_struct, reserved1));
	EXPECT_EQ(72, offsetof(struct pvm_vcpu_struct, reserved2));
	EXPECT_EQ(80, offsetof(struct pvm_vcpu_struct, user_gsbase));
	EXPECT_EQ(88, offsetof(struct pvm_vcpu_struct, eflags));
	EXPECT_EQ(92, offsetof(struct pvm_vcpu_struct, pkru));
	EXPECT_EQ(96, offsetof(struct pvm_vcpu_struct, rip));
	EXPECT_EQ(104, offsetof(struct pvm_vcpu_struct, rsp));
	EXPECT_EQ(112, offsetof(struct pvm_vcpu_struct, rcx));
	EXPECT_EQ(120, offsetof(struct pvm_vcpu_struct, r11));
	/* The assembly offsets must agree with the structure. */
	EXPECT_EQ(offsetof(struct pvm_vcpu_struct, rip), PVCS_OFF_RIP);
	EXPECT_EQ(offsetof(struct pvm_vcpu_struct, r11), PVCS_OFF_R11);
	EXPECT_EQ(offsetof(struct pvm_vcpu_struct, user_gsbase), PVCS_OFF_USER_GSBASE);
}

TEST(event_flags_bits)
{
	EXPECT_EQ(0x100, PVM_EVENT_FLAGS_IP);
	/* IF is where RFLAGS keeps it, so the two can be masked together. */
	EXPECT_EQ(0x200, PVM_EVENT_FLAGS_IF);
	EXPECT_EQ(0x300, PVM_EVENT_FLAGS_VALID);
}

/*
 * The spec lists the pushes R11 first; the frame read upwards from the
 * final RSP therefore starts with errcode and the vector above it.
 */
TEST(supervisor_event_frame)
{
	struct pvm_supervisor_event f;
	uint64_t raw[8];

	EXPECT_EQ(64, sizeof(f));
	EXPECT_EQ(0, offsetof(struct pvm_supervisor_event, errcode));
	EXPECT_EQ(4, offsetof(struct pvm_supervisor_event, vector));
	EXPECT_EQ(8, offsetof(struct pvm_supervisor_event, rip));
	EXPECT_EQ(16, offsetof(struct pvm_supervisor_event, cs));
	EXPECT_EQ(24, offsetof(struct pvm_supervisor_event, rflags));
	EXPECT_EQ(32, offsetof(struct pvm_supervisor_event, rsp));
	EXPECT_EQ(40, offsetof(struct pvm_supervisor_event, ss));
	EXPECT_EQ(48, offsetof(struct pvm_supervisor_event, rcx));
	EXPECT_EQ(56, offsetof(struct pvm_supervisor_event, r11));

	/* "vector (4 bytes), errcode (4 bytes)": vector in the high half. */
	raw[0] = (14ULL << 32) | 0x7;
	memcpy(&f, raw, sizeof(raw[0]));
	EXPECT_EQ(14, f.vector);
	EXPECT_EQ(7, f.errcode);
	EXPECT_EQ(0, PVM_ENTRY_USER);
	EXPECT_EQ(256, PVM_ENTRY_SUPERVISOR_EXC);
	EXPECT_EQ(512, PVM_ENTRY_SUPERVISOR_IRQ);
}

/* What the assembler makes of PVM_SYNTHETIC_CPUID_ASM, never executed. */
extern const uint8_t synth_cpuid[], synth_cpuid_end[];
asm(".pushsection .rodata\n"
	"synth_cpuid:\n"
	PVM_SYNTHETIC_CPUID_ASM "\n"
	"synth_cpuid_end:\n"
	".popsection");

TEST(synthetic_cpuid)
{
	static const uint8_t want[] = {
		0x0f, 0x01, 0x3c, 0x25, 0x50, 0x56, 0x4d, 0xff, 0x0f, 0xa2
	};
	const uint8_t *got = synth_cpuid;
	int32_t disp;

	ASSERT_EQ(sizeof(want), synth_cpuid_end - synth_cpuid);
	EXPECT_EQ(PVM_SYNTHETIC_CPUID_LEN, sizeof(want));
	EXPECT_EQ(0, memcmp(want, got, sizeof(want)));
	/* 0f 01 /7 with ModRM 0x3c, SIB 0x25: INVLPG [disp32]. */
	EXPECT_EQ(0x3c >> 3 & 7, 7);
	memcpy(&disp, &got[4], sizeof(disp));
	EXPECT_EQ(PVM_SYNTHETIC_CPUID_ADDRESS, (uint64_t)(int64_t)disp);
	/* The address must lie in the top 2 GiB, where no guest maps. */
	EXPECT_GE(PVM_SYNTHETIC_CPUID_ADDRESS, 0xffffffff80000000ULL);
	EXPECT_EQ(0x40000000, PVM_CPUID_SIGNATURE);
	EXPECT_EQ(0x40000002, PVM_CPUID_VENDOR_FEATURES);
	EXPECT_EQ(0, memcmp("pvm", &(uint32_t){ PVM_CPUID_SIGNATURE_EBX }, 3));
	EXPECT_EQ(0, memcmp("PVM", &(uint32_t){ PVM_CPUID_SIGNATURE_EBX_RFC }, 3));
}

/* The RFC host's range: 16 TiB (32 PML4 slots) at 0xffffd90000000000. */
TEST(range_encode_rfc_host)
{
	uint64_t msr = pvm_la_range_encode(0x1b2, 0x1d2, 0x1ff, 0x1ff);

	EXPECT_EQ(0xffffffffffd2ffb2ULL, msr);
	EXPECT_EQ(0x1b2, pvm_la_range_index(msr, PVM_LA_PML4_START_SHIFT));
	EXPECT_EQ(0x1d2, pvm_la_range_index(msr, PVM_LA_PML4_END_SHIFT));
	EXPECT_EQ(0x1ff, pvm_la_range_index(msr, PVM_LA_PML5_START_SHIFT));
	EXPECT_EQ(0x1ff, pvm_la_range_index(msr, PVM_LA_PML5_END_SHIFT));
	EXPECT_EQ(0xffffd90000000000ULL, pvm_la_pml4_base(0x1b2));
	EXPECT_EQ(0xffffe90000000000ULL, pvm_la_pml4_base(0x1d2));
	EXPECT_EQ(16ULL << 40, pvm_la_pml4_base(0x1d2) - pvm_la_pml4_base(0x1b2));
	EXPECT_TRUE(pvm_la_range_valid(msr, 0));
	/* With LA57 the PML5 fields must name a real range. */
	EXPECT_FALSE(pvm_la_range_valid(msr, 1));
}

TEST(range_bases)
{
	EXPECT_EQ(0xffff800000000000ULL, pvm_la_pml4_base(0x100));
	EXPECT_EQ(0xffffff0000000000ULL, pvm_la_pml4_base(0x1fe));
	EXPECT_EQ(0xffffff8000000000ULL, pvm_la_pml4_base(0x1ff));
	EXPECT_EQ(0xff00000000000000ULL, pvm_la_pml5_base(0x100));
	EXPECT_EQ(0xfffe000000000000ULL, pvm_la_pml5_base(0x1fe));
}

TEST(range_reset_values)
{
	/* The widest ranges, which a vCPU starts with. */
	EXPECT_TRUE(pvm_la_range_valid(pvm_la_range_encode(0x100, 0x1fe, 0x1ff, 0x1ff), 0));
	EXPECT_TRUE(pvm_la_range_valid(pvm_la_range_encode(0x100, 0x1fe, 0x100, 0x1fe), 1));
}

TEST(range_rejects_bad_order_and_bounds)
{
	/* start == end, start > end */
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1b2, 0x1ff, 0x1ff), 0));
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1d2, 0x1b2, 0x1ff, 0x1ff), 0));
	/* end 511 would include the host kernel's slot */
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1ff, 0x1ff, 0x1ff), 0));
	/* a start in the lower half */
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x0ff, 0x1b2, 0x1ff, 0x1ff), 0));
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x000, 0x1b2, 0x1ff, 0x1ff), 0));
	/* 4-level host: PML5 fields must both be 0x1ff */
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1d2, 0x100, 0x1fe), 0));
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1d2, 0x1ff, 0x1fe), 0));
	/* 5-level host: PML5 order and bounds as for PML4 */
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1d2, 0x120, 0x120), 1));
	EXPECT_FALSE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1d2, 0x120, 0x1ff), 1));
	EXPECT_TRUE(pvm_la_range_valid(pvm_la_range_encode(0x1b2, 0x1d2, 0x120, 0x121), 1));
	EXPECT_FALSE(pvm_la_range_valid(0, 0));
	EXPECT_FALSE(pvm_la_range_valid(~0ULL, 0));
}

/* Each of bits 9-15 of every field must be set: clearing any one rejects. */
TEST(range_rejects_missing_marks)
{
	uint64_t good = pvm_la_range_encode(0x1b2, 0x1d2, 0x1ff, 0x1ff);
	int field, bit;

	ASSERT_TRUE(pvm_la_range_valid(good, 0));
	for (field = 0; field < 4; field++) {
		for (bit = 9; bit < 16; bit++) {
			uint64_t bad = good & ~(1ULL << (field * 16 + bit));

			EXPECT_FALSE(pvm_la_range_valid(bad, 0)) {
				TH_LOG("field %d bit %d cleared: %#llx accepted",
				       field, bit, (unsigned long long)bad);
			}
		}
	}
}

/* The rule for every 9-bit pair, written independently of the helper. */
TEST(range_rule_exhaustive)
{
	int s, e, wrong = 0;

	for (s = 0; s < 512; s++) {
		for (e = 0; e < 512; e++) {
			int want = s >= 256 && s < e && e < 511;
			uint64_t m4 = pvm_la_range_encode(s, e, 0x1ff, 0x1ff);
			uint64_t m5 = pvm_la_range_encode(0x100, 0x101, s, e);

			wrong += pvm_la_range_valid(m4, 0) != want;
			wrong += pvm_la_range_valid(m5, 1) != want;
		}
	}
	EXPECT_EQ(0, wrong);
}

TEST_HARNESS_MAIN
