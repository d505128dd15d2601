#!/bin/sh
# xfail.sh MODE REASON COMMAND...: run a test that is known to fail, from
# one of the known-failures lists (mkinitramfs.sh picks MODE by the list).
#   always  x86-known-failures: it fails on the unmodified kernel in this
#           environment too.  A failure is reported as a skip that gives
#           the reason, never as a pass.
#   pvm     x86-pvm-known-failures: it fails only when the kernel runs as a
#           PVM guest.  Under PVM a failure is reported as a skip that gives
#           the reason; natively the failure stands.
# A pass is a pass in either mode.
mode=$1 reason=$2
shift 2
case $mode in
always) why="known failure, also on the unmodified kernel" ;;
pvm) why="known failure as a PVM guest, passes natively" ;;
*) echo "xfail.sh: unknown mode '$mode' (always or pvm)"; exit 1 ;;
esac
"$@"
rc=$?
[ $rc -eq 0 ] && exit 0
[ "$mode" = pvm ] && ! grep -qw pvm_guest /proc/cpuinfo && exit $rc
echo "SKIP: $why (exit $rc): $reason"
exit 4
