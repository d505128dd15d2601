// SPDX-License-Identifier: GPL-2.0
/*
 * The PVM switcher: guest-mode IDT, the reserved guest address range and
 * the C side of the world switch.  See asm/pvm_switcher.h.
 */
#include <linux/export.h>
#include <linux/instrumentation.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/set_memory.h>
#include <linux/vmalloc.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/pgtable.h>
#include <asm/pvm_switcher.h>
#include <asm/tlbflush.h>
#include <asm/traps.h>

DEFINE_PER_CPU_ALIGNED(struct pvm_switcher_state, pvm_switcher_state);

static_assert(offsetof(struct pvm_switcher_state, host_rsp) == PVM_SW_HOST_RSP);
static_assert(offsetof(struct pvm_switcher_state, host_cr3) == PVM_SW_HOST_CR3);
static_assert(offsetof(struct pvm_switcher_state, scratch_rsp) ==
	      PVM_SW_SCRATCH_RSP);
static_assert(offsetof(struct pvm_switcher_state, exit_code) ==
	      PVM_SW_EXIT_CODE);

/* Used by entry_64_switcher.S. */
struct desc_ptr pvm_guest_idt_descr __read_mostly;
struct desc_ptr pvm_host_idt_descr __read_mostly;
unsigned long pvm_host_idt_target[IDT_ENTRIES] __read_mostly;

#define PVM_STUB_SIZE	32

/* 16 TiB for guests, plus slack to align the start to a PGD slot. */
#define PVM_RANGE_SIZE	(16UL << 40)

static DEFINE_MUTEX(pvm_switcher_lock);
static struct vm_struct *pvm_range_area;
static struct pvm_switcher_range pvm_range;

/*
 * Vectors a guest may raise with INT n (INT3 and INT 0x80).  Any other
 * INT n from CPL3 hits a DPL0 gate and becomes #GP, as the PVM
 * specification requires.
 */
static bool pvm_vector_is_user(unsigned int vector)
{
	return vector == X86_TRAP_BP || vector == IA32_SYSCALL_VECTOR;
}

static int pvm_build_guest_idt(void)
{
	const gate_desc *host;
	gate_desc *guest;
	unsigned int v;

	store_idt(&pvm_host_idt_descr);
	host = (const gate_desc *)pvm_host_idt_descr.address;

	guest = (gate_desc *)get_zeroed_page(GFP_KERNEL);
	if (!guest)
		return -ENOMEM;

	for (v = 0; v < IDT_ENTRIES; v++) {
		pvm_host_idt_target[v] = gate_offset(&host[v]);
		/*
		 * A #DF while a guest is loaded is a host bug: keep the host's
		 * gate so that the host's diagnostics run.
		 */
		if (v == X86_TRAP_DF) {
			guest[v] = host[v];
			continue;
		}
		pack_gate(&guest[v], GATE_INTERRUPT,
			  (unsigned long)pvm_idt_stubs + v * PVM_STUB_SIZE,
			  pvm_vector_is_user(v) ? 3 : 0, host[v].bits.ist,
			  __KERNEL_CS);
	}

	pvm_guest_idt_descr.size = IDT_ENTRIES * sizeof(gate_desc) - 1;
	pvm_guest_idt_descr.address = (unsigned long)guest;
	set_memory_ro((unsigned long)guest, 1);
	return 0;
}

static int pvm_reserve_range(void)
{
	unsigned long start;

	pvm_range_area = __get_vm_area_caller(PVM_RANGE_SIZE + PGDIR_SIZE,
					      VM_IOREMAP, VMALLOC_START,
					      VMALLOC_END,
					      __builtin_return_address(0));
	if (!pvm_range_area)
		return -ENOMEM;

	start = ALIGN((unsigned long)pvm_range_area->addr, PGDIR_SIZE);
	pvm_range.start = start;
	pvm_range.end = start + PVM_RANGE_SIZE;
	return 0;
}

/*
 * Host top-level entries are copied into the guests' shadow roots, where
 * KVM's shadow MMU must not take them for its own present entries.  (They
 * may have _PAGE_USER: Linux protects kernel memory in the leaf entries,
 * which never have it.)
 */
static int pvm_check_host_pgd(void)
{
	unsigned int i;

	for (i = KERNEL_PGD_BOUNDARY; i < PTRS_PER_PGD; i++) {
		if (pgd_val(init_mm.pgd[i]) & BIT_ULL(11)) {
			pr_err("PVM switcher: host PGD slot %u has bit 11 set (%lx)\n",
			       i, pgd_val(init_mm.pgd[i]));
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * pvm_switcher_init - prepare the switcher once per boot
 * @range: receives the linear range reserved for PVM guests
 *
 * Return: 0 or a negative errno; safe to call more than once.
 */
int pvm_switcher_init(struct pvm_switcher_range *range)
{
	int ret = 0;

	if (pgtable_l5_enabled() || boot_cpu_has(X86_FEATURE_PTI))
		return -EOPNOTSUPP;

	mutex_lock(&pvm_switcher_lock);
	if (!pvm_guest_idt_descr.address) {
		ret = pvm_check_host_pgd();
		if (!ret)
			ret = pvm_reserve_range();
		if (!ret) {
			ret = pvm_build_guest_idt();
			if (ret) {
				free_vm_area(pvm_range_area);
				pvm_range_area = NULL;
			}
		}
	}
	if (!ret)
		*range = pvm_range;
	mutex_unlock(&pvm_switcher_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(pvm_switcher_init);

/**
 * pvm_switcher_copy_host_pgd - make a guest root usable by the switcher
 * @root: top-level page of a guest's shadow page table
 * @guest_start: first linear address of the guest's upper range
 * @guest_end: end of the guest's upper range (exclusive)
 *
 * Copies every top-level entry of the host's kernel half, except those
 * of the guest's range, into @root.  None of them has _PAGE_USER, so the
 * guest (always at CPL3) cannot reach host memory through them, but the
 * switcher, the IDT stubs, the entry and IST stacks and the per-CPU data
 * stay mapped at CPL0 while the guest root is loaded.
 */
void pvm_switcher_copy_host_pgd(pgd_t *root, unsigned long guest_start,
				unsigned long guest_end)
{
	unsigned int first = pgd_index(guest_start);
	unsigned int last = pgd_index(guest_end - 1);
	unsigned int i;

	for (i = KERNEL_PGD_BOUNDARY; i < PTRS_PER_PGD; i++) {
		if (i >= first && i <= last)
			continue;
		if (pgd_val(root[i]) != pgd_val(init_mm.pgd[i]))
			WRITE_ONCE(root[i], init_mm.pgd[i]);
	}
}
EXPORT_SYMBOL_GPL(pvm_switcher_copy_host_pgd);

/**
 * pvm_switcher_run - run a PVM guest until the next event
 * @regs: guest registers; updated with the state at the exit
 * @cr3: guest page-table root prepared with pvm_switcher_copy_host_pgd()
 *
 * Must be called with interrupts disabled.  The guest GS base must be in
 * MSR_KERNEL_GS_BASE; the host's is there again on return.
 *
 * Return: the vector of the event that ended the run, or PVM_EXIT_*.
 */
noinstr unsigned long pvm_switcher_run(struct pt_regs *regs, unsigned long cr3)
{
	struct mm_struct *mm = this_cpu_read(cpu_tlbstate.loaded_mm);
	unsigned long ret;

	/*
	 * An NMI must not copy from "user" memory while the guest's CR3 is
	 * loaded: it would read guest memory instead of the VMM's.
	 */
	this_cpu_write(cpu_tlbstate.loaded_mm, LOADED_MM_SWITCHING);
	ret = __pvm_switcher_enter(regs, cr3);
	this_cpu_write(cpu_tlbstate.loaded_mm, mm);
	return ret;
}
EXPORT_SYMBOL_GPL(pvm_switcher_run);

/**
 * pvm_switcher_do_interrupt - handle an interrupt that made the guest exit
 * @vector: the vector, from the exit code
 *
 * Runs the host's handler for @vector with interrupts disabled, as if the
 * interrupt had arrived now.
 */
void pvm_switcher_do_interrupt(unsigned int vector)
{
	pvm_switcher_call_irq(pvm_host_idt_target[vector & 0xff]);
}
EXPORT_SYMBOL_GPL(pvm_switcher_do_interrupt);
