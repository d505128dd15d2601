#!/bin/sh
# The kvm-pvm host selftests: PVM VMs through /dev/kvm, KTAP on stdout.
modprobe kvm-pvm || exit 1
exec /tests/pvm/pvm_host_test
