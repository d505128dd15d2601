#!/bin/sh
# kvm-pvm, the vendor module, loads in L1 (kvm.ko comes with it) and
# provides /dev/kvm; it must also unload and load again cleanly.
set -e
modprobe kvm-pvm
grep -q '^kvm_pvm ' /proc/modules
test -c /dev/kvm
dmesg | grep 'kvm_pvm: guest range' | tail -1
# Its tracepoints come and go with it.
test -d /sys/kernel/tracing/events/kvm_pvm
modprobe -r kvm-pvm
! grep -q '^kvm_pvm ' /proc/modules
test ! -d /sys/kernel/tracing/events/kvm_pvm
modprobe kvm-pvm
echo "kvm-pvm loaded, unloaded and loaded again from /lib/modules/$(uname -r)"
