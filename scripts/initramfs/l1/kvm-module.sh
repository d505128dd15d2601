#!/bin/sh
# KVM's core module from the host build loads in L1.  (kvm-pvm will be the
# vendor module; until it exists, nothing binds /dev/kvm.)
set -e
modprobe kvm
grep -q '^kvm ' /proc/modules
echo "kvm.ko loaded from /lib/modules/$(uname -r)"
