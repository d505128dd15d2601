#!/bin/sh
# An NMI from outside reaches the kernel's NMI handler.  With pvmtest.nmi=1
# on the command line someone outside promises one: L1's pvm-qemu-boot.sh
# sends it through QEMU's monitor when this test says, on the kernel log,
# that it waits.  /proc/interrupts counts NMIs the kernel handled.
grep -qw 'pvmtest.nmi=1' /proc/cmdline ||
	{ echo "SKIP: no NMI is sent from outside (pvmtest.nmi=1 says one is)"; exit 4; }
count()
{
	awk '$1 == "NMI:" { print $2 }' /proc/interrupts
}
before=$(count)
[ -n "$before" ] || { echo "no NMI line in /proc/interrupts"; exit 1; }
echo "pvmtest: waiting for an NMI" >/dev/kmsg
i=0
while [ $i -lt 30 ]; do
	sleep 1
	now=$(count)
	if [ "$now" -gt "$before" ]; then
		echo "NMIs handled: $before before, $now after"
		dmesg | grep -i 'NMI received' | tail -n 2
		exit 0
	fi
	i=$((i + 1))
done
echo "no NMI arrived within 30 s (the count stays at $before)"
exit 1
