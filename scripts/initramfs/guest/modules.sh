#!/bin/sh
# Modules work in the guest kernel.  Built position independent like the
# kernel, they are loaded into the module area, which moves with the
# image.  test_static_keys checks jump labels inside a module and across
# modules (its keys are exported by test_static_key_base); its init fails
# if a key reads wrong.  Its code must sit in the kernel's 2 GiB window.
set -e
echo 0 >/proc/sys/kernel/kptr_restrict
modprobe test_static_keys
grep '^test_static_key' /proc/modules
text=$(awk '$3 == "_text" { print $1; exit }' /proc/kallsyms)
addr=$(awk '$1 == "test_static_keys" { print $6 }' /proc/modules)
addr=${addr#0x}
echo "_text at $text, test_static_keys at $addr"
# The window is 2 GiB below a 512 GiB boundary: its upper 32 bits are fixed.
[ "${addr%????????}" = "${text%????????}" ] ||
	{ echo "the module is outside the kernel's window"; exit 1; }
modprobe -r test_static_keys test_static_key_base
if grep -q '^test_static_key' /proc/modules; then
	echo "modules still loaded after modprobe -r"
	exit 1
fi
