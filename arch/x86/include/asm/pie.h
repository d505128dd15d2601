/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_PIE_H
#define _ASM_X86_PIE_H

/*
 * Moving a position-independent kernel (CONFIG_X86_PIE) into a linear
 * address range chosen at boot, "pie_range=START-END" on the command line.
 *
 * The decompressor applies the relocation table so that the 2 GiB kernel
 * window (image, modules, fixmap) ends where the range ends; the kernel
 * then lays out the direct map, vmalloc and vmemmap inside the range.
 * Both parse the parameter with the helpers below, so they cannot
 * disagree about it.  A PVM guest gets its range from the host instead.
 */

#include <linux/bits.h>
#include <linux/types.h>

/* One 4-level PGD entry: ranges are made of whole 512 GiB slots. */
#define PIE_SLOT_SHIFT		39
#define PIE_SLOT_SIZE		BIT_ULL(PIE_SLOT_SHIFT)

/*
 * Kernel, ESPFIX, cpu_entry_area, vmemmap, direct map: a slot each;
 * vmalloc: at least two (1 TiB).
 */
#define PIE_RANGE_MIN_SLOTS	7

/* The start of the upper half with 4-level paging. */
#define PIE_RANGE_LOWEST	0xffff800000000000ULL

/* Slot 511 is where the kernel is linked: a range must end below. */
#define PIE_RANGE_HIGHEST	0xffffff8000000000ULL

/* The kernel window: image, modules and fixmap, at the top of the range. */
#define PIE_WINDOW_SIZE		(2ULL << 30)

static inline const char *pie_parse_hex(const char *s, u64 *val)
{
	int digits = 0;

	*val = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (;; s++, digits++) {
		char c = *s;

		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			break;
		if (digits == 16)
			return NULL;
		*val = (*val << 4) | c;
	}
	return digits ? s : NULL;
}

/* Returns NULL when [start, end) can hold the kernel, else why not. */
static inline const char *pie_check_range(u64 start, u64 end)
{
	if ((start | end) & (PIE_SLOT_SIZE - 1))
		return "not 512 GiB aligned";
	if (start < PIE_RANGE_LOWEST || end > PIE_RANGE_HIGHEST)
		return "outside 0xffff800000000000-0xffffff8000000000";
	if (end <= start ||
	    ((end - start) >> PIE_SLOT_SHIFT) < PIE_RANGE_MIN_SLOTS)
		return "smaller than 3.5 TiB";
	return NULL;
}

/*
 * Parse "START-END" (hexadecimal, END exclusive).  Returns NULL when the
 * range can hold the kernel, else why not.
 */
static inline const char *pie_parse_range(const char *arg, u64 *start, u64 *end)
{
	arg = pie_parse_hex(arg, start);
	if (!arg || *arg != '-')
		return "not START-END in hexadecimal";
	arg = pie_parse_hex(arg + 1, end);
	if (!arg || *arg)
		return "not START-END in hexadecimal";
	return pie_check_range(*start, *end);
}

#if defined(CONFIG_X86_PIE) && !defined(__DISABLE_EXPORTS)
struct boot_params;
bool pie_setup_layout(struct boot_params *bp);
#endif

#endif /* _ASM_X86_PIE_H */
