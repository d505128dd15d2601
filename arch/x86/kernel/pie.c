// SPDX-License-Identifier: GPL-2.0
/*
 * Position-independent kernel (CONFIG_X86_PIE): what the running kernel
 * knows about where it was linked and where it runs.
 *
 * The image is linked at __START_KERNEL like any x86-64 kernel but built
 * with -fPIE, so its code reaches code and data RIP-relative and only
 * data words holding addresses depend on the link address.  The build
 * checks that (arch/x86/tools/relocs --pie-check).
 */
#define pr_fmt(fmt) "x86/pie: " fmt

#include <linux/init.h>
#include <linux/printk.h>
#include <asm/page_types.h>
#include <asm/processor.h>
#include <asm/sections.h>

static int __init pie_report(void)
{
	/* The address taken RIP-relative: where the kernel runs. */
	if ((unsigned long)_text == __START_KERNEL)
		pr_info("position-independent kernel, not relocated\n");
	else
		pr_info("position-independent kernel, relocated by %ld MiB\n",
			((long)_text - (long)__START_KERNEL) >> 20);
	return 0;
}
early_initcall(pie_report);
