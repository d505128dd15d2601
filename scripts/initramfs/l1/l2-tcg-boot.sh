#!/bin/sh
# L1's QEMU boots the guest kernel and its test image under TCG: the path
# the PVM guest takes later, with -accel kvm on kvm-pvm instead of TCG.
# The guest's KTAP is this test's output.  Only the basics run: TCG inside
# TCG is too slow for the x86 selftests, which the native guest boot runs.
# Arguments are passed to QEMU (the firmware: SeaBIOS by default).
rm -f /tmp/l2-console.log /tmp/l2-ktap.log
qemu-system-x86_64 -accel tcg -cpu max,-la57 -m 256M -smp 1 \
	-nodefaults -display none -no-reboot -monitor none \
	-kernel /guest/bzImage -initrd /guest/initramfs.cpio.gz \
	-append "console=ttyS0 pvmtest.ktap=ttyS1 pvmtest.filter=guest_basics panic=-1 quiet" \
	-serial file:/tmp/l2-console.log -serial file:/tmp/l2-ktap.log "$@"
rc=$?
cat /tmp/l2-ktap.log
grep -q '^ok\|^not ok' /tmp/l2-ktap.log || { echo "L2 reported no KTAP (qemu exit $rc)"; tail -n 20 /tmp/l2-console.log; exit 1; }
if grep -E -f /etc/log-alarm /tmp/l2-console.log; then
	echo "L2 kernel log has alarming lines (above)"
	exit 1
fi
! grep -q '^not ok' /tmp/l2-ktap.log
