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
dmesg | grep -q 'kvm_pvm: vcpu0: PVM mode at'
