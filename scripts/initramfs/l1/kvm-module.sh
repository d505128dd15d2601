#!/bin/sh
# kvm-pvm, the vendor module, loads in L1 (kvm.ko comes with it) and
# provides /dev/kvm; it must also unload and load again cleanly.
set -e
modprobe kvm-pvm
grep -q '^kvm_pvm ' /proc/modules
test -c /dev/kvm
dmesg | grep 'kvm_pvm: guest range' | tail -1
modprobe -r kvm-pvm
! grep -q '^kvm_pvm ' /proc/modules
modprobe kvm-pvm
echo "kvm-pvm loaded, unloaded and loaded again from /lib/modules/$(uname -r)"
