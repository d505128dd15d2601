#!/bin/sh
# Debian's QEMU on /dev/kvm, served by kvm-pvm: the guest kernel starts at
# the reset vector and runs through the emulated bootstrap (firmware, then
# the kernel's own real/protected-mode code) until it reaches 64-bit
# supervisor mode, where kvm-pvm switches it to PVM mode.  Arguments go
# to QEMU (the firmware: SeaBIOS by default).
modprobe kvm-pvm || exit 1
dmesg -c >/dev/null
rm -f /tmp/pvm-console.log
start=$(cut -d' ' -f1 /proc/uptime)
timeout 1200 qemu-system-x86_64 -accel kvm -m 256M -smp 1 \
	-nodefaults -display none -no-reboot -monitor none \
	-kernel /guest/bzImage -append "console=ttyS0 earlyprintk=ttyS0" \
	-serial file:/tmp/pvm-console.log "$@"
rc=$?
end=$(cut -d' ' -f1 /proc/uptime)
echo "qemu exit $rc after $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') s"
dmesg | grep kvm_pvm
tail -n 5 /tmp/pvm-console.log
dmesg | grep -q 'kvm_pvm: vcpu0: PVM mode at' || { echo "the guest never reached PVM mode"; exit 1; }
# In PVM mode the decompressor finds the hypervisor, reads the range it
# allows and moves the kernel into it ...
grep -q '^PVM hypervisor found: moving the kernel into 0x' /tmp/pvm-console.log ||
	{ echo "the decompressor did not find the PVM hypervisor"; exit 1; }
# ... then jumps to the kernel proper (at LOAD_PHYSICAL_ADDR and up), which
# does not run as a PVM guest yet: the hypervisor ends the VM there.
rip=$(dmesg | sed -n 's/.*kvm_pvm: .*guest rIP: 0x\([0-9a-f]*\) .*/\1/p' | tail -n 1)
[ -n "$rip" ] && [ $((0x$rip)) -ge $((0x1000000)) ] ||
	{ echo "the guest stopped before the kernel proper (rIP 0x$rip)"; exit 1; }
echo "left the decompressor: the VM ended at rIP 0x$rip in the kernel proper"
