#!/bin/sh
# Debian's QEMU on /dev/kvm, served by kvm-pvm: the guest kernel starts at
# the reset vector and runs through the emulated bootstrap (firmware, then
# the kernel's own real/protected-mode code) until it reaches 64-bit
# supervisor mode, where kvm-pvm switches it to PVM mode.  Arguments go
# to QEMU (the firmware: SeaBIOS by default).
modprobe kvm-pvm || exit 1
limit=150

# boot QEMU-ARGS: one run; false if QEMU had to be stopped (busybox's
# timeout passes on QEMU's own exit status 0 then).
boot()
{
	dmesg -c >/dev/null
	rm -f /tmp/pvm-console.log
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout $limit qemu-system-x86_64 -accel kvm -m 256M -smp 1 \
		-nodefaults -display none -no-reboot -monitor none \
		-kernel /guest/bzImage -append "console=ttyS0 earlyprintk=ttyS0" \
		-serial file:/tmp/pvm-console.log "$@"
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
	echo "qemu exit $rc after $elapsed s"
	awk -v t="$elapsed" -v l=$limit 'BEGIN { exit !(t < l) }'
}

# The emulated bootstrap hangs now and then (about one run in ten, not
# understood yet: docs/design/pvm-guest.md).  Say so and try once more;
# a second hang fails the test.
hung=
if ! boot "$@"; then
	echo "QEMU was stopped after $limit s: the guest hung"
	dmesg | grep kvm_pvm
	tail -n 3 /tmp/pvm-console.log
	echo "retrying once: known intermittent hang of the emulated bootstrap"
	boot "$@" || { echo "QEMU was stopped after $limit s again"; hung=1; }
fi
dmesg | grep kvm_pvm
tail -n 12 /tmp/pvm-console.log
dmesg | grep -q 'kvm_pvm: vcpu0: PVM mode at' || { echo "the guest never reached PVM mode"; exit 1; }
# In PVM mode the decompressor finds the hypervisor, reads the range it
# allows and moves the kernel to the top of it ...
range=$(sed -n 's/^PVM hypervisor found: moving the kernel into 0x\([0-9a-f]*\)-0x\([0-9a-f]*\).*/\1 \2/p' \
	/tmp/pvm-console.log)
[ -n "$range" ] || { echo "the decompressor did not find the PVM hypervisor"; exit 1; }
# ... the kernel proper starts as a PVM guest and logs through early printk
# (the port I/O is emulated) ...
grep -q '^Linux version ' /tmp/pvm-console.log ||
	{ echo "the kernel proper printed nothing"; exit 1; }
# ... gets through trap_init() and cpu_init() to its serial console driver ...
grep -q 'printk: legacy console \[ttyS0\] enabled' /tmp/pvm-console.log ||
	{ echo "the kernel did not reach its console driver"; exit 1; }
# ... and patches its alternatives (INT3s through the early event entry) ...
grep -q 'Freeing SMP alternatives memory' /tmp/pvm-console.log ||
	{ echo "the kernel did not get through alternatives patching"; exit 1; }
# ... and runs in the range until it reaches what the guest core does not
# cover yet; there it ends the VM, which must not hang.
[ $rc = 0 ] && [ -z "$hung" ] || { echo "QEMU did not exit by itself"; exit 1; }
rip=$(dmesg | sed -n 's/.*kvm_pvm: .*guest rIP: 0x\([0-9a-f]*\) .*/\1/p' | tail -n 1)
echo "$range $rip" | awk '{ exit !(length($3) == 16 && $3 >= $1 && $3 < $2) }' ||
	{ echo "the VM did not end inside the range (rIP 0x$rip)"; exit 1; }
echo "the kernel ran as a PVM guest in 0x${range% *}-0x${range#* }, the VM ended at rIP 0x$rip"
