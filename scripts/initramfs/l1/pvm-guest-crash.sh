#!/bin/sh
# pvm-guest-crash.sh KIND: a PVM guest kernel that crashes must say why,
# and take down only itself.  The guest's crash test (guest/crash.sh) has
# LKDTM provoke KIND:
#   EXCEPTION      a NULL write in the kernel: the guest reports the oops,
#                  with a backtrace through its PVM entry, and panics;
#   EXHAUST_STACK  a kernel stack overflow into the guard page: with no
#                  IST under PVM the #PF cannot be delivered, so kvm-pvm
#                  ends the VM and says where the delivery faulted.
# Either way QEMU must exit by itself and L1 must not complain.
modprobe kvm-pvm || exit 1
kind=$1
log=/tmp/pvm-crash.log
fail()
{
	echo "$*; the end of the guest's console:"
	tr -d '\r' <$log | tail -n 40 | sed 's/^/# /'
	exit 1
}
need()
{
	tr -d '\r' <$log | grep -q -- "$1" || fail "the guest's console lacks '$1'"
}

. "$(dirname "$0")/pvm-guest-qemu.sh"
dmesg -c >/dev/null
timeout 45 $PVM_QEMU -bios /usr/share/qemu/qboot.rom -serial file:$log \
	-append "$PVM_APPEND pvmtest.filter=provoked_crash pvmtest.crash=$kind"
rc=$?
dmesg | grep kvm_pvm
[ $rc = 0 ] || fail "QEMU did not exit by itself (exit $rc)"
need "pvmtest: crashing on purpose: $kind"
case $kind in
EXCEPTION)
	need 'BUG: kernel NULL pointer dereference, address: 0000000000000000'
	need 'RIP: 0010:lkdtm_EXCEPTION'
	need 'pvm_entry_syscall_64'
	need 'Kernel panic - not syncing: Fatal exception'
	if dmesg | grep -q 'kvm_pvm: .*shutting down'; then
		fail "kvm-pvm ended a guest that could report its own oops"
	fi
	;;
EXHAUST_STACK)
	dmesg | grep -q 'kvm_pvm: .*did not fit below rsp' ||
		fail "kvm-pvm did not report the event that did not fit"
	dmesg | grep -q 'kvm_pvm: .*event delivery failed (supervisor stack not writable), shutting down' ||
		fail "kvm-pvm did not end the guest for its stack"
	;;
*)
	fail "unknown crash kind $kind"
	;;
esac
if dmesg | grep -E 'BUG:|WARNING:|Call Trace:'; then
	fail "L1's log has the errors above"
fi
echo "the guest's $kind crash was reported, and only the guest ended"
