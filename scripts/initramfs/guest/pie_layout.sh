#!/bin/sh
# The kernel is position independent (CONFIG_X86_PIE) and runs where it
# should: at its link address unless the command line asks it to move.
set -e
echo 0 >/proc/sys/kernel/kptr_restrict
text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
case $text in
''|0000000000000000) echo "no usable _text in /proc/kallsyms: '$text'"; exit 1 ;;
esac
echo "_text at $text"
dmesg >/tmp/dmesg.txt
if ! grep -q 'x86/pie: position-independent kernel' /tmp/dmesg.txt; then
	echo "the kernel does not report itself position independent"
	exit 1
fi
# Without a relocation request the image stays at its link address.
if [ "$text" != ffffffff81000000 ]; then
	echo "expected _text at ffffffff81000000"
	exit 1
fi
grep -q 'x86/pie: position-independent kernel, not relocated' /tmp/dmesg.txt
