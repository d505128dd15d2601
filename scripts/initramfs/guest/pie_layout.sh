#!/bin/sh
# The kernel is position independent (CONFIG_X86_PIE) and runs where it
# should: at its link address, or with "pie_range=START-END" or as a PVM
# guest in the last 2 GiB of the range with its memory map inside it.
set -e
echo 0 >/proc/sys/kernel/kptr_restrict
text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
case $text in
''|0000000000000000) echo "no usable _text in /proc/kallsyms: '$text'"; exit 1 ;;
esac
echo "_text at $text"
dmesg >/tmp/dmesg.txt
expect()
{
	grep -q "$1" /tmp/dmesg.txt || { echo "dmesg lacks: $1"; exit 1; }
}
expect 'x86/pie: position-independent kernel'

range=$(sed -n 's/.*pie_range=\([^ ]*\).*/\1/p' /proc/cmdline)
src=pie_range
if grep -qw pvm_guest /proc/cpuinfo; then
	# A PVM guest: the decompressor moved the kernel into the range
	# the hypervisor allows, whatever the command line says.
	range=$(sed -n 's/.*relocated into the PVM range \(0x[0-9a-f]*-0x[0-9a-f]*\):.*/\1/p' \
		/tmp/dmesg.txt)
	[ -n "$range" ] || { echo "a PVM guest, but no PVM range in dmesg"; exit 1; }
	src="the PVM range"
elif [ -z "$range" ] || grep -q 'x86/pie: pie_range=.* ignored' /tmp/dmesg.txt; then
	# Not asked to move, or refused: the image stays at its link address.
	[ "$text" = ffffffff81000000 ] || { echo "expected _text at ffffffff81000000"; exit 1; }
	expect 'x86/pie: position-independent kernel, not relocated'
	[ -z "$range" ] || echo "pie_range=$range refused, as the kernel says"
	exit 0
fi

# END is 512 GiB aligned, so END - 2 GiB + 16 MiB only changes the upper
# 32 bits by one and sets the lower ones to 81000000.
end=${range#*-}
end=$(echo "${end#0x}" | tr A-F a-f)
[ ${#end} = 16 ] && [ "${end#????????}" = 00000000 ] || { echo "unexpected END $end"; exit 1; }
want=$(printf '%08x81000000' $((0x${end%????????} - 1)))
echo "$src $range: expecting _text at $want"
[ "$text" = "$want" ] || { echo "_text is not at the top of the range"; exit 1; }
expect "x86/pie: position-independent kernel, relocated into $src 0x"
expect 'x86/pie: layout check passed'
