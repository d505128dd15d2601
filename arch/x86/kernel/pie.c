// SPDX-License-Identifier: GPL-2.0
/*
 * Position-independent kernel (CONFIG_X86_PIE): the memory map of a kernel
 * the decompressor moved into a linear address range, and what the running
 * kernel reports about where it is.
 *
 * The image is linked at __START_KERNEL like any x86-64 kernel but built
 * with -fPIE, so only data words holding addresses depend on the link
 * address; the build proves it (arch/x86/tools/relocs --pie).  Given
 * "pie_range=START-END", or on a PVM hypervisor the range its
 * MSR_PVM_LINEAR_ADDRESS_RANGE allows, the decompressor moves the 2 GiB
 * kernel window (image, modules, fixmap) to the top of the range.  The rest of the
 * kernel's address space follows here, from the bottom of the range up:
 *
 *   direct map	     half of the slots left by the four below, at most
 *		     32 TiB; RAM beyond it is left unused
 *   vmalloc	     the remaining slots, in whole TiB
 *   vmemmap	     one slot (enough for 32 TiB of RAM)
 *   cpu_entry_area  one slot
 *   ESPFIX	     one slot
 *   kernel	     the last slot; the window is its top 2 GiB
 */
#define pr_fmt(fmt) "x86/pie: " fmt

#include <linux/init.h>
#include <linux/minmax.h>
#include <linux/pgtable.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <asm/bootparam.h>
#include <asm/cmdline.h>
#include <asm/e820/api.h>
#include <asm/init.h>
#include <asm/page_types.h>
#include <asm/pie.h>
#include <asm/pvm_guest.h>
#include <asm/sections.h>
#include <asm/setup.h>

/* 32 TiB: what one vmemmap slot describes with 64-byte struct pages. */
#define PIE_DIRECT_MAP_MAX_SLOTS	64

/* Written before .bss is cleared, so kept in .init.data. */
static u64 pie_start __initdata;
static u64 pie_end __initdata;

/*
 * Called from __startup_64() once the decompressor has moved the kernel
 * window, on the boot loader's identity map: everything is reached
 * RIP-relative and no pointer stored in the image may be followed.
 * Returns false when the command line does not describe the move that
 * happened.
 */
bool __head pie_setup_layout(struct boot_params *bp)
{
	u64 cmdline = bp->hdr.cmd_line_ptr | ((u64)bp->ext_cmd_line_ptr << 32);
	u64 start, end, slots, direct, vmalloc;
	char arg[64];

	if (pvm_underlying_cpl3_if1()) {
		/* A PVM guest: the decompressor used the hypervisor's range. */
		if (pvm_linear_range(pvm_early_rdmsr(MSR_PVM_LINEAR_ADDRESS_RANGE),
				     &start, &end))
			return false;
	} else if (cmdline_find_option((const char *)cmdline, "pie_range",
				       arg, sizeof(arg)) <= 0 ||
		   pie_parse_range(arg, &start, &end)) {
		return false;
	}
	if (end - PIE_WINDOW_SIZE != __START_KERNEL_map)
		return false;

	slots = (end - start) >> PIE_SLOT_SHIFT;
	direct = min_t(u64, (slots - 4) / 2, PIE_DIRECT_MAP_MAX_SLOTS);
	vmalloc = slots - 4 - direct;

	page_offset_base = start;
	vmalloc_base = start + (direct << PIE_SLOT_SHIFT);
	vmalloc_size_tb = vmalloc / 2;
	vmemmap_base = end - 4 * PIE_SLOT_SIZE;
	cpu_entry_area_base = end - 3 * PIE_SLOT_SIZE;
	espfix_base = end - 2 * PIE_SLOT_SIZE;
	pie_start = start;
	pie_end = end;
	return true;
}

/*
 * The decompressor and __startup_64() did the work; what is left is RAM
 * the direct map in the range cannot hold.  Runs after the firmware's
 * memory map is in, before memblock takes it.
 */
static int __init pie_range_param(char *arg)
{
	u64 size = vmalloc_base - page_offset_base;

	if (__START_KERNEL_map == __START_KERNEL_map_LINK)
		return 0;
	if (e820__mapped_any(size, ULLONG_MAX, E820_TYPE_RAM)) {
		pr_warn("RAM above %llu GiB left unused: the direct map in pie_range ends there\n",
			size >> 30);
		e820__range_remove(size, ULLONG_MAX - size, E820_TYPE_RAM, 1);
	}
	return 0;
}
early_param("pie_range", pie_range_param);

/* Every upper-half page-table entry the kernel set up must be in the range. */
static bool __init pie_layout_ok(void)
{
	int i;

	for (i = pgd_index(PIE_RANGE_LOWEST); i < PTRS_PER_PGD; i++) {
		unsigned long addr = (unsigned long)i << PIE_SLOT_SHIFT | PIE_RANGE_LOWEST;

		/* Not pgd_none(): that is always false with a folded p4d level. */
		if (!pgd_val(init_top_pgt[i]))
			continue;
		if (addr >= pie_start && addr < pie_end)
			continue;
		pr_warn("PGD slot %d is in use outside the range: %lx\n",
			i, pgd_val(init_top_pgt[i]));
		return false;
	}
	return page_offset_base == pie_start && page_offset_base < VMALLOC_START &&
	       vmemmap_base > VMALLOC_END && vmemmap_base < CPU_ENTRY_AREA_BASE &&
	       CPU_ENTRY_AREA_BASE < ESPFIX_BASE_ADDR && ESPFIX_BASE_ADDR < __START_KERNEL_map &&
	       (unsigned long)_text >= pie_start && (unsigned long)_end <= pie_end;
}

static int __init pie_report(void)
{
	char arg[64];
	u64 start, end;
	const char *why;

	if (__START_KERNEL_map == __START_KERNEL_map_LINK) {
		pr_info("position-independent kernel, not relocated\n");
		if (cmdline_find_option(boot_command_line, "pie_range", arg, sizeof(arg)) > 0) {
			why = pie_parse_range(arg, &start, &end);
			if (!why && pgtable_l5_enabled())
				why = "5-level paging";
			pr_warn("pie_range=%s ignored: %s\n", arg,
				why ?: "not moved by the boot loader");
		}
		return 0;
	}

	pr_info("position-independent kernel, relocated into %s 0x%llx-0x%llx: direct map %lu GiB, vmalloc %lu TiB\n",
		IS_ENABLED(CONFIG_PVM_GUEST) && pvm_guest ? "the PVM range" : "pie_range",
		pie_start, pie_end, (vmalloc_base - page_offset_base) >> 30,
		vmalloc_size_tb);
	if (pie_layout_ok())
		pr_info("layout check passed\n");
	else
		WARN(1, "x86/pie: layout check failed\n");
	return 0;
}
early_initcall(pie_report);
