#!/bin/sh
# pvm-qemu-boot.sh TESTS QEMU-ARGS...
#
# Debian's QEMU on /dev/kvm, served by kvm-pvm: the guest kernel starts at
# the reset vector and runs through the emulated bootstrap (firmware, then
# the kernel's own real/protected-mode code) until it reaches 64-bit
# supervisor mode, where kvm-pvm switches it to PVM mode.  The guest then
# boots as a PVM guest to its initramfs, runs its tests and powers off.
#
# TESTS is the guest's pvmtest.filter (a regex of test names), or "all"
# for every guest test.  The guest's KTAP report is printed, so that it
# nests under this test's result.  TESTS "none" checks the boot up to the
# start of init and the power-off only: with QEMU's microvm machine the
# guest's user-mode console output is lost (docs/design/pvm-guest.md).  The remaining arguments go to QEMU
# (the firmware: SeaBIOS by default).  PVM_BOOT_APPEND, if set, is added
# to the guest's command line and PVM_BOOT_LIMIT replaces QEMU's time
# limit (pvm-soak.sh, whose guest runs for minutes).
modprobe kvm-pvm || exit 1
tests=$1
shift
. "$(dirname "$0")/pvm-guest-qemu.sh"
# pvmtest.pvm=1: the guest's pvm_guest_test checks that it runs as one.
# pvmtest.nmi=1: its nmi_from_outside test waits for the NMI that
# send_nmi() below delivers through QEMU's monitor.
append="$PVM_APPEND earlyprintk=ttyS0 pvmtest.pvm=1 pvmtest.nmi=1${PVM_BOOT_APPEND:+ $PVM_BOOT_APPEND}"
case $tests in
all) ;;
none) append="$append pvmtest.filter=guest_basics" ;;
*) append="$append pvmtest.filter=$tests" ;;
esac
# A run takes about 100 s with all the guest's tests and 20 s without, under
# TCG; the limits allow three times that and more, and fit the test's
# timeout in the L1 list.
case $tests in
all) limit=300 ;;
*) limit=90 ;;
esac
limit=${PVM_BOOT_LIMIT:-$limit}
log=/tmp/pvm-console.log
mon=/tmp/pvm-monitor

# send_nmi: when the guest's log says that it waits for an NMI, have QEMU
# inject one (KVM_NMI, which kvm-pvm delivers as a PVM event).
send_nmi()
{
	local t=0

	while [ $t -lt $limit ]; do
		if grep -q 'pvmtest: waiting for an NMI' $log 2>/dev/null; then
			echo nmi >$mon.in
			return
		fi
		sleep 1
		t=$((t + 1))
	done
}

# boot QEMU-ARGS: one run; false if QEMU had to be stopped (busybox's
# timeout passes on QEMU's own exit status 0 then).
boot()
{
	local sender drain

	dmesg -c >/dev/null
	rm -f $log $mon.in $mon.out
	mkfifo $mon.in $mon.out
	cat $mon.out >/dev/null &
	drain=$!
	send_nmi &
	sender=$!
	start=$(cut -d' ' -f1 /proc/uptime)
	timeout $limit $PVM_QEMU -monitor pipe:$mon \
		-append "$append" -serial file:$log "$@"
	rc=$?
	kill $sender $drain 2>/dev/null
	end=$(cut -d' ' -f1 /proc/uptime)
	elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
	echo "qemu exit $rc after $elapsed s"
	awk -v t="$elapsed" -v l=$limit 'BEGIN { exit !(t < l) }'
}

fail()
{
	echo "$*; the end of the guest's console:"
	tail -n 60 /tmp/pvm-console.txt | sed 's/^/# /'
	exit 1
}

# kvm-pvm traces the switch from the bootstrap to PVM mode.
pvm_trace_start kvm_pvm_enter_pvm_mode ||
	{ echo "kvm-pvm has no tracepoints in $PVM_TRACEFS"; exit 1; }
hung=
boot "$@" || { echo "QEMU was stopped after $limit s: the guest hung"; hung=1; }
pvm_trace_stop
tr -d '\r' <$log >/tmp/pvm-console.txt
con=/tmp/pvm-console.txt
dmesg | grep kvm_pvm
cat $PVM_TRACE_LOG
grep -q 'kvm_pvm_enter_pvm_mode: vcpu 0 PVM mode at ' $PVM_TRACE_LOG ||
	fail "the guest never reached PVM mode"
# In PVM mode the decompressor finds the hypervisor, reads the range it
# allows and moves the kernel to the top of it ...
grep -q '^PVM hypervisor found: moving the kernel into 0x' $con ||
	fail "the decompressor did not find the PVM hypervisor"
grep -q '^Linux version ' $con || fail "the kernel proper printed nothing"
# ... the kernel proper runs there as a PVM guest ...
grep -q 'x86/pie: position-independent kernel, relocated into the PVM range' $con ||
	fail "the kernel does not report its move into the PVM range"
grep -q 'pvm: running as a PVM guest' $con || fail "the kernel does not know it is a PVM guest"
# ... with user mode on its own page table, free of kernel mappings ...
grep -q 'PVM guest: no kernel mappings in the user page tables' $con ||
	fail "the kernel does not report its kernel-free user page tables"
# ... reaches user space, runs the guest's tests, reports them and powers
# off, which ends QEMU by itself.
grep -q '^Run /init as init process' $con || fail "the guest never started init"
# Neither the guest nor the host may have complained on the way.
if grep -E 'Oops|BUG:|WARNING:|Call Trace:|Kernel panic|RIP: ' $con; then
	fail "the guest's log has the errors above"
fi
if dmesg | grep -E 'kvm_pvm: .*(failed|shutting down)|BUG:|WARNING:|Call Trace:'; then
	fail "L1's log has the errors above"
fi
if [ "$tests" = none ]; then
	[ $rc = 0 ] && [ -z "$hung" ] || fail "QEMU did not exit by itself"
	grep -q '^reboot: Restarting system' $con || fail "the guest did not power off"
	echo "the PVM guest started init, which powered it off"
	exit 0
fi
grep -q '^pvmtest: guest init reached' $con || fail "the guest never ran its init"
sed -n '/^KTAP version 1/,/^pvmtest: done/p' $con | grep -v '^pvmtest: done'
grep -q '^pvmtest: done' $con || fail "the guest's test run did not finish"
[ $rc = 0 ] && [ -z "$hung" ] || fail "QEMU did not exit by itself"
failed=$(grep -c '^not ok ' $con)
ran=$(grep -c -E '^(not )?ok ' $con)
[ "$ran" -gt 0 ] || fail "the guest reported no test"
[ "$failed" = 0 ] || fail "$failed of the guest's $ran tests failed"
echo "the PVM guest ran $ran tests, none failed, and powered off"
